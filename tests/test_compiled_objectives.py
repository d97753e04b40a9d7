"""A loss or metric the program defines and hands to `compile` runs on what Keras gives it: a
float prediction and a target of unknown dtype. Its body is then checked like any other code:
`y_pred * K.arange(0, 101)` (float32 times int32) is the TL106 that TensorFlow raises on the
first batch. Written several ways (keras and tf.keras, a metric, a loss, a list of them, a
`Loss` subclass, a model built in a function or subclassed, a function from another module of
the project), with look-alikes that stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def tl106(text: str, path: str = "t.py") -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(text).lstrip("\n"), path, ALL).findings if f.code == "TL106")


AGE_METRIC = """
from {keras} import backend as K
from {keras}.layers import Dense
from {keras}.models import Sequential

def age_mae(y_true, y_pred):
    true_age = K.sum(y_true * K.arange(0, 101{dtype}), axis=-1)
    pred_age = K.sum(y_pred * K.arange(0, 101{dtype}), axis=-1)
    return K.mean(K.abs(true_age - pred_age))

model = Sequential([Dense(101, activation="softmax", input_shape=(8,))])
model.compile({metrics})
"""


@pytest.mark.parametrize("keras", ["keras", "tensorflow.keras"])
@pytest.mark.parametrize("metrics", [
    "optimizer='adam', loss='categorical_crossentropy', metrics=[age_mae]",
    "optimizer='adam', loss='categorical_crossentropy', metrics=('accuracy', age_mae)",
    "'adam', 'categorical_crossentropy', ['mae', age_mae]",
    "loss=age_mae, optimizer='adam'",
])
def test_a_compiled_metric_multiplies_the_float_prediction_by_int32(keras, metrics):
    # the prediction's line; the target's dtype is not known (it depends on the data and the version)
    assert tl106(AGE_METRIC.format(keras=keras, metrics=metrics, dtype="")) == [7]


@pytest.mark.parametrize("dtype", [", dtype='float32'", ", dtype=\"float32\""])
def test_a_float_range_is_silent(dtype):
    assert tl106(AGE_METRIC.format(keras="keras", metrics="loss='mse', metrics=[age_mae]", dtype=dtype)) == []


def test_a_function_no_compile_receives_is_not_typed():
    # the same body, never given to Keras: what its parameters hold is not known
    text = AGE_METRIC.format(keras="keras", metrics="loss='mse', metrics=['accuracy']", dtype="")
    assert tl106(text) == []


@pytest.mark.parametrize("policy", [
    "from tensorflow.keras import mixed_precision\nmixed_precision.set_global_policy('mixed_float16')\n",
    "from keras import backend as KB\nKB.set_floatx('float64')\n",
])
def test_a_program_that_changes_the_float_policy_is_silent(policy):
    text = policy + textwrap.dedent(AGE_METRIC.format(keras="keras", metrics="loss='mse', metrics=[age_mae]", dtype=""))
    assert tl106(text) == []


LOSS = """
import tensorflow as tf

{define}

def build():
    inputs = tf.keras.Input(shape=(16,))
    outputs = tf.keras.layers.Dense(10)(inputs)
    return tf.keras.Model(inputs, outputs)

model = build()
model.compile(optimizer="adam", loss={loss})
"""

WEIGHTED = """
def weighted(y_true, y_pred):
    w = tf.range(1, 11)
    return tf.reduce_mean(tf.square(y_pred) * w)
"""

SUBCLASS = """
class Weighted(tf.keras.losses.Loss):
    def call(self, y_true, y_pred):
        w = tf.range(1, 11)
        return tf.reduce_mean(tf.square(y_pred) * w)
"""


@pytest.mark.parametrize("define, loss, line", [
    (WEIGHTED, "weighted", 6),
    (WEIGHTED, "[weighted]", 6),
    (SUBCLASS, "Weighted()", 7),
    (SUBCLASS, "Weighted(name='weighted')", 7),
])
def test_a_compiled_loss_runs_on_a_float_prediction(define, loss, line):
    assert tl106(LOSS.format(define=define, loss=loss)) == [line]


@pytest.mark.parametrize("body", [
    "    w = tf.range(1, 11, dtype=tf.float32)\n    return tf.reduce_mean(tf.square(y_pred) * w)\n",
    "    w = tf.cast(tf.range(1, 11), y_pred.dtype)\n    return tf.reduce_mean(tf.square(y_pred) * w)\n",
    "    w = tf.range(1, 11)\n    return tf.reduce_mean(tf.square(y_true) * w)\n",  # the target: dtype unknown
    "    w = tf.range(1, 11)\n    return tf.reduce_mean(tf.square(y_pred)) * tf.cast(tf.size(w), tf.float32)\n",
])
def test_correct_losses_are_silent(body):
    define = "def weighted(y_true, y_pred):\n" + body
    assert tl106(LOSS.format(define=define, loss="weighted")) == []


def test_a_model_subclass_compiled_with_the_metric():
    text = """
    import tensorflow as tf
    from tensorflow.keras import backend as K

    def in_range(y_true, y_pred):
        return K.mean(y_pred * K.arange(0, 5))

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.out = tf.keras.layers.Dense(5, activation="softmax")

        def call(self, x):
            return self.out(x)

    net = Net()
    net.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=[in_range])
    """
    assert tl106(text) == [5]


def test_a_metric_from_another_module_of_the_project(tmp_path):
    (tmp_path / "metrics.py").write_text(textwrap.dedent("""
        from keras import backend as K

        def age_mae(y_true, y_pred):
            pred_age = K.sum(y_pred * K.arange(0, 101), axis=-1)
            true_age = K.sum(y_true * K.arange(0, 101), axis=-1)
            return K.mean(K.abs(true_age - pred_age))
    """).lstrip())
    train = textwrap.dedent("""
        from keras.layers import Dense
        from keras.models import Sequential
        from metrics import age_mae

        model = Sequential([Dense(101, activation="softmax", input_shape=(8,))])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=[age_mae])
    """).lstrip()
    found = [f for f in analyze(train, str(tmp_path / "train.py"), ALL).findings if f.code == "TL106"]
    assert found, "the metric's int32 range times the float prediction, reported at the compile"
    assert all(f.line == 6 for f in found)


def test_edits_to_the_metric_or_the_compile_give_what_a_whole_file_analysis_gives():
    """In the language server the metric's definition and the compile are separate chunks: an
    edit to either brings the finding back or takes it away as a whole-file check does."""
    from tensorlint.incremental import IncrementalAnalysis

    def key(result):
        return sorted((f.code, f.span.start.line, f.message) for f in result.findings)

    base = textwrap.dedent(AGE_METRIC.format(keras="keras", metrics="loss='mse', metrics=[age_mae]", dtype="")).lstrip()
    inc = IncrementalAnalysis()
    for text in (base,
                 base.replace("K.arange(0, 101), axis=-1)\n    return", "K.arange(0, 101, dtype='float32'), axis=-1)\n    return"),
                 base,
                 base.replace("metrics=[age_mae]", "metrics=['mae']"),
                 base):
        got = inc.analyze(text, "m.py", ALL)
        assert key(got) == key(analyze(text, "m.py", ALL))
    assert [f.line for f in got.findings if f.code == "TL106"] == [7]
