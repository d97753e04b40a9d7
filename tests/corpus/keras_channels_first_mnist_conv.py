"""MNIST images reshaped channels-first to (N, 1, 28, 28) and declared so to a Keras Conv2D, which reads channels-last: the 'height' is 1 and the 3x3 kernel does not fit."""
# runtime: raises ValueError
import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Conv2D, Dense, Flatten, MaxPooling2D

x_train = np.random.rand(32, 784).astype("float32").reshape(32, 1, 28, 28)
y_train = np.random.randint(0, 10, size=32)

model = keras.Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(1, 28, 28)))  # expect: TL209
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10))
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
model.fit(x_train, y_train, epochs=1, verbose=0)
