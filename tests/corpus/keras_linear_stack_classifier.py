"""An MNIST-style classifier whose hidden Dense layer has no activation.

Silent: Dense(64) followed by Dense(10) is one linear map, so the network is a linear classifier
whatever its width; it trains, but no better than logistic regression.
"""
# runtime: runs
import numpy as np
from tensorflow import keras

x = np.random.rand(64, 784).astype("float32")
y = keras.utils.to_categorical(np.random.randint(0, 10, 64), 10)
model = keras.Sequential()
model.add(keras.layers.Dense(64, input_shape=(784,)))  # expect: TL311
model.add(keras.layers.Dropout(0.2))
model.add(keras.layers.Dense(10))
model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=1, verbose=0)
