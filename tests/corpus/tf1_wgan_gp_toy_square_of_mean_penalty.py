"""A TF1 graph WGAN-GP on 2-D toy points whose penalty squares the batch mean of (slope - 1).

Silent: `tf.reduce_mean(slopes - 1.) ** 2` lets interpolates whose gradient norm lies above 1
cancel those below it, so a critic with norms of 0 and 2 pays no penalty; the Lipschitz
constraint the penalty stands for is lost and the critic's scores can grow without bound.
"""
# runtime: runs
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

BATCH, NOISE, LAMBDA = 64, 2, 0.1

real_data = tf.placeholder(tf.float32, shape=[None, 2])
noise = tf.placeholder(tf.float32, shape=[None, NOISE])


def dense(x, n_out, scope, activation=None):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        w = tf.get_variable("w", [int(x.shape[-1]), n_out], initializer=tf.glorot_uniform_initializer())
        b = tf.get_variable("b", [n_out], initializer=tf.zeros_initializer())
    out = tf.matmul(x, w) + b
    return activation(out) if activation is not None else out


def generator(z):
    h = dense(z, 64, "generator/hidden", tf.nn.relu)
    return dense(h, 2, "generator/out")


def critic(x):
    h = dense(x, 64, "critic/hidden", tf.nn.relu)
    return dense(h, 1, "critic/out")


fake_data = generator(noise)
disc_real = critic(real_data)
disc_fake = critic(fake_data)

alpha = tf.random_uniform(shape=[BATCH, 1], minval=0., maxval=1.)
interpolates = real_data + alpha * (fake_data - real_data)
gradients = tf.gradients(critic(interpolates), [interpolates])[0]
slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), reduction_indices=[1]))
gradient_penalty = tf.reduce_mean(slopes - 1.) ** 2  # expect: TL468

disc_cost = tf.reduce_mean(disc_fake) - tf.reduce_mean(disc_real) + LAMBDA * gradient_penalty
gen_cost = -tf.reduce_mean(disc_fake)
critic_vars = tf.trainable_variables(scope="critic")
gen_vars = tf.trainable_variables(scope="generator")
disc_train_op = tf.train.AdamOptimizer(1e-4, beta1=0.5, beta2=0.9).minimize(disc_cost, var_list=critic_vars)
gen_train_op = tf.train.AdamOptimizer(1e-4, beta1=0.5, beta2=0.9).minimize(gen_cost, var_list=gen_vars)

rng = np.random.default_rng(0)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for iteration in range(3):
        for _ in range(5):
            batch = rng.normal(size=(BATCH, 2)).astype(np.float32) * 0.1 + 2.0
            z = rng.normal(size=(BATCH, NOISE)).astype(np.float32)
            _disc_cost, _ = session.run([disc_cost, disc_train_op], feed_dict={real_data: batch, noise: z})
        session.run(gen_train_op, feed_dict={noise: rng.normal(size=(BATCH, NOISE)).astype(np.float32)})
        print(f"iteration {iteration}: critic cost {_disc_cost:.4f}")
