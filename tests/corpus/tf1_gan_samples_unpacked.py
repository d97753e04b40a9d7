"""A TF1 GAN that samples its generator after training and unpacks the one fetched tensor into two names.

`sess.run` of one tensor returns one array of 16 rows: the unpacking raises ValueError.
"""
# runtime: raises ValueError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
input_z = tf.placeholder(tf.float32, (None, 100))
w1 = tf.Variable(tf.random_normal([100, 128], stddev=0.02))
w2 = tf.Variable(tf.random_normal([128, 784], stddev=0.02))


def generator(z):
    h1 = tf.nn.leaky_relu(tf.matmul(z, w1), alpha=0.01)
    return tf.tanh(tf.matmul(h1, w2))


g_model = generator(input_z)
g_loss = tf.reduce_mean(tf.square(g_model))
g_train = tf.train.AdamOptimizer(0.002).minimize(g_loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        sess.run(g_train, feed_dict={input_z: np.random.uniform(-1, 1, size=(100, 100))})
    sample_z = np.random.uniform(-1, 1, size=(16, 100))
    gen_samples, _ = sess.run(generator(input_z), feed_dict={input_z: sample_z})  # expect: TL213
