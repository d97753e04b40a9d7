"""A small CNN regressor whose hidden Dense layer is applied to the pooled feature map, before Flatten.

Silent: Dense(64) acts on the last axis only, so it maps the 32 channels of each of the 19x19
positions separately (a 1x1 convolution with 32x64 weights); the Flatten after it then joins
the positions. The hidden layer meant to see the whole feature vector never does.
"""
# runtime: runs
import numpy as np
from keras import Sequential
from keras.layers import Activation, Conv2D, Dense, Flatten, Input, MaxPooling2D

rng = np.random.default_rng(0)
X = rng.normal(size=(64, 40, 40, 1)).astype("float32")
y = rng.normal(size=(64, 4)).astype("float32")

model = Sequential()
model.add(Input((40, 40, 1)))
model.add(Conv2D(32, (3, 3)))
model.add(Activation("relu"))
model.add(MaxPooling2D(pool_size=2))
model.add(Dense(64))  # expect: TL236
model.add(Activation("relu"))
model.add(Flatten())
model.add(Dense(4))

model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(X, y, batch_size=16, epochs=1, verbose=0)
