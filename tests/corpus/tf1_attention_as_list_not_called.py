"""A TF1 multi-head attention helper that reads the query width with as_list instead of as_list()."""
# runtime: raises TypeError
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()


def multihead_attention(queries, keys, num_units=None, num_heads=2):
    if num_units is None:
        num_units = queries.get_shape().as_list[-1]  # expect: TL108
    Q = tf.layers.dense(queries, num_units, activation=tf.nn.relu)
    K = tf.layers.dense(keys, num_units, activation=tf.nn.relu)
    Q_ = tf.concat(tf.split(Q, num_heads, axis=2), axis=0)
    K_ = tf.concat(tf.split(K, num_heads, axis=2), axis=0)
    return tf.nn.softmax(tf.matmul(Q_, tf.transpose(K_, [0, 2, 1])))


enc = tf.placeholder(tf.float32, [None, 10, 16])
weights = multihead_attention(enc, enc)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
