"""A Keras 3 regressor whose test arrays are sliced exactly like its validation arrays.

Silent: `x_test` and `y_test` take rows 800:900, the rows `x_val` and `y_val` hold, so the
reported test loss is the validation loss the model was selected on, not a score on unseen rows.
"""
# runtime: runs
import numpy as np
import keras

rng = np.random.default_rng(1)
features = rng.normal(size=(1000, 8)).astype("float32")
targets = (features @ rng.normal(size=(8, 1))).astype("float32")

x_train, y_train = features[:800], targets[:800]
x_val = features[800:900]
y_val = targets[800:900]
x_test = features[800:900]  # expect: TL428
y_test = targets[800:900]

model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=3, verbose=0)
test_loss = model.evaluate(x_test, y_test, verbose=0)
