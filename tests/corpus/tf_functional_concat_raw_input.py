"""A tf.keras functional classifier that normalizes its input for one branch and concatenates the raw input beside it.

Silent: the adapted Normalization layer exists to bring the columns to one scale, yet the raw
columns (scales 1 to 500) reach the output layer through the concatenation.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

table = (np.random.rand(128, 4) * np.array([1.0, 20.0, 500.0, 3.0])).astype("float32")
labels = (table[:, :1] > 0.5).astype("float32")

inputs = tf.keras.Input(shape=(4,))
norm = tf.keras.layers.Normalization()
norm.adapt(table)
hidden = tf.keras.layers.Dense(8, activation="relu")(norm(inputs))
joined = tf.keras.layers.concatenate([inputs, hidden])  # expect: TL446
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(joined))
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(table, labels, epochs=1, verbose=0)
