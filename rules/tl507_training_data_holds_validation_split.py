import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names, text_fact
from ._module_nodes import line_of, module_nodes_named
from ._trees import calls_written
from ._training import parents

_SPLITS = {"sklearn.model_selection.train_test_split": "arrays", "sklearn.cross_validation.train_test_split": "arrays",
           "keras.utils.split_dataset": "one"}
# methods whose result holds the receiver's rows (all of them, or a random sample of them)
_ROW_KEEPING = frozenset({"to_numpy", "to_list", "tolist", "copy", "astype", "sample", "reset_index", "fillna",
                          "values", "numpy", "batch", "shuffle", "prefetch", "cache", "repeat"})
# functions whose result holds the rows of their first argument
_CONVERTING = frozenset({"numpy.array", "numpy.asarray", "list", "tensorflow.constant", "tensorflow.convert_to_tensor",
                         "tensorflow.data.Dataset.from_tensor_slices"})


def _statement_at_scope_top(p, node, scope) -> bool:
    """Whether the assignment `node` is a statement of `scope`'s own body (not inside an `if`,
    a loop or a `with`, where it may not run or may run again)."""
    line = p.parent.get(node)
    holder = p.parent.get(line)
    if type(scope) is cst.Module:
        return type(holder) is cst.Module
    return holder is not None and p.parent.get(holder) is scope


class TrainingDataHoldsValidationSplit(Rule):
    """
    ## What it does
    Finds a Keras `fit` whose `validation_data` is one part of a split
    (`sklearn.model_selection.train_test_split`, `keras.utils.split_dataset`) of some data, while
    the training data is that same data, or rows taken from it directly (a column, a
    `.sample(frac=...)`, `.to_numpy()`), not from the split's training part:
    `x_train, x_val = train_test_split(df['text'])` and then
    `model.fit(df['text'].sample(frac=0.1), validation_data=(x_val, ...))`. A slice of the rows
    (`x_val = x[n:]`, `validation_data=(x[-500:], y[-500:])`) held out while fit trains on the
    whole of `x` is the same mistake.

    ## Why is this bad?
    The validation rows are among the rows the model trains on. The validation loss then
    measures memorization, not generalization: it follows the training loss, early stopping
    and model selection see no overfitting, and the reported score is better than the model
    is. Nothing raises. The split was made, but the training data was taken from before it.

    ## Example
    ```python
    train_sentences, val_sentences, train_labels, val_labels = train_test_split(
        df["text"].to_numpy(), df["target"].to_numpy(), test_size=0.1)
    subset = df[["text", "target"]].sample(frac=0.1)
    model.fit(subset["text"].to_list(), subset["target"].to_list(),
              validation_data=(val_sentences, val_labels))
    ```

    ## Use instead
    ```python
    _, sentences_10, _, labels_10 = train_test_split(train_sentences, train_labels, test_size=0.1)
    model.fit(sentences_10, labels_10, validation_data=(val_sentences, val_labels))
    ```

    ## Fix safety
    There is no automatic fix: which rows to train on is the author's choice.
    """

    code = "TL507"
    triggers = ("validation_data",)
    name = "training-data-holds-validation-split"
    severity = Severity.WARNING
    summary = "fit trains on the data a validation split was taken from, not on the split's training part: the validation rows are trained on."
    failing = (
        "import numpy as np\nimport keras\nfrom sklearn.model_selection import train_test_split\n"
        "X = np.random.rand(100, 4)\ny = np.random.rand(100)\nX_train, X_val, y_train, y_val = train_test_split(X, y)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(X, y, validation_data=(X_val, y_val))  # TL507\n",
        "import numpy as np\nimport tensorflow as tf\n\nX = np.random.rand(100, 4)\ny = np.random.rand(100)\n"
        "X_val, y_val = X[80:], y[80:]\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.compile(loss='mse')\nmodel.fit(X, y, validation_data=(X_val, y_val))  # TL507\n",
    )
    passing = (
        "import numpy as np\nimport keras\nfrom sklearn.model_selection import train_test_split\n"
        "X = np.random.rand(100, 4)\ny = np.random.rand(100)\nX_train, X_val, y_train, y_val = train_test_split(X, y)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(X_train, y_train, validation_data=(X_val, y_val))\n",
    )
    lookalikes = (
        # the data rebound to the training part before fit
        "import numpy as np\nimport keras\nfrom sklearn.model_selection import train_test_split\n"
        "X = np.random.rand(100, 4)\ny = np.random.rand(100)\nX, X_val, y, y_val = train_test_split(X, y)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(X, y, validation_data=(X_val, y_val))\n",
        # a split of other data
        "import numpy as np\nimport keras\nfrom sklearn.model_selection import train_test_split\n"
        "X = np.random.rand(100, 4)\nZ = np.random.rand(100, 4)\ny = np.random.rand(100)\n"
        "Z_train, Z_val, y_train, y_val = train_test_split(Z, y)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(X, y, validation_data=(Z_val, y_val))\n",
        # the training rows are the other slice
        "import numpy as np\nimport tensorflow as tf\n\nX = np.random.rand(100, 4)\ny = np.random.rand(100)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "model.fit(X[:80], y[:80], validation_data=(X[80:], y[80:]))\n",
    )

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "TL507 split or slice and validation_data",
                         lambda t: "validation_data" in t and ("train_test_split" in t or "split_dataset" in t
                                                              or ":]" in t)):
            return
        env = module_names(ctx)
        for call in calls_written(ctx, ("fit",)):
            if type(call.func) is not cst.Attribute or call.func.attr.value != "fit":
                continue
            val = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "validation_data"), None)
            x = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "x"), None)
            if val is None or x is None or (call.args[0].keyword is not None and call.args[0].keyword.value != "x"):
                continue
            self._check(ctx, env, call, x, val)

    def _check(self, ctx, env, call, x, val):
        p = parents(ctx)
        scope = p.scope(call)
        if scope is None or type(scope) is cst.Lambda:
            return
        first = val.elements[0].value if type(val) is cst.Tuple and val.elements else val
        held = _origin(ctx, p, env, scope, first, call)
        if held is None or held[0] != "part":
            return
        _, split, index, source = held
        trained = _origin(ctx, p, env, scope, x, call)
        if trained is None or trained[0] != "rows" or source is None or trained[1] is not source[1]:
            return
        if type(split) is cst.Subscript:
            shown = " ".join(ctx.source(split).split())
            how = (f"the data whose rows `{shown}` (line {line_of(ctx, split)}) slices off for validation, not "
                   f"the rows left for training")
        else:
            how = f"the data the split at line {line_of(ctx, split)} divides, not from the split's training part"
        ctx.report(self, x,
                   f"the training data is taken straight from `{source[2]}`, {how}: the validation rows are among "
                   f"the rows the model trains on",
                   related=[(split, "the split the validation data comes from")])


