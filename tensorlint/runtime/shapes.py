"""The input shapes a user writes for the shape check (`--input x=1,3,224,224`, `[tool.tensorlint.shapecheck] inputs`)."""
from __future__ import annotations

import re

_SHAPE = re.compile(r"^\s*[\(\[]?\s*(\d+(?:\s*[x,]\s*\d+)*)\s*,?\s*[\)\]]?\s*(?::\s*(\w+))?\s*$")


def parse_shape(spec: str) -> tuple[list[int], str | None]:
    """`1x3x224x224`, `1,3,224,224`, `(1, 3, 224, 224):float64` -> ([1, 3, 224, 224], dtype)."""
    m = _SHAPE.match(spec)
    if not m:
        raise ValueError(f"not a shape: {spec!r} (write it as 1,3,224,224 or 1x3x224x224, optionally :dtype)")
    dims = [int(d) for d in re.split(r"\s*[x,]\s*", m.group(1))]
    return dims, m.group(2)
