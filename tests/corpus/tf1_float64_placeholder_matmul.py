"""Legacy TF1 graph code: a float64 placeholder multiplied with float32 weights in tf.matmul."""
# runtime: raises TypeError
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

features = tf.placeholder(tf.float64, shape=[None, 13])
W = tf.Variable(tf.random_normal([13, 1]))
b = tf.Variable(tf.zeros([1]))
prediction = tf.matmul(features, W) + b  # expect: TL102
target = tf.placeholder(tf.float32, shape=[None, 1])
loss = tf.reduce_mean(tf.square(prediction - target))
