"""Keras 1 and 2 functional models under Keras 3: `Model(input=..., output=...)` runs as
`Model(inputs=..., outputs=...)`; a `Lambda` whose declared output shape is not what its function
returns is reported at the line that made it; a loss function gets its targets as fit() gives
them (floats, the output's rank), so integer labels are not the program's error."""
from __future__ import annotations


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def layer_problems(report):
    return [d for d in report.diagnostics() if d.kind == "layer"]


SIAMESE = """\
import numpy as np
{imports}


def distance(vects):
    a, b = vects
    return K.sqrt(K.sum(K.square(a - b), axis=1, keepdims=True))


def distance_shape(shapes):
    first, second = shapes
    return {declared}


def contrastive(y_true, y_pred):
    return K.mean(y_true * K.square(y_pred) + (1 - y_true) * K.square(K.maximum(1 - y_pred, 0)))


base = Sequential([Dense(16, activation="relu", input_shape=(10,)), Dense(8, use_bias=False)])
a, b = Input(shape=(10,)), Input(shape=(10,))
out = Lambda(distance, output_shape={output_shape})([base(a), base(b)])
model = {model}
model.compile(loss=contrastive, optimizer="rmsprop")
pairs = np.random.rand(64, 2, 10).astype("float32")
labels = np.random.randint(0, 2, 64)
model.fit([pairs[:, 0], pairs[:, 1]], labels, batch_size=16, nb_epoch=2)
"""
KERAS = ("from keras.models import Model, Sequential\nfrom keras.layers import Dense, Input, Lambda\n"
         "from keras import backend as K")
TF_KERAS = ("from tensorflow.keras.models import Model, Sequential\nfrom tensorflow.keras.layers import Dense, Input, Lambda\n"
            "from tensorflow.keras import backend as K")


def siamese(declared="(first[0], 1)", output_shape="distance_shape", model="Model(input=[a, b], output=out)",
            imports=KERAS):
    return SIAMESE.format(declared=declared, output_shape=output_shape, model=model, imports=imports)


def test_a_keras1_functional_model_runs_with_integer_labels_for_its_loss_function(tf_python, text_check):
    for model, imports in (("Model(input=[a, b], output=out)", KERAS), ("Model(inputs=[a, b], output=out)", TF_KERAS),
                           ("Model([a, b], out)", KERAS)):
        report = text_check(siamese(model=model, imports=imports))
        assert errors(report) == [], (model, report.message)
        assert report.status == "ok", (model, report.message)
        assert layer_problems(report) == [], model
        noted = any("`Model(input=..., output=...)` (Keras 1) ran as" in n for n in report.notes)
        assert noted == ("output=" in model), model


def test_a_lambda_that_returns_another_shape_than_it_declares_is_reported_where_it_is_made(tf_python, text_check):
    line = siamese().splitlines().index(next(ln for ln in siamese().splitlines() if ln.startswith("out = Lambda"))) + 1
    for declared, output_shape in (("first", "distance_shape"),  # the shape of its first input: [n, 8]
                                   ("(first[0], 8)", "distance_shape"),
                                   ("", "(8,)"),  # a shape without the batch axis
                                   ("", "lambda shapes: shapes[0]")):
        report = text_check(siamese(declared=declared or "first", output_shape=output_shape))
        found = layer_problems(report)
        assert report.status == "problems", (declared, output_shape, report.message)
        assert found and {d.line for d in found} == {line}, (declared, output_shape, report.message)
        assert "declares its output shape as [16, 8] but returns [16, 1]" in found[0].message, found[0].message


def test_a_lambda_whose_declared_shape_holds_or_that_declares_none_is_silent(tf_python, text_check):
    for declared, output_shape in (("(first[0], 1)", "distance_shape"), ("(None, 1)", "distance_shape"),
                                   ("", "(1,)"), ("", "None")):
        report = text_check(siamese(declared=declared or "first", output_shape=output_shape))
        assert report.status == "ok", (declared, output_shape, report.message)
        assert layer_problems(report) == [], (declared, output_shape)


def test_a_loss_function_that_fails_on_the_programs_targets_is_still_its_error(tf_python, text_check):
    # the targets' width (3) is not the output's (1): fit() fails in the program's own loss
    text = siamese().replace("labels = np.random.randint(0, 2, 64)", "labels = np.random.randint(0, 2, (64, 3))")
    text = text.replace("return K.mean(y_true * K.square(y_pred)", "return K.mean(K.dot(y_true, y_pred)")
    report = text_check(text)
    assert report.status == "errors", report.message
    body = text.splitlines().index("def contrastive(y_true, y_pred):") + 2
    assert any(d.line == body for d in errors(report)), report.message


RNN_CELL = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras


class NormCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.state_size = units
        self.output_size = units
        self.cell = keras.layers.SimpleRNNCell(units)
        self.norm = keras.layers.LayerNormalization()

    def get_initial_state({signature}):
        return [tf.zeros([{state}], dtype={dtype})]

    def call(self, inputs, states):
        out, new = self.cell(inputs, states)
        out = self.norm(out)
        return out, [out]


model = keras.models.Sequential([keras.layers.RNN(NormCell(6), input_shape=[None, 1]), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.rand(16, 5, 1), np.random.rand(16, 1), epochs=2)
"""


def test_a_custom_rnn_cell_gets_the_dtype_keras2_gave_its_initial_state(tf_python, text_check):
    for signature, dtype in (("self, inputs=None, batch_size=None, dtype=None", "dtype"),
                             ("self, batch_size=None, dtype=None", "dtype")):
        report = text_check(RNN_CELL.format(signature=signature, state="batch_size, self.state_size", dtype=dtype))
        assert errors(report) == [], (signature, report.message)
        assert any("`get_initial_state` was given `dtype=`" in n for n in report.notes), signature
    # a cell that asks for no dtype is called as Keras 3 calls it
    report = text_check(RNN_CELL.format(signature="self, batch_size=None", state="batch_size, self.state_size",
                                        dtype="'float32'"))
    assert errors(report) == [], report.message
    assert not any("`get_initial_state` was given" in n for n in report.notes)


def test_an_initial_state_of_the_wrong_width_is_still_the_programs_error(tf_python, text_check):
    text = RNN_CELL.format(signature="self, inputs=None, batch_size=None, dtype=None",
                           state="batch_size, self.state_size + 1", dtype="dtype")
    report = text_check(text)
    assert report.status == "errors", report.message
    assert errors(report), report.message
