"""Legacy TF1 softmax regression computing cross-entropy as -sum(y * tf.log(tf.nn.softmax(logits))).

Silent: when a class probability underflows to 0, tf.log returns -inf and 0 * -inf gives NaN, so the
loss turns NaN as the logits grow (the classic TF1 tutorial bug). Recent TensorFlow's graph optimizer
happens to rewrite this exact pattern into log_softmax inside a Session; with its arithmetic
optimization off (or in eager code) the loss is NaN for large inputs.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

x = tf.placeholder(tf.float32, shape=[None, 64])
y_ = tf.placeholder(tf.float32, shape=[None, 10])
W = tf.Variable(tf.random_normal([64, 10], stddev=0.1))
b = tf.Variable(tf.zeros([10]))
y = tf.nn.softmax(tf.matmul(x, W) + b)
cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), axis=1))  # expect: TL307
train = tf.train.AdamOptimizer(1e-3).minimize(cross_entropy)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    xs = np.random.rand(32, 64)
    ys = np.eye(10)[np.random.randint(0, 10, 32)]
    _, value = sess.run([train, cross_entropy], feed_dict={x: xs, y_: ys})
