"""A TF1 word2vec vocabulary whose pruning loop counts up from the last index to -1.

The range is empty, so words seen fewer than min_occurrence times stay in the vocabulary and get
embedding rows of their own.
"""
# runtime: runs
import collections

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

text_words = ("the cat sat on the mat the dog sat on the log a bird flew " * 3 + "zebra quokka").split()
min_occurrence = 2
embedding_size = 8

count = [("UNK", -1)]
count.extend(collections.Counter(text_words).most_common(50))
for i in range(len(count) - 1, -1):  # expect: TL320
    if count[i][1] < min_occurrence:
        count.pop(i)
word2id = {word: i for i, (word, _) in enumerate(count)}
vocabulary_size = len(word2id)

x = tf.placeholder(tf.int32, [None])
embedding = tf.Variable(tf.random_normal([vocabulary_size, embedding_size]))
x_embed = tf.nn.embedding_lookup(embedding, x)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    vectors = sess.run(x_embed, feed_dict={x: np.array([word2id[w] for w in text_words[:5]])})
print(vocabulary_size, vectors.shape)
