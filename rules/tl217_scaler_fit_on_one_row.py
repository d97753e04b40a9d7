import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_calls, module_names
from ._module_nodes import module_nodes_named
from ._training import parents

_MENTION = re.compile(r"\.(?:fit_transform|fit|adapt)\s*\(")
_SKLEARN = {"sklearn.preprocessing.MinMaxScaler": "the range's lower end", "sklearn.preprocessing.StandardScaler": "0",
            "sklearn.preprocessing.RobustScaler": "0", "sklearn.preprocessing.MaxAbsScaler": "1, -1 or 0"}
_KERAS = "keras.layers.Normalization"
_METHODS = {"fit": "sklearn", "fit_transform": "sklearn", "adapt": "keras"}
_ARRAY = frozenset({"numpy.array", "numpy.asarray", "numpy.asanyarray"})


def _int(node):
    if type(node) is cst.Integer:
        return int(node.value)
    return None


def _one_row(env, node, strict: bool):
    """How `node` makes an array of one row, or None. `strict`: only a 2-D array of one row
    (`y.reshape(1, -1)`, `[[1, 2, 3]]`); otherwise also `[y]`, `np.array([y])`, `y[None, :]`,
    `np.expand_dims(y, 0)`, which are one row of a 1-D `y` (and an error for sklearn if `y` has
    more axes)."""
    kind = type(node)
    if kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "reshape":
        args = [a.value for a in node.args if a.keyword is None]
        if len(args) == 1 and type(args[0]) in (cst.Tuple, cst.List):
            args = [e.value for e in args[0].elements]
        if len(args) == 2 and _int(args[0]) == 1:
            return "reshape(1, ...)"
        return None
    if kind is cst.List and len(node.elements) == 1 and type(node.elements[0]) is cst.Element:
        inner = node.elements[0].value
        if type(inner) in (cst.List, cst.Tuple):
            if all(type(e) is cst.Element and type(e.value) not in (cst.List, cst.Tuple) for e in inner.elements):
                return "a list of one row"
            return None
        return None if strict else "a list of one element"
    if strict:
        return None
    if kind is cst.Call and type(node.func) in (cst.Name, cst.Attribute) and node.args and node.args[0].keyword is None:
        name = imported_qualname(env, node.func)
        if name in _ARRAY and len(node.args) == 1:
            return _one_row(env, node.args[0].value, strict)
        if name == "numpy.expand_dims" and len(node.args) == 2 and _int(node.args[1].value) == 0:
            return "expand_dims(..., 0)"
        return None
    if kind is cst.Subscript and node.slice and type(node.slice[0].slice) is cst.Index:
        first = node.slice[0].slice.value
        if (type(first) is cst.Name and first.value == "None") or dotted(first) in ("np.newaxis", "numpy.newaxis"):
            return "a new first axis"
    return None


def _made_by(env, value):
    if type(value) is cst.Call and type(value.func) in (cst.Name, cst.Attribute):
        return imported_qualname(env, value.func), value
    return None, None


def _bound_to(ctx, env, scope_node, name):
    """The class each plain assignment of `name` constructs (module level and the function the
    call is in), all of them; an empty set when one binding is something else."""
    out = set()
    nodes = list(module_nodes_named(ctx, (cst.Assign,), _names, name))
    if scope_node is not None:
        nodes += [n for n in descendants(scope_node) if type(n) is cst.Assign and name in _names(n)]
    for n in nodes:
        qualname, call = _made_by(env, n.value)
        out.add((qualname, call))
    return out


def _names(node):
    return [t.target.value for t in node.targets if type(t.target) is cst.Name]


