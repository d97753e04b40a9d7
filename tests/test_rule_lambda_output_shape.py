"""TL223: a Keras Lambda layer whose declared output_shape (a tuple, or a function of the input
shapes) disagrees with the shape its function computes. Written several ways: Keras 2
(`keras.backend`), tf.keras with a tuple, Keras 3 `keras.ops` with a lambda declaration, a
model built inside a function, a concatenation declared with one input's shape; the look-alikes
declare the right shape, another rank (a loss layer's scalar), a dim left None, no shape at all,
or use a function whose result is not known."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL223",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "model.py", ONLY).findings)


_SIAMESE = """
    from keras import backend as K
    from keras.layers import Dense, Input, Lambda
    from keras.models import Model, Sequential

    base = Sequential([Dense(128, activation="relu", input_shape=(784,))])
    left, right = Input(shape=(784,)), Input(shape=(784,))
    pair = [base(left), base(right)]
    distance = Lambda(lambda v: K.sqrt(K.sum(K.square(v[0] - v[1]), axis=1, keepdims=True)),
                      output_shape=lambda shapes: {shape})(pair)
    model = Model([left, right], distance)
    model.compile(loss="mse", optimizer="rmsprop")
"""

BUGS = {
    "keras2-siamese-declares-first-input": (_SIAMESE.replace("{shape}", "shapes[0]"), [9]),
    "tf-keras-tuple-names-the-reduced-axis": ("""
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(20, 64))
        pooled = tf.keras.layers.Lambda(lambda t: tf.reduce_mean(t, axis=1), output_shape=(20,))(inputs)
        outputs = tf.keras.layers.Dense(1)(pooled)
        model = tf.keras.Model(inputs, outputs)
    """, [4]),
    "keras3-ops-keepdims-declared-as-input": ("""
        import keras
        from keras import ops

        inputs = keras.Input(shape=(32, 32, 3))
        gray = keras.layers.Lambda(lambda t: ops.mean(t, axis=-1, keepdims=True), output_shape=lambda s: s)(inputs)
        model = keras.Model(inputs, gray)
    """, [5]),
    "tf-keras-concatenation-declared-with-one-input-inside-builder": ("""
        import tensorflow as tf
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Dense, Input, Lambda


        def joined_shape(shapes):
            return shapes[0]


        def build(width):
            a = Input(shape=(width,))
            b = Input(shape=(width,))
            both = Lambda(lambda ts: K.concatenate(ts, axis=-1), output_shape=joined_shape)([a, b])
            return tf.keras.Model([a, b], Dense(1)(both))


        model = build(64)
    """, [7]),
}

SILENT = {
    "keras2-siamese-fixed": _SIAMESE.replace("{shape}", "(shapes[0][0], 1)"),
    "loss-layer-scalar-declared-as-one": """
        import tensorflow as tf
        from tensorflow.keras import backend as K


        def total(args):
            a, b = args
            return K.sum(K.square(a - b))


        a = tf.keras.Input(shape=(8,))
        b = tf.keras.Input(shape=(8,))
        loss = tf.keras.layers.Lambda(total, output_shape=(1,))([a, b])
        model = tf.keras.Model([a, b], loss)
    """,
    "elementwise-keeps-shape-and-undeclared-slice": """
        import keras

        inputs = keras.Input(shape=(10,))
        scaled = keras.layers.Lambda(lambda t: t * 2.0, output_shape=lambda s: s)(inputs)
        halved = keras.layers.Lambda(lambda t: t[:, :5])(inputs)
        model = keras.Model(inputs, [scaled, halved])
    """,
    "declared-dim-left-none": """
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(20, 128))
        head = tf.keras.layers.Lambda(lambda t: t[:, :, :64], output_shape=(None, 64))(inputs)
        model = tf.keras.Model(inputs, head)
    """,
    "declared-right-for-reduction": """
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(20, 64))
        pooled = tf.keras.layers.Lambda(lambda t: tf.reduce_mean(t, axis=1), output_shape=(64,))(inputs)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(pooled))
    """,
    "function-with-extra-arguments": """
        import tensorflow as tf

        def take(t, n):
            return t[:, :n]

        inputs = tf.keras.Input(shape=(20,))
        part = tf.keras.layers.Lambda(take, output_shape=(20,), arguments={"n": 5})(inputs)
        model = tf.keras.Model(inputs, part)
    """,
    "function-of-unknown-result": """
        import keras
        import some_library

        inputs = keras.Input(shape=(10,))
        out = keras.layers.Lambda(some_library.transform, output_shape=(3,))(inputs)
        model = keras.Model(inputs, out)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_declared_shape_against_computed_is_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(SILENT))
def test_lookalikes_stay_silent(name):
    assert _lines(SILENT[name]) == []


def test_cli_reports_the_declaration(tmp_path):
    path = tmp_path / "siamese.py"
    path.write_text(textwrap.dedent(_SIAMESE.replace("{shape}", "shapes[0]")).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path), "--select", "TL223"],
                         capture_output=True, text=True).stdout
    assert "siamese.py:9:" in out and "TL223" in out and "[batch, 128]" in out and "[batch, 1]" in out
