"""A tf.keras regressor with dropout, trained by a hand-written GradientTape step.

Silent: `model(x)` inside the tape runs the Dropout layer in inference mode (outside `fit`, Keras
layers take `training=None` as False), so the network trains with no dropout at all, and the
regularization the layer was put there for never happens.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

x = np.random.rand(256, 16).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = tf.keras.Sequential([
    tf.keras.Input((16,)),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dropout(0.5),
    tf.keras.layers.Dense(1),
])
optimizer = tf.keras.optimizers.Adam(1e-3)


@tf.function
def train_step(xb, yb):
    with tf.GradientTape() as tape:
        pred = model(xb)  # expect: TL455
        loss = tf.reduce_mean(tf.square(yb - pred))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


for epoch in range(3):
    for i in range(0, 256, 32):
        train_step(x[i:i + 32], y[i:i + 32])
