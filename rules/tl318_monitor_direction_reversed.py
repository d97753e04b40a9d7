import re

import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._callback_monitor import EFFECT, keras_misdirections, key_direction, lightning_misdirections, string_value
from ._common import imported_qualname, module_names, text_fact
from ._module_nodes import module_nodes_named
from ._trees import per_chunk
from ._training import parents

# text first: an `if a > b:` (or `<`) somewhere, to be checked for a body that binds one side to
# the other (`_candidates` reads the syntax only where the text has one)
# (it begins with the literal `if`, the word boundary before it tested by hand: a leading `\b`
# makes the regex engine try every position of the text)
_ORDERED_TEST = re.compile(r"if\s*\(?\s*([A-Za-z_][\w.]*)\s*[<>]=?\s*([A-Za-z_][\w.]*)\s*\)?\s*:")


def _ordered_tests(text: str):
    """The matches of `\b` + `_ORDERED_TEST` in `text`, as `finditer` would give them."""
    pos = 0
    while True:
        m = _ORDERED_TEST.search(text, pos)
        if m is None:
            return
        at = m.start()
        if at and (text[at - 1].isalnum() or text[at - 1] == "_"):
            pos = at + 1  # `elif`, `notify`: no boundary before it; the next position is tried
            continue
        yield m
        pos = m.end() if m.end() > at else at + 1


def _may_keep_best(text: str) -> bool:
    for m in _ordered_tests(text):
        a, b = m.group(1), m.group(2)
        after = text[m.end():m.end() + 2000]
        for target, value in ((b, a), (a, b)):
            for spelling in (f"{target} = {value}", f"{target}={value}"):
                at = after.find(spelling)
                while at >= 0:
                    end = at + len(spelling)
                    if (at == 0 or not (after[at - 1].isalnum() or after[at - 1] in "_.")) and (
                            end == len(after) or not (after[end].isalnum() or after[end] in "_.(")):
                        return True
                    at = after.find(spelling, at + 1)
    return False


# keras.metrics classes and keras.losses classes whose value is better when lower / higher
_LOWER_CLASSES = frozenset({"BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
                            "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
                            "MeanSquaredLogarithmicError", "RootMeanSquaredError", "KLDivergence", "Poisson", "Hinge",
                            "SquaredHinge", "CategoricalHinge", "LogCoshError", "LogCosh", "Huber"})
