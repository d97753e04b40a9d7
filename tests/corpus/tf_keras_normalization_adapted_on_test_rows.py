"""A tf.keras regression script whose Normalization layer is adapted on the training and the test rows stacked together.

Silent: the mean and variance the layer subtracts and divides by include the test rows, so the
test loss printed at the end is measured on data whose statistics the model was built with.
"""
# runtime: runs
import numpy as np
import tensorflow as tf


def load(n, shift):
    x = np.random.rand(n, 5).astype("float32") + shift
    return x, x.sum(axis=1)


def build(normalize):
    model = tf.keras.Sequential([tf.keras.Input((5,)), normalize, tf.keras.layers.Dense(16, activation="relu"),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def main():
    x_train, y_train = load(600, 0.0)
    x_test, y_test = load(150, 0.5)
    normalize = tf.keras.layers.Normalization()
    normalize.adapt(np.concatenate((x_train, x_test), axis=0))  # expect: TL508
    model = build(normalize)
    model.fit(x_train, y_train, epochs=2, batch_size=32, verbose=0)
    print("test loss", model.evaluate(x_test, y_test, verbose=0))


if __name__ == "__main__":
    main()
