import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import per_chunk, per_chunk_text

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_LOOPS = (cst.For, cst.While)
# NumPy constructors whose first argument is the new array's shape
_SHAPED = frozenset({"zeros", "ones", "empty", "full"})


class FitInputReboundInLoop(Rule):
    """
    ## What it does
    Finds a loop that trains with `model.fit(x, y, ...)` (or `train_on_batch(x, y)`) and, after
    that call, binds `x` again to an array of one sample (`np.zeros((1, maxlen, n_chars))`,
    `np.ones((1, d))`, `seed.reshape(1, -1)`), while `y` is bound nowhere in the loop: the
    sampling code that follows each round of training reuses the name of the training inputs.

    ## Why is this bad?
    From the second pass of the loop on, `fit` is given the one-sample array as its inputs and
    the whole target array as its targets. Keras refuses inputs and targets with different
    numbers of samples, so the script stops after the first round (often after an hour of
    training and sampling); a library that does not check trains the model on one input.

    ## Example
    ```python
    for iteration in range(1, 60):
        model.fit(x, y, batch_size=128, epochs=1)
        for i in range(400):
            x = np.zeros((1, maxlen, len(chars)))
            ...
            preds = model.predict(x, verbose=0)[0]
    ```

    ## Use instead
    ```python
    for iteration in range(1, 60):
        model.fit(x, y, batch_size=128, epochs=1)
        for i in range(400):
            x_pred = np.zeros((1, maxlen, len(chars)))
            ...
            preds = model.predict(x_pred, verbose=0)[0]
    ```

    ## Fix safety
    There is no automatic fix: the new name is the author's to choose.

    Only a plain name given to `fit` as its inputs counts, with the targets a plain name too;
    a loop that binds the targets as well (a new chunk of data each pass) is left alone, and so
    is a one-sample array made before the call in the same pass (training on one sample at a
    time, with targets to match), and inputs that each pass binds again before the call (the
    loop's own target, a batch drawn at the top of the body).
    """

    code = "TL453"
    name = "fit-input-rebound-in-loop"
    severity = Severity.ERROR
    summary = ("A training loop binds fit's input name again, after the call, to an array of one sample while the "
               "targets stay: from the second pass on, fit gets one input against all the targets.")
    failing = (
        "import numpy as np\nfrom tensorflow import keras\n\nx = np.zeros((500, 40, 30))\ny = np.zeros((500, 30))\n"
        "model = keras.Sequential([keras.layers.LSTM(128), keras.layers.Dense(30, activation='softmax')])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\nfor iteration in range(1, 60):\n"
        "    model.fit(x, y, batch_size=128, epochs=1)\n    for i in range(400):\n"
        "        x = np.zeros((1, 40, 30))  # TL453\n        preds = model.predict(x, verbose=0)[0]\n",
    )
    passing = (
        "import numpy as np\nfrom tensorflow import keras\n\nx = np.zeros((500, 40, 30))\ny = np.zeros((500, 30))\n"
        "model = keras.Sequential([keras.layers.LSTM(128), keras.layers.Dense(30, activation='softmax')])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\nfor iteration in range(1, 60):\n"
        "    model.fit(x, y, batch_size=128, epochs=1)\n    for i in range(400):\n"
        "        x_pred = np.zeros((1, 40, 30))\n        preds = model.predict(x_pred, verbose=0)[0]\n",
    )
    lookalikes = (
        # online training: one sample and its target made before the call, each pass
        "import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "for step in range(100):\n    x = np.zeros((1, 4))\n    y = np.ones((1, 1))\n    model.train_on_batch(x, y)\n",
        # a new chunk of inputs and targets each pass
        "import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "x, y = np.zeros((64, 4)), np.zeros((64, 1))\nfor chunk in range(10):\n    model.fit(x, y)\n"
        "    x = np.zeros((1, 4))\n    y = np.zeros((1, 1))\n",
        # the inputs rebuilt with all their samples (an augmentation of the same rows)
        "import numpy as np\nimport keras\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
        "x, y = np.zeros((64, 4)), np.zeros((64, 1))\nfor epoch in range(10):\n    model.fit(x, y)\n"
        "    x = np.zeros((64, 4)) + np.random.rand(64, 4)\n",
    )

    def on_module(self, ctx, ev):
        if not any(per_chunk_text(ctx, ("TL453 fit in text",), _trains)):
            return
        for found in per_chunk(ctx, ("TL453 rebound inputs",), _rebound_inputs):
            for stmt, call, x, y in found:
                message = (f"`{x}` is bound again here, inside the loop that trains with `{dotted(call.func)}({x}, {y}, ...)` "
                           f"(line {ctx.line(call)}), to an array of one sample: from the second pass on, the call "
                           f"trains on it against all the targets (give the new array its own name)")
                ctx.report(self, stmt, message, related=[(call, f"`{x}` is the training input here")])


