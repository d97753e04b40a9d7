"""A TF1 word-embedding model whose ids start at 1 and whose embedding matrix has len(vocab_to_int) rows.

On a CPU the lookup of the last word's id raises InvalidArgumentError (on a GPU it would silently
return zeros).
"""
# runtime: raises InvalidArgumentError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
words = "the cat sat on the mat the end".split()
vocab = sorted(set(words))
vocab_to_int = {word: ii for ii, word in enumerate(vocab, 1)}
n_words = len(vocab_to_int)
inputs = tf.placeholder(tf.int32, [None, 4])
embedding = tf.Variable(tf.random_uniform((n_words, 8), -1, 1))
embed = tf.nn.embedding_lookup(embedding, inputs)  # expect: TL214
pooled = tf.reduce_mean(embed, axis=1)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    ids = np.array([[vocab_to_int[w] for w in words[:4]], [vocab_to_int[w] for w in words[4:]]])
    print(sess.run(pooled, feed_dict={inputs: ids}))
