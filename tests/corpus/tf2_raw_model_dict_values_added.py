"""A TensorFlow 2 two-layer network written with raw variables, collecting them as weights.values() + biases.values()."""
# runtime: raises TypeError
import numpy as np
import tensorflow as tf

weights = {
    "h1": tf.Variable(tf.random.normal([20, 32], stddev=0.1)),
    "out": tf.Variable(tf.random.normal([32, 3], stddev=0.1)),
}
biases = {"b1": tf.Variable(tf.zeros([32])), "out": tf.Variable(tf.zeros([3]))}
optimizer = tf.optimizers.SGD(0.01)


def neural_net(x):
    hidden = tf.nn.relu(tf.matmul(x, weights["h1"]) + biases["b1"])
    return tf.matmul(hidden, weights["out"]) + biases["out"]


def run_optimization(x, y):
    with tf.GradientTape() as g:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=neural_net(x)))
    trainable_variables = weights.values() + biases.values()  # expect: TL002
    gradients = g.gradient(loss, trainable_variables)
    optimizer.apply_gradients(zip(gradients, trainable_variables))


x = np.random.rand(64, 20).astype("float32")
y = np.random.randint(0, 3, size=64)
for step in range(10):
    run_optimization(x, y)
