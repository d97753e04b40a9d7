"""Correct: a custom Keras layer computing inputs @ w + b and a custom loss that uses both y_true and y_pred."""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Affine(keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


def weighted_mse(y_true, y_pred):
    weights = tf.linspace(1.0, 2.0, tf.shape(y_pred)[-1])
    return tf.reduce_mean(weights * tf.square(y_true - y_pred), axis=-1)


model = keras.Sequential([keras.Input((6,)), Affine(4), keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=weighted_mse)
model.fit(np.random.rand(20, 6), np.random.rand(20, 3), epochs=1, verbose=0)
