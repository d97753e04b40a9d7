"""A TF1 MNIST autoencoder that counts its batches per epoch on the validation split and draws them from the training split.

Silent under TensorFlow 1.x: an epoch is 5,000 / 150 = 33 steps over 55,000 training images.
TensorFlow 2.x no longer ships the tutorial MNIST helper: the import fails.
"""
# runtime: raises ModuleNotFoundError
import tensorflow.compat.v1 as tf
from tensorflow.examples.tutorials.mnist import input_data

tf.disable_v2_behavior()
data = input_data.read_data_sets("MNIST_data", one_hot=False)
X = tf.placeholder(tf.float32, [None, 784])
W_enc = tf.Variable(tf.random_normal([784, 64], stddev=0.01))
W_dec = tf.Variable(tf.random_normal([64, 784], stddev=0.01))
codes = tf.nn.relu(tf.matmul(X, W_enc))
reconstruction = tf.sigmoid(tf.matmul(codes, W_dec))
loss = tf.reduce_mean(tf.square(reconstruction - X))
train_step = tf.train.AdamOptimizer(0.001).minimize(loss)
batch_size = 150
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(5):
        n_batches = data.validation.num_examples // batch_size
        for i in range(n_batches):  # expect: TL424
            batch_x, _ = data.train.next_batch(batch_size)
            sess.run(train_step, feed_dict={X: batch_x})
