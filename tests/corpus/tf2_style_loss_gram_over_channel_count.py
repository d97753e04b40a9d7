"""A style loss whose Gram matrix, divided by the mean of a region mask, is then divided by the int32 channel count K.shape(x)[-1]."""
# runtime: raises TypeError
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K


def gram_matrix(features):
    flat = K.reshape(features, (-1, K.int_shape(features)[-1]))
    return K.dot(K.transpose(flat), flat)


def region_style_loss(style_features, target_features, style_mask, target_mask):
    channels = K.shape(style_features)[-1]
    s = gram_matrix(style_features * style_mask) / K.mean(style_mask) / channels  # expect: TL106
    t = gram_matrix(target_features * target_mask) / K.mean(target_mask) / channels  # expect: TL106
    return K.mean(K.square(s - t))


def load_pairs(n):
    for _ in range(n):
        yield (np.random.rand(16, 16, 8).astype("float32"), np.random.rand(16, 16, 8).astype("float32"),
               (np.random.rand(16, 16, 1) > 0.5).astype("float32"), (np.random.rand(16, 16, 1) > 0.5).astype("float32"))


total = 0.0
for style, target, style_mask, target_mask in load_pairs(2):
    total += float(region_style_loss(tf.constant(style), tf.constant(target), tf.constant(style_mask),
                                     tf.constant(target_mask)))
print("style loss", total)
