"""A TF1 CNN using tf.contrib.layers.batch_norm, trained by apply_gradients with no update ops.

Silent under TensorFlow 1.x: batch_norm puts its moving-average updates in the update-ops collection, which no
run executes. TensorFlow 2 has neither tf.contrib nor tf.layers: there the program stops early.
"""
# runtime: raises AttributeError
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def net(images, is_training):
    h = tf.layers.conv2d(images, 32, 3)
    h = tf.nn.relu(tf.contrib.layers.batch_norm(h, is_training=is_training))
    return tf.layers.dense(tf.layers.flatten(h), 10)


images = tf.placeholder(tf.float32, [None, 28, 28, 1])
labels = tf.placeholder(tf.int32, [None])
logits = net(images, True)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
opt = tf.train.MomentumOptimizer(0.01, 0.9)
step = opt.apply_gradients(opt.compute_gradients(loss))  # expect: TL417
sess = tf.Session()
