"""A Keras regression model with a custom gated dense layer, trained on synthetic sensor data."""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class GatedDense(keras.layers.Layer):
    """units-wide dense layer whose output is scaled by a learned sigmoid gate."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.gate = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        projected = tf.matmul(inputs, self.kernel)
        return tf.sigmoid(self.gate) * tf.reduce_mean(self.kernel, axis=0)


features = np.random.rand(256, 12).astype("float32")
target = features[:, :3].sum(axis=1, keepdims=True)

model = keras.Sequential([keras.Input(shape=(12,)), GatedDense(16), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(features, target, epochs=5, batch_size=32)
