"""A saliency map computed as the gradient of the class score with respect to a tf.constant image that was never watched.

Silent in TensorFlow: tape.gradient returns None for an unwatched constant, so the "saliency map" is None.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.Input((8, 8, 1)),
    tf.keras.layers.Conv2D(4, 3, activation="relu"),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(3),
])
image = tf.constant(np.random.rand(1, 8, 8, 1).astype("float32"))

with tf.GradientTape() as tape:
    scores = model(image)
    top = tf.reduce_max(scores[0])
saliency = tape.gradient(top, image)  # expect: TL405
print("saliency:", saliency)
