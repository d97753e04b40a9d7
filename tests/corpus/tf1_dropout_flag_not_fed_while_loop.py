"""A TF1 regression loop that fetches the train op with its cost but never feeds the dropout flag.

Silent under TensorFlow 1.x: the flag's default is False, so the network trains without dropout.
TensorFlow 2.16+ with Keras 3 no longer has tf.layers: the program stops at the first layer.
"""
# runtime: raises AttributeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
inputs = tf.placeholder(tf.float32, [None, 64], name="inputs")
targets = tf.placeholder(tf.float32, [None, 1], name="targets")
is_training = tf.placeholder_with_default(False, shape=(), name="is_training")
h = tf.layers.dense(inputs, 128, activation=tf.nn.relu)
h = tf.layers.dropout(h, rate=0.3, training=is_training)
pred = tf.layers.dense(h, 1)
cost = tf.reduce_mean(tf.square(pred - targets))
opt = tf.train.AdamOptimizer(1e-3).minimize(cost)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
epoch = 0
while epoch < 3:
    xb, yb = np.random.rand(16, 64), np.random.rand(16, 1)
    _, c = sess.run([opt, cost], feed_dict={inputs: xb, targets: yb})  # expect: TL418
    epoch += 1
