"""A custom Keras loss function passed to compile() that never uses y_true.

Silent: the loss only penalises large predictions; calling it with two different y_true tensors
gives the same value, so the labels have no influence on training.
"""
# runtime: runs
import numpy as np
import tensorflow as tf


def weighted_mse(y_true, y_pred):  # expect: TL301
    weights = tf.linspace(1.0, 2.0, tf.shape(y_pred)[-1])
    return tf.reduce_mean(weights * tf.square(y_pred), axis=-1)


model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=weighted_mse)
x = np.random.rand(32, 4).astype("float32")
y = np.random.rand(32, 3).astype("float32")
model.fit(x, y, epochs=1, verbose=0)
