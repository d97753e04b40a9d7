"""A 3-class Keras model (softmax output, one-hot labels) compiled with 'binary_crossentropy'.

Silent: binary cross-entropy treats the 3 outputs as independent yes/no questions, so the reported
loss is not the multi-class cross-entropy of the same predictions (with Keras 2 the 'accuracy'
metric also became binary accuracy, inflated by the easy zeros).
"""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Sequential
from tensorflow.keras.utils import to_categorical

x = np.random.rand(60, 4).astype("float32")
y = to_categorical(np.random.randint(0, 3, size=60), 3)

model = Sequential()
model.add(Input(shape=(4,)))
model.add(Dense(10, activation="relu"))
model.add(Dense(3, activation="softmax"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])  # expect: TL306, TL308
model.fit(x, y, epochs=1, verbose=0)
