"""Correct in Keras 3: (N, 28, 28) images fitted to Input(shape=(28, 28, 1)); Keras adds the trailing channel axis itself."""
# runtime: runs
import numpy as np
import keras
from keras import layers

images = np.random.rand(16, 28, 28).astype("float32")
digits = np.random.randint(0, 10, size=16)

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(images, digits, epochs=1, verbose=0)
