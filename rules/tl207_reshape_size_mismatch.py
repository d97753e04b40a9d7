from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int, numel
from tensorlint.rule import Rule
from tensorlint.values import Const, MutableList, Seq, Tensor, exact_items, shape_list

from ._common import value_name


def target_dims(ev):
    """The requested shape as a tuple of ints (with at most one -1), or None if any is unknown."""
    args = list(ev.args)
    if "shape" in ev.kwargs:
        args = [ev.kwargs["shape"]]
    if len(args) == 1 and isinstance(args[0], (Seq, MutableList)):
        if exact_items(args[0]) is None:
            return None  # a list grown in a loop: its length is not known
        args = list(args[0].items)
    if not args:
        return None
    dims = []
    for a in args:
        if not isinstance(a, Const) or not known_int(a.value) or a.value < -1:
            return None
        dims.append(a.value)
    if dims.count(-1) > 1:
        return None
    return tuple(dims)


class ReshapeSizeMismatch(Rule):
    """
    ## What it does
    Finds `view`, `reshape`, `torch.reshape` and `tf.reshape` calls whose target shape holds a
    different number of elements than the tensor being reshaped, where both are known: the
    product of the target dims differs from the input's element count, or, with a `-1`, the
    other dims do not divide it.

    ## Why is this bad?
    The call fails: `RuntimeError: shape '[8, 2352]' is invalid for input of size 24576` in
    PyTorch, `InvalidArgumentError: Input to reshape is a tensor with 12544 values, but the
    requested shape has 16384` in TensorFlow. The numbers are usually left over from another
    input size (28x28 instead of 32x32) or a miscounted flatten size after convolutions.

    ## Example
    ```python
    batch = torch.randn(8, 3, 32, 32)
    flat = batch.view(8, 3 * 28 * 28)
    ```

    ## Use instead
    ```python
    flat = batch.view(8, -1)  # or batch.flatten(1)
    ```

    ## Fix safety
    There is no automatic fix: the right shape depends on what the next layer expects.
    """

    code = "TL207"
    name = "reshape-size-mismatch"
    severity = Severity.ERROR
    summary = "view/reshape to a shape whose element count differs from the input's."
    failing = (
        "import torch\nbatch = torch.randn(8, 3, 32, 32)\nflat = batch.view(8, 3 * 28 * 28)  # TL207\n",
        "import numpy as np\nimport tensorflow as tf\nimages = np.random.rand(16, 28, 28).astype('float32')\nx = tf.reshape(images, (16, 32, 32, 1))  # TL207\n",
        "import torch\nx = torch.randn(10, 7)\ny = x.reshape(-1, 4)  # TL207\n",
    )
    passing = (
        "import torch\nbatch = torch.randn(8, 3, 32, 32)\nflat = batch.view(8, 3 * 32 * 32)\n",
    )
    lookalikes = (
        "import torch\nbatch = torch.randn(8, 3, 32, 32)\nflat = batch.view(batch.size(0), -1)\n",
        "import torch\nx = torch.randn(12, 8)\ny = x.reshape(-1, 4)\n",
        # the element count of a loader batch is not known
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nds = TensorDataset(torch.randn(64, 1, 28, 28))\nfor (xb,) in DataLoader(ds, batch_size=10):\n    flat = xb.view(16, 784)\n",
    )

    def on_reshape(self, ctx, ev):
        t = ev.receiver
        if not isinstance(t, Tensor):
            return
        total = numel(t.shape)
        dims = target_dims(ev)
        if total is None or dims is None:
            return
        if -1 in dims:
            rest = numel(tuple(d for d in dims if d != -1))
            if rest and total % rest == 0:
                return
            if rest == 0:
                return
            problem = f"{total} elements cannot be split into rows of {rest} ({shape_list(dims)})"
        else:
            want = numel(dims)
            if want == total:
                return
            problem = f"the target shape {shape_list(dims)} holds {want} elements, the input has {total}"
        ctx.report(
            self, ev.node,
            f"cannot reshape {value_name(ctx, t)} of shape {shape_list(t.shape)}: {problem}",
            related=[(t.origin, "the input is made here")] if t.origin is not None else [],
        )
