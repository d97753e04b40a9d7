"""The line of the program that made each torch parameter: where its layer was constructed
(`self.fc = nn.Linear(16, 1)`) or where the program wrapped a tensor as a parameter itself
(`self.scale = nn.Parameter(torch.ones(1))`), so that a gradient fact about a parameter is
reported at its layer's line. A parameter made by code of another file (a project module beside
the program, a library's own model) has no line here."""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_DIR = os.sep + "torch" + os.sep


def maker_line(path: str) -> int | None:
    """The line of `path` that made what is being made: the first frame outside the check and
    torch, when it is in `path`."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name == path:  # before the folder tests: the program may live in a folder named torch
            return frame.f_lineno
        if not (name.startswith(HERE) or TORCH_DIR in name):
            return None
        frame = frame.f_back
    return None


def install(torch, path: str) -> None:
    parameter = torch.nn.Parameter
    original = parameter.__new__
    if getattr(original, "tensorlint_lines", False):
        return

    def new(cls, *args, **kwargs):
        made = original(cls, *args, **kwargs)
        try:
            line = maker_line(path)
            if line is not None:
                made.tensorlint_line = line
        except Exception:  # noqa: BLE001 - a parameter without a line is reported at the loss's line
            pass
        return made

    new.tensorlint_lines = True
    parameter.__new__ = staticmethod(new)


def lines_of(params: list[tuple[str, object]], names) -> dict[str, int]:
    """{parameter name: the line that made it} for the named parameters that have one."""
    wanted = set(names)
    return {n: p.tensorlint_line for n, p in params if n in wanted and isinstance(getattr(p, "tensorlint_line", None), int)}


def keras_lines(children, model, variables: list, names: list[str], wanted) -> dict[str, int]:
    """{variable name: the line that made its layer} for the wanted variables of a Keras model,
    each given the innermost layer that holds it and that a line of the program made."""
    owners: dict[int, int] = {}

    def walk(layer, depth: int) -> None:
        for child in children(layer) if depth <= 8 else ():
            walk(child, depth + 1)  # the innermost layer first: an outer one holds its weights too
            line = getattr(child, "_tensorlint_made_at", None)
            if isinstance(line, int):
                for v in getattr(child, "trainable_weights", None) or []:
                    owners.setdefault(id(v), line)

    try:
        walk(model, 0)
    except Exception:  # noqa: BLE001 - a model whose layers cannot be listed: the loss's line only
        return {}
    wanted = set(wanted)
    return {n: owners[id(v)] for n, v in zip(names, variables) if n in wanted and id(v) in owners}
