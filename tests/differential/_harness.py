"""Ask the engine what it infers, to compare with what the real framework produces.

`inferred(code)` analyzes a snippet whose last line assigns `out = ...` and returns the shape
(a tuple; None for a dim the engine does not know, "..." for unknown leading dims) and dtype
the engine shows for `out`, as a user sees them on hover; None when it infers no tensor."""
from __future__ import annotations

import importlib.util
import os
import random
import re
import sys

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

_VALUE = re.compile(r"^(?:Tensor|ndarray)\[(.*)\] (\S+)$")
SEED = 20261203
CASES_PER_FAMILY = 8


def inferred(code: str):
    text = code.strip() + "\n"
    last = len(text.splitlines())
    values = [v for v in analyze(text, "diff.py", Config(select=("ALL",)), collect_values=True, force=True).values
              if v.span.start.line == last and v.span.start.column == 0]  # the target `out`
    if not values:
        return None
    m = _VALUE.match(values[-1].text)
    if m is None:
        return None
    if m.group(1) == "?":  # unknown rank
        return ("...",), (None if m.group(2) == "?" else m.group(2))
    dims = tuple(None if d == "?" else "..." if d == "..." else int(d) if d.lstrip("-").isdigit() else d
                 for d in (x.strip() for x in m.group(1).split(",")) if d) if m.group(1).strip() else ()
    return dims, (None if m.group(2) == "?" else m.group(2))


def disagreement(engine, real_shape, real_dtype, batch_symbol=None):
    """None when the engine's answer is the real one or less (unknown is always allowed), else
    a description. `batch_symbol`: the engine's name for a batch dim that is None in `real_shape`."""
    if engine is None:
        return "the engine inferred no tensor"
    shape, dtype = engine
    real_shape = tuple(real_shape)
    if shape and shape[0] == "...":
        tail = shape[1:]
        if len(tail) > len(real_shape):
            return f"rank: engine {shape}, real {real_shape}"
        pairs = zip(tail, real_shape[len(real_shape) - len(tail):])
    else:
        if len(shape) != len(real_shape):
            return f"rank: engine {shape}, real {real_shape}"
        pairs = zip(shape, real_shape)
    for e, r in pairs:
        if e is None or (r is None and e == batch_symbol):
            continue
        if e != r:
            return f"shape: engine {shape}, real {real_shape}"
    if dtype is not None and real_dtype is not None and dtype != real_dtype:
        return f"dtype: engine {dtype}, real {real_dtype}"
    return None


def known(engine) -> bool:
    """The engine knows every dim (its table covers the configuration)."""
    return engine is not None and all(d is not None and d != "..." for d in engine[0])


def rng(name: str) -> random.Random:
    return random.Random(f"{SEED}:{name}")


def check_family(cases, batch_symbol=None) -> None:
    """`cases`: (engine code, fn() -> (real shape, real dtype)) pairs. A case whose real run
    raises is not a valid configuration and is passed over. Fails on any disagreement and on
    any dim the engine leaves unknown."""
    problems, unknown, checked = [], [], 0
    for code, real in cases:
        try:
            real_shape, real_dtype = real()
        except Exception:  # noqa: BLE001 - not a valid configuration for the framework itself
            continue
        checked += 1
        engine = inferred(code)
        why = disagreement(engine, real_shape, real_dtype, batch_symbol)
        if why is not None:
            problems.append(f"{code!r}: {why}")
        elif not known(engine):
            unknown.append(f"{code!r}: engine {engine}, real {real_shape}")
    assert checked >= CASES_PER_FAMILY // 2, f"only {checked} valid configurations: fix the generator"
    assert not problems, "\n".join(problems)
    assert not unknown, "the table leaves known dims unknown:\n" + "\n".join(unknown)


def random_shape(r, rank, lo=1, hi=7) -> tuple:
    return tuple(r.randint(lo, hi) for _ in range(rank))


def broadcastable(r, shape) -> tuple:
    """A shape that broadcasts with `shape`: a suffix of it with some dims set to 1."""
    tail = list(shape[r.randint(0, len(shape)):])
    return tuple(1 if r.random() < 0.3 else d for d in tail) or (1,)


def check_generated(seed: str, generator, header: str, real) -> None:
    """Check `CASES_PER_FAMILY` snippets from `generator(r)` (each ending in `out = ...`) against
    `real(code)`, the framework's own (shape, dtype) for the snippet."""
    r = rng(seed)
    codes = [generator(r) for _ in range(CASES_PER_FAMILY)]
    check_family((header + code, lambda code=code: real(code)) for code in codes)


# einsum equations as scripts write them, with the operands' axes named by their subscripts
EINSUM = ("ij,jk->ik", "bij,bjk->bik", "i,j->ij", "ii", "ij->ji", "ij->", "ii->i", "bhqd,bhkd->bhqk", "...ij,jk->...ik",
          "ij,jk", "bi,bi->b", "ijk->kij", "b...d,d->b...")


def einsum_equation(r, form: str):
    """(equation, operand shapes) for one of the forms above, sizes drawn per subscript."""
    sizes = {c: r.randint(1, 6) for c in "abcdefghijklmnopqrstuvwxyz"}
    lhs = form.split("->")[0].split(",")
    ell = tuple(r.randint(1, 4) for _ in range(r.randint(0, 2)))
    shapes = [tuple(d for c in term.replace("...", "*") for d in (ell if c == "*" else (sizes[c],))) for term in lhs]
    return form, shapes


def import_keras():
    """keras, imported on the PyTorch backend when nothing imported it before (the shapes do not
    depend on the backend, and it starts faster than TensorFlow); the calling test module is
    skipped when keras is not installed."""
    saved = os.environ.get("KERAS_BACKEND")
    if "keras" not in sys.modules and importlib.util.find_spec("torch") is not None and saved is None:
        os.environ["KERAS_BACKEND"] = "torch"  # read once, at import; other tests' processes must not inherit it
    try:
        return pytest.importorskip("keras")
    finally:
        if saved is None:
            os.environ.pop("KERAS_BACKEND", None)


def numpy_result(code: str):
    """NumPy's own (shape, dtype) for a snippet ending in `out = ...`."""
    import numpy as np

    env = {"np": np}
    exec(code, env)  # noqa: S102 - generated test code
    out = np.asarray(env["out"])
    return tuple(out.shape), out.dtype.name


def tf_result(code: str):
    """TensorFlow's own (shape, dtype) for a snippet ending in `out = ...`, run eagerly."""
    import tensorflow as tf

    env = {"tf": tf}
    exec(code, env)  # noqa: S102 - generated test code
    out = env["out"]
    if type(out).__module__.startswith("torch"):
        # `tf.keras` layers give the Keras backend's tensors: PyTorch's when an earlier test
        # imported keras first (`import_keras`); their shape and dtype are the same
        out = out.detach().cpu().numpy()
    out = tf.convert_to_tensor(out)
    return tuple(out.shape), out.dtype.name
