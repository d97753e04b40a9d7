"""Correct: loss computed inside the GradientTape block, and tape.watch() on a constant image for a saliency map."""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((8, 8, 1)), tf.keras.layers.Conv2D(4, 3, activation="relu"), tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)])
optimizer = tf.keras.optimizers.SGD(0.01)
mse = tf.keras.losses.MeanSquaredError()
x = tf.random.normal((6, 8, 8, 1))
y = tf.random.normal((6, 3))

with tf.GradientTape() as tape:
    loss = mse(y, model(x, training=True))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))

image = tf.constant(np.random.rand(1, 8, 8, 1).astype("float32"))
with tf.GradientTape() as tape:
    tape.watch(image)
    top = tf.reduce_max(model(image)[0])
saliency = tape.gradient(top, image)
print(saliency.shape)
