"""`tf.reshape` of a value the analysis does not know (a function's parameter, a call outside
the file) gives a tensor of the target's rank: a graph-building function that flattens its input
to `[-1, 1]` and hands it to a convolution that wants `[batch, width, channels]` is reported
(TL210), written with `tf`, `tf.compat.v1` and `keras.backend`, in a function and in a method.
Look-alikes stay silent: a reshape to the rank the layer takes, a target with two `-1`, a target
that is not a literal list, a size no tensor can take."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found

CASES = {
    "function-parameter-flattened-before-conv1d": """
        import tensorflow as tf

        def predict(waveform, channels):
            encoded = tf.cast(waveform, tf.float32)
            encoded = tf.reshape(encoded, [-1, 1])
            kernel = tf.Variable(tf.zeros([2, 1, channels]))
            return tf.nn.conv1d(encoded, kernel, stride=1, padding="VALID")  # expect: TL210
    """,
    "method-parameter-compat-v1-into-conv2d": """
        import tensorflow.compat.v1 as tf

        class Classifier(object):
            def __init__(self, n_classes):
                self.n_classes = n_classes

            def logits(self, images):
                x = tf.reshape(images, shape=[-1, 28, 28])
                x = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)  # expect: TL210
                return tf.layers.dense(tf.layers.flatten(x), self.n_classes)
    """,
    "keras-backend-reshape-of-a-parameter": """
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def head(features):
            flat = K.reshape(features, (-1, 64))
            return tf.nn.conv1d(flat, tf.zeros([3, 64, 8]), stride=1, padding="SAME")  # expect: TL210
    """,
    # -- silent ----------------------------------------------------------------------------
    "reshape-to-the-rank-the-layer-takes": """
        import tensorflow as tf

        def conv_net(x, weights):
            x = tf.reshape(x, shape=[-1, 28, 28, 1])
            conv = tf.nn.conv2d(x, weights["wc1"], strides=[1, 1, 1, 1], padding="SAME")
            signal = tf.reshape(x, [-1, 784, 1])
            return conv, tf.nn.conv1d(signal, weights["wd1"], stride=1, padding="SAME")
    """,
    "targets-the-analysis-cannot-read": """
        import tensorflow as tf

        def odd_shapes(x, batch_size, shape):
            a = tf.reshape(x, [-1, -1])
            b = tf.reshape(x, shape)
            c = tf.reshape(x, [batch_size, -1])
            d = tf.reshape(x, [-3, 1])
            return [tf.nn.conv1d(v, tf.zeros([3, 1, 8]), stride=1, padding="SAME") for v in (a, b, d)], c
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_reshape_of_unknown_value_has_the_target_rank(name):
    marked, found = marked_and_found("TL210", name, CASES[name])
    assert found == marked


def test_cli_reports_the_rank_of_a_reshaped_parameter(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(textwrap.dedent(CASES["function-parameter-flattened-before-conv1d"]).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL210", "--no-cache", str(path)],
                         capture_output=True, text=True).stdout
    assert "model.py:7:" in out and "has rank 2" in out and "[?, 1]" in out
