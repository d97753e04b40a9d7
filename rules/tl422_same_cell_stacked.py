import re

import libcst as cst

from tensorlint.dataflow import descendants, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import module_calls, scope_roots
from ._training import parents

# constructors that stack the cells of a list into one multi-layer recurrent cell
_STACKERS = ("MultiRNNCell", "StackedRNNCells")
_RNN = "RNN"  # keras.layers.RNN(cells): a list of cells is stacked too
_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_MENTIONS = re.compile(r"MultiRNNCell|StackedRNNCells|\bRNN\s*\(\s*(?:cells\s*=\s*)?[\[(\w]")


def _text(ctx, node) -> str:
    code = ctx.source(node)
    return code if len(code) <= 60 else code[:57] + "..."


def _repeated(node):
    """(the repeated element, how it is repeated) when the list `node` holds one object more
    than once; None otherwise."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
        for lst, times in ((node.left, node.right), (node.right, node.left)):
            if isinstance(lst, (cst.List, cst.Tuple)) and len(lst.elements) == 1 and not isinstance(
                    lst.elements[0], cst.StarredElement):
                if isinstance(times, cst.Integer) and int(times.value, 0) < 2:
                    return None
                return lst.elements[0].value, "repeated by `*`"
        return None
    if isinstance(node, (cst.List, cst.Tuple)):
        seen = {}
        for el in node.elements:
            if isinstance(el, cst.StarredElement) or not isinstance(el.value, cst.Name):
                continue
            if el.value.value in seen:
                return el.value, "listed twice"
            seen[el.value.value] = el
        return None
    if isinstance(node, (cst.ListComp, cst.GeneratorExp)) and isinstance(node.elt, cst.Name):
        bound = set()
        comp = node.for_in
        while comp is not None:
            bound.update(store_names(comp.target))
            comp = comp.inner_for_in
        if node.elt.value not in bound and not any(isinstance(n, cst.NamedExpr) for n in descendants(node)):
            return node.elt, "the same object on every pass of the comprehension"
    return None


def _assigned_once(ctx, p, node: cst.Name):
    """The value assigned to the plain name `node` when its scope assigns it exactly once."""
    scope = p.scope(node)
    if scope is None:
        return None
    roots = scope_roots(ctx, scope) if isinstance(scope, cst.Module) else [scope.body]
    values, other = [], 0
    for root in roots:
        for n in descendants(root, prune=_OWN):
            if isinstance(n, cst.Assign):
                for t in n.targets:
                    if node.value in store_names(t.target):
                        if isinstance(t.target, cst.Name):
                            values.append(n.value)
                        else:
                            other += 1
            elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem)) and node.value in store_names(
                    getattr(n, "target", None) or getattr(getattr(n, "asname", None), "name", None)):
                other += 1
    return values[0] if len(values) == 1 and not other else None


class SameCellStacked(Rule):
    """
    ## What it does
    Finds a multi-layer recurrent cell built from a list that holds one cell object several
    times: `MultiRNNCell([cell] * n)`, `MultiRNNCell([cell, cell])`, `StackedRNNCells([cell for _
    in range(n)])`, `keras.layers.RNN([cell] * 2)`, directly or through a name assigned that list.

    ## Why is this bad?
    `[cell] * n` copies the reference, not the cell: every layer of the stack is the same object
    with one set of weights. The first layer builds its kernel for the input's feature size; the
    next layer feeds it the cell's own output size, so TensorFlow raises (TF 1.x: `ValueError`,
    "Attempt to reuse RNNCell ... with a different variable scope" or a kernel of the wrong shape;
    Keras: an incompatible matrix product). When the two sizes happen to agree, the stack runs
    with one layer's weights used n times, which is not the deep network the code describes.

    ## Example
    ```python
    lstm = tf.contrib.rnn.BasicLSTMCell(lstm_size)
    drop = tf.contrib.rnn.DropoutWrapper(lstm, output_keep_prob=keep_prob)
    cell = tf.contrib.rnn.MultiRNNCell([drop] * lstm_layers)
    ```

    ## Use instead
    ```python
    def make_cell():
        lstm = tf.contrib.rnn.BasicLSTMCell(lstm_size)
        return tf.contrib.rnn.DropoutWrapper(lstm, output_keep_prob=keep_prob)

    cell = tf.contrib.rnn.MultiRNNCell([make_cell() for _ in range(lstm_layers)])
    ```

    ## Fix safety
    There is no automatic fix: each layer needs its own cell, built by a call per layer.
    """

    code = "TL422"
    triggers = ("RNN",)
    name = "same-cell-stacked"
    severity = Severity.ERROR
    summary = "A multi-layer RNN cell stacks one cell object several times: the layers share one cell and its weights."
    failing = (
        "import tensorflow as tf\n\ncell = tf.nn.rnn_cell.BasicLSTMCell(128)\n"
        "stack = tf.nn.rnn_cell.MultiRNNCell([cell] * 2)  # TL422\n",
    )
    passing = (
        "import tensorflow as tf\n\nstack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(128) for _ in range(2)])\n",
    )
    lookalikes = (
        # one cell per layer, built by a comprehension over a helper
        "import keras\n\n\ndef make(units):\n    return keras.layers.LSTMCell(units)\n\n\n"
        "rnn = keras.layers.RNN(keras.layers.StackedRNNCells([make(32) for _ in range(3)]))\n",
        # one cell per layer, built in a loop and appended
        "import tensorflow as tf\n\ncells = []\nfor size in (64, 32):\n    cells.append(tf.nn.rnn_cell.GRUCell(size))\n"
        "stack = tf.nn.rnn_cell.MultiRNNCell(cells)\n",
    )

    def on_module(self, ctx, ev):
        if "RNN" not in ctx.text or not _MENTIONS.search(ctx.text):
            return  # (each spelling holds "RNN": a plain search first)
        p = None
        for call in module_calls(ctx):
            f = call.func
            stacker = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else ""
            if stacker not in _STACKERS and stacker != _RNN:
                continue
            arg = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "cells"), None)
            if arg is None and call.args and call.args[0].keyword is None and call.args[0].star == "":
                arg = call.args[0].value
            if arg is None:
                continue
            lst, through = arg, None
            if isinstance(arg, cst.Name):
                p = p or parents(ctx)
                lst, through = _assigned_once(ctx, p, arg), arg
            if lst is None:
                continue
            if stacker == _RNN and not isinstance(lst, (cst.List, cst.Tuple, cst.BinaryOperation, cst.ListComp)):
                continue  # keras.layers.RNN(cell) of one cell
            found = _repeated(lst)
            if found is None:
                continue
            element, how = found
            via = f" (through `{through.value}`)" if through is not None else ""
            ctx.report(self, call,
                       f"`{stacker}` gets the same cell object `{_text(ctx, element)}` for every layer "
                       f"(`{_text(ctx, lst)}`, {how}){via}: the layers share one cell and its weights, and "
                       f"a cell built for the input's size cannot take the next layer's; build a new cell per layer",
                       related=[(lst, "the list of cells")])
