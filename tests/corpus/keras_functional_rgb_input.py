"""A functional-API Keras CNN declared for RGB input and fitted on grayscale images."""
# runtime: raises ValueError
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
h = layers.Conv2D(16, 3, activation="relu")(inputs)
h = layers.GlobalAveragePooling2D()(h)
outputs = layers.Dense(5)(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

gray = np.random.rand(20, 32, 32, 1).astype("float32")
classes = np.random.randint(0, 5, size=20)
model.fit(gray, classes, epochs=1, verbose=0)  # expect: TL203
