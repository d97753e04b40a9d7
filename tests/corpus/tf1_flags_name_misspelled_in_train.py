"""A TensorFlow 1 text classifier whose training function reads its regularization strength from FALGS, a misspelling of FLAGS."""
# runtime: raises NameError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()


class Flags:
    l2_reg_lambda = 0.01
    num_epochs = 2
    batch_size = 16


FLAGS = Flags()


def build_model(vocab_size, classes):
    x = tf.placeholder(tf.int32, [None, 20], name="input_x")
    y = tf.placeholder(tf.float32, [None, classes], name="input_y")
    embedded = tf.reduce_mean(tf.nn.embedding_lookup(tf.Variable(tf.random_uniform([vocab_size, 32], -1.0, 1.0)), x), axis=1)
    w = tf.Variable(tf.truncated_normal([32, classes], stddev=0.1))
    b = tf.Variable(tf.zeros([classes]))
    logits = tf.matmul(embedded, w) + b
    l2 = tf.nn.l2_loss(w) + tf.nn.l2_loss(b)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
    return x, y, loss, l2


def train(data, labels):
    x, y, loss, l2 = build_model(100, 2)
    total = loss + FALGS.l2_reg_lambda * l2  # expect: TL003
    step = tf.train.AdamOptimizer(1e-3).minimize(total)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for epoch in range(FLAGS.num_epochs):
            for i in range(0, len(data), FLAGS.batch_size):
                sess.run(step, feed_dict={x: data[i:i + FLAGS.batch_size], y: labels[i:i + FLAGS.batch_size]})


data = np.random.randint(0, 100, size=(64, 20))
labels = np.eye(2, dtype=np.float32)[np.random.randint(0, 2, size=64)]
train(data, labels)
