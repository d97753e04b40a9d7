"""A Keras classifier whose labels are one-hot rows made with the np.eye(n)[labels] idiom, compiled with a sparse categorical cross-entropy."""
# runtime: raises ValueError
import numpy as np
from tensorflow import keras

n_classes = 4
features = np.random.rand(64, 8).astype("float32")
classes = np.random.randint(0, n_classes, 64)
targets = np.eye(n_classes)[classes]
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(n_classes)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(features, targets, epochs=1, verbose=0)  # expect: TL303
