"""A Keras 3 regression that sets the first rows aside and then checks itself on training rows.

Silent: `x_train = table[100:, :-1]` leaves the first 100 rows out, but the check after `fit`
predicts `x_train[:100]`, rows 100 to 199 of the table, which the model was trained on; the
100 rows set aside are never read.
"""
# runtime: runs
import numpy as np
import keras

rng = np.random.RandomState(0)
features = rng.rand(600, 8).astype("float32")
table = np.hstack([features, features.sum(axis=1, keepdims=True)])
x_train = table[100:, :-1]
y_train = table[100:, -1]
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
check = model.predict(x_train[:100], verbose=0)  # expect: TL511
