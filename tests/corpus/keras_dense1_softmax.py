"""A binary Keras classifier with a single output unit and activation='softmax'.

Silent: softmax over one unit always returns 1.0, so predictions never change and gradients are zero;
Keras 3 prints a UserWarning, and model.predict returns 1.0 for every sample.
"""
# runtime: runs
import numpy as np
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Input(shape=(10,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(1, activation="softmax"),  # expect: TL305
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])  # expect: TL308
x_train = np.random.rand(64, 10)
y_train = np.random.randint(0, 2, size=(64,))
model.fit(x_train, y_train, epochs=1, verbose=0)
