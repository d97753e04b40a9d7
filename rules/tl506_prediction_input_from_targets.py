import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import function_defs, imported_qualname, module_names
from ._reaching import bound_by
from ._trees import ByName, gathered_by_chunk, node_memo, per_chunk, per_chunk_index

_SPLITS = frozenset({"sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split"})
# methods and functions whose result holds the rows of the array they are given
_ROW_METHODS = frozenset({"reshape", "astype", "copy", "to_numpy", "numpy", "squeeze", "flatten", "ravel"})
_ROW_ATTRIBUTES = frozenset({"values"})
_ROW_FUNCTIONS = frozenset({
    "numpy.array", "numpy.asarray", "numpy.expand_dims", "numpy.reshape", "numpy.squeeze", "numpy.ravel",
    "tensorflow.expand_dims", "tensorflow.reshape", "tensorflow.squeeze", "tensorflow.constant",
    "tensorflow.convert_to_tensor", "tensorflow.cast", "torch.tensor", "torch.as_tensor", "torch.from_numpy",
})
_INPUT_METHODS = frozenset({"predict", "predict_on_batch", "predict_proba", "predict_classes", "evaluate"})
_PRUNE = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_COMPOUND = tuple(getattr(cst, k) for k in ("If", "For", "While", "With", "Try", "TryStar", "Match") if hasattr(cst, k))


