"""A tf.keras one-unit regression from Celsius to Fahrenheit, asked for one prediction as a Python list."""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf

celsius = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
fahrenheit = celsius * 1.8 + 32

model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(units=1)])
model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(0.1))
model.fit(celsius, fahrenheit, epochs=20, verbose=0)
print(model.predict([100.0], verbose=0))  # expect: TL221
