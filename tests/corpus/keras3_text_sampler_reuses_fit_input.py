"""A Keras character model whose sampling code after each round of training reuses the name `x`.

The first `fit` trains on all 200 windows; the sampling loop then binds `x` to one window
(`np.zeros((1, maxlen, n_chars))`) for `predict`, and the next round's `fit(x, y)` gets one
input against 200 targets: Keras raises ValueError (the data cardinality is ambiguous).
"""
# runtime: raises ValueError
import numpy as np
import keras

maxlen, n_chars, windows = 10, 12, 200
x = np.zeros((windows, maxlen, n_chars), dtype="float32")
y = np.zeros((windows, n_chars), dtype="float32")
x[np.arange(windows), 0, np.arange(windows) % n_chars] = 1.0
y[np.arange(windows), np.arange(windows) % n_chars] = 1.0

model = keras.Sequential([keras.Input((maxlen, n_chars)), keras.layers.LSTM(16),
                          keras.layers.Dense(n_chars)])
model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
for iteration in range(3):
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    for i in range(2):
        x = np.zeros((1, maxlen, n_chars), dtype="float32")  # expect: TL453
        x[0, 0, i] = 1.0
        preds = model.predict(x, verbose=0)[0]