def _origin(ctx, p, env, scope, expr, at, depth=0):
    """Where the rows of `expr` come from: ("part", split call, part index, source) for a part of
    a split, ("rows", binding, name) for the rows of a name's value (through row-keeping steps);
    None when the program does not say."""
    if depth > 12:
        return None
    kind = type(expr)
    if kind is cst.Name:
        binding = _reaching(ctx, p, scope, expr.value, at)
        if binding is None:
            return None
        node, value, position = binding
        if position is not None and type(value) is cst.Tuple:
            # `val_x, val_y = x[800:], y[800:]`: the element bound to the name
            items = value.elements
            if len(items) != len(_bound_names(node)) or any(type(e) is cst.StarredElement for e in items):
                return None
            return _origin(ctx, p, env, scope, items[position].value, node, depth + 1)
        if position is not None:
            return _part(ctx, p, env, scope, value, position, node, depth)
        got = _origin(ctx, p, env, scope, value, node, depth + 1)
        return got if got is not None else ("rows", node, expr.value)
    if kind is cst.Subscript and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Slice:
        # `X[n:]`: some of the rows of X, held out by slicing
        source = _origin(ctx, p, env, scope, expr.value, at, depth + 1)
        return "part", expr, None, (source if source is not None and source[0] == "rows" else None)
    if kind is cst.Subscript and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Index:
        index = expr.slice[0].slice.value
        if type(index) is cst.SimpleString or (type(index) is cst.List and all(
                type(e.value) is cst.SimpleString for e in index.elements)):
            return _origin(ctx, p, env, scope, expr.value, at, depth + 1)  # a column, or columns
        return None
    if kind is cst.Attribute and expr.attr.value in ("values",):
        return _origin(ctx, p, env, scope, expr.value, at, depth + 1)
    if kind is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value in _ROW_KEEPING:
        return _origin(ctx, p, env, scope, expr.func.value, at, depth + 1)
    if kind is cst.Call and expr.args and expr.args[0].keyword is None and type(expr.func) in (cst.Name, cst.Attribute):
        name = imported_qualname(env, expr.func) or (expr.func.value if type(expr.func) is cst.Name else None)
        if name in _CONVERTING:
            return _origin(ctx, p, env, scope, expr.args[0].value, at, depth + 1)
    return None


def _part(ctx, p, env, scope, value, position, node, depth):
    """A part of a split, when `value` (unpacked, `position` its target) is a split call."""
    if type(value) is not cst.Call or type(value.func) not in (cst.Name, cst.Attribute):
        return None
    how = _SPLITS.get(imported_qualname(env, value.func))
    if how is None or any(a.star for a in value.args):
        return None
    arrays = [a.value for a in value.args if a.keyword is None]
    if how == "one":
        arrays = arrays[:1]
        if position > 1:
            return None
        source_expr = arrays[0] if arrays else None
        if type(source_expr) is cst.Tuple and source_expr.elements:
            source_expr = source_expr.elements[0].value  # (features, labels): the features' rows
    else:
        source_expr = arrays[position // 2] if position // 2 < len(arrays) else None
    if source_expr is None:
        return None
    source = _origin(ctx, p, env, scope, source_expr, node, depth + 1)
    return "part", value, position, (source if source is not None and source[0] == "rows" else None)


def _bound_names(node):
    """The names a plain assignment binds (one name, or a tuple of names)."""
    if len(node.targets) != 1:
        return ()
    target = node.targets[0].target
    if type(target) is cst.Name:
        return (target.value,)
    if type(target) in (cst.Tuple, cst.List) and all(type(e.value) is cst.Name for e in target.elements):
        return tuple(e.value.value for e in target.elements)
    return ()


_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _reaching(ctx, p, scope, name, at):
    """(assignment, value, position in a tuple target or None) of the last plain assignment of
    `name` in `scope`'s own body before `at`; None when there is none, or when it sits in an
    `if`, a loop or a `with` (it may not have run, or run again)."""
    if type(scope) is cst.Module:
        nodes = module_nodes_named(ctx, (cst.Assign,), _bound_names, name)
    else:
        nodes = [n for n in descendants(scope, prune=_OWN) if type(n) is cst.Assign and name in _bound_names(n)]
    before = line_of(ctx, at)
    best = None
    for n in nodes:
        line = line_of(ctx, n)
        if line < before and (best is None or line > best[0]):
            best = (line, n)
    if best is None or not _statement_at_scope_top(p, best[1], scope):
        return None
    node = best[1]
    names = _bound_names(node)
    position = None if type(node.targets[0].target) is cst.Name else names.index(name)
    return node, node.value, position
