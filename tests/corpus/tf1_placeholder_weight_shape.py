"""Legacy TF1 graph code: a [None, 784] input placeholder multiplied with weights declared as [748, 10] (typo)."""
# runtime: raises ValueError
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 784])
labels = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.truncated_normal([748, 10], stddev=0.1))
b = tf.Variable(tf.constant(0.1, shape=[10]))
logits = tf.matmul(x, W) + b  # expect: TL212
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
