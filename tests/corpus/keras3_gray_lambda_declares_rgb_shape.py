"""A Keras 3 model that turns RGB images to gray with a Lambda whose output_shape repeats the input's three channels.

The Lambda averages the channel axis with keepdims, (batch, 28, 28, 1), but declares the input's
shape, (batch, 28, 28, 3); Keras builds the convolution after it for three input channels and the
tensor it receives has one.
"""
# runtime: raises ValueError
import numpy as np
import keras
from keras import layers, ops

inputs = keras.Input(shape=(28, 28, 3))
gray = layers.Lambda(lambda t: ops.mean(t, axis=-1, keepdims=True), output_shape=lambda s: s)(inputs)  # expect: TL223
x = layers.Conv2D(16, 3, activation="relu")(gray)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

images = np.random.rand(64, 28, 28, 3).astype("float32")
labels = np.random.randint(0, 10, size=(64,))
model.fit(images, labels, batch_size=16, epochs=1, verbose=0)
