"""`model.fit(X[:150], y[:150])` then `model.predict(y[150:])`: the run sees the predict given rows
of the very array (by NumPy's views) whose other rows the model was fitted to output, while its
inputs came from elsewhere; that confirms the static TL506 at the predict's line. An
autoencoder's predict on rows of its own inputs' array, and a predict on the inputs' array,
stay silent."""
from __future__ import annotations

import numpy as np

from tensorlint.runtime.child.keras_values import fed_targets

PROGRAM = """\
import numpy as np
import tensorflow as tf

X = np.arange(0, 1000, 5)
y = np.arange(100, 1100, 5)
X_train, X_test = X[:150], X[150:]
y_train, y_test = y[:150], y[150:]
model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(loss="mae", optimizer="adam")
model.fit({fit_input}, y_train, epochs=2, verbose=0)
{read}
"""

WAYS = (  # the training inputs as a tensor, as a reshaped array; the read assigned or printed
    ("tf.expand_dims(X_train, axis=-1)", "y_pred = model.predict(y_test)"),
    ("X_train.reshape(-1, 1)", "y_pred = model.predict(y_test.reshape(-1, 1))"),
    ("tf.expand_dims(X_train, axis=-1)", "print(model.predict(y_test))"),
)


def tl506(report):
    return [(v.line, v.verdict) for v in report.findings if v.code == "TL506"]


def test_a_predict_on_rows_of_the_fits_targets_confirms_tl506(tf_python, text_check):
    for fit_input, read in WAYS:
        report = text_check(PROGRAM.format(fit_input=fit_input, read=read))
        assert tl506(report) == [(11, "confirmed")], (fit_input, read, report.message, report.findings)
        fixed = text_check(PROGRAM.format(fit_input=fit_input, read=read.replace("y_test", "X_test")))
        assert fixed.status == "ok" and not tl506(fixed), (read, fixed.message)
        assert not [c for c in fixed.calls if c.get("fed_targets")]


class Model:
    pass


def test_only_views_of_the_targets_owner_that_are_not_the_inputs_owner_are_said():
    X, y = np.arange(20.0), np.arange(100.0, 120.0)
    model = Model()
    assert fed_targets(model, "fit", {"inputs": X[:15], "targets": y[:15]}, 10) is None
    assert fed_targets(model, "predict", {"inputs": y[15:], "targets": None}, 11) == {"fit_line": 10}
    assert fed_targets(model, "predict", {"inputs": X[15:], "targets": None}, 12) is None
    assert fed_targets(model, "predict", {"inputs": y[15:].copy(), "targets": None}, 13) is None  # a copy says nothing
    assert fed_targets(model, "evaluate", {"inputs": y[15:], "targets": y[15:]}, 14) is None
    # an autoencoder (or a sequence model fitted on its own shifted series): one array for both
    auto = Model()
    fed_targets(auto, "fit", {"inputs": X[:15], "targets": X[:15]}, 20)
    assert fed_targets(auto, "predict", {"inputs": X[15:], "targets": None}, 21) is None
    # a predict before any fit, and inputs that are no array
    assert fed_targets(Model(), "predict", {"inputs": y, "targets": None}, 30) is None
    assert fed_targets(model, "predict", {"inputs": [1.0, 2.0], "targets": None}, 31) is None
