"""A Keras 3 wide-and-deep regressor whose deep path reads normalized features and whose wide path reads them raw.

Silent: the features span scales from 1 to 1,000; the Normalization layer standardizes them for
the deep path, but the Concatenate joins the raw input beside it, so the scales come back.
"""
# runtime: runs
import keras
import numpy as np

rows = np.random.rand(256, 5).astype("float32") * np.array([1, 10, 100, 1000, 5], dtype="float32")
target = rows.sum(axis=1, keepdims=True)
features = keras.Input(shape=(5,))
norm = keras.layers.Normalization()
norm.adapt(rows)
scaled = norm(features)
deep = keras.layers.Dense(16, activation="relu")(scaled)
deep = keras.layers.Dense(16, activation="relu")(deep)
both = keras.layers.Concatenate()([features, deep])  # expect: TL446
price = keras.layers.Dense(1)(both)
model = keras.Model(features, price)
model.compile(optimizer="adam", loss="mse")
model.fit(rows, target, epochs=1, verbose=0)
