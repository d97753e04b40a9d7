"""A tf.keras regressor fitted on every row while it validates on rows split off those same arrays.

Silent: `keras.utils.split_dataset((x, y), right_size=0.25)` gives the last quarter as the
validation data, and `fit(x, y)` trains on all rows, that quarter included.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

x = np.random.rand(200, 3).astype("float32")
y = (x @ np.array([[2.0], [-1.0], [0.5]], dtype="float32")).astype("float32")
train_part, val_part = tf.keras.utils.split_dataset((x, y), right_size=0.25, shuffle=False)

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, y, validation_data=val_part.batch(32), epochs=2, verbose=0)  # expect: TL507
