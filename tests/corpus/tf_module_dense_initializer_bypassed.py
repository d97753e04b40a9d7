"""A TensorFlow tf.Module MLP whose layer ignores the initializer it is given.

Silent: DenseLayer stores `weight_init` but builds its weights with `xavier_init(...)`, the
parameter's default, so the zero initializer the first layer is given never takes effect.
"""
# runtime: runs
import tensorflow as tf


def xavier_init(shape):
    in_dim, out_dim = shape
    limit = tf.sqrt(6.0) / tf.sqrt(tf.cast(in_dim + out_dim, tf.float32))
    return tf.random.uniform(shape, -limit, limit)


def zeros_init(shape):
    return tf.zeros(shape)


class DenseLayer(tf.Module):
    def __init__(self, out_dim, weight_init=xavier_init, activation=tf.identity):
        super().__init__()
        self.out_dim = out_dim
        self.weight_init = weight_init
        self.activation = activation
        self.built = False

    def __call__(self, x):
        if not self.built:
            self.w = tf.Variable(xavier_init(shape=(x.shape[-1], self.out_dim)))  # expect: TL447
            self.b = tf.Variable(tf.zeros([self.out_dim]))
            self.built = True
        return self.activation(tf.matmul(x, self.w) + self.b)


layer = DenseLayer(4, weight_init=zeros_init)
out = layer(tf.ones([2, 3]))
