"""A TF1 logistic regression whose test loop builds its accuracy ops once per batch.

Silent at first: tf.equal and tf.reduce_mean add nodes to the graph on every batch, so the graph
keeps growing while the test set is evaluated.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
X = tf.placeholder(tf.float32, [None, 10])
Y = tf.placeholder(tf.float32, [None, 3])
w = tf.Variable(tf.random_normal([10, 3], stddev=0.01))
logits = tf.matmul(X, w)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
optimizer = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        sess.run(optimizer, feed_dict={X: np.random.rand(8, 10), Y: np.eye(3)[np.random.randint(0, 3, 8)]})
    total = 0
    for i in range(3):
        x_batch, y_batch = np.random.rand(8, 10), np.eye(3)[np.random.randint(0, 3, 8)]
        logits_batch = sess.run(logits, feed_dict={X: x_batch})
        correct = tf.equal(tf.argmax(logits_batch, 1), tf.argmax(y_batch, 1))  # expect: TL419
        total += sess.run(tf.reduce_sum(tf.cast(correct, tf.float32)))  # expect: TL419
