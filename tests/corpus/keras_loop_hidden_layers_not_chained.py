"""A Keras functional MLP that builds its hidden layers in a loop but applies each to the input.

Silent: every pass binds `hidden` to a new Dense layer applied to `inputs`, overwriting the last
pass's output unread, so the model holds only the last hidden layer: the 64- and 32-unit layers
the loop made are not part of it.
"""
# runtime: runs
import numpy as np
import keras

inputs = keras.Input(shape=(20,))
for units in [64, 32, 16]:
    hidden = keras.layers.Dense(units, activation="relu")(inputs)  # expect: TL220
outputs = keras.layers.Dense(1)(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(64, 20), np.random.rand(64, 1), epochs=1, verbose=0)
