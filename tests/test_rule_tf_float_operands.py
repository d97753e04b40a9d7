"""TL106 on a float tensor whose width the program does not fix: the quotient of TensorFlow's
true division (Python 3's `/`, `tf.math.truediv`) is a float (or complex) tensor for every input
dtype, and `tf.exp`, `tf.nn.softmax`, `K.sigmoid`... compute on floats only; either meeting an
int32 `tf.shape(x)[i]`, `tf.range(n)` or `tf.size(x)` raises, whatever the inputs were (the
Keras neural-doodle example divides its Gram matrix by the mean of a mask and then by
`K.shape(x)[-1]`). A Python 2 program's `/` floors integers and keeps their dtype, so its quotient
proves nothing (a file read as Python 2, or one that calls `xrange` without importing `division`);
nor does a NumPy value (`K.eval`), a cast, or Keras 3's ops, which promote."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL106",))

# a style loss of a program that calls `xrange`: Python 2's
XRANGE_STYLE_LOSS = """
        from keras import backend as K

        def style_loss(style_image, style_masks, n):
            total = 0
            for i in xrange(n):
                channels = K.shape(style_image)[-1]
                total += K.dot(style_image, K.transpose(style_image)) / K.mean(style_masks[i]) / channels
            return total
"""

BUGS = {
    # Keras 2's backend: the Gram matrix over the mask's mean, then over the channel count
    "keras-backend-gram-over-channel-count": ("""
        from keras import backend as K

        def region_style_loss(style_image, target_image, style_mask, target_mask):
            num_channels = K.shape(style_image)[-1]
            s = K.dot(style_image, K.transpose(style_image)) / K.mean(style_mask) / num_channels
            c = K.dot(target_image, K.transpose(target_image)) / K.mean(target_mask) / num_channels
            return K.mean(K.square(s - c))
    """, [5, 6]),
    # tf.keras backend spelled through tensorflow, a product instead of a quotient
    "tf-keras-backend-mean-times-range": ("""
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def weighted(scores, weights):
            return K.sum(scores) / K.sum(weights) * tf.range(3)
    """, [5]),
    # Python 2 with `from __future__ import division`: `/` divides truly there too
    "python2-future-division": ("""
        from __future__ import division
    """ + XRANGE_STYLE_LOSS, [9]),
    # float-only functions of arguments the analysis knows nothing about
    "tf2-exp-and-softmax-of-parameters": ("""
        import tensorflow as tf

        def attention(scores, x):
            w = tf.exp(scores) / tf.shape(x)[0]
            return w + tf.nn.softmax(scores, axis=-1) * tf.range(4)
    """, [4, 5]),
    # TF1 graph code: helpers of a graph module, a quotient through tf.math.truediv and a sigmoid
    "tf1-truediv-and-sigmoid-minus-size": ("""
        import tensorflow as tf

        def margin(h, y):
            return tf.math.truediv(tf.reduce_sum(h), tf.reduce_sum(y)) - tf.size(y)

        def shifted(logits):
            return tf.sigmoid(logits) - tf.shape(logits)[0]

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
    """, [4, 7]),
}

LOOKALIKES = {
    # cast first: the usual fix
    "cast-the-count": """
        from keras import backend as K

        def region_style_loss(style_image, style_mask):
            num_channels = K.cast(K.shape(style_image)[-1], "float32")
            return K.dot(style_image, K.transpose(style_image)) / K.mean(style_mask) / num_channels
    """,
    # values the analysis does not know, divided: they may be Python numbers or NumPy arrays
    "unknown-quotient": """
        import tensorflow as tf

        def scale(a, b, x):
            return a / b / tf.shape(x)[0]
    """,
    # K.eval gives a NumPy array: its quotient is NumPy's, converted to the tensor's dtype
    "numpy-from-eval": """
        import tensorflow as tf
        from keras import backend as K

        def ratio(v, w, x):
            return K.eval(v) / K.eval(w) / tf.shape(x)[0]
    """,
    # floor division keeps the integers
    "floor-division": """
        import tensorflow as tf

        def per_row(x):
            return tf.reduce_sum(tf.shape(x)) // 2 + tf.size(x)
    """,
    # Keras 3's ops promote int and float
    "keras3-ops": """
        import keras

        def norm(x):
            return keras.ops.exp(x) / keras.ops.shape(x)[0]
    """,
    # a program that calls `xrange` runs under Python 2: its `/` of int32 tensors floors
    "python2-builtin-classic-division": XRANGE_STYLE_LOSS,
    # the error shown on purpose
    "error-shown-on-purpose": """
        import tensorflow as tf

        try:
            tf.exp(tf.zeros([3])) / tf.shape(tf.zeros([3]))[0]
        except TypeError as ex:
            print(ex)
    """,
}

# Python 2: `/` of two int32 tensors floors and stays int32 (`__div__`), so the quotient of tensors
# whose dtype is not known may be an integer
PYTHON2 = """
from keras import backend as K

def region_style_loss(style_image, style_mask):
    num_channels = K.shape(style_image)[-1]
    print "channels", num_channels
    return K.dot(style_image, K.transpose(style_image)) / K.mean(style_mask) / num_channels
"""


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_float_of_unknown_width_against_int_tensor_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("does not convert dtypes" in f.message and "a float (" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []


def test_cli_reports_the_quotient_and_stays_silent_on_python2(tmp_path):
    bug = tmp_path / "doodle.py"
    bug.write_text(_text(BUGS["keras-backend-gram-over-channel-count"][0]))
    old = tmp_path / "doodle_py2.py"
    old.write_text(PYTHON2)
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL106", str(bug), str(old)],
                         capture_output=True, text=True)
    assert "doodle.py:5:" in run.stdout and "doodle.py:6:" in run.stdout
    assert "TensorFlow's true division" in run.stdout
    assert "doodle_py2.py" not in run.stdout
