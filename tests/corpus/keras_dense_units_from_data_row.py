"""A tf.keras classifier whose first Dense layer is given a data row as its unit count.

`Dense(X[0])` passes the five feature values of the first sample where the number of features
(`X.shape[1]`) was meant: Keras refuses it when the layer is made.
"""
# runtime: raises ValueError
import numpy as np
from tensorflow import keras

X = np.random.rand(500, 5)
y = (X.sum(axis=1) > 2.5).astype("float32")
model = keras.Sequential()
model.add(keras.Input(shape=(5,)))
model.add(keras.layers.Dense(X[0], activation="relu"))  # expect: TL111
model.add(keras.layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])  # expect: TL308
model.fit(X, y, epochs=1, verbose=0)
