"""A TF1 network with a hand-written batch normalization built in its own tf.Graph, whose UPDATE_OPS are read outside that graph.

Silent: tf.get_collection outside `with graph.as_default():` reads the default graph's
collection, which is empty, so running it updates nothing and the moving mean stays 0.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
graph = tf.Graph()
with graph.as_default():
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.Variable(tf.random_normal([4, 4]))
    h = tf.matmul(x, w)
    mean, var = tf.nn.moments(h, [0])
    moving_mean = tf.Variable(tf.zeros([4]), trainable=False)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign(moving_mean, 0.9 * moving_mean + 0.1 * mean))
    out = tf.nn.batch_normalization(h, mean, var, None, None, 1e-3)
    train_op = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_mean(tf.square(out - 1.0)))
    init = tf.global_variables_initializer()

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)  # expect: TL417
with tf.Session(graph=graph) as sess:
    sess.run(init)
    for step in range(20):
        sess.run([train_op, update_ops], feed_dict={x: np.random.rand(16, 4) + 5.0})
    final_moving_mean = sess.run(moving_mean)
