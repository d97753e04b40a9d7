"""Correct in Keras: a Dense(1) output compiled with 'mse' and fitted on (N,) targets; Keras aligns the ranks, nothing broadcasts."""
# runtime: runs
import numpy as np
import tensorflow as tf

x = np.random.rand(50, 4).astype("float32")
y = x.sum(axis=1)
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(x, y, epochs=1, batch_size=10, verbose=0)
