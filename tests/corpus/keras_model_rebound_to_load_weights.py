"""A Keras script that reloads its saved weights with `model = model.load_weights(path)`.

`load_weights` loads in place and returns None: the name `model` then holds None and the
prediction that follows fails.
"""
# runtime: raises AttributeError
import os
import tempfile

import numpy as np
import keras

x = np.random.rand(32, 6).astype("float32")
y = x.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
path = os.path.join(tempfile.mkdtemp(), "regressor.weights.h5")
model.save_weights(path)
model = model.load_weights(path)  # expect: TL435
predictions = model.predict(x, verbose=0)
