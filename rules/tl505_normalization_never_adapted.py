import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Layer, Tensor

from ._common import FEEDING_METHODS, imported_qualname, module_names, text_fact
from ._trees import calls_written, gathered_by_chunk, per_chunk
from ._training import parents

_MENTION = re.compile(r"(?<![A-Za-z_])Normalization\s*\(")
_LAYER = "keras.layers.Normalization"
_APPLIED = "TL505 applied"  # id(call node) -> the framework of the value the layer was applied to


def _statistics_given(call: cst.Call) -> bool:
    """Whether `Normalization(...)` is given its mean or variance (then it needs no adapt)."""
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) >= 2 or any(a.star for a in call.args):
        return True
    return any(a.keyword is not None and a.keyword.value in ("mean", "variance") for a in call.args)


def _feeds(feeding_calls, call, result: str | None) -> bool:
    """Whether the layer's output (the call itself, or the name bound to it) is the data of one
    of the scope's Keras fit/evaluate/predict calls."""
    for node in feeding_calls:
        data = next((a.value for a in node.args if a.keyword is None or a.keyword.value == "x"), None)
        if data is call or (result is not None and type(data) is cst.Name and data.value == result):
            return True
    return False


def _index(scope) -> tuple:
    """The names (name -> its Name nodes) and the fit/evaluate/predict calls of all the code
    below `scope`, in source order."""
    names: dict = {}
    feeding = []
    for node in descendants(scope):
        kind = type(node)
        if kind is cst.Name:
            names.setdefault(node.value, []).append(node)
        elif kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in FEEDING_METHODS:
            feeding.append(node)
    return names, feeding


def _uses_and_feeding(ctx, scope, name: str) -> tuple:
    """The Name nodes of `name` and the fit/evaluate/predict calls of `scope`: a function's, or
    the whole module's (each chunk's index kept with its tree: an edit indexes the chunks it
    changed alone)."""
    if not isinstance(scope, cst.Module):
        names, feeding = _index(scope)
        return names.get(name, ()), feeding
    key = ("TL505 names and feeding calls",)
    chunks = per_chunk(ctx, key, _index)
    named = gathered_by_chunk(ctx, key, [names for names, _ in chunks], name)  # (kept from edit to edit)
    return [n for _, found in named for n in found], [c for _, calls in chunks for c in calls]


