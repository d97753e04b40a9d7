"""A TF2 linear regression trained with a hand-written MSE, tf.reduce_mean(tf.square(pred - y)), where pred is (N, 1) and y is (N,).

The bug is silent: pred - y broadcasts to an (N, N) matrix, so every prediction is compared with every
target and the fit converges to the mean of y instead of the line.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

features = tf.constant(np.random.rand(50, 3), dtype=tf.float32)
targets = tf.reduce_sum(features, axis=1)  # (50,)
W = tf.Variable(tf.random.normal([3, 1]))
b = tf.Variable(0.0)
opt = tf.keras.optimizers.SGD(0.1)

for step in range(5):
    with tf.GradientTape() as tape:
        pred = tf.matmul(features, W) + b  # (50, 1)
        loss = tf.reduce_mean(tf.square(pred - targets))  # expect: TL205
    grads = tape.gradient(loss, [W, b])
    opt.apply_gradients(zip(grads, [W, b]))
