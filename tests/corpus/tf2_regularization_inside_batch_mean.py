"""A TF2 regression step whose loss divides the summed errors and the weight decay together.

Silent: `(sum of squared errors + add_n(model.losses)) / n` makes the penalty n times weaker.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(1e-2))])
optimizer = tf.keras.optimizers.Adam(1e-3)
x = np.random.randn(64, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)

with tf.GradientTape() as tape:
    pred = model(x, training=True)
    loss = (tf.reduce_sum(tf.square(pred - y)) + tf.add_n(model.losses)) / 64.0  # expect: TL451
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
