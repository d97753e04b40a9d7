"""Softmax regression written with raw TF2 variables on random features.

Silent: the cross-entropy's `tf.reduce_sum` has no axis, so it adds up every class of every
example, and `tf.reduce_mean` of that one number is the number itself: the loss is 128 times the
per-example cross-entropy with a batch of 128, and so is each SGD step.
"""
# runtime: runs
import numpy as np
import tensorflow as tf

n_features, n_classes, batch = 12, 5, 128
weights = tf.Variable(tf.random.normal([n_features, n_classes], stddev=0.1))
bias = tf.Variable(tf.zeros([n_classes]))
sgd = tf.optimizers.SGD(0.05)


def predict(x):
    return tf.nn.softmax(tf.matmul(x, weights) + bias)


def entropy(probs, labels):
    target = tf.one_hot(labels, depth=n_classes)
    probs = tf.clip_by_value(probs, 1e-7, 1.0)
    return tf.reduce_mean(-tf.reduce_sum(target * tf.math.log(probs)))  # expect: TL330


features = np.random.rand(512, n_features).astype("float32")
labels = np.random.randint(0, n_classes, 512)
for start in range(0, 512, batch):
    x, y = features[start:start + batch], labels[start:start + batch]
    with tf.GradientTape() as tape:
        loss = entropy(predict(x), y)
    grads = tape.gradient(loss, [weights, bias])
    sgd.apply_gradients(zip(grads, [weights, bias]))