def _trains(text: str) -> bool:
    return ".fit(" in text or ".train_on_batch(" in text


def _rebound_inputs(module) -> list:
    """(statement, fit call, input name) for each `x = <one-sample array>` that follows, in the
    same loop, a `fit(x, y)` whose `y` the loop never binds."""
    out, seen = [], set()
    for loop in descendants(module, prune=()):
        if type(loop) not in _LOOPS:
            continue
        own = list(descendants(loop.body, prune=_SCOPES))
        bound = _bound_in(own)
        for call in own:
            if type(call) is not cst.Call or type(call.func) is not cst.Attribute \
                    or call.func.attr.value not in ("fit", "train_on_batch"):
                continue
            x, y = _arg(call, 0, "x"), _arg(call, 1, "y")
            if type(x) is not cst.Name or type(y) is not cst.Name or y.value in bound or x.value == y.value:
                continue
            if type(loop) is cst.For and x.value in _bound_in([loop]):
                continue  # the loop's own target: each pass binds it again before the call
            after = False
            for n in own:
                if n is call:
                    after = True
                elif not after and x.value in _bound_in([n]):
                    break  # bound again before the call in each pass: the call never sees the later binding
                elif after and type(n) is cst.Assign and len(n.targets) == 1 \
                        and type(n.targets[0].target) is cst.Name and n.targets[0].target.value == x.value \
                        and _one_sample(n.value):
                    if id(n) not in seen:  # (a loop around this one holds both as well)
                        seen.add(id(n))
                        out.append((n, call, x.value, y.value))
                    break
    return out


def _bound_in(nodes) -> set:
    """The plain names the nodes bind: assignment, loop and `with` targets."""
    out = set()
    for n in nodes:
        kind = type(n)
        if kind is cst.AssignTarget or kind is cst.AugAssign or kind is cst.AnnAssign or kind is cst.For:
            out |= {t.value for t in descendants(n.target) if type(t) is cst.Name} | (
                {n.target.value} if type(n.target) is cst.Name else set())
        elif kind is cst.AsName:
            out |= {t.value for t in descendants(n.name) if type(t) is cst.Name}
    return out


def _arg(call, index, keyword):
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return a.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[index].value if len(positional) > index else None


def _one_sample(value) -> bool:
    """An array of one sample: `np.zeros((1, ...))` (`ones`, `empty`, `full`), or
    `a.reshape(1, ...)` / `a.reshape((1, ...))` with more than one axis."""
    if type(value) is not cst.Call:
        return False
    name = dotted(value.func)
    if name.rpartition(".")[2] in _SHAPED and name.partition(".")[0] in ("np", "numpy"):
        shape = _arg(value, 0, "shape")
        dims = shape.elements if type(shape) in (cst.Tuple, cst.List) else None
        return bool(dims) and len(dims) > 1 and _is_one(dims[0].value)
    if type(value.func) is cst.Attribute and value.func.attr.value == "reshape":
        args = [a.value for a in value.args if a.keyword is None and not a.star]
        dims = args[0].elements if len(args) == 1 and type(args[0]) in (cst.Tuple, cst.List) else None
        dims = [d.value for d in dims] if dims is not None else args
        return len(dims) > 1 and _is_one(dims[0])
    return False


def _is_one(node) -> bool:
    return type(node) is cst.Integer and node.value == "1"
