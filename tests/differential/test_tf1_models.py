"""TF1 graph code the engine models beside `keras.graph`: TF-Slim / `tf.contrib.layers`
convolutions and pooling, recurrent cells unrolled by `tf.nn.dynamic_rnn`, `tf.cond`, and
`tf.data.Dataset.zip` / `range`. TF-Slim, `tf.contrib` and the TF1 cells are not in the installed
TensorFlow (TF 2 with Keras 3), so the engine's answer for the TF1 spelling is checked against
TensorFlow running the same computation in its TF2 spelling (`Conv2D` for `slim.conv2d`, an `RNN`
layer returning sequences for `dynamic_rnn`); `tf.cond` and the data sets run as written."""
from __future__ import annotations

import pytest

from ._harness import CASES_PER_FAMILY, check_family, disagreement, inferred, known, rng, tf_result

tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.differential

HEADER = "import tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"


def _conv_cases(r):
    for _ in range(CASES_PER_FAMILY):
        b, h, w, c, n = r.randint(1, 2), r.randint(5, 12), r.randint(5, 12), r.randint(1, 3), r.randint(1, 8)
        k, s = r.randint(1, 4), r.randint(1, 3)
        pad = r.choice(["SAME", "VALID"])
        x = f"x = tf.zeros([{b}, {h}, {w}, {c}])\n"
        engine, real = r.choice([
            (f"slim.conv2d(x, {n}, [{k}, {k}], stride={s}, padding='{pad}')", f"tf.keras.layers.Conv2D({n}, {k}, {s}, '{pad.lower()}')(x)"),
            (f"slim.conv2d(x, {n}, {k})", f"tf.keras.layers.Conv2D({n}, {k}, 1, 'same')(x)"),
            (f"tf.contrib.layers.conv2d(x, {n}, {k}, {s})", f"tf.keras.layers.Conv2D({n}, {k}, {s}, 'same')(x)"),
            (f"slim.conv2d(inputs=x, num_outputs={n}, kernel_size={k}, padding='VALID', rate=2)",
             f"tf.keras.layers.Conv2D({n}, {k}, padding='valid', dilation_rate=2)(x)"),
            (f"slim.max_pool2d(x, [{k}, {k}])", f"tf.keras.layers.MaxPooling2D({k}, 2, 'valid')(x)"),
            (f"slim.avg_pool2d(x, {k}, stride={s}, padding='{pad}')", f"tf.keras.layers.AveragePooling2D({k}, {s}, '{pad.lower()}')(x)"),
            (f"tf.contrib.layers.max_pool2d(x, {k}, {s}, 'SAME')", f"tf.keras.layers.MaxPooling2D({k}, {s}, 'same')(x)"),
            ("slim.batch_norm(x)", "tf.keras.layers.BatchNormalization()(x)"),
            ("slim.dropout(x, 0.5)", "tf.keras.layers.Dropout(0.5)(x)"),
        ])
        yield HEADER + x + f"out = {engine}", lambda code=x + f"out = {real}": tf_result(code)


def _rnn_cases(r):
    for _ in range(CASES_PER_FAMILY):
        b, t, f, n, m = r.randint(1, 3), r.randint(1, 6), r.randint(1, 5), r.randint(1, 9), r.randint(1, 9)
        x = f"x = tf.zeros([{b}, {t}, {f}])\n"
        keras_rnn = "tf.keras.layers.RNN({cell}, return_sequences=True)(x)"
        engine, real = r.choice([
            (f"tf.nn.rnn_cell.BasicLSTMCell({n})", keras_rnn.format(cell=f"tf.keras.layers.LSTMCell({n})")),
            (f"tf.contrib.rnn.GRUCell(num_units={n})", keras_rnn.format(cell=f"tf.keras.layers.GRUCell({n})")),
            (f"tf.contrib.rnn.DropoutWrapper(tf.contrib.rnn.BasicRNNCell({n}), output_keep_prob=0.5)",
             keras_rnn.format(cell=f"tf.keras.layers.SimpleRNNCell({n}, dropout=0.5)")),
            (f"tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell({m}), tf.nn.rnn_cell.LSTMCell({n})])",
             keras_rnn.format(cell=f"[tf.keras.layers.LSTMCell({m}), tf.keras.layers.LSTMCell({n})]")),
        ])
        code = HEADER + x + f"cell = {engine}\nout, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)"
        yield code, lambda real=x + f"out = {real}": tf_result(real)


def _cond_cases(r):
    for _ in range(CASES_PER_FAMILY):
        shape = [r.randint(1, 5) for _ in range(r.randint(1, 3))]
        code = f"x = tf.ones({shape})\nout = " + r.choice([
            "tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2, lambda: x - 1)",
            "tf.cond(pred=tf.constant(False), true_fn=lambda: tf.nn.relu(x), false_fn=lambda: tf.zeros_like(x))",
            f"tf.cond(tf.constant(True), lambda: tf.reduce_sum(x, axis=-1), lambda: tf.reduce_max(x, axis=-1))",
        ])
        yield HEADER + code, lambda code=code: tf_result(code)


@pytest.mark.parametrize("family", ["slim", "rnn", "cond"])
def test_tf1_spellings_agree_with_tensorflow(family):
    r = rng("tf1-models:" + family)
    check_family({"slim": _conv_cases, "rnn": _rnn_cases, "cond": _cond_cases}[family](r))


def test_zipped_and_ranged_data_sets_agree_with_tf_data():
    r = rng("tf1-models:data")
    for _ in range(CASES_PER_FAMILY):
        n, f, k = r.randint(2, 9), r.randint(1, 4), r.randint(1, 4)
        code = (f"ds = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(tf.ones([{n}, {f}])), "
                f"tf.data.Dataset.from_tensor_slices(tf.zeros([{n}], tf.int32))))\n"
                f"for xb, yb in ds.batch({k}):\n    pass\nout = " + r.choice(["xb", "yb"]))
        real = tf_result(code)
        engine = inferred(HEADER + code)
        assert disagreement(engine, (None,) + real[0][1:], real[1], batch_symbol="B") is None, (code, engine, real)
        code = f"for i in tf.data.Dataset.range({n}):\n    pass\nout = i"
        engine, real = inferred(HEADER + code), tf_result(code)
        assert disagreement(engine, *real) is None and known(engine), (code, engine, real)


def test_arg_scope_defaults_stay_unknown():
    """Under `slim.arg_scope` a default stride or padding may be another: those dims are not known."""
    code = ("x = tf.zeros([2, 16, 16, 3])\nwith slim.arg_scope([slim.conv2d], padding='VALID', stride=2):\n"
            "    out = slim.conv2d(x, 8, 3)")
    engine = inferred(HEADER + code.replace("    out =", "    y =") + "\nout = y")
    assert engine is not None and engine[0] in ((2, None, None, 8), ("...", None, None, 8)), engine
