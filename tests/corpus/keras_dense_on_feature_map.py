"""A Keras functional CNN puts its Dense softmax head straight on the 4-D feature map (no Flatten), so it outputs (N, 16, 16, 2) against one-hot labels of (N, 2)."""
# runtime: raises ValueError
import numpy as np
import keras
from keras import layers

images = np.random.rand(24, 16, 16, 3).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 2, size=24), num_classes=2)

inputs = keras.Input(shape=(16, 16, 3))
h = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
h = layers.Conv2D(8, 3, padding="same", activation="relu")(h)
outputs = layers.Dense(2, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(images, labels, epochs=1, batch_size=8, verbose=0)  # expect: TL208
