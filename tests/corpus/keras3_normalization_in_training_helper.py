"""A Keras 3 training helper that scales its inputs with a fresh Normalization layer it never adapts.

Silent: the helper makes the layer and applies it straight away, so it returns the features
unchanged (mean 0, variance 1 are its initial statistics) and the model trains on unscaled data.
"""
# runtime: runs
import numpy as np
import keras


def train(model, features, targets, epochs=2):
    scaler = keras.layers.Normalization()  # expect: TL505
    scaled = scaler(features)
    return model.fit(scaled, targets, epochs=epochs, verbose=0)


features = np.random.rand(128, 3).astype("float32") * np.array([1.0, 100.0, 10000.0], dtype="float32")
targets = features.sum(axis=1, keepdims=True)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = train(model, features, targets)
