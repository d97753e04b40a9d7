"""Losses that PyTorch computes through a broadcast it warns about.

`F.mse_loss`, `F.l1_loss`, `F.smooth_l1_loss` and `F.huber_loss` (and the `nn` losses that call
them) accept an input and a target of different sizes: they broadcast the two and only warn
("Using a target size (...) that is different to the input size (...). This will likely lead to
incorrect results due to broadcasting"). When both operands grow, a [batch, 1] output against a
[batch] target, every output is compared with every target and the mean is over batch x batch
pairs: a wrong loss that trains without raising. The check turns that warning into an error of
the program, raised where the loss is called. A warning where only one operand grows (a [1]
value against a 0-dim return, every output against one constant) pairs each element with the
one value it is meant to meet, and two operands of one rank that cross ([n, 1, d] against
[1, n, d]) were each given their unit axis, as a pairwise comparison is written: both stay
warnings.
"""
from __future__ import annotations

import re
import sys
import warnings

SIZES = re.compile(r"Using a target size \(torch\.Size\(\[([\d, ]*)\]\)\) that is different to the input "
                   r"size \(torch\.Size\(\[([\d, ]*)\]\)\)")


class LossBroadcastError(RuntimeError):
    """A loss whose input and target broadcast to more elements than either of them holds."""


def sizes(text: str) -> list[int] | None:
    try:
        return [int(d) for d in text.split(",") if d.strip()]
    except ValueError:
        return None


def broadcast(a: list[int], b: list[int]) -> list[int] | None:
    """The shape a and b broadcast to, or None when they do not."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and 1 not in (x, y):
            return None
        out.append(max(x, y) if 0 not in (x, y) else 0)
    return out[::-1]


def count(shape: list[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def crossed(message: str) -> tuple[list[int], list[int], list[int]] | None:
    """(input, target, broadcast) shapes when the warning's two sizes broadcast to more elements
    than either holds; None for any other warning."""
    found = SIZES.search(message)
    if found is None:
        return None
    target, given = sizes(found.group(1)), sizes(found.group(2))
    if target is None or given is None:
        return None
    both = broadcast(given, target)
    if both is None or count(both) <= max(count(given), count(target)) or len(given) == len(target):
        return None  # one side alone grows, or both were given their unit axes ([n, 1, d] against [1, n, d])
    return given, target, both


def text(shape: list[int]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def install() -> None:
    """Wrap `warnings.warn` (which torch.nn.functional calls by that name) once per process; the
    program's own warning filters do not hide the broadcast from the check."""
    original = warnings.warn
    if getattr(original, "tensorlint_broadcasts", False):
        return

    def warn(message, category=None, stacklevel=1, source=None, *args, **kwargs):
        shapes = crossed(str(message)) if "different to the input size" in str(message) else None
        if shapes is not None:
            given, target, both = shapes
            caller = sys._getframe(1).f_code.co_name
            raise LossBroadcastError(
                f"{caller} is given an input of shape {text(given)} and a target of shape {text(target)}, which "
                f"broadcast to {text(both)}: every input element is compared with every target element, not with its "
                "own (PyTorch only warns: \"This will likely lead to incorrect results due to broadcasting\")")
        return original(message, category, stacklevel + 1, source, *args, **kwargs)

    warn.tensorlint_broadcasts = True
    warnings.warn = warn
