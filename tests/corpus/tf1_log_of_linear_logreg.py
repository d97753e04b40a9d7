"""A TF1 softmax regression whose hand-written cross-entropy takes the log of the raw affine output.

Silent until the first step: about half of the affine outputs are negative, so the log is NaN
and the cost is NaN from the first evaluation on.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
x = tf.placeholder(tf.float32, [None, 20])
y = tf.placeholder(tf.float32, [None, 4])
W = tf.Variable(tf.random_normal([20, 4], stddev=0.5))
b = tf.Variable(tf.zeros([4]))
pred = tf.matmul(x, W) + b
cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), axis=1))  # expect: TL309
train = tf.train.GradientDescentOptimizer(0.01).minimize(cost)

xs = np.random.rand(64, 20).astype("float32") - 0.5
ys = np.eye(4, dtype="float32")[np.random.randint(0, 4, 64)]
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    costs = [sess.run([train, cost], feed_dict={x: xs, y: ys})[1] for _ in range(3)]
