"""A TensorFlow tf.Module layer that keeps the weight initializer it is given and never calls it.

Silent: `Projection` stores `make_weights` on the instance but draws its matrix with
`glorot_draw(...)`, the parameter's default, so the layer asked for zero weights gets random ones.
"""
# runtime: runs
import tensorflow as tf


def glorot_draw(rows, cols):
    bound = tf.sqrt(6.0 / float(rows + cols))
    return tf.random.uniform((rows, cols), minval=-bound, maxval=bound)


def zero_draw(rows, cols):
    return tf.zeros((rows, cols))


class Projection(tf.Module):
    def __init__(self, width, make_weights=glorot_draw, name=None):
        super().__init__(name=name)
        self.width = width
        self.make_weights = make_weights
        self.w = None

    def __call__(self, inputs):
        if self.w is None:
            fan_in = int(inputs.shape[-1])
            self.w = tf.Variable(glorot_draw(fan_in, self.width))  # expect: TL447
        return inputs @ self.w


layer = Projection(5, make_weights=zero_draw)
out = layer(tf.ones([4, 3]))
