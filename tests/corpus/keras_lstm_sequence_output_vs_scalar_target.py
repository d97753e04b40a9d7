"""A Keras LSTM regressor keeps return_sequences=True before its Dense(1) head, so it predicts (N, 45, 1) per sequence against y of (N, 1).

The bug is silent: mean_squared_error drops the trailing 1 and broadcasts (N, 45) against (N, 1), so
every time step is pulled toward the sequence's single target; the model never predicts one value
per sequence.
"""
# runtime: runs
import numpy as np
from tensorflow import keras

np.random.seed(0)
x = np.random.rand(64, 45, 3).astype("float32")
y = x[:, :, 0].mean(axis=1, keepdims=True)  # one target per sequence: (64, 1)

model = keras.Sequential([
    keras.layers.LSTM(16, return_sequences=True, input_shape=(45, 3)),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mean_squared_error")
history = model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # expect: TL208
