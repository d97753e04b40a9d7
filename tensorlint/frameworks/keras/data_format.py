"""Keras' global image data format: the layout (`channels_last`, `channels_first`) a spatial
layer or an `ImageDataGenerator` built without `data_format=` takes.

Keras' own default is channels_last, but a program can change it for every layer at once
(`keras.backend.set_image_data_format("channels_first")`, Keras 1/2's
`set_image_dim_ordering("th")`, a `~/.keras/keras.json` it writes or reads), from any function,
before or after the model is built. A file that sets or reads the format anywhere (a program
that reads it is written for either) has no known default: only inside a branch of
`if K.image_data_format() == "channels_first":` is the format known, the one that branch tests
(`Interpreter.image_format`). A layer given `data_format=` keeps it.

One setter fixes the format: the file's only one (no other in the file or a project module it
reads, no `keras.json`), a statement of its own at the module's top level (not under an `if`,
a loop, a `try` or in a function), given a literal format, run before any Keras layer or model
is built. From that statement on, the layers built (in module code and in the functions it
calls, or that run after it) take that format (`Interpreter.image_format_set`).
"""
from __future__ import annotations

import re
import weakref

import libcst as cst

from ...values import UNKNOWN, Const, Unknown, Value
from ..common import TextSearch
from ..registry import CALLS

LAST, FIRST = "channels_last", "channels_first"
FORMATS = (LAST, FIRST)
_LEGACY = {"tf": LAST, "th": FIRST}
# whether a program text sets or reads the global format anywhere (`set_image_data_format`,
# `K.image_dim_ordering()`, the config file that holds it)
format_changed = TextSearch(r"image_data_format|image_dim_ordering|keras\.json")
_SETTERS = ("set_image_data_format", "set_image_dim_ordering")


class ImageFormat(Unknown):
    """What `keras.backend.image_data_format()` (`image_dim_ordering()`: "th"/"tf") gives: Keras'
    global image data format, which the program does not fix. Unknown to everything else; a
    comparison of it with a literal is a `FormatTest`."""

    __slots__ = ("legacy",)

    def __init__(self, legacy: bool = False):
        self.legacy = legacy

    def __repr__(self) -> str:
        return "ImageFormat"


class FormatTest(Unknown):
    """`K.image_data_format() == "channels_first"`: a test of the global image data format, and
    the format each branch of an `if` on it runs under (`formats`: when true, when false)."""

    __slots__ = ("formats",)

    def __init__(self, formats: tuple):
        self.formats = formats

    def __repr__(self) -> str:
        return f"FormatTest{self.formats!r}"


def global_format(call) -> str | None:
    """The image data format in force where `call` runs: the one an `if` on the format being run
    tests, else channels_last unless this file or a project module it reads sets or reads the
    format (then None: not known)."""
    interp = call.interp
    branch = getattr(interp, "image_format", None)
    if branch is not None:
        return branch
    fixed = _SET_FORMATS.get(getattr(interp, "image_format_set", 0))
    if fixed is not None:
        return fixed
    return None if _program_changes_format(interp) else LAST


SET_CODES = {LAST: 1, FIRST: 2}  # `Interpreter.image_format_set` for each format (0: none fixed)
_SET_FORMATS = {code: fmt for fmt, code in SET_CODES.items()}
_SETTER_CALL = re.compile(r"\bset_image_(?:data_format|dim_ordering)\b")


def _setter(legacy: bool):
    def run(call):
        """`K.set_image_data_format("channels_first")`: fixes the format where it is the program's
        one setter, run unconditionally at the module's top level before any layer is built."""
        interp = call.interp
        value = call.args[0] if len(call.args) == 1 and not call.kwargs else None
        fmt = value.value if isinstance(value, Const) and isinstance(value.value, str) else None
        fmt = _LEGACY.get(fmt) if legacy else fmt
        if fmt in FORMATS and getattr(interp, "keras_built", 1) == 0 and getattr(interp, "image_format_set", 1) == 0 \
                and call.frame is getattr(interp, "root", None) and _only_setter(interp, call.node):
            interp.image_format_set = SET_CODES[fmt]
        return UNKNOWN
    return run


