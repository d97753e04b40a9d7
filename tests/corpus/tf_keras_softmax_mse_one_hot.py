"""A tf.keras digit classifier with a softmax output trained by mean squared error on one-hot labels.

Silent: the squared error's gradient through the softmax vanishes where the output saturates on
a wrong class (cross-entropy's does not), so training is slow; the program runs without error.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
images = rng.random((512, 64)).astype("float32")
digits = rng.integers(0, 10, size=512)
labels = tf.keras.utils.to_categorical(digits, 10)

model = tf.keras.Sequential([
    tf.keras.Input((64,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="sgd", loss="mean_squared_error", metrics=["accuracy"])  # expect: TL313
model.fit(images, labels, epochs=1, batch_size=64, verbose=0)
