from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Container, Instance, MutableList, Seq

from ._common import keras2_established

_METHODS = frozenset(("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch"))


def _numbers(value, depth=0) -> bool:
    """Whether `value` is a non-empty Python list of numbers, or of such lists (not arrays)."""
    if isinstance(value, MutableList):
        if not value.exact:
            return False  # grown by a loop: what it holds is not known item by item
    elif not isinstance(value, Seq) or value.kind != "list":
        return False
    if not value.items or depth > 8:
        return False
    for item in value.items:
        if isinstance(item, Const):
            if not isinstance(item.value, (int, float)) or isinstance(item.value, bool):
                return False
        elif not _numbers(item, depth + 1):
            return False
    return True


def _keras_model(model) -> bool:
    if isinstance(model, Container):
        return model.fw == "keras"
    return isinstance(model, Instance) and model.cls.kind == "keras.model"


class KerasDataPythonList(Rule):
    """
    ## What it does
    Finds a Keras model's `fit`, `evaluate`, `predict`, `train_on_batch`, `test_on_batch` or
    `predict_on_batch` given its inputs or targets as a Python list of numbers (or a list of such
    lists): `model.predict([100.0])`, `model.fit([1, 2, 3], [2, 4, 6])`, through variables and
    helper functions. Programs written for Keras 2 are left alone, where Keras 2 converted such
    lists: those that import a module only Keras 2 has (`keras.layers.core`,
    `keras.utils.np_utils`...) or use a spelling Keras 3 rejects (an optimizer's `lr=`, `nb_epoch=`).

    ## Why is this bad?
    Keras 3 (and `tf.keras` since TensorFlow 2.16) reads a Python list as a structure of several
    inputs, each of which must be an array or a tensor; a number is not one, and the call fails
    with `ValueError: Unrecognized data type: x=[100.0] (of type <class 'list'>)` (in
    `train_on_batch`: `Only input tensors may be passed as positional arguments`).

    ## Example
    ```python
    model.fit(celsius, fahrenheit, epochs=500)
    print(model.predict([100.0]))
    ```

    ## Use instead
    ```python
    print(model.predict(np.array([100.0])))
    ```

    ## Fix safety
    There is no automatic fix: the array's dtype and shape are for the author to choose.
    """

    code = "TL221"
    name = "keras-data-python-list"
    severity = Severity.ERROR
    summary = "A Keras model's fit/evaluate/predict given a Python list of numbers, which Keras 3 rejects."
    failing = (
        "import numpy as np\nimport tensorflow as tf\nx = np.array([-40.0, 0.0, 100.0], dtype=float)\n"
        "model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(x, 1.8 * x + 32, epochs=5)\nprint(model.predict([100.0]))  # TL221\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\nx = np.array([-40.0, 0.0, 100.0], dtype=float)\n"
        "model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(x, 1.8 * x + 32, epochs=5)\nprint(model.predict(np.array([100.0])))\n",
    )
    lookalikes = (
        # a list of arrays is a multi-input model's data
        "import numpy as np\nimport keras\na = keras.Input((4,))\nb = keras.Input((2,))\n"
        "model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))\n"
        "model.predict([np.zeros((3, 4)), np.zeros((3, 2))])\n",
    )

    def on_fit(self, ctx, ev):
        if ev.method not in _METHODS or not _keras_model(ev.model):
            return
        given = [(ev.data if ev.data is not None else ev.x, ev.x_site, "inputs")]
        if ev.y is not None:
            given.append((ev.y, ev.y_site, "targets"))
        bad = [(site, what) for value, site, what in given if _numbers(value) and site is not None]
        if not bad or keras2_established(ctx):
            return
        what = " and ".join(w for _, w in bad)
        ctx.report(self, bad[0][0].node,
                   f"`{ev.method}` gets its {what} as a Python list of numbers: Keras 3 (and tf.keras since "
                   "TensorFlow 2.16) takes a list as several inputs, each an array, and fails with "
                   "'Unrecognized data type'; pass np.array(...)")
