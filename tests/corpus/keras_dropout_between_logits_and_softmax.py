"""A Keras MNIST-style classifier with its Dropout between the last Dense layer and the softmax.

Silent: while training, the dropout zeroes about half of the ten class scores of every sample
(and doubles the others) before the softmax, so the loss is computed on randomly damaged scores.
"""
# runtime: runs
import numpy as np
from keras.models import Sequential
from keras.layers import Activation, Dense, Dropout, Input

x = np.random.rand(64, 20).astype("float32")
y = np.eye(10)[np.random.randint(0, 10, 64)]
model = Sequential()
model.add(Input(shape=(20,)))
model.add(Dense(50, activation="relu"))
model.add(Dense(10))
model.add(Dropout(0.5))  # expect: TL315
model.add(Activation("softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])  # expect: TL308
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
