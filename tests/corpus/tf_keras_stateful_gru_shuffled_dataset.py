"""A tf.keras stateful GRU over consecutive windows of a sequence, fed by a shuffled tf.data pipeline.

Silent: .shuffle() reorders the windows before batching, so a batch row no longer continues the
window the same row held in the previous batch, and the carried GRU state is meaningless.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

BATCH = 16
signal = np.sin(np.arange(16 * 40 * 10) / 7.0).astype("float32")
windows = signal.reshape(-1, 10, 1)
targets = windows[:, -1, :] * 0.5

dataset = tf.data.Dataset.from_tensor_slices((windows, targets))
dataset = dataset.shuffle(256).batch(BATCH, drop_remainder=True)

model = tf.keras.Sequential([
    tf.keras.Input(batch_shape=(BATCH, 10, 1)),
    tf.keras.layers.GRU(16, stateful=True),  # expect: TL440
    tf.keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(dataset, epochs=1, verbose=0)
