"""A TF1 MLP with tf.layers.dropout(training=flag) whose training runs never feed the flag.

Silent under TensorFlow 1.x: the flag keeps its default False, so dropout never drops anything
while training. TensorFlow 2.16+ with Keras 3 no longer has tf.layers: the program stops there.
"""
# runtime: raises AttributeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
X = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.int64, [None])
training = tf.placeholder_with_default(False, shape=(), name="training")
hidden = tf.layers.dense(X, 300, activation=tf.nn.relu)
hidden_drop = tf.layers.dropout(hidden, 0.5, training=training)
logits = tf.layers.dense(hidden_drop, 10)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
training_op = tf.train.MomentumOptimizer(0.01, momentum=0.9).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        batch_x, batch_y = np.random.rand(32, 784), np.random.randint(0, 10, 32)
        sess.run(training_op, feed_dict={X: batch_x, y: batch_y})  # expect: TL418
