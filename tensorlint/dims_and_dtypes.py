"""The dims of a shape and the names of dtypes, below the abstract values (`values` imports them
from here, and the modules take them from `values`).

A dim is an int, a symbol (str, e.g. "B" for a batch of unknown size) or None (unknown). A shape
that starts with `ANY` has an unknown number of leading dims: only the dims after it, counted
from the end, are known (`(ANY, 16, None, None)` is "something with 16 channels at dim -3").
"""
from __future__ import annotations


class _Any:
    __slots__ = ()

    def __repr__(self) -> str:
        return "..."


ANY = _Any()  # unknown leading dims

FLOAT_DTYPES = {"float16", "bfloat16", "float32", "float64"}
INT_DTYPES = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}
COMPLEX_DTYPES = {"complex64", "complex128"}


def is_int_dtype(d: str | None) -> bool:
    return d in INT_DTYPES or d == "bool"


def is_float_dtype(d: str | None) -> bool:
    return d in FLOAT_DTYPES


def shape_text(shape) -> str:
    if shape is None:
        return "..."  # rank unknown too (`[?]` is one dim of unknown size)
    return ", ".join("..." if d is ANY else "?" if d is None else str(d) for d in shape)


def shape_list(shape) -> str:
    return "[" + shape_text(shape) + "]"
