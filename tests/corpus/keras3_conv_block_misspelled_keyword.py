"""A Keras 3 convolutional classifier whose conv block misspells a keyword of Conv2D.

`use_bais=False` is no keyword of Conv2D: building the first block raises ValueError
(unrecognized keyword arguments) before the model exists.
"""
# runtime: raises ValueError
import numpy as np
import keras
from keras import layers


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", use_bais=False)(x)  # expect: TL227
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


inputs = keras.Input((28, 28, 1))
x = conv_block(inputs, 16)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(64, 28, 28, 1), np.random.randint(0, 10, 64), epochs=1, verbose=0)
