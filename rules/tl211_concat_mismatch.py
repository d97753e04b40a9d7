from tensorlint.findings import Severity
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._shape import known_shape, shape_of

# joins that promote lower-rank inputs themselves (np.vstack of 1-D rows): ranks may differ
_PROMOTING = ("np.hstack", "np.vstack")
# joins that reject a zero-dimensional part (a scalar loss, `x.sum()`): there is no axis to join on
_NO_SCALARS = ("torch.cat", "np.concatenate", "tf.concat", "K.concatenate")


def _same(a, b) -> bool | None:
    """Two dims are equal (True), differ (False), or cannot be compared (None)."""
    if known_int(a) and known_int(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str) and a == b:
        return True
    return None


def join_conflict(ev):
    """(first part, other part, axis, what) for the first pair of joined tensors whose shapes
    cannot be joined, or None."""
    parts = ev.parts
    if not ev.stack and ev.qualname in _NO_SCALARS:
        scalar = next((t for t in parts if isinstance(t, Tensor) and t.shape == ()), None)
        if scalar is not None:
            return scalar, None, None, "scalar"
    if not all(known_shape(t) for t in parts):
        return None
    # PyTorch still accepts an empty 1-D tensor next to anything in torch.cat
    parts = [t for t in parts if not (t.rank == 1 and t.shape[0] == 0)]
    if len(parts) < 2:
        return None
    first = parts[0]
    for other in parts[1:]:
        if other.rank != first.rank:
            if ev.qualname in _PROMOTING:
                return None
            return first, other, None, "rank"
        if ev.stack:
            for i, (a, b) in enumerate(zip(first.shape, other.shape)):
                if _same(a, b) is False:
                    return first, other, i, "stack"
            continue
        axis = ev.axis
        if not known_int(axis) or not -first.rank <= axis < first.rank:
            return None
        axis %= first.rank
        for i, (a, b) in enumerate(zip(first.shape, other.shape)):
            if i != axis and _same(a, b) is False:
                return first, other, i, axis
    return None


class ConcatMismatch(Rule):
    """
    ## What it does
    Checks the shapes of tensors joined by `torch.cat`, `torch.stack`, `tf.concat`,
    `np.concatenate`, `keras.layers.Concatenate` / `concatenate`: every axis except the
    concatenation axis must agree (for `stack`, every axis), and the ranks must be equal. It reports
    only when all the shapes involved are known, and also when one part of a `torch.cat`,
    `np.concatenate` or `tf.concat` is zero-dimensional (a loss or a reduction collected in a list),
    whatever the others are.

    ## Why is this bad?
    The join fails: `RuntimeError: Sizes of tensors must match except in dimension 1. Expected
    size 4 but got size 5 for tensor number 1 in the list`, `ValueError: A Concatenate layer
    requires inputs with matching shapes except for the concat axis`. A U-Net skip connection whose
    encoder map is 5x5 while the upsampled decoder map is 4x4 (an odd size halved by pooling) is the
    classic case; features of different lengths are another. A zero-dimensional part has no axis to
    join along: `RuntimeError: zero-dimensional tensor (at position 0) cannot be concatenated`.

    ## Example
    ```python
    down = nn.MaxPool2d(2)(skip)            # skip: [N, 64, 5, 5] -> [N, 64, 2, 2]
    up = nn.ConvTranspose2d(64, 64, 2, stride=2)(down)   # [N, 64, 4, 4]
    merged = torch.cat([up, skip], dim=1)
    ```

    ## Use instead
    ```python
    merged = torch.cat([up, skip[:, :, :4, :4]], dim=1)  # or pad `up`, or use inputs of even size
    ```

    ## Fix safety
    There is no automatic fix: crop, pad or resize one of the tensors.
    """

    code = "TL211"
    name = "concat-mismatch"
    severity = Severity.ERROR
    summary = "cat/stack/concat of tensors whose sizes differ on an axis other than the joined one."
    failing = (
        "import torch\nimport torch.nn as nn\nskip = torch.randn(2, 64, 5, 5)\ndown = nn.MaxPool2d(2)(skip)\n"
        "up = nn.ConvTranspose2d(64, 64, 2, stride=2)(down)\nmerged = torch.cat([up, skip], dim=1)  # TL211\n",
        "from tensorflow import keras\nenc = keras.Input((5, 5, 32))\ndec = keras.Input((4, 4, 32))\nx = keras.layers.Concatenate()([enc, dec])  # TL211\n",
        "import numpy as np\nimport torch\nfeatures = np.random.rand(100, 8)\nextra = np.random.rand(90, 2)\nX = torch.from_numpy(np.concatenate([features, extra], axis=1))  # TL211\n",
        "import torch\nimport torch.nn.functional as F\nvalue_losses = []\nfor r in [1.0, 0.5, 0.0]:\n"
        "    value = torch.randn(1, 1, requires_grad=True)\n    value_losses.append(F.smooth_l1_loss(value, torch.tensor([[r]])))\n"
        "loss = torch.cat(value_losses).sum()  # TL211\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nskip = torch.randn(2, 64, 4, 4)\ndown = nn.MaxPool2d(2)(skip)\n"
        "up = nn.ConvTranspose2d(64, 64, 2, stride=2)(down)\nmerged = torch.cat([up, skip], dim=1)\n",
    )
    lookalikes = (
        # sizes differ only along the concatenation axis
        "import torch\na = torch.randn(8, 3, 32, 32)\nb = torch.randn(8, 5, 32, 32)\nc = torch.cat((a, b), 1)\n",
        # vstack promotes 1-D rows
        "import numpy as np\nrows = np.vstack([np.zeros(4), np.ones((2, 4))])\n",
        # a size that is not known
        "import torch\ndef merge(a):\n    return torch.cat([a, torch.zeros(2, 3)], dim=0)\n",
        # stacking tensors of equal shapes
        "import torch\nbatch = torch.stack([torch.randn(3, 4), torch.randn(3, 4)])\n",
        # scalar losses stacked, or given an axis before the concatenation
        "import torch\nx = torch.randn(8, 3)\nboth = torch.stack([x.mean(), x.std()])\nalso = torch.cat([x.mean().view(1), x.std().unsqueeze(0)])\n",
    )

    def on_join(self, ctx, ev):
        found = join_conflict(ev)
        if found is None:
            return
        a, b, axis, what = found
        if what == "scalar":
            ctx.report(
                self, ev.node,
                f"{ev.qualname} cannot join {shape_of(ctx, a)}: a zero-dimensional tensor has no axis to concatenate "
                f"along (stack the values instead, or give each one an axis)",
                related=[(a.origin, "the zero-dimensional value is made here")] if a.origin is not None else [],
            )
            return
        if what == "rank":
            problem = f"ranks differ ({a.rank} and {b.rank})"
        elif what == "stack":
            problem = f"{ev.qualname} needs equal shapes; they differ at dim {axis} ({a.shape[axis]} vs {b.shape[axis]})"
        else:
            problem = f"they differ at dim {axis} ({a.shape[axis]} vs {b.shape[axis]}), which is not the joined axis {what}"
        ctx.report(
            self, ev.node,
            f"{ev.qualname} cannot join {shape_of(ctx, a)} and {shape_of(ctx, b)}: {problem}",
            related=[(t.origin, "made here") for t in (a, b) if isinstance(t, Tensor) and t.origin is not None],
        )
