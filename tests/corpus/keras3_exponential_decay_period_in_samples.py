"""A Keras regressor whose staircase learning-rate decay is counted in samples, not batches.

Silent: `ExponentialDecay(..., decay_steps=2000, staircase=True)` halves the rate every 2,000
optimizer steps, but 1,200 rows in batches of 64 for 5 epochs make 95 steps: the rate never
leaves 0.05, and the decay the program configured does nothing.
"""
# runtime: runs
import numpy as np
import keras

rows = 1200
features = np.random.rand(rows, 6).astype("float32")
target = features @ np.arange(1, 7, dtype="float32")[:, None]

decay = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=0.05, decay_steps=2000, decay_rate=0.5, staircase=True)  # expect: TL452
opt = keras.optimizers.Adam(learning_rate=decay)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=opt, loss="mse")
model.fit(features, target, batch_size=64, epochs=5, verbose=0)