class NormalizationNeverAdapted(Rule):
    """
    ## What it does
    Finds a Keras `Normalization` layer made without `mean=`/`variance=` that is applied to the
    training data but never adapted: the name it is bound to is only ever called (no
    `layer.adapt(data)`, no other use that could adapt it or load its statistics), and what it
    returns is the data given to `fit`, `evaluate` or `predict`.

    ## Why is this bad?
    `Normalization` learns the mean and variance of the data in `adapt()`. Never adapted, it
    keeps mean 0 and variance 1 and returns its input unchanged, without an error or warning:
    the model trains on the raw features at their original scales, which is what the layer was
    there to prevent.

    ## Example
    ```python
    norm_layer = tf.keras.layers.Normalization()
    X_scaled = norm_layer(X_train)
    model.fit(X_scaled, y_train)
    ```

    ## Use instead
    ```python
    norm_layer = tf.keras.layers.Normalization()
    norm_layer.adapt(X_train)
    X_scaled = norm_layer(X_train)
    model.fit(X_scaled, y_train)
    ```

    ## Fix safety
    There is no automatic fix: which data the layer should learn its statistics from (the
    training set, not the validation or test set) is the author's choice.
    """

    code = "TL505"
    name = "normalization-never-adapted"
    severity = Severity.WARNING
    summary = "A Keras Normalization layer applied to the training data but never adapted: it returns the data unchanged."
    failing = (
        "import numpy as np\nimport tensorflow as tf\nX = np.random.rand(100, 3) * 50\ny = np.random.rand(100)\n"
        "norm_layer = tf.keras.layers.Normalization()  # TL505\nX_scaled = norm_layer(X)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse', optimizer='sgd')\nmodel.fit(X_scaled, y)\n",
        "import keras\n\ndef train(model, X, y):\n    norm = keras.layers.Normalization(axis=-1)  # TL505\n"
        "    return model.fit(norm(X), y, epochs=5)\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\nX = np.random.rand(100, 3) * 50\ny = np.random.rand(100)\n"
        "norm_layer = tf.keras.layers.Normalization()\nnorm_layer.adapt(X)\nX_scaled = norm_layer(X)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse', optimizer='sgd')\nmodel.fit(X_scaled, y)\n",
    )
    lookalikes = (
        # statistics given; a layer inside a functional model, adapted later
        "import numpy as np\nimport keras\nX = np.random.rand(100, 3)\nnorm = keras.layers.Normalization(mean=0.5, variance=0.08)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse', optimizer='sgd')\nmodel.fit(norm(X), X[:, 0])\n",
        "import numpy as np\nimport keras\nX = np.random.rand(100, 3)\ninputs = keras.Input(shape=(3,))\n"
        "norm = keras.layers.Normalization()\nout = keras.layers.Dense(1)(norm(inputs))\nmodel = keras.Model(inputs, out)\n"
        "norm.adapt(X)\nmodel.compile(loss='mse', optimizer='sgd')\nmodel.fit(X, X[:, 0])\n",
        # a layer built in a function and returned: the caller may adapt it
        "import keras\n\ndef make_norm():\n    norm = keras.layers.Normalization()\n    return norm\n",
    )

    def on_layer_call(self, ctx, ev):
        layer = ev.sublayer if ev.sublayer is not None else ev.layer
        if isinstance(layer, Layer) and layer.kind == _LAYER and ev.args:
            x = ev.args[0]
            ctx.mark(_APPLIED, (id(ev.node), x.fw if isinstance(x, Tensor) else None))

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "TL505 mentions Normalization", lambda t: "Normalization" in t and _MENTION.search(t) is not None):
            return
        env = None
        for call in calls_written(ctx, ("Normalization",)):
            func = call.func
            env = env if env is not None else module_names(ctx)
            if imported_qualname(env, func) != _LAYER or _statistics_given(call):
                continue
            self._check(ctx, call)

    def _check(self, ctx, call):
        p = parents(ctx)
        stmt = p.parent.get(call)
        if type(stmt) is not cst.Assign or len(stmt.targets) != 1 or type(stmt.targets[0].target) is not cst.Name:
            return
        name = stmt.targets[0].target.value
        scope = p.scope(call)
        if scope is None or isinstance(scope, cst.Lambda):
            return
        named, feeding = _uses_and_feeding(ctx, scope, name)
        applied = ctx.marked_map(_APPLIED)
        uses = []
        for node in named:
            if node is stmt.targets[0].target:
                continue
            up = p.parent.get(node)
            if type(up) is not cst.Call or up.func is not node:
                return  # adapted, passed on, returned, stored, bound again: its statistics may be set elsewhere
            if applied.get(id(up)) == "keras":
                return  # part of a functional model: adapted or loaded with the model's weights, perhaps elsewhere
            uses.append(up)
        for use in uses:
            bound = p.parent.get(use)
            result = (bound.targets[0].target.value if type(bound) is cst.Assign and len(bound.targets) == 1
                      and type(bound.targets[0].target) is cst.Name else None)
            if _feeds(feeding, use, result):
                ctx.report(self, call,
                           f"`{name}` is a Normalization layer that is never adapted (`{name}.adapt(data)`) and has no "
                           f"mean or variance: it keeps mean 0 and variance 1 and returns the data unchanged, so the model "
                           f"trains on the raw features (applied at line {ctx.line(use)})",
                           related=[(use, "applied to the training data here")])
                return
