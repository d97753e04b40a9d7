"""Which parameters of a library file's model factory only size the input it declares
(`def fcn_8s(image_size, ch_in=3): inputs = Input(shape=(*image_size, ch_in))`), so that the
check may choose them as it chooses the free sides of a declared input."""
from __future__ import annotations

import re

import libcst as cst

from .syntax import callee_name, called_names


# the layers whose name says how many spatial axes their input has (Conv2D, MaxPooling1D, ...)
SPATIAL_LAYER = re.compile(r"(?:Conv|Pooling|Cropping|Padding|UpSampling)([123])D")


def input_sizes(f: cst.FunctionDef) -> dict[str, int]:
    """{parameter: count} when each parameter of `f` without a default is read only inside the
    `shape=` tuple of an `Input(...)` call: as one element (count 1), or spread into it
    (`*image_size`), where it stands for the spatial sides, as many as the axes of the convolutions
    and poolings the function names (all alike: `Conv2D`, `Conv2DTranspose`); {} otherwise."""
    p = f.params
    required = [q.name.value for q in [*p.posonly_params, *p.params, *p.kwonly_params] if q.default is None]
    if not required or isinstance(p.star_arg, cst.Param) or p.star_kwarg is not None:
        return {}
    axes = {int(m.group(1)) for name in called_names(f.body) for m in [SPATIAL_LAYER.search(name.split(".")[-1])] if m}
    uses: dict[str, list] = {name: [] for name in required}

    class Reads(cst.CSTVisitor):
        def __init__(self) -> None:
            self.inside: list = []

        def visit_Call(self, node: cst.Call) -> None:
            if (callee_name(node) or "").split(".")[-1] != "Input":
                return
            for i, arg in enumerate(node.args):
                shape = (arg.keyword is not None and arg.keyword.value == "shape") or (arg.keyword is None and i == 0
                                                                                       and not arg.star)
                if shape and isinstance(arg.value, cst.Tuple):
                    for el in arg.value.elements:
                        if isinstance(el.value, cst.Name) and el.value.value in uses:
                            spread = isinstance(el, cst.StarredElement)
                            if spread and len(axes) != 1:
                                return
                            uses[el.value.value].append(next(iter(axes)) if spread else 1)
                            self.inside.append(el.value)

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in uses and not any(node is seen for seen in self.inside):
                uses[node.value].append(None)

    f.body.visit(Reads())
    if any(not counts or None in counts or len(set(counts)) > 1 for counts in uses.values()):
        return {}
    return {name: counts[0] for name, counts in uses.items()}
