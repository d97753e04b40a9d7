"""Reshaping a batch of 28x28 grayscale images to 32x32 before a Keras CNN."""
# runtime: raises InvalidArgumentError
import numpy as np
import tensorflow as tf

images = np.random.rand(16, 28, 28).astype("float32")
labels = np.random.randint(0, 10, size=(16,))

x = tf.reshape(images, (16, 32, 32, 1))  # expect: TL207
model = tf.keras.Sequential([
    tf.keras.Input(shape=(32, 32, 1)),
    tf.keras.layers.Conv2D(8, 3, activation="relu"),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, labels, epochs=1, verbose=0)
