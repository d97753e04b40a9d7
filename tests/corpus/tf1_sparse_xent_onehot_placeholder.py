"""Legacy TF1 graph code: one-hot label placeholder given to sparse_softmax_cross_entropy_with_logits."""
# runtime: raises ValueError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b

cross_entropy = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))  # expect: TL303
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch_x = np.random.rand(8, 784)
    batch_y = np.eye(10)[np.random.randint(0, 10, 8)]
    sess.run(train_step, feed_dict={x: batch_x, y: batch_y})
