"""A Keras image classifier compiled with 'categorical_crossentropy' and fitted on integer class ids."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def load_images(n=40):
    x = np.random.rand(n, 16, 16, 1).astype("float32")
    y = np.random.randint(0, 4, size=(n,))
    return x, y


x_train, y_train = load_images()
model = tf.keras.Sequential([
    layers.Input(shape=(16, 16, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])  # expect: TL308
model.fit(x_train, y_train, epochs=1, verbose=0)  # expect: TL302
