"""Correct: integer class ids with SparseCategoricalCrossentropy(from_logits=True) on a linear output layer."""
# runtime: runs
import numpy as np
import keras
from keras import layers

x = np.random.rand(40, 16, 16, 1).astype("float32")
y = np.random.randint(0, 4, size=(40,))
model = keras.Sequential([
    keras.Input(shape=(16, 16, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(4),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(x, y, epochs=1, verbose=0)
