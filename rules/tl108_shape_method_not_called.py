import re

import libcst as cst

from tensorlint.findings import Applicability, Severity
from tensorlint.rule import Rule

from ._training import append_call
from ._trees import per_chunk_text

# TensorFlow's shape methods: `Tensor.get_shape()`, `TensorShape.as_list()` and its counts
_METHODS = ("get_shape", "as_list", "num_elements", "is_fully_defined")
_SHAPE_METHODS = frozenset(_METHODS[1:])
_UNCALLED = re.compile(r"\.(?:get_shape|as_list|num_elements|is_fully_defined)\b(?!\s*\()")
# builtins that read their argument as a sequence or a number
_READERS = frozenset(("len", "int", "float", "range", "list", "tuple", "sum", "max", "min", "enumerate", "reversed"))


def _shape_receiver(node) -> bool:
    """Whether `node` is a TensorShape as written: `t.get_shape()`, `t.shape`, `tf.TensorShape(...)`,
    or a slice of one (`t.shape[1:]`)."""
    if isinstance(node, cst.Subscript):
        return _shape_receiver(node.value)
    if isinstance(node, cst.Call):
        f = node.func
        return (isinstance(f, cst.Attribute) and f.attr.value == "get_shape" and not node.args) or (
            isinstance(f, (cst.Attribute, cst.Name)) and (f.attr if isinstance(f, cst.Attribute) else f).value == "TensorShape")
    return isinstance(node, cst.Attribute) and node.attr.value == "shape"


def _method(node) -> cst.Attribute | None:
    """`node` when it is one of the shape methods, not called, on a receiver it belongs to."""
    if not isinstance(node, cst.Attribute) or node.attr.value not in _METHODS:
        return None
    if node.attr.value in _SHAPE_METHODS and not _shape_receiver(node.value):
        return None
    return node


class _Uses(cst.CSTVisitor):
    """The uncalled shape methods that a chunk uses as values: (attribute, how it is used)."""

    def __init__(self):
        self.found: list = []

    def visit_Subscript(self, node):
        m = _method(node.value)
        if m is not None:
            self.found.append((m, "subscripted"))

    def visit_Call(self, node):
        if isinstance(node.func, cst.Name) and node.func.value in _READERS and node.args and node.args[0].keyword is None:
            m = _method(node.args[0].value)
            if m is not None:
                self.found.append((m, f"given to {node.func.value}()"))

    def visit_Attribute(self, node):
        m = _method(node.value)
        if m is not None:
            self.found.append((m, f"asked for `.{node.attr.value}`"))

    def visit_BinaryOperation(self, node):
        for side in (node.left, node.right):
            m = _method(side)
            if m is not None:
                self.found.append((m, "used in arithmetic"))

    def visit_For(self, node):
        m = _method(node.iter)
        if m is not None:
            self.found.append((m, "iterated over"))

    def visit_CompFor(self, node):
        m = _method(node.iter)
        if m is not None:
            self.found.append((m, "iterated over"))


def _uses(module) -> list:
    v = _Uses()
    module.visit(v)
    return v.found


class ShapeMethodNotCalled(Rule):
    """
    ## What it does
    Finds a TensorFlow shape method used as if it were its result: `t.get_shape` without the
    call parentheses given to `len()` or subscripted, `t.get_shape().as_list[-1]`,
    `t.shape.num_elements * 2`. Only the methods of TensorFlow tensors and shapes are checked
    (`get_shape`, and `as_list` / `num_elements` / `is_fully_defined` of a `get_shape()`,
    `.shape` or `tf.TensorShape(...)`), and only where the method itself is subscripted,
    counted, iterated over, used in arithmetic or asked for an attribute; passing the bound
    method somewhere as a callback is left alone.

    ## Why is this bad?
    Without the call, the expression is the bound method, not the shape or the list of sizes.
    `len(t.get_shape)` raises `TypeError: object of type 'method' has no len()`, and
    `t.get_shape().as_list[-1]` raises `TypeError: 'method' object is not subscriptable`, in
    the branch that runs when an optional size is not given, which is often the branch no
    test exercised.

    ## Example
    ```python
    if num_units is None:
        num_units = queries.get_shape().as_list[-1]
    ```

    ## Use instead
    ```python
    if num_units is None:
        num_units = queries.get_shape().as_list()[-1]
    ```

    ## Fix safety
    The fix adds the call parentheses; it is safe: the method takes no argument and the
    expression could not run without them.
    """

    code = "TL108"
    triggers = _METHODS
    name = "shape-method-not-called"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "A TensorFlow shape method (get_shape, as_list) is subscripted or counted without being called: TypeError."
    failing = (
        "import tensorflow as tf\n\ndef attention(queries, num_units=None):\n    if num_units is None:\n"
        "        num_units = queries.get_shape().as_list[-1]  # TL108\n    return tf.layers.dense(queries, num_units)\n",
        "import tensorflow as tf\n\ndef embed(condition, channels):\n    rank = len(condition.get_shape)  # TL108\n"
        "    return condition.get_shape()[rank - 1] == channels\n",
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 28, 28])\n"
        "flat = tf.reshape(x, [-1, int(x.shape[1:].num_elements)])  # TL108\n"
        "for size in x.get_shape:  # TL108\n    print(size)\n",
    )
    passing = (
        "import tensorflow as tf\n\ndef attention(queries, num_units=None):\n    if num_units is None:\n"
        "        num_units = queries.get_shape().as_list()[-1]\n    rank = len(queries.get_shape())\n"
        "    return tf.layers.dense(queries, num_units), rank\n",
    )
    lookalikes = (
        # the bound method passed as a callback; an as_list attribute of a user object
        "import tensorflow as tf\n\ndef shapes(tensors):\n    getters = [t.get_shape for t in tensors]\n"
        "    return list(map(lambda g: g(), getters))\n\nclass Config:\n    as_list = [1, 2, 3]\n\n"
        "cfg = Config()\nfirst = cfg.as_list[0]\n",
        # a PyTorch module's own methods; a dict entry named like the method
        "import torch\n\nx = torch.zeros(2, 3)\nn = x.size(0) * x.dim()\nopts = {'as_list': [1]}\nm = opts['as_list'][0]\n",
    )

    def on_module(self, ctx, ev):
        if not any(m in ctx.text for m in _METHODS):
            return
        hits = per_chunk_text(ctx, ("tl108 uncalled",), lambda text: _UNCALLED.search(text) is not None)
        for i, hit in enumerate(hits):
            if hit:
                module = ctx.chunks[i].module
                for node, how in ctx.tree_fact(i, ("tl108 uses",), lambda m=module: _uses(m)):
                    self._report(ctx, node, how)

    def _report(self, ctx, node, how):
        text = ctx.source(node).strip()
        what = "the list of sizes" if node.attr.value == "as_list" else (
            "the shape" if node.attr.value == "get_shape" else "its result")
        message = (f"`{text}` is the method itself, not {what}: it is {how} without being called, which raises "
                   f"TypeError ('method' object ...). Call it: `{text}()`")
        fix = append_call(ctx, node, "()", f"Call {node.attr.value}()", Applicability.SAFE)
        ctx.report(self, node, message, fix=fix)
