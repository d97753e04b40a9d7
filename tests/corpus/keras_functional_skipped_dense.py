"""A Keras functional regression model whose output layer is applied to the wrong hidden layer.

Silent: the second Dense layer is not part of the model at all (the model has 2 Dense layers,
not 3) and nothing warns.
"""
# runtime: runs
import numpy as np
from tensorflow import keras


def build_model(n_features):
    inputs = keras.Input(shape=(n_features,))
    x = keras.layers.Dense(64, activation="relu")(inputs)
    x2 = keras.layers.Dense(32, activation="relu")(x)  # expect: TL414
    outputs = keras.layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


model = build_model(10)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 10), np.random.rand(32, 1), epochs=1, verbose=0)
