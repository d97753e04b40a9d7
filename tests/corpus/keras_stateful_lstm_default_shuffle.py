"""A Keras stateful LSTM on a long cosine series, trained with fit()'s default shuffling.

Silent: fit() shuffles the samples, so the state an LSTM row carries into the next batch comes
from an unrelated stretch of the series; the program runs and the model learns no long-range
structure.
"""
# runtime: runs
import numpy as np
import keras

BATCH = 25
series = np.cos(np.arange(5000) / 50.0).astype("float32")
x = series[:-1].reshape(-1, 1, 1)
y = series[1:].reshape(-1, 1)
x, y = x[: len(x) // BATCH * BATCH], y[: len(y) // BATCH * BATCH]

model = keras.Sequential([
    keras.Input(batch_shape=(BATCH, 1, 1)),
    keras.layers.LSTM(20, stateful=True),  # expect: TL440
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
for epoch in range(2):
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    for layer in model.layers:
        if hasattr(layer, "reset_states"):
            layer.reset_states()
