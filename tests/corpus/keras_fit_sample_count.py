"""A train/validation split done by hand where the label array keeps 10 rows more than the features."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf

data = np.random.rand(100, 6).astype("float32")
target = np.random.rand(100).astype("float32")
split = 80
x_train, y_train = data[:split], target[:split + 10]

model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mae")
model.fit(x_train, y_train, epochs=1, verbose=0)  # expect: TL204
