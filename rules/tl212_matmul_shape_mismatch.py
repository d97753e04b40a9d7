import libcst as cst

from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._shape import shape_of

_TRANSPOSED = ("transpose_a", "transpose_b", "adjoint_a", "adjoint_b")


def _what(node) -> str:
    if isinstance(node, cst.BinaryOperation):
        return "`@`"
    f = getattr(node, "func", None)
    if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name):
        return f"{f.value.value}.{f.attr.value}"
    return f.value if isinstance(f, cst.Name) else "matmul"


def inner_dims(a: Tensor, b: Tensor):
    """(columns of a, rows of b) of a matrix product, where both are known; None otherwise."""
    if a.rank is None or b.rank is None or a.rank == 0 or b.rank == 0:
        return None
    k1 = a.dim(-1)
    k2 = b.dim(-2) if b.rank >= 2 else b.dim(-1)
    if not known_int(k1) or not known_int(k2):
        return None
    return k1, k2


class MatmulShapeMismatch(Rule):
    """
    ## What it does
    Checks the inner dimensions of matrix products: `a @ b`, `torch.matmul`/`mm`/`bmm`,
    `tf.matmul` (also of TF1 graph code whose weights are made by hand, such as
    `tf.Variable(tf.random_normal([784, 10]))` against a `[None, 784]` placeholder). The last
    axis of `a` must equal the second-to-last axis of `b` (its only axis for a vector). It reports
    only when both sizes are known, and not for `transpose_a`/`transpose_b`. For
    `torch.einsum`/`tf.einsum`/`np.einsum`, every subscript of the equation must name axes of one
    size in all operands (`"ij,jk->ik"` on `[8, 784]` and `[10, 784]` gives `j` 784 and 10).

    ## Why is this bad?
    The product fails: `RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x784 and
    10x784)`, `InvalidArgumentError: Matrix size-incompatible: In[0]: [64,784], In[1]: [10,784]`,
    `ValueError: Dimensions must be equal, but are 784 and 10`. A weight matrix declared with its
    axes swapped, or an input flattened to a different size than the weights were built for, are the
    usual causes.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 784])
    W = tf.Variable(tf.random_normal([10, 784]))
    logits = tf.matmul(x, W)
    ```

    ## Use instead
    ```python
    W = tf.Variable(tf.random_normal([784, 10]))
    logits = tf.matmul(x, W)
    ```

    ## Fix safety
    There is no automatic fix: the weights or the input have the wrong shape.
    """

    code = "TL212"
    name = "matmul-shape-mismatch"
    severity = Severity.ERROR
    summary = "A matrix product whose inner dimensions differ."
    failing = (
        "import tensorflow as tf\ntf = tf.compat.v1\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32, [None, 784])\nW = tf.Variable(tf.random_normal([10, 784]))\n"
        "b = tf.Variable(tf.zeros([10]))\nlogits = tf.matmul(x, W) + b  # TL212\n",
        "import torch\nimages = torch.randn(64, 1, 28, 28)\nweights = torch.randn(784, 10, requires_grad=True)\nscores = images.view(64, -1)[:, :392] @ weights  # TL212\n",
        "import torch\nq = torch.randn(8, 16, 32)\nk = torch.randn(8, 16, 32)\nattn = torch.bmm(q, k)  # TL212\n",
        "import tensorflow as tf\nx = tf.zeros([8, 784])\nW = tf.Variable(tf.random.normal([10, 784]))\nlogits = tf.einsum('ij,jk->ik', x, W)  # TL212\n",
    )
    passing = (
        "import tensorflow as tf\ntf = tf.compat.v1\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32, [None, 784])\nW = tf.Variable(tf.random_normal([784, 10]))\n"
        "b = tf.Variable(tf.zeros([10]))\nlogits = tf.matmul(x, W) + b\n",
    )
    lookalikes = (
        "import torch\nq = torch.randn(8, 16, 32)\nk = torch.randn(8, 16, 32)\nattn = torch.bmm(q, k.transpose(1, 2))\n",
        "import tensorflow as tf\na = tf.ones((5, 3))\nb = tf.ones((5, 3))\nc = tf.matmul(a, b, transpose_b=True)\n",
        # an inner size that is not known
        "import torch\ndef project(x):\n    return x @ torch.randn(128, 10)\n",
        # a vector on the right: its only axis is the inner one
        "import torch\nw = torch.randn(10, 4)\nv = w @ torch.randn(4)\n",
        # einsum that contracts the shared axis of a weight stored as (out, in)
        "import torch\nx = torch.randn(8, 784)\nw = torch.randn(10, 784)\nlogits = torch.einsum('ij,kj->ik', x, w)\n",
    )

    def on_einsum(self, ctx, ev):
        for label, (k1, ax1, d1), (k2, ax2, d2) in ev.clashes[:1]:
            a, b = ev.operands[k1], ev.operands[k2]
            ctx.report(
                self, ev.node,
                f"einsum(\"{ev.equation}\"): subscript `{label}` is {d1} in operand {k1 + 1} ({shape_of(ctx, a)}, axis {ax1}) "
                f"but {d2} in operand {k2 + 1} ({shape_of(ctx, b)}, axis {ax2}); axes with one subscript must have one size",
                related=[(t.origin, "made here") for t in (a, b) if t.origin is not None],
            )

    def on_matmul(self, ctx, ev):
        a, b = ev.receiver, ev.args[0] if ev.args else None
        if not isinstance(a, Tensor) or not isinstance(b, Tensor) or any(k in ev.kwargs for k in _TRANSPOSED):
            return
        dims = inner_dims(a, b)
        if dims is None or dims[0] == dims[1]:
            return
        k1, k2 = dims
        ctx.report(
            self, ev.node,
            f"{_what(ev.node)}: {shape_of(ctx, a)} has {k1} columns but {shape_of(ctx, b)} has {k2} "
            f"{'rows' if b.rank >= 2 else 'elements'}; the inner dimensions must be equal",
            related=[(t.origin, "made here") for t in (a, b) if t.origin is not None],
        )