class ScalerFitOnOneRow(Rule):
    """
    ## What it does
    Finds a per-feature scaler fitted on one sample: scikit-learn's `MinMaxScaler`,
    `StandardScaler`, `RobustScaler` or `MaxAbsScaler` given `fit`/`fit_transform` an array of
    one row (`[y]`, `np.array([y])`, `y.reshape(1, -1)`, `y[None, :]`), or a Keras
    `Normalization` layer (per feature, the default `axis=-1`) adapted on `y.reshape(1, -1)`.

    ## Why is this bad?
    These scalers learn one statistic per column over the rows. An array of one row has one
    value per column, so every column's minimum is its maximum and its variance is 0: the
    scaler maps every value to one constant (`MinMaxScaler` to the lower end of its range,
    `StandardScaler` and `Normalization` to 0). The targets or features the model then gets
    carry no information, and nothing raises. `[y]` and `reshape(1, -1)` turn a 1-D array into
    one sample of many features; a single feature of many samples is `y.reshape(-1, 1)`.

    ## Example
    ```python
    scaler_y = MinMaxScaler(feature_range=(-1, 1))
    y = scaler_y.fit_transform([y])[0]
    ```

    ## Use instead
    ```python
    y = scaler_y.fit_transform(y.reshape(-1, 1)).ravel()
    ```

    ## Fix safety
    There is no automatic fix: the array's intended layout is the author's to state.
    """

    code = "TL217"
    triggers = ("Scaler", "Normalization")
    name = "scaler-fit-on-one-row"
    severity = Severity.ERROR
    summary = "A per-feature scaler fitted on one sample (a row): every column has one value, so every output is one constant."
    failing = (
        "import numpy as np\nimport keras\nfrom sklearn.preprocessing import MinMaxScaler\ny = np.random.randint(0, 2, 100)\n"
        "scaler = MinMaxScaler(feature_range=(-1, 1))\ny = scaler.fit_transform([y])[0]  # TL217\n",
        "import numpy as np\nimport keras\ny = np.random.rand(100)\nnorm = keras.layers.Normalization()\n"
        "norm.adapt(y.reshape(1, -1))  # TL217\n",
    )
    passing = (
        "import numpy as np\nimport keras\nfrom sklearn.preprocessing import MinMaxScaler\ny = np.random.randint(0, 2, 100)\n"
        "scaler = MinMaxScaler(feature_range=(-1, 1))\ny = scaler.fit_transform(y.reshape(-1, 1)).ravel()\n",
    )
    lookalikes = (
        # one sample transformed with a scaler fitted on many; a whole-array Normalization; rows of a list
        "import numpy as np\nimport keras\nfrom sklearn.preprocessing import StandardScaler\nX = np.random.rand(100, 3)\n"
        "scaler = StandardScaler().fit(X)\nprint(scaler.transform([X[0]]))\n"
        "norm = keras.layers.Normalization(axis=None)\nnorm.adapt(X.reshape(1, -1))\n"
        "other = StandardScaler()\nother.fit([[1.0, 2.0], [3.0, 4.0]])\n",
    )

    def on_module(self, ctx, ev):
        if not ("Scaler" in ctx.text or "Normalization" in ctx.text) or _MENTION.search(ctx.text) is None:
            return
        env = None
        for call in module_calls(ctx):
            func = call.func
            if type(func) is not cst.Attribute or func.attr.value not in _METHODS or not call.args:
                continue
            data = call.args[0]
            if data.keyword is not None and data.keyword.value not in ("X", "data"):
                continue
            env = env if env is not None else module_names(ctx)
            how = _one_row(env, data.value, strict=_METHODS[func.attr.value] == "keras")
            if how is None:
                continue
            kind = self._scaler(ctx, env, call, func.value, _METHODS[func.attr.value])
            if kind is None:
                continue
            constant = "0" if kind == _KERAS else _SKLEARN[kind]
            ctx.report(self, call,
                       f"`{kind.rpartition('.')[2]}` is fitted on one sample ({how}: a single row, one value per "
                       f"column), so every column's statistics come from one value and every output is a constant "
                       f"({constant}); a single feature of many samples is `.reshape(-1, 1)`")

    def _scaler(self, ctx, env, call, receiver, family):
        """The scaler class `receiver` is (constructed in place, or a name bound only to it)."""
        qualname, made = _made_by(env, receiver)
        if qualname is None and type(receiver) is cst.Name:
            scope = None
            p = parents(ctx)
            holder = p.scope(call)
            if holder is not None and type(holder) is not cst.Module:
                scope = holder
            found = _bound_to(ctx, env, scope, receiver.value)
            if len(found) != 1:
                return None
            qualname, made = next(iter(found))
        if qualname is None:
            return None
        if family == "sklearn" and qualname in _SKLEARN:
            return qualname
        if family == "keras" and qualname == _KERAS and made is not None:
            axis = next((a.value for a in made.args if a.keyword is not None and a.keyword.value == "axis"), None)
            positional = [a for a in made.args if a.keyword is None]
            last = axis is None or _int(axis) == 1 or (type(axis) is cst.UnaryOperation and type(axis.operator) is cst.Minus
                                                       and _int(axis.expression) == 1)
            if positional or not last:
                return None  # statistics over other axes (axis=None: one mean for the whole array)
            return qualname
        return None
