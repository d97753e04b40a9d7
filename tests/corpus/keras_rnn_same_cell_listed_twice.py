"""A Keras sequence regressor whose two-layer RNN lists the same GRU cell object twice.

The cell's kernel is built for the 4 input features; the second layer feeds it the cell's own
16 outputs, and building the model for the first batch raises ValueError (incompatible matrix
sizes in the cell's call).
"""
# runtime: raises ValueError
import numpy as np
import keras

cell = keras.layers.GRUCell(16)
model = keras.Sequential([
    keras.Input((10, 4)),
    keras.layers.RNN([cell, cell]),  # expect: TL422
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 10, 4), np.random.rand(32, 1), epochs=1, verbose=0)