_HIGHER_CLASSES = frozenset({"Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
                             "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "AUC", "Precision", "Recall"})
_EVIDENCE = ("result", "logs", "history", "loss", "Loss", "cross_entropy")
_WRAPPERS = frozenset({"float", "numpy", "item", "reduce_mean", "mean", "result"})


def _class_direction(qualname):
    if not qualname:
        return None
    head, _, short = qualname.rpartition(".")
    if head in ("keras.metrics", "keras.losses"):
        return "min" if short in _LOWER_CLASSES else "max" if short in _HIGHER_CLASSES and head == "keras.metrics" else None
    if head in ("torch.nn",) and short.endswith("Loss"):
        return "min"
    return None


def _candidates(module) -> list:
    """`if` statements whose test orders two operands (`a > b`, `a < b`) and whose body binds
    one operand to the other: the branch keeps a running best."""
    out = []
    for node in statements_of(module, (cst.If,)):
        if type(node.test) is not cst.Comparison or len(node.test.comparisons) != 1:
            continue
        comp = node.test.comparisons[0]
        op = type(comp.operator)
        if op in (cst.GreaterThan, cst.GreaterThanEqual):
            larger, smaller = node.test.left, comp.comparator
        elif op in (cst.LessThan, cst.LessThanEqual):
            larger, smaller = comp.comparator, node.test.left
        else:
            continue
        big, small = dotted(larger), dotted(smaller)
        if not big or not small or big == small:
            continue
        for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            for small_stmt in stmt.body if type(stmt) is cst.SimpleStatementLine else ():
                if type(small_stmt) is not cst.Assign or len(small_stmt.targets) != 1:
                    continue
                target, value = dotted(small_stmt.targets[0].target), dotted(small_stmt.value)
                if (target, value) == (small, big):
                    out.append((node, larger, "max"))
                elif (target, value) == (big, small):
                    out.append((node, smaller, "min"))
    return out


class MonitorDirectionReversed(Rule):
    """
    ## What it does
    Finds a "best so far" kept in the wrong direction: a Keras `EarlyStopping`,
    `ModelCheckpoint` or `ReduceLROnPlateau` that monitors the loss (`'val_loss'`, `'loss'`,
    `'mse'`...) with `mode='max'`, or an accuracy (`'val_accuracy'`, `'auc'`...) with
    `mode='min'`; a Lightning `ModelCheckpoint` or `EarlyStopping` (which minimize unless given
    `mode='max'`) monitoring a name the program logs with `self.log` from a torchmetrics metric
    (`Accuracy`, `F1Score`, ...: higher is better) or a torch loss, the other way; and a hand-written early stopping or checkpoint that records a new best when
    a loss gets larger (`if val_loss > best: best = val_loss`) or an accuracy smaller, then acts
    on it (resets a patience counter that stops the loop, or saves the model). The value is
    taken to be a loss or an accuracy only when the program makes it so: the `result()` of a
    Keras loss or accuracy metric, a Keras or torch loss called, or the loss or metric Keras
    logs under that name (`logs['val_loss']`). Also a best kept the right way that starts where
    the value can never reach: `best = 0` replaced only by a smaller loss (`if val_loss < best`)
    when the loss is a built-in one that is never negative (cross-entropy, squared or absolute
    error, hinge, Huber; not Poisson or KL divergence, and not a logged loss that may be a custom
    one), so no epoch ever becomes the best.

    ## Why is this bad?
    Keras logs the loss to be minimized and the accuracy to be maximized; a best kept the other
    way picks the worst epoch. Early stopping then stops while the model is still improving
    (and restores the worst weights), a checkpoint keeps the worst model, and a plateau
    scheduler cuts the learning rate at the wrong time. Nothing fails; training just ends early
    or keeps the wrong weights.

    ## Example
    ```python
    early = keras.callbacks.EarlyStopping(monitor='val_loss', mode='max', patience=3)
    ```

    ## Use instead
    ```python
    early = keras.callbacks.EarlyStopping(monitor='val_loss', mode='min', patience=3)
    ```

    ## Fix safety
    There is no automatic fix: the direction is for the author to confirm.
    """

    code = "TL318"
    name = "monitor-direction-reversed"
    severity = Severity.WARNING
    summary = "A best-so-far kept in the wrong direction: a loss maximized or an accuracy minimized by early stopping or a checkpoint."
    failing = (
        "import keras\nearly = keras.callbacks.EarlyStopping(monitor='val_loss', mode='max', patience=3)  # TL318\n",
        "import tensorflow as tf\nloss_metric = tf.keras.metrics.SparseCategoricalCrossentropy()\nbest, wait = 0, 0\n"
        "for epoch in range(10):\n    val_loss = loss_metric.result()\n    wait += 1\n"
        "    if val_loss > best:  # TL318\n        best = val_loss\n        wait = 0\n    if wait >= 3:\n        break\n",
        "import tensorflow as tf\nloss_metric = tf.keras.metrics.MeanSquaredError()\nbest, wait = 0, 0\n"
        "for epoch in range(10):\n    val_loss = loss_metric.result()\n    wait += 1\n"
        "    if val_loss < best:  # TL318\n        best = val_loss\n        wait = 0\n    if wait >= 3:\n        break\n",
        "import pytorch_lightning as pl\nimport torch\nfrom torchmetrics import Accuracy\n\nclass Net(pl.LightningModule):\n"
        "    def __init__(self):\n        super().__init__()\n        self.val_acc = Accuracy(task='binary')\n\n"
        "    def validation_step(self, batch, i):\n        self.val_acc(self(batch[0]), batch[1])\n"
        "        self.log('val_acc', self.val_acc)\n\n"
        "checkpoint = pl.callbacks.ModelCheckpoint(monitor='val_acc', save_top_k=1)  # TL318\n",
    )
    passing = (
        "import keras\nearly = keras.callbacks.EarlyStopping(monitor='val_loss', mode='min', patience=3)\n",
        "import tensorflow as tf\nloss_metric = tf.keras.metrics.SparseCategoricalCrossentropy()\nbest, wait = float('inf'), 0\n"
        "for epoch in range(10):\n    val_loss = loss_metric.result()\n    wait += 1\n"
        "    if val_loss < best:\n        best = val_loss\n        wait = 0\n    if wait >= 3:\n        break\n",
    )
    lookalikes = (
        # an accuracy kept as a maximum; a custom metric whose direction Keras does not know
        "import keras\nckpt = keras.callbacks.ModelCheckpoint('m.keras', monitor='val_accuracy', mode='max')\n"
        "early = keras.callbacks.EarlyStopping(monitor='val_dice', mode='max')\n",
        # Lightning minimizes unless told: a loss logged and monitored; an accuracy with mode='max'
        "import pytorch_lightning as pl\nimport torch.nn.functional as F\nfrom torchmetrics import Accuracy\n\n"
        "class Net(pl.LightningModule):\n    def __init__(self):\n        super().__init__()\n"
        "        self.acc = Accuracy(task='binary')\n\n    def validation_step(self, batch, i):\n"
        "        loss = F.binary_cross_entropy(self(batch[0]), batch[1])\n        self.log('val_loss', loss)\n"
        "        self.log('val_acc', self.acc)\n\n"
        "stop = pl.callbacks.EarlyStopping(monitor='val_loss')\n"
        "best = pl.callbacks.ModelCheckpoint(monitor='val_acc', mode='max')\n",
        # the worst batch loss logged, nothing acts on it
        "import torch\nimport torch.nn as nn\ncriterion = nn.MSELoss()\nworst = 0.0\nfor x, y in [(torch.randn(4, 1), torch.randn(4, 1))]:\n"
        "    loss = criterion(x, y).item()\n    if loss > worst:\n        worst = loss\nprint(worst)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "EarlyStopping" in text or "ModelCheckpoint" in text or "ReduceLROnPlateau" in text:
            self._callbacks(ctx, text)
        # a value the program makes a loss or an accuracy is read from one of these words
        if any(w in text for w in _EVIDENCE) and text_fact(ctx, "TL318 keeps a best", _may_keep_best):
            for found in per_chunk(ctx, ("TL318 running best",), _candidates):
                for node, current, kept in found:
                    self._running_best(ctx, node, current, kept)

    def _callbacks(self, ctx, text):
        if "mode" in text:
            for node, short, key, wanted, given in keras_misdirections(ctx):
                ctx.report(self, node,
                           f"{short} monitors {key!r}, which is better when {'lower' if wanted == 'min' else 'higher'}, "
                           f"with mode={given!r}: it {EFFECT[short]}")
        if "lightning" in text and "self.log" in text:
            for node, short, key, wanted, given, logged, default in lightning_misdirections(ctx):
                ctx.report(self, node,
                           f"{short} monitors {key!r}, which the program logs from {logged}, better when "
                           f"{'lower' if wanted == 'min' else 'higher'}, with mode={given!r}"
                           f"{' (Lightning' + chr(39) + 's default)' if default else ''}: it {EFFECT[short]}")

    def _running_best(self, ctx, node, current, kept):
        p = parents(ctx)
        holder = next((a for a in p.ancestors(node) if type(a) in (cst.For, cst.While, cst.FunctionDef)), None)
        if holder is None:
            return
        wanted = self._direction(ctx, p, current, node)
        if wanted == kept == "min":
            self._best_below_every_loss(ctx, p, node, current, holder)
            return
        if wanted is None or wanted == kept:
            return
        if not _acts_on_best(node, holder):
            return
        what = "a loss" if wanted == "min" else "an accuracy"
        ctx.report(self, node.test,
                   f"`{dotted(current)}` is {what}, better when {'lower' if wanted == 'min' else 'higher'}, but this "
                   f"branch records a new best when it gets {'larger' if kept == 'max' else 'smaller'}: the early "
                   f"stopping or checkpoint it drives keeps the worst epoch")

    def _best_below_every_loss(self, ctx, p, node, current, holder):
        """`if loss < best: best = loss` with `best` only ever bound to 0 (or less) besides: a
        loss that is never negative is never below it, so no epoch becomes the best."""
        comp = node.test.comparisons[0]
        if type(comp.operator) is not cst.LessThan and type(comp.operator) is not cst.GreaterThan:
            return  # `<=` records a loss of exactly 0
        best = comp.comparator if node.test.left is current else node.test.left
        if type(best) is not cst.Name or not _acts_on_best(node, holder):
            return
        scope = p.scope(node)
        starts = _bound_values(ctx, scope, best.value, node)
        if not starts or any(_literal_number(v) is None or _literal_number(v) > 0 for v in starts):
            return
        if not self._nonnegative(ctx, p, current, scope):
            return
        first = starts[0]
        ctx.report(self, node.test,
                   f"`{best.value}` starts at {_literal_number(first):g} and is replaced only by a smaller "
                   f"`{dotted(current)}`, a loss that is never negative: no epoch is ever recorded as the best, "
                   f"so the early stopping or checkpoint it drives acts as if the model never improved",
                   related=[(first, "the best starts here")])

    def _nonnegative(self, ctx, p, value, scope, depth=0):
        """Whether the program makes `value` a loss that cannot be negative (a built-in
        cross-entropy, squared or absolute error, hinge...), read like `_expr_direction`."""
        if depth > 4:
            return False
        if type(value) is cst.Name:
            values = _assigned_values(ctx, scope, value.value)
            return bool(values) and all(self._nonnegative(ctx, p, v, scope, depth + 1) for v in values)
        if type(value) is not cst.Call:
            return False
        func = value.func
        if type(func) is cst.Attribute and func.attr.value in _WRAPPERS and not value.args:
            inner = func.value
            if func.attr.value == "result" and type(inner) is cst.Name:
                made = _assigned_values(ctx, scope, inner.value)
                return bool(made) and all(_made_by(ctx, v) in _NONNEGATIVE_CLASSES for v in made)
            return self._nonnegative(ctx, p, inner, scope, depth + 1)
        name = dotted(func).rpartition(".")[2]
        if name in _WRAPPERS and value.args:
            return self._nonnegative(ctx, p, value.args[0].value, scope, depth + 1)
        qualname = imported_qualname(module_names(ctx), func) if type(func) in (cst.Name, cst.Attribute) else None
        if qualname and qualname.rpartition(".")[0] in ("keras.losses", "torch.nn.functional"):
            return qualname.rpartition(".")[2] in _NONNEGATIVE_FUNCTIONS
        if type(func) is cst.Name:
            made = _assigned_values(ctx, scope, func.value)
            return bool(made) and all(_made_by(ctx, v) in _NONNEGATIVE_CLASSES for v in made)
        return False

    def _direction(self, ctx, p, value, at):
        """'min' for a loss, 'max' for an accuracy, None when the program does not say."""
        if type(value) is cst.Name:
            scope = p.scope(at)
            values = _assigned_values(ctx, scope, value.value)
            if not values:
                return None
            found = {self._expr_direction(ctx, p, v, scope) for v in values}
            return found.pop() if len(found) == 1 else None
        return self._expr_direction(ctx, p, value, p.scope(at))

    def _expr_direction(self, ctx, p, expr, scope, depth=0):
        if depth > 4:
            return None
        kind = type(expr)
        if kind is cst.Subscript and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Index:
            key = string_value(expr.slice[0].slice.value)
            if key is not None and dotted(expr.value).rpartition(".")[2] in ("logs", "history"):
                return key_direction(key)
            if key is None:
                return self._expr_direction(ctx, p, expr.value, scope, depth + 1)  # history['val_loss'][-1]
            return None
        if kind is not cst.Call:
            return None
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value == "get" and expr.args and dotted(func.value).rpartition(".")[2] == "logs":
            key = string_value(expr.args[0].value)
            return key_direction(key) if key is not None else None
        if type(func) is cst.Attribute and func.attr.value in _WRAPPERS and not expr.args:
            inner = func.value
            if func.attr.value == "result" and type(inner) is cst.Name:
                made = _assigned_values(ctx, scope, inner.value)
                found = {_class_direction(_made_by(ctx, v)) for v in made}
                return found.pop() if len(found) == 1 else None
            return self._expr_direction(ctx, p, inner, scope, depth + 1)
        name = dotted(func).rpartition(".")[2]
        if name in _WRAPPERS and expr.args:
            return self._expr_direction(ctx, p, expr.args[0].value, scope, depth + 1)
        qualname = imported_qualname(module_names(ctx), func) if type(func) in (cst.Name, cst.Attribute) else None
        if qualname and (qualname.startswith("keras.losses.") and qualname.rpartition(".")[2][:1].islower()
                         or qualname.startswith("torch.nn.functional.") and qualname.endswith(("_loss", "cross_entropy"))):
            return "min"
        if type(func) is cst.Name:
            made = _assigned_values(ctx, scope, func.value)
            found = {_class_direction(_made_by(ctx, v)) for v in made}
            if len(found) == 1 and found == {"min"}:
                return "min"  # a loss object called
        return None


# losses that are never negative (Poisson and KL divergence can be, on values that are not
# distributions); a metric class of the same name computes the same loss
_NONNEGATIVE_CLASSES = frozenset({
    "keras.metrics.BinaryCrossentropy", "keras.metrics.CategoricalCrossentropy", "keras.metrics.SparseCategoricalCrossentropy",
    "keras.metrics.MeanSquaredError", "keras.metrics.MeanAbsoluteError", "keras.metrics.RootMeanSquaredError",
    "keras.metrics.MeanAbsolutePercentageError", "keras.metrics.MeanSquaredLogarithmicError", "keras.metrics.Hinge",
    "keras.metrics.SquaredHinge", "keras.metrics.CategoricalHinge", "keras.metrics.LogCoshError",
    "keras.losses.BinaryCrossentropy", "keras.losses.CategoricalCrossentropy", "keras.losses.SparseCategoricalCrossentropy",
    "keras.losses.MeanSquaredError", "keras.losses.MeanAbsoluteError", "keras.losses.MeanAbsolutePercentageError",
    "keras.losses.MeanSquaredLogarithmicError", "keras.losses.Hinge", "keras.losses.SquaredHinge",
    "keras.losses.CategoricalHinge", "keras.losses.LogCosh", "keras.losses.Huber",
    "torch.nn.MSELoss", "torch.nn.L1Loss", "torch.nn.SmoothL1Loss", "torch.nn.HuberLoss", "torch.nn.CrossEntropyLoss",
    "torch.nn.BCELoss", "torch.nn.BCEWithLogitsLoss"})
_NONNEGATIVE_FUNCTIONS = frozenset({
    "mse", "mae", "mape", "msle", "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "hinge", "squared_hinge", "categorical_hinge", "huber", "log_cosh", "logcosh",
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "cross_entropy", "binary_cross_entropy",
    "binary_cross_entropy_with_logits"})


def _literal_number(node):
    """The value of a literal int or float (`0`, `0.0`, `-1`, `float(0)`), None for anything else."""
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        inner = _literal_number(node.expression)
        return -inner if inner is not None else None
    if type(node) in (cst.Integer, cst.Float):
        return float(node.evaluated_value)
    return None


def _bound_values(ctx, scope, name, branch) -> list:
    """Every value `name` is bound to in `scope` (the function, or the module when the function
    never binds it) outside `branch`, tuple assignments element by element; empty when a binding
    is not a plain assignment (an augmented one, a loop target...)."""
    if scope is not None and type(scope) is not cst.Module:
        nodes = [n for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
                 if type(n) in (cst.Assign, cst.AugAssign, cst.AnnAssign) and name in _bound_names(n)]
        if not nodes and not any(type(n) is cst.Param and n.name.value == name for n in descendants(scope.params)):
            nodes = module_nodes_named(ctx, (cst.Assign, cst.AugAssign, cst.AnnAssign), _bound_names, name)
    else:
        nodes = module_nodes_named(ctx, (cst.Assign, cst.AugAssign, cst.AnnAssign), _bound_names, name)
    inside = {id(n) for n in descendants(branch.body)}
    out = []
    for n in nodes:
        if id(n) in inside:
            continue
        if type(n) is not cst.Assign:
            return []
        for t in n.targets:
            value = _element(t.target, n.value, name)
            if value is None:
                return []
            if value is not False:
                out.append(value)
    return out


def _element(target, value, name):
    """What `name` gets from `target = value`: the value, False when the target does not bind
    it, None when the value is not known element by element."""
    if type(target) is cst.Name:
        return value if target.value == name else False
    if type(target) in (cst.Tuple, cst.List):
        names = [e.value for e in target.elements]
        if not any(type(e) is cst.Name and e.value == name for e in names):
            return False
        if type(value) not in (cst.Tuple, cst.List) or len(value.elements) != len(names) or any(
                type(e) is cst.StarredElement for e in (*target.elements, *value.elements)):
            return None
        at = next(i for i, e in enumerate(names) if type(e) is cst.Name and e.value == name)
        return value.elements[at].value
    return False


def _bound_names(node):
    targets = [t.target for t in node.targets] if type(node) is cst.Assign else [node.target]
    out = []
    for t in targets:
        if type(t) is cst.Name:
            out.append(t.value)
        elif type(t) in (cst.Tuple, cst.List):
            out.extend(e.value.value for e in t.elements if type(e.value) is cst.Name)
    return out


def _made_by(ctx, value):
    """The class a call constructs (`keras.metrics.AUC()`), canonical; None for anything else."""
    if type(value) is not cst.Call or type(value.func) not in (cst.Name, cst.Attribute):
        return None
    return imported_qualname(module_names(ctx), value.func)


def _assigned_values(ctx, scope, name) -> list:
    """The values `name` is bound to by plain assignments in `scope` (a function, or the module),
    falling back to the module's when the function never binds it."""
    if scope is not None and type(scope) is not cst.Module:
        values = [a.value for a in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
                  if type(a) is cst.Assign and any(type(t.target) is cst.Name and t.target.value == name for t in a.targets)]
        if values or any(type(n) is cst.Param and n.name.value == name for n in descendants(scope.params)):
            return values
    return [a.value for a in module_nodes_named(ctx, (cst.Assign,), _assign_names, name)]


def _assign_names(node):
    return [t.target.value for t in node.targets if type(t.target) is cst.Name]


def _acts_on_best(branch, holder) -> bool:
    """Whether the branch saves the model, or resets a counter that `holder` tests to stop."""
    reset = set()
    for n in descendants(branch.body):
        if type(n) is cst.Assign and type(n.value) is cst.Integer and n.value.value == "0":
            reset.update(dotted(t.target) for t in n.targets if dotted(t.target))
        elif type(n) is cst.Call:
            last = dotted(n.func).rpartition(".")[2]
            if last in ("save", "save_weights", "save_model") or dotted(n.func) == "torch.save":
                return True
    if not reset:
        return False
    for n in descendants(holder):
        if type(n) is not cst.If or n is branch or type(n.test) is not cst.Comparison or len(n.test.comparisons) != 1:
            continue
        if type(n.test.comparisons[0].operator) not in (cst.GreaterThan, cst.GreaterThanEqual, cst.Equal):
            continue
        if dotted(n.test.left) not in reset:
            continue
        for m in descendants(n.body):
            if type(m) in (cst.Break, cst.Return) or (type(m) is cst.Assign and any(
                    type(t.target) is cst.Attribute and t.target.attr.value == "stop_training" for t in m.targets)):
                return True
    return False
