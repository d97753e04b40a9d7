"""A Keras language model sampled with a top-k filter that puts zeros where it removes logits.

Silent: tf.random.categorical reads its input as logits, and a logit of 0 is not removed; the
filtered-out tokens keep the weight exp(0), more than the kept tokens whose logits are negative.
"""
# runtime: runs
import numpy as np
import tensorflow as tf
from tensorflow import keras

VOCAB, LENGTH = 50, 8

model = keras.Sequential([
    keras.Input((LENGTH,)),
    keras.layers.Embedding(VOCAB, 16),
    keras.layers.GRU(32),
    keras.layers.Dense(VOCAB, bias_initializer=keras.initializers.Constant(-4.0)),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.randint(0, VOCAB, size=(64, LENGTH))
y = np.random.randint(0, VOCAB, size=(64,))
model.fit(x, y, epochs=1, verbose=0)


def sample_next(logits, k=5):
    values, _ = tf.math.top_k(logits, k=k)
    min_values = values[:, -1, tf.newaxis]
    logits = tf.where(logits < min_values, tf.zeros_like(logits), logits)  # expect: TL333
    return tf.random.categorical(logits, num_samples=1)


seq = x[:2]
for _ in range(5):
    nxt = sample_next(model(seq))
    seq = np.concatenate([seq[:, 1:], nxt.numpy()], axis=1)
print(seq.shape)
