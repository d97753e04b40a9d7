"""A Keras regression whose feature matrix has a sensor dropout marked with np.nan before fit().

Silent: the first batch containing the NaN makes the loss NaN, and Keras keeps training on NaN
weights (history['loss'] is nan).
"""
# runtime: runs
import numpy as np
from tensorflow import keras


def load_sensors():
    x = np.random.rand(32, 4).astype("float32")
    x[5, 2] = np.nan
    y = x.sum(axis=1, keepdims=True)
    return x, y


x, y = load_sensors()
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, y, epochs=1, batch_size=32, verbose=0)  # expect: TL406
