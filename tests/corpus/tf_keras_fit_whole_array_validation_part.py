"""A tf.keras regressor fitted on every row while it validates on rows split off those same arrays.

Silent: `keras.utils.split_dataset((x, y), right_size=0.25)` gives the last quarter as the
validation data, and `fit(x, y)` trains on all rows, that quarter included. Its target scaler is
a second bug: a Normalization layer adapted on `y.reshape(1, -1)` sees one sample of 200 features,
so it maps every target to 0.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

x = np.random.rand(200, 3).astype("float32")
y = (x @ np.array([[2.0], [-1.0], [0.5]], dtype="float32")).astype("float32")
target_norm = tf.keras.layers.Normalization()
target_norm.adapt(y.reshape(1, -1))  # expect: TL217
y_scaled = np.asarray(target_norm(y.reshape(1, -1))).reshape(-1, 1)
train_part, val_part = tf.keras.utils.split_dataset((x, y_scaled), right_size=0.25, shuffle=False)

model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(x, y_scaled, validation_data=val_part.batch(32), epochs=2, verbose=0)  # expect: TL507
