"""Operand checks for `tf.matmul` (TF1 graph code and TF2 alike): TensorFlow never promotes
dtypes (TL101/TL102 report it); TL212 checks the inner dimensions."""
from __future__ import annotations

from tensorlint.values import Tensor, is_float_dtype, is_int_dtype

from ._common import value_name


def operands(ev):
    a = ev.receiver
    b = ev.args[0] if ev.args else None
    if not isinstance(a, Tensor) or not isinstance(b, Tensor) or a.fw not in ("tf", "keras") or b.fw not in ("tf", "keras", "np"):
        return None
    return a, b


def dtype_clash(ev, want: str):
    """(message, related) when the operands' dtypes differ as `want` describes:
    "float64" (float64 against float32) or "int" (integer against floating point)."""
    ops = operands(ev)
    if ops is None:
        return None
    a, b = ops
    if a.dtype is None or b.dtype is None or a.dtype == b.dtype:
        return None
    if want == "float64" and {a.dtype, b.dtype} != {"float64", "float32"}:
        return None
    if want == "int" and not ((is_int_dtype(a.dtype) and is_float_dtype(b.dtype)) or (is_float_dtype(a.dtype) and is_int_dtype(b.dtype))):
        return None
    return None if b.fw == "np" and b.dtype == "float64" else (a, b)


def report_dtype_clash(rule, ctx, ev, want: str) -> None:
    clash = dtype_clash(ev, want)
    if clash is None:
        return
    a, b = clash
    ctx.report(rule, ev.node,
               f"tf.matmul does not convert dtypes: {value_name(ctx, a)} is {a.dtype}, {value_name(ctx, b)} is {b.dtype}",
               related=[(t.origin, f"{t.dtype} tensor made here") for t in (a, b) if t.origin is not None])

