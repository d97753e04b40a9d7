"""A Keras binary classifier trained with mean absolute percentage error on 0/1 labels.

Silent: the percentage error divides by the label, clipped to 1e-7 for the zeros, so every
sample of class 0 contributes a loss near 1e9 times its prediction; the reported loss is in
the millions and its gradient only pushes the outputs of class 0 towards zero.
"""
# runtime: runs
import numpy as np
import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(400, 6)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int64")

model = keras.Sequential([
    keras.Input((6,)),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="mape")  # expect: TL313
model.fit(x, y, epochs=2, batch_size=32, verbose=0)
