"""Correct legacy TF1 graph code: matching placeholder/weight shapes and softmax_cross_entropy_with_logits_v2 on one-hot labels."""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([64, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    xs = np.random.rand(8, 64)
    ys = np.eye(10)[np.random.randint(0, 10, 8)]
    sess.run(train_step, feed_dict={x: xs, y: ys})
