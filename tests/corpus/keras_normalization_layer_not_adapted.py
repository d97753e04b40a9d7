"""A tf.keras regressor whose features go through a Normalization layer that is never adapted.

Silent: without `adapt()` the layer keeps mean 0 and variance 1, so the features reach the model
at their raw scales (hundreds and thousands), exactly as if the layer were not there.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
X_train = np.column_stack([rng.uniform(0, 1000, 256), rng.uniform(0, 5, 256)]).astype("float32")
y_train = (X_train[:, 0] / 1000 + X_train[:, 1]).astype("float32")
normalizer = tf.keras.layers.Normalization(axis=-1)  # expect: TL505
X_scaled = normalizer(X_train)
model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X_scaled, y_train, epochs=2, verbose=0)
