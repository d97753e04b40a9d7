"""A WaveNet-style global-condition check that takes len() of get_shape without calling it."""
# runtime: raises TypeError
import tensorflow as tf

global_condition_channels = 16


def embed_global_condition(global_condition):
    rank = len(global_condition.get_shape)  # expect: TL108
    if global_condition.get_shape()[rank - 1] != global_condition_channels:
        raise ValueError("global condition has the wrong number of channels")
    return global_condition


speaker = tf.random.normal([4, 1, global_condition_channels])
embedding = embed_global_condition(speaker)
print(embedding.shape)
