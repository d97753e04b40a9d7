"""A TF1 evaluation loop that builds softmax and argmax ops on every batch's fetched logits.

Silent at first: each pass adds new nodes to the default graph, so the graph (and the time per
batch) grows with every batch until the process slows down or runs out of memory.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
X = tf.placeholder(tf.float32, [None, 20])
W = tf.Variable(tf.zeros([20, 5]))
logits = tf.matmul(X, W)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for batch in range(3):
        out = sess.run(logits, feed_dict={X: np.random.rand(8, 20)})
        preds = tf.nn.softmax(out)  # expect: TL419
        print(sess.run(tf.argmax(preds, 1)))  # expect: TL419
