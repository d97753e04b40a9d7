"""A Keras price regressor fitted on raw prices in the millions and square footage with no normalization (opt-in rule).

Silent: with targets around 1e6 the first MSE values are around 1e12, and Adam with its default
learning rate needs thousands of epochs to move the output that far.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

lot_size = np.array([[5400.0, 2100.0], [7200.0, 2900.0], [3100.0, 1500.0], [9800.0, 3600.0]])
price = np.array([1250000.0, 1870000.0, 690000.0, 2450000.0])

model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(lot_size, price, epochs=1, verbose=0)  # expect: TL501
