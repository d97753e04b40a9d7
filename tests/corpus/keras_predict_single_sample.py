"""Predicting one sample with a trained Keras model, passing the row without its batch axis."""
# runtime: raises ValueError
import numpy as np
from tensorflow import keras

model = keras.Sequential()
model.add(keras.Input(shape=(8,)))
model.add(keras.layers.Dense(16, activation="relu"))
model.add(keras.layers.Dense(1))
model.compile(optimizer="sgd", loss="mse")

x_train = np.random.rand(64, 8)
y_train = np.random.rand(64, 1)
model.fit(x_train, y_train, epochs=1, verbose=0)

sample = np.random.rand(8)
print(model.predict(sample, verbose=0))  # expect: TL203
