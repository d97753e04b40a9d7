"""A TF1 graph WGAN-GP whose gradient norm sums axis 1 only of the image gradients.

Silent: one norm per image row instead of one per image, so every row's gradient is held near
norm 1 and the critic is trained on a much stronger constraint than the penalty means.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch = 8
real = tf.placeholder(tf.float32, [batch, 28, 28, 1])
z = tf.placeholder(tf.float32, [batch, 16])


g_w = tf.Variable(tf.random_normal([16, 784], stddev=0.05), name="g_w")
d_w = tf.Variable(tf.random_normal([784, 1], stddev=0.05), name="critic_w")


def generator(v):
    return tf.reshape(tf.nn.sigmoid(tf.matmul(v, g_w)), [batch, 28, 28, 1])


def critic(v):
    return tf.matmul(tf.reshape(v, [batch, 784]), d_w)


fake = generator(z)
alpha = tf.random_uniform(shape=[batch, 1, 1, 1], minval=0., maxval=1.)
interpolates = real + alpha * (fake - real)
gradients = tf.gradients(critic(interpolates), [interpolates])[0]
slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), reduction_indices=[1]))  # expect: TL427
gradient_penalty = tf.reduce_mean((slopes - 1.) ** 2)
d_loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + 10.0 * gradient_penalty
d_optim = tf.train.AdamOptimizer(1e-4, beta1=0.5).minimize(d_loss, var_list=[d_w])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {real: np.random.rand(batch, 28, 28, 1).astype(np.float32), z: np.random.randn(batch, 16).astype(np.float32)}
    _, loss = sess.run([d_optim, d_loss], feed_dict=feed)
    print(f"critic loss {loss:.3f}")
