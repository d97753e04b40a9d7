"""A TF2 linear layer written by hand multiplies a single feature vector (rank 1) with its weight matrix; tf.matmul needs rank 2."""
# runtime: raises InvalidArgumentError
import tensorflow as tf

W = tf.Variable(tf.random.normal([4, 3]), name="W")
b = tf.Variable(tf.zeros([3]), name="b")
sample = tf.constant([5.1, 3.5, 1.4, 0.2])

with tf.GradientTape() as tape:
    logits = tf.matmul(sample, W) + b  # expect: TL210
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0], logits=logits))
