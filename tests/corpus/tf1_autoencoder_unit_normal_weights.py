"""A TF1 sigmoid autoencoder on MNIST-sized inputs whose hand-made weights are drawn from a unit normal.

Silent: with 256 sigmoid outputs feeding each unit of the second layer, the pre-activations
have a standard deviation near 8, and most units of that layer start saturated (outputs within
0.02 of 0 or 1), where the sigmoid's slope is a few hundredths of its peak.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(0)

n_input, n_hidden_1, n_hidden_2 = 784, 256, 128
X = tf.placeholder(tf.float32, [None, n_input])
weights = {
    'encoder_h1': tf.Variable(tf.truncated_normal([n_input, n_hidden_1], stddev=0.05)),
    'encoder_h2': tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2])),  # expect: TL314
}
biases = {
    'encoder_b1': tf.Variable(tf.zeros([n_hidden_1])),
    'encoder_b2': tf.Variable(tf.zeros([n_hidden_2])),
}


def encoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['encoder_h1']), biases['encoder_b1']))
    layer_2 = tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['encoder_h2']), biases['encoder_b2']))
    return layer_2


code = encoder(X)
images = np.random.RandomState(0).rand(64, n_input).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    codes = sess.run(code, feed_dict={X: images})
