"""TL511: the first k rows of an array are set aside by slicing the training data from row k on
(`x = data[k:]`) and never read, while a model trained on `x` predicts on `x[:k]`: the rows set
aside were meant for that prediction, which runs on training rows instead."""
import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._data_order import name_reads
from ._trees import text_matches

# Both gates are led by the bracket, the word before it checked behind it: a pattern led by `\w`
# is tried at every position of the text (25 times slower on the benchmark corpus), one led by
# a literal jumps from bracket to bracket. Each matches where `\w\[...` would, one character on.
_MENTIONS = re.compile(r"\[(?<=\w\[)\s*\d+\s*:")  # rows from k on: `data[3:`
_FIRST_ROWS = re.compile(r"\[(?<=\w\[)\s*:\s*\d+\s*\]")  # the first k rows: `x[:3]`
# methods that train a model on their first argument
_TRAINERS = ("fit", "train_on_batch", "partial_fit")
_REGRESSION = (
    "import numpy as np\nimport torch\nimport torch.nn as nn\n\n"
    "data = np.random.rand(100, 11)\n"
    "x = torch.from_numpy(data[10:, :-1]).float()\n"
    "y = torch.from_numpy(data[10:, -1:]).float()\n"
    "{held_out}"
    "model = nn.Linear(10, 1)\n"
    "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "for _ in range(5):\n"
    "    opt.zero_grad()\n"
    "    nn.functional.mse_loss(model(x), y).backward()\n"
    "    opt.step()\n"
    "pred = model({predicted}){mark}\n"
)


def _int(node):
    return int(node.value, 0) if isinstance(node, cst.Integer) else None


def _first_slice(node):
    """The first index of the subscript `node` when it is a slice without a step: (lower, upper)
    as ints or None for an absent bound; None for anything else (an index, a computed bound)."""
    if not isinstance(node, cst.Subscript) or not node.slice:
        return None
    part = node.slice[0].slice
    if not isinstance(part, cst.Slice) or part.step is not None:
        return None
    lower = None if part.lower is None else _int(part.lower)
    upper = None if part.upper is None else _int(part.upper)
    if (part.lower is not None and lower is None) or (part.upper is not None and upper is None):
        return None
    return lower, upper


def _within(node):
    """`node` and every node of code below it."""
    yield node
    yield from descendants(node)


def _facts(module_list):
    """The file's variable names (not attribute or keyword names), the values of every name's
    assignments (None where not assigned a value by `name = ...`), the subscripts of plain
    names, and the calls."""
    names, assigned, subscripts, calls = {}, {}, {}, []
    for module in module_list:
        for node in name_reads(module):
            names.setdefault(node.value, []).append(node)
        for node in descendants(module):
            kind = type(node)
            if kind is cst.Call:
                calls.append(node)
            elif kind is cst.Subscript and type(node.value) is cst.Name:
                subscripts.setdefault(node.value.value, []).append(node)
            elif kind is cst.Assign:
                for t in node.targets:
                    for n in _within(t.target):
                        if isinstance(n, cst.Name):
                            assigned.setdefault(n.value, []).append(node.value if isinstance(t.target, cst.Name) else None)
            elif kind in (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.WithItem):
                target = getattr(node, "target", None) or getattr(getattr(node, "asname", None), "name", None)
                for n in _within(target) if target is not None else ():
                    if isinstance(n, cst.Name):
                        assigned.setdefault(n.value, []).append(None)
    return names, assigned, subscripts, calls


