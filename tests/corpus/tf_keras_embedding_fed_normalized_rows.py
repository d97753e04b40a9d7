"""A tf.keras regressor on tabular data that puts an Embedding first and feeds it normalized rows.

Silent: the Embedding casts the float input to int32; the normalized rows are small positive
fractions, so every value becomes id 0 and the model predicts the same value for every row.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
table = rng.normal(50.0, 10.0, size=(200, 12))
target = table[:, :3].sum(axis=1)
features = tf.keras.utils.normalize(table)

model = tf.keras.Sequential()
model.add(tf.keras.layers.InputLayer(shape=(12,)))
model.add(tf.keras.layers.Embedding(500, 8))  # expect: TL105
model.add(tf.keras.layers.Flatten())
model.add(tf.keras.layers.Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(features, target, epochs=1, verbose=0)