def _only_setter(interp, node) -> bool:
    """Whether `node` is the one setter call of the program: a statement of its own at the top of
    one of the file's chunks, the file's text naming a setter once and no config file, and no
    project module read so far setting or reading the format."""
    text = getattr(interp, "text", None) or ""
    if len(_SETTER_CALL.findall(text)) != 1 or "keras.json" in text:
        return False
    infos = getattr(interp, "foreign_info", None) or {}
    if any(format_changed(getattr(info[2], "text", None) or "") for info in infos.values()
           if isinstance(info, tuple) and len(info) > 2):
        return False
    for chunk in getattr(interp, "chunks", ()):
        for stmt in chunk.module.body:
            if type(stmt) is cst.SimpleStatementLine and any(
                    type(small) is cst.Expr and small.value is node for small in stmt.body):
                return True
    return False


def _program_changes_format(interp) -> bool:
    """Whether the file, or a project module the analysis has read so far, sets or reads the
    format; answered once per analysis and number of modules read (a file builds many layers)."""
    global _last_answer
    infos = getattr(interp, "foreign_info", None) or {}
    last = _last_answer  # (one tuple, replaced whole: threads analyzing other files read it too)
    if last[0]() is interp and last[1] == len(infos):
        return last[2]
    texts = [getattr(interp, "text", None) or ""]
    texts += [getattr(info[2], "text", None) or "" for info in infos.values() if isinstance(info, tuple) and len(info) > 2]
    answer = any(format_changed(text) for text in texts)
    try:
        _last_answer = (weakref.ref(interp), len(infos), answer)
    except TypeError:  # an analysis that cannot be referred to weakly: asked again next time
        pass
    return answer


_last_answer: tuple = (lambda: None, 0, False)  # (the analysis, modules read, the answer)


def given_format(value, call) -> str | None:
    """The format a `data_format=` argument (a plain value, see `registry.plain`) names: the
    literal, the global format for None or `K.image_data_format()`, None where not known."""
    if value is None or isinstance(value, ImageFormat):
        return global_format(call)
    return value if value in FORMATS else None


def layer_facts(facts: dict, call) -> dict:
    """A Keras spatial layer's facts with the format it takes: `data_format` is "channels_last",
    "channels_first", or UNKNOWN (the program changes the default, or passes a value it does not
    fix)."""
    fmt = given_format(facts.get("data_format"), call)
    facts["data_format"] = fmt if fmt is not None else UNKNOWN
    return facts


def layer_format(layer) -> str | None:
    """The format of a Keras layer (`layer_facts`): "channels_last", "channels_first", None when
    not known. A layer the program built with no format fact reads channels_last, Keras' own
    default."""
    fmt = layer.facts.get("data_format", LAST)
    return fmt if fmt in FORMATS else None


def format_test(left: Value, ops) -> Value | None:
    """`K.image_data_format() == "channels_first"` (either side, `!=`, the "th"/"tf" spellings):
    the FormatTest; None for any other comparison."""
    if len(ops) != 1:
        return None
    op, right = ops[0][0], ops[0][1]
    if type(op) not in (cst.Equal, cst.NotEqual):
        return None
    if isinstance(right, ImageFormat) and isinstance(left, Const):
        left, right = right, left
    if not isinstance(left, ImageFormat) or not isinstance(right, Const) or not isinstance(right.value, str):
        return None
    fmt = _LEGACY.get(right.value) if left.legacy else right.value
    if fmt not in FORMATS:
        return None
    other = FIRST if fmt == LAST else LAST
    return FormatTest((fmt, other) if type(op) is cst.Equal else (other, fmt))


def sets_format(node: cst.CSTNode) -> bool:
    """Whether code under `node` calls a setter of the global format (the branch an `if` on the
    format runs may change it)."""
    found = []

    class _Find(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> bool:
            f = call.func
            name = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else ""
            if name in _SETTERS:
                found.append(call)
            return not found

    node.visit(_Find())
    return bool(found)


def _reader(legacy):
    return lambda call: ImageFormat(legacy)


for _q in ("keras.backend.image_data_format", "keras.config.image_data_format"):
    CALLS[_q] = _reader(False)
CALLS["keras.backend.image_dim_ordering"] = _reader(True)
for _q in ("keras.backend.set_image_data_format", "keras.config.set_image_data_format"):
    CALLS[_q] = _setter(False)
CALLS["keras.backend.set_image_dim_ordering"] = _setter(True)
