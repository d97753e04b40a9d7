"""A tf.keras MNIST-sized classifier whose piecewise learning rate is bounded in images seen.

Silent: the boundaries 30,000 and 45,000 were written as numbers of images, but the schedule
counts batches: 2,048 images in batches of 128 for 12 epochs are 192 steps, so the rate stays
0.1 for the whole run.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

images = np.random.rand(2048, 28, 28).astype("float32")
labels = np.random.randint(0, 10, size=(2048,))

lr = tf.keras.optimizers.schedules.PiecewiseConstantDecay(
    boundaries=[30000, 45000], values=[0.1, 0.01, 0.001])  # expect: TL452
net = tf.keras.Sequential([
    tf.keras.Input((28, 28)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(10),
])
net.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=lr, momentum=0.9),
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
net.fit(images, labels, batch_size=128, epochs=12, verbose=0)
