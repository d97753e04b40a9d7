"""A TF1 MNIST classifier whose epoch length is counted on the test split while it trains on mnist.train batches.

Silent under TensorFlow 1.x: each "epoch" runs 10,000 / 50 = 200 steps, less than a fifth of the
55,000 training images. TensorFlow 2.x no longer ships the tutorial MNIST helper: the import fails.
"""
# runtime: raises ModuleNotFoundError
import tensorflow.compat.v1 as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.disable_v2_behavior()
mnist = input_data.read_data_sets("/tmp/data/")
X = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.int64, [None])
W = tf.Variable(tf.zeros([784, 10]))
logits = tf.matmul(X, W)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
n_epochs, batch_size = 20, 50
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(n_epochs):
        for iteration in range(len(mnist.test.labels) // batch_size):  # expect: TL424
            X_batch, y_batch = mnist.train.next_batch(batch_size)
            sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
