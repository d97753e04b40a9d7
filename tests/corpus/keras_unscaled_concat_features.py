"""Features concatenated at very different scales (ratios next to 1000x amounts) and fitted without scaling (opt-in rule).

Silent: the large column dominates the gradients and the small-scale features are effectively ignored.
"""
# runtime: runs
import numpy as np
import keras

ratios = np.random.rand(64, 3)
amounts = 1000 * np.random.rand(64, 3)
features = np.concatenate([ratios, amounts], axis=1)
labels = np.random.randint(0, 2, size=(64, 1)).astype("float32")

model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(features, labels, epochs=1, verbose=0)  # expect: TL502
