"""Legacy TF1 softmax regression whose weight matrix is declared [10, 784] (classes first) and multiplied with a [None, 784] input."""
# runtime: raises ValueError
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.random_normal([10, 784], stddev=0.01))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b  # expect: TL212
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
