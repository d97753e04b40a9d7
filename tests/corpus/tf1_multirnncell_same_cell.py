"""A TF1 sentiment RNN that stacks one dropout-wrapped LSTM cell object twice.

TF 1.x raises ValueError when the shared cell is built a second time for the second layer's
input; TensorFlow 2.16+ with Keras 3 no longer has the v1 RNN cells: the program stops there.
"""
# runtime: raises AttributeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
inputs = tf.placeholder(tf.int32, [None, 20])
labels = tf.placeholder(tf.float32, [None, 1])
keep_prob = tf.placeholder(tf.float32)
embedding = tf.Variable(tf.random_uniform((500, 32), -1, 1))
embed = tf.nn.embedding_lookup(embedding, inputs)
lstm = tf.nn.rnn_cell.BasicLSTMCell(64)
drop = tf.nn.rnn_cell.DropoutWrapper(lstm, output_keep_prob=keep_prob)
cell = tf.nn.rnn_cell.MultiRNNCell([drop] * 2)  # expect: TL422
outputs, state = tf.nn.dynamic_rnn(cell, embed, dtype=tf.float32)
predictions = tf.layers.dense(outputs[:, -1], 1, activation=tf.sigmoid)
loss = tf.losses.mean_squared_error(labels, predictions)
train_op = tf.train.AdamOptimizer(0.001).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {inputs: np.random.randint(0, 500, (8, 20)), labels: np.random.rand(8, 1), keep_prob: 0.5}
    sess.run(train_op, feed_dict=feed)