class PredictionOnRowsKeptForTraining(Rule):
    """
    ## What it does
    Finds a prediction on the first k rows of the training data, `model(x[:k])` or
    `model.predict(x[:k])`, where `x` was sliced from an array from row k on (`x = data[k:]`,
    also through wrappers such as `torch.from_numpy(data[k:, :-1])`), the first k rows of that
    array are read nowhere in the file, and the same model is trained on `x` (`model(x)` or
    `model.fit(x, ...)`, where a model called like a function must have its `parameters()` read,
    as an optimizer's are). Each of the names is assigned once in the file, and the array is
    used only through slices from row k on.

    ## Why is this bad?
    Slicing the training data from row k leaves the first k rows out of training: they are the
    held-out rows. Predicting on `x[:k]` shows the model rows it was trained on, so the
    "test" looks better than it is, and the rows set aside are never used.

    ## Example
    ```python
    train_x = torch.from_numpy(data[3:, :-1])
    ...
    pred = model(train_x[:3], future=1000)
    ```

    ## Use instead
    ```python
    test_x = torch.from_numpy(data[:3, :-1])
    pred = model(test_x, future=1000)
    ```

    ## Fix safety
    There is no automatic fix: the held-out rows must be built as the training rows are.
    """

    code = "TL511"
    name = "prediction-on-rows-kept-for-training"
    severity = Severity.WARNING
    triggers = (":",)
    summary = ("A prediction on the first k rows of training data sliced from row k on, while the k rows set aside "
               "are never read: the test runs on training rows.")
    failing = (_REGRESSION.format(held_out="", predicted="x[:10]", mark="  # TL511"),)
    passing = (_REGRESSION.format(held_out="test_x = torch.from_numpy(data[:10, :-1]).float()\n", predicted="test_x", mark=""),)
    lookalikes = (
        # the first rows are held out and used: looking at a few training rows is a choice
        "import numpy as np\nfrom tensorflow import keras\n\n"
        "data = np.random.rand(100, 5)\nx_train, x_test = data[20:], data[:20]\n"
        "model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(5)])\nmodel.compile('adam', 'mse')\n"
        "model.fit(x_train, x_train, epochs=1)\nmodel.evaluate(x_test, x_test)\nshown = model.predict(x_train[:20])\n",
        # a prediction on a number of rows other than the number set aside
        "import numpy as np\nfrom tensorflow import keras\n\n"
        "data = np.random.rand(100, 5)\nx_train = data[1:]\n"
        "model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(5)])\nmodel.compile('adam', 'mse')\n"
        "model.fit(x_train, x_train, epochs=1)\nshown = model.predict(x_train[:8])\n",
    )

    def on_module(self, ctx, ev):
        if ":" not in ctx.text or "[" not in ctx.text or not (text_matches(ctx, _MENTIONS) and text_matches(ctx, _FIRST_ROWS)):
            return
        uses, assigned, subscripts_by_name, calls = _facts([c.module for c in ctx.chunks])
        # the training names: `x = f(data[k:, ...])`, assigned once, of an array assigned once
        kept = {}
        for name, values in assigned.items():
            if len(values) != 1 or values[0] is None:
                continue
            # the subscripts of a plain name that take the rows from some k on: (subscript, k)
            slices = [(s, b[0]) for s in _within(values[0]) if isinstance(s, cst.Subscript) and isinstance(s.value, cst.Name)
                      for b in (_first_slice(s),) if b is not None and b[0] is not None and b[1] is None]
            if len(slices) != 1:
                continue
            (made, k), source = slices[0], slices[0][0].value.value
            if k <= 0 or len(assigned.get(source, ())) != 1:
                continue
            kept[name] = (source, k, made)
        if not kept:
            return
        # a model: one whose parameters the file reads (a torch optimizer's), or one it fits
        optimized = {c.func.value.value for c in calls if isinstance(c.func, cst.Attribute)
                     and c.func.attr.value == "parameters" and isinstance(c.func.value, cst.Name)}
        trained = {(model, name) for model, name, fitted in filter(None, map(_training_call, calls))
                   if (fitted or model in optimized) and model in assigned}
        for call in calls:
            self._check_call(ctx, call, kept, uses, trained, subscripts_by_name)

    def _check_call(self, ctx, call, kept, uses, trained, subscripts_by_name):
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return
        arg = call.args[0].value
        if not isinstance(arg, cst.Subscript) or not isinstance(arg.value, cst.Name) or arg.value.value not in kept:
            return
        if len(arg.slice) != 1 or _first_slice(arg) != (None, kept[arg.value.value][1]):
            return
        train, (source, k, made) = arg.value.value, kept[arg.value.value]
        # the array's first k rows are read nowhere: every use is a slice from row k on
        reads = subscripts_by_name.get(source, [])
        if len(reads) != len(uses.get(source, ())) - 1 or any(_first_slice(s) != (k, None) for s in reads):
            return
        model = _predicting(call)
        if model is None or (model, train) not in trained:
            return
        ctx.report(self, arg,
                   f"`{train}[:{k}]` are rows of the training data (`{train}` is sliced from `{source}[{k}:]`), "
                   f"while the {k} rows `{source}[:{k}]` it leaves out are read nowhere: this prediction runs on "
                   f"rows the model was trained on; predict on `{source}[:{k}]` built as `{train}` is",
                   related=[(made, "the training rows are sliced here")])


def _predicting(call):
    """The name of the model a call runs: `model(...)`, `model.predict(...)`."""
    f = call.func
    if isinstance(f, cst.Name):
        return f.value
    if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.attr.value in (
            "predict", "predict_on_batch", "forward"):
        return f.value.value
    return None


def _training_call(call):
    """(model, name, fitted) for `model(name, ...)` or `model.fit(name, ...)`: the model run or
    trained on the whole of a plain name, and whether by a training method."""
    if not call.args or call.args[0].keyword is not None or call.args[0].star or not isinstance(call.args[0].value, cst.Name):
        return None
    f = call.func
    if isinstance(f, cst.Name):
        return f.value, call.args[0].value.value, False
    if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.attr.value in _TRAINERS:
        return f.value.value, call.args[0].value.value, True
    return None