class PredictionInputFromTargets(Rule):
    """
    ## What it does
    Finds a model given, as the input of `predict` or `evaluate`, rows of the array it was
    fitted to output: `model.fit(X_train, y_train)` and then `model.predict(y_test)`, where
    `y_train` and `y_test` are two parts of one array (slices of it, or the two target parts
    of `train_test_split(X, y)`) and the training inputs come from another array. The origin of
    each argument is followed through assignments made once, at the top of the function or
    module, through slices and row-keeping conversions (`np.array`, `tf.expand_dims`,
    `.reshape`, `.values`); a name bound inside a branch or a loop, or computed any other way,
    ends the search and nothing is reported. An autoencoder or a sequence model fitted with
    inputs and targets from one array stays silent.

    ## Why is this bad?
    The model learned to map the inputs to the targets; given targets as inputs, it returns
    numbers that answer no question, and the plot or the score made from them describes the
    mix-up, not the model. Where the shapes agree (a regression on one feature), nothing raises.

    ## Example
    ```python
    X_train, X_test = X[:150], X[150:]
    y_train, y_test = y[:150], y[150:]
    model.fit(X_train, y_train, epochs=100)
    y_pred = model.predict(y_test)
    ```

    ## Use instead
    ```python
    y_pred = model.predict(X_test)
    ```

    ## Fix safety
    There is no automatic fix: which inputs were meant is the program's.
    """

    code = "TL506"
    triggers = (".fit(",)
    name = "prediction-input-from-targets"
    severity = Severity.WARNING
    summary = "A model given as the input of predict/evaluate rows of the array whose other rows it was fitted to output."
    failing = (
        "import numpy as np\nimport tensorflow as tf\n\nX = np.arange(0, 1000, 5)\ny = np.arange(100, 1100, 5)\n"
        "X_train, X_test = X[:150], X[150:]\ny_train = y[:150]\ny_test = y[150:]\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mae', optimizer='adam')\n"
        "model.fit(tf.expand_dims(X_train, axis=-1), y_train, epochs=5)\npreds = model.predict(y_test)  # TL506\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\n\nX = np.arange(0, 1000, 5)\ny = np.arange(100, 1100, 5)\n"
        "X_train, X_test = X[:150], X[150:]\ny_train = y[:150]\ny_test = y[150:]\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss='mae', optimizer='adam')\n"
        "model.fit(tf.expand_dims(X_train, axis=-1), y_train, epochs=5)\npreds = model.predict(X_test)\n",
    )
    lookalikes = (
        # an autoencoder and a next-step model: inputs and targets from one array
        "import numpy as np\nfrom tensorflow import keras\n\nx = np.random.rand(100, 8)\nx_train, x_test = x[:80], x[80:]\n"
        "ae = keras.Sequential([keras.layers.Dense(8)])\nae.compile(loss='mse', optimizer='adam')\n"
        "ae.fit(x_train, x_train)\nout = ae.predict(x_test)\n"
        "series = np.random.rand(500, 1)\nnet = keras.Sequential([keras.layers.Dense(1)])\n"
        "net.compile(loss='mse', optimizer='adam')\nnet.fit(series[:-1], series[1:])\nnxt = net.predict(series[-1:])\n",
        # the targets rebound in a branch: which array they hold is not fixed
        "import numpy as np\nfrom sklearn.linear_model import LinearRegression\n\nX = np.random.rand(50, 1)\n"
        "y = np.random.rand(50)\nif X.shape[0] > 10:\n    y = X[:, 0] * 2\nclf = LinearRegression()\n"
        "clf.fit(X[:40], y[:40])\np = clf.predict(y[40:].reshape(-1, 1))\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if ".fit(" not in text or not any(f".{m}(" in text for m in _INPUT_METHODS):
            return
        env = module_names(ctx)
        # what each chunk's module-level code binds and calls, and each function's, is gathered
        # once per tree and kept across a document's edits; a scope is judged only where it
        # fits and then predicts with one receiver
        parts = per_chunk(ctx, ("TL506 module code",), lambda module: _Gathered(module.body))
        module = _Gathered.merged(ctx, parts)
        gathered = node_memo(ctx, ("TL506 function code",), lambda d: _Gathered(d.body.body))
        scopes = [module] + [gathered(d) for _, d in function_defs(ctx) if isinstance(d.body, cst.IndentedBlock)]
        for found in scopes:
            if found.pairs():
                _Scope(ctx, env, found).check(self)


class _Gathered:
    """The bindings and the fit/predict calls of one function's or the module's own code, by
    node (lines are read when judged: the nodes of a kept chunk move with the edits before it)."""

    def __init__(self, body=()):
        self.top: dict = {}  # name -> [(assignment, target node, value)] of plain assignments at the top of the scope
        self.other: set = set()  # names bound any other way (in a branch, a loop, by augmented assignment...)
        self.calls: list = []  # (call, receiver text, method, call)
        self._statements(body, True)

    @classmethod
    def merged(cls, ctx, parts) -> "_Gathered":
        """The module's, from every chunk's (`parts`): the calls of all; a name's bindings
        gathered when asked for, from the last run's for the chunks an edit did not change."""
        out = cls()
        out.calls = [c for part in parts for c in part.calls]
        tops = [part.top for part in parts]
        others = per_chunk_index(ctx, ("TL506 module names bound otherwise",), lambda i: dict.fromkeys(parts[i].other, ()))
        out.top = ByName(lambda name: [b for _, found in gathered_by_chunk(ctx, ("TL506 module code",), tops, name)
                                       for b in found])
        out.other = ByName(lambda name: gathered_by_chunk(ctx, ("TL506 module names bound otherwise",), others, name))
        return out

    def pairs(self) -> bool:
        """Whether one receiver is fitted and given to an input method here."""
        fitted = {r for _, r, m, _ in self.calls if m == "fit"}
        return any(m != "fit" and r in fitted for _, r, m, _ in self.calls)

    def _statements(self, body, top):
        for stmt in body:
            kind = type(stmt)
            if kind is cst.SimpleStatementLine:
                for small in stmt.body:
                    self._small(small, top)
                self._gather_calls(stmt)
            elif kind in (cst.FunctionDef, cst.ClassDef):
                self.other.add(stmt.name.value)
            elif kind in _COMPOUND:
                self._compound(stmt)

    def _compound(self, stmt):
        for node in descendants(stmt, prune=_PRUNE):
            kind = type(node)
            if kind is cst.Call:
                self._call(node)
            elif kind in (cst.FunctionDef, cst.ClassDef):
                self.other.add(node.name.value)
            else:
                for target in _bound_by(node):
                    self._bound_other(target)

    def _small(self, small, top):
        if type(small) is not cst.Assign or not top:
            for target in _bound_by(small):
                self._bound_other(target)
            return
        for t in small.targets:
            target = t.target
            if type(target) is cst.Name:
                self.top.setdefault(target.value, []).append((small, None, small.value))
            elif type(target) in (cst.Tuple, cst.List):
                for i, el in enumerate(target.elements):
                    if type(el.value) is cst.Name:
                        self.top.setdefault(el.value.value, []).append((small, (i, len(target.elements)), small.value))
                    else:
                        self._bound_other(el.value)
            else:
                self._bound_other(target)

    def _bound_other(self, node):
        """Record the names a binding target binds or changes (`a`, `a, b`, `a.b`, `a[i]`)."""
        kind = type(node)
        if kind is cst.Name:
            self.other.add(node.value)
        elif kind in (cst.Tuple, cst.List):
            for el in node.elements:
                self._bound_other(el.value)
        elif kind in (cst.StarredElement, cst.Attribute, cst.Subscript):
            self._bound_other(node.value)

    def _gather_calls(self, stmt):
        for node in descendants(stmt, prune=_PRUNE):
            if type(node) is cst.Call:
                self._call(node)
            elif type(node) is cst.NamedExpr:
                self._bound_other(node.target)

    def _call(self, call):
        func = call.func
        if type(func) is cst.Attribute and (func.attr.value == "fit" or func.attr.value in _INPUT_METHODS):
            receiver = dotted(func.value)
            if receiver:
                self.calls.append((call, receiver, func.attr.value, call))


class _Scope:
    """One scope's gathered code, judged: where the rows of a fit's targets and a prediction's
    input come from."""

    def __init__(self, ctx, env, gathered: _Gathered):
        self.ctx, self.env = ctx, env
        self.top, self.other = gathered.top, gathered.other
        self.calls = [(ctx.line(node), receiver, method, call) for node, receiver, method, call in gathered.calls]
        self.made: dict = {}  # (name, line) -> the value an assignment there made an array of
        self._lines: dict = {}

    def _line(self, node) -> int:
        got = self._lines.get(id(node))
        if got is None:
            got = self._lines[id(node)] = self.ctx.line(node)
        return got
    # -- where an argument's rows come from --------------------------------------------------

    def origin(self, expr, line, depth=0):
        """A key naming the array whose rows `expr` holds, or None when the program does not fix it."""
        if depth > 20 or expr is None:
            return None
        kind = type(expr)
        if kind is cst.Subscript:
            return self.origin(expr.value, line, depth + 1)
        if kind is cst.Call:
            func = expr.func
            q = imported_qualname(self.env, func)
            if q is None and type(func) is cst.Attribute and func.attr.value in _ROW_METHODS:
                return self.origin(func.value, line, depth + 1)
            if q in _ROW_FUNCTIONS and expr.args and expr.args[0].keyword is None and not expr.args[0].star:
                return self.origin(expr.args[0].value, line, depth + 1)
            return None
        if kind is cst.Attribute:
            if expr.attr.value in _ROW_ATTRIBUTES:
                return self.origin(expr.value, line, depth + 1)
            text = dotted(expr)
            head = text.split(".")[0]
            return (text, None) if text and head not in self.other and head not in self.top else None
        if kind is cst.Name:
            name = expr.value
            if name in self.other:
                return None
            before = [b for b in self.top.get(name, ()) if self._line(b[0]) < line]
            if not before:
                return None if name in self.top or name in self.env else (name, None)
            bound, part, value = before[-1]
            bound_line = self._line(bound)
            got = (self.origin(value, bound_line, depth + 1) if part is None else
                   self._split_part(value, part, bound_line, depth))
            if got is not None:
                return got
            # an array the assignment makes: the name, as bound there, is where its rows come from
            key = (name, bound_line)
            self.made[key] = value
            return key
        return None

    def depends(self, key, other, depth=0) -> bool:
        """Whether the array `key` names was computed from the array `other` names."""
        value = self.made.get(key)
        if value is None or depth > 20:
            return False
        for n in descendants(value, prune=_PRUNE):
            if type(n) is cst.Name:
                got = self.origin(n, key[1])
                if got == other or (got is not None and got != key and self.depends(got, other, depth + 1)):
                    return True
        return False

    def _split_part(self, value, part, line, depth):
        """The origin of element `part` (index, count) of a tuple assigned from `value`."""
        i, count = part
        if type(value) in (cst.Tuple, cst.List) and len(value.elements) == count:
            el = value.elements[i]
            return None if isinstance(el, cst.StarredElement) else self.origin(el.value, line, depth + 1)
        if type(value) is cst.Call and imported_qualname(self.env, value.func) in _SPLITS:
            arrays = [a for a in value.args if a.keyword is None]
            if any(a.star for a in arrays) or count != 2 * len(arrays):
                return None
            return self.origin(arrays[i // 2].value, line, depth + 1)
        return None

    # -- the check ------------------------------------------------------------------------------

    def check(self, rule):
        fits: dict = {}
        for line, receiver, method, call in sorted(self.calls, key=lambda c: c[0]):
            if method == "fit":
                x, y = _argument(call, 0, "x"), _argument(call, 1, "y")
                fits[receiver] = (line, call, x, y) if x is not None and y is not None else None
                continue
            fit = fits.get(receiver)
            z = _argument(call, 0, "x")
            if fit is None or z is None or self._rebound_between(receiver, fit[0], line):
                continue
            fit_line, fit_call, x, y = fit
            oy = self.origin(y, fit_line)
            if oy is None or self.origin(z, line) != oy:
                continue
            ox = self.origin(x, fit_line)
            if ox is None or ox == oy or self.depends(ox, oy) or self.depends(oy, ox):
                continue
            ctx = self.ctx
            ctx.report(rule, z,
                       f"`{receiver}.{method}` is given `{ctx.source(z).strip()}`, rows of `{oy[0]}`, the array "
                       f"`{receiver}` was fitted to output (`{ctx.source(y).strip()}` at line {fit_line}), while "
                       f"its inputs came from `{ox[0]}`: the model is fed targets, not inputs",
                       related=[(fit_call, "fitted here")])

    def _rebound_between(self, receiver, start, end) -> bool:
        head = receiver.split(".")[0]
        return head in self.other or any(start < self._line(b[0]) < end for b in self.top.get(head, ()))


def _bound_by(node) -> list:
    """The targets a statement or clause binds: assignments, `del`, imports (their names), and
    what `_reaching.bound_by` reads (loop, `with` and handler targets, `global`, `nonlocal`...)."""
    kind = type(node)
    if kind is cst.Assign:
        return [t.target for t in node.targets]
    if kind is cst.Del:
        return [node.target]
    if kind is cst.CompFor:  # a comprehension's own names
        return []
    if kind in (cst.Import, cst.ImportFrom):
        return [] if isinstance(node.names, cst.ImportStar) else [bound_by(a) for a in node.names]
    target = bound_by(node)
    return [] if target is None else [target]


def _argument(call, position, keyword):
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return a.value
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in positional[:position + 1]) or len(positional) <= position:
        return None
    return positional[position].value
