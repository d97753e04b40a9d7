"""A TF1 linear regression whose training loop fetches only the loss but unpacks two values.

The train op is never run, and `sess.run(loss, ...)` returns one NumPy scalar: unpacking it raises
TypeError on the first step.
"""
# runtime: raises TypeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
X = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.zeros([3, 1]))
b = tf.Variable(tf.zeros([1]))
loss = tf.reduce_mean(tf.square(tf.matmul(X, W) + b - y))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(100):
        xs = np.random.rand(32, 3)
        loss_value, _ = sess.run(loss, feed_dict={X: xs, y: xs.sum(axis=1, keepdims=True)})  # expect: TL213
