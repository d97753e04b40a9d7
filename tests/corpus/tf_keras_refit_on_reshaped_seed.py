"""A tf.keras regressor refitted each round after the round's forecast seed reuses the training name.

`refine(model, inputs, targets, rounds)` fits on 64 rows, then binds `inputs` to the last row
reshaped to one sample for `predict`; the next round's `fit(inputs, targets)` gets one input
against 64 targets: Keras raises ValueError (the data cardinality is ambiguous).
"""
# runtime: raises ValueError
import numpy as np
import tensorflow as tf


def refine(model, inputs, targets, rounds):
    forecasts = []
    for r in range(rounds):
        model.fit(inputs, targets, epochs=1, verbose=0)
        inputs = inputs[-1].reshape(1, -1)  # expect: TL453
        forecasts.append(model.predict(inputs, verbose=0))
    return forecasts


net = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
net.compile(optimizer="adam", loss="mse")
rows = np.random.rand(64, 5).astype("float32")
refine(net, rows, rows.sum(axis=1, keepdims=True), 3)
