"""Facts a rule reads from a document's whole text (a word it mentions anywhere, an argument
spelled the way only Keras 2 takes it). Each is computed once per analysis; the language server
reads them again after an edit, because a finding kept from a section that did not run again may
rest on one that the edit changed elsewhere in the file (an `import torch` added at the top
changes whether `Adam(lr=...)` is Keras 2's spelling)."""

from __future__ import annotations

_COMPUTES: dict = {}  # key -> a function of the text alone


def register(key: str, compute) -> None:
    """Note how the fact `key` is read from a text; `compute` must depend on the text alone."""
    _COMPUTES.setdefault(key, compute)


def read(text: str, keys=None, known=None) -> dict:
    """The registered facts of `text` (those named in `keys`, or all), by key; those in `known`
    (already read from this text) are not read again."""
    known = known or {}
    names = list(_COMPUTES) if keys is None else [k for k in keys if k in _COMPUTES]
    return {k: known[k] if k in known else _COMPUTES[k](text) for k in names}
