"""A preprocessing step that replaces missing values with x[x == np.nan] = 0 before a Keras fit.

Silent: x == np.nan is False everywhere, so the NaN stays in the data and the loss becomes NaN.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

x = np.random.rand(20, 3).astype("float32")
x[4, 0] = np.nan
x[x == np.nan] = 0.0  # expect: TL503
y = np.random.rand(20, 1).astype("float32")

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
history = model.fit(x, y, epochs=1, batch_size=20, verbose=0)  # expect: TL406
