"""Classify Fashion-MNIST-like images with a Keras CNN (random arrays stand in for the dataset)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def load_data(n: int = 600):
    x = np.random.rand(n, 28, 28, 1).astype("float32")
    y = np.random.randint(0, 10, size=(n,))  # class ids 0..9, not one-hot
    return x, y


x_train, y_train = load_data()

model = keras.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=3, batch_size=64, validation_split=0.1)
