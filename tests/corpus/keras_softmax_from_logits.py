"""A Keras classifier ending in Dense(10, activation='softmax') compiled with from_logits=True.

Silent: the loss applies softmax a second time to values already in [0, 1], which flattens the
distribution and weakens the gradients; Keras 3 only prints a UserWarning about it.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.Input(shape=(784,)),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])  # expect: TL304

x = np.random.rand(64, 784).astype("float32")
y = np.random.randint(0, 10, size=64)
model.fit(x, y, epochs=1, verbose=0)
