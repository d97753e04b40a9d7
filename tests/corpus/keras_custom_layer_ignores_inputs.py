"""A custom Keras Layer whose call computes inputs @ w but returns an activation of its bias only.

The output never depends on the input, so it has lost the batch axis as well: the next Dense layer
rejects the rank-1 tensor when the model is built.
"""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Projection(keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.b = self.add_weight(shape=(self.units,), initializer="ones")

    def call(self, inputs):  # expect: TL401
        h = tf.matmul(inputs, self.w)
        return tf.nn.relu(self.b)


model = keras.Sequential([keras.Input((6,)), Projection(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(20, 6), np.random.rand(20, 1), epochs=1, verbose=0)
