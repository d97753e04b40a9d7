"""Which module renders which output format. The format modules import `Report` and its helpers
from `tensorlint.report`; the package imports none of them, so that nothing imports back."""
from __future__ import annotations

from typing import Callable

from . import FORMATS, Report


def formatter(name: str) -> Callable[[Report], str]:
    if name in ("concise", "full", "github"):
        from . import text

        return getattr(text, name)
    if name == "json":
        from .json_report import render
    elif name == "sarif":
        from .sarif import render
    elif name == "junit":
        from .junit import render
    else:
        raise ValueError(f"unknown output format {name!r}; choose from {', '.join(FORMATS)}")
    return render
