"""libcst's parse, without re-checking what its parser already guarantees.

Every libcst node checks itself when it is built (`CSTNode.__post_init__` calls `_validate`).
For the nodes its parser builds, most of those checks restate the grammar: whitespace holds only
what the tokenizer took as whitespace, parentheses come in pairs, keywords have the spaces they
need. They cost about a tenth of a parse. While `parse_module` runs they are skipped, except for
the node types whose checks reject text the parser lets through (a str and a bytes literal
concatenated, a name that is no identifier) or whose rules are looser in the grammar than in
CPython (call arguments, parameters, literals): those keep checking, so a text is refused
exactly when libcst refuses it. Of those, names and numbers (the most frequent) check only
what can fail for one the parser built, with the same test libcst makes (an identifier; libcst's
own number patterns, compiled once), and calls, arguments, parameters and plain strings run
libcst's own tests with its messages in one function each: their brackets come in pairs as the
grammar makes them.
Nodes built anywhere else are checked as always.

Building the nodes is the other Python-side cost of a parse: a node type's dataclass `__init__`
stores each field with `object.__setattr__` (the node is frozen), then calls `__post_init__`.
While `parse_module` runs, each node type whose `__init__` is the one its dataclass generated
takes an `__init__` of the same signature that stores the fields through their slots directly
and calls the check that type has during the parse only when it has one (most have none): a
parse takes about a tenth less time. Building those `__init__`s (one compile of some 170
functions) costs about as much as parsing 80,000 characters of Python saves with them, so a
process builds them once it has parsed that much (`FAST_INITS_AFTER`): a check of one small
file never pays for them, a check of many files or a language server that stays up pays once,
and no run pays more than twice what building them at the best moment would have cost.

Two layout node types make half of a tree's nodes: the spaces between tokens
(`SimpleWhitespace`, four in ten nodes) and the end of a line (`Newline`). Each holds one string
and no node, and nothing in tensorlint asks where one of them is or keys a fact by one. While
`parse_module` runs, the parser builds them through a stand-in that gives the same node for the
same string within one parse (a cache of the standard library, looked up in C): every other
node reads, prints and is placed as before (the tree's code is the same text, its other nodes'
positions the same ranges), and a parse takes about a tenth less time. libcst's parser builds
each node through the `libcst` module's attribute of that name: the stand-ins take that place
while the parse runs (under the same lock as the rest), and a libcst that builds them otherwise
keeps one node per occurrence.

The punctuation between code (commas, dots, colons, the `=` of a keyword argument, square and
curly brackets), the end of each line and each empty line, and the line breaks inside brackets
are layout too, about a sixth of a tree's nodes again, each holding only spaces, line ends and
comments: they are built the same way, one node for the same field values (the same space and
line-end nodes, the same comment node) within one parse. Their stand-ins look those field values
up by identity (libcst hashes a node by its `id`, through a Python method: while the parse runs
the six layout types their fields hold hash by identity in C, as `object` does). Parentheses stay one node per place: libcst places
a parenthesized `from m import (a, b)` where its `)` was placed.

libcst's parser looks its node types up through `import libcst` for every node it builds: the
`__import__` of the builtins of the Python code that called it runs each time (a tenth of the
Python side of a parse), only to be told what `sys.modules` holds already, which the parser then
reads itself. The parse here calls libcst's parser as libcst's `parse_module` does for a text
(`libcst.native.parse_module(text, encoding="utf-8")`), from a function whose builtins' `__import__`
does nothing: the parser still takes `libcst` from `sys.modules` (imported before the parse
starts), the same module, so the tree and the errors are the same, and a parse takes about a
twentieth less time. Where libcst is built otherwise (no native parser, or one that gives
another tree for a probe text) its own `parse_module` runs.
"""
from __future__ import annotations

import threading
from functools import lru_cache as _lru_cache  # (loaded with Python itself: no cost at startup)

_lock = threading.Lock()
_state: dict = {}
FAST_INITS_AFTER = 80_000  # characters parsed before the node types' own __init__s give way


def _swap(cst) -> tuple:
    swap = _state.get("swap")
    if swap is None:
        swap = _state["swap"] = _prepare(cst)
    return swap


def prepare_for_many() -> None:
    """Set up now what the parse of a process that will parse much text builds on the way (the
    fast `__init__`s included): for a language server, while its client opens files."""
    import libcst as cst

    swap = _swap(cst)
    if swap:
        node, _, _, lighter, _ = swap
        with _lock:
            _inits(node, lighter, FAST_INITS_AFTER)


def parse_module(text: str):
    """`libcst.parse_module(text)`, with the parser-guaranteed checks skipped."""
    import libcst as cst

    swap = _swap(cst)
    if not swap:
        return cst.parse_module(text)
    node, checked, unchecked, lighter, (shared, hashed) = swap
    with _lock:
        parse = _direct(cst) if isinstance(text, str) else cst.parse_module
        inits = _inits(node, lighter, len(text))
        node.__post_init__ = unchecked
        for cls, check in lighter:
            cls.__post_init__ = check
        for cls, fast, _ in inits:
            cls.__init__ = fast
        for name, cls in shared:
            setattr(cst, name, _one_per_value(cls))
        for cls, _ in hashed:
            cls.__hash__ = _IDENTITY_HASH
        try:
            return parse(text)
        finally:
            node.__post_init__ = checked
            for cls, _ in lighter:
                cls.__post_init__ = checked
            for cls, _, own in inits:
                cls.__init__ = own
            for name, cls in shared:
                setattr(cst, name, cls)
            for cls, own in hashed:
                cls.__hash__ = own


def _direct(cst):
    """A function giving what `cst.parse_module(text)` gives for a text: libcst's native parser
    called from a function whose builtins' `__import__` does nothing; `cst.parse_module` itself
    where libcst's parse of a probe text does not give the same tree that way."""
    run = _state.get("direct")
    if run is None:
        run = _state["direct"] = _direct_parse(cst) or cst.parse_module
    return run


_PROBE = "import torch as t\n\nclass A(t.nn.Module):  # c\n    def f(self, x: int = 1, *a, **k):\n        return x[0] + f'{x!r}'\n"


def _direct_parse(cst):
    try:
        from libcst import native

        # a C function that takes any arguments and does nothing but return a new empty dict:
        # `__import__`'s result is not read (the parser reads `sys.modules`)
        space = {"__builtins__": {"__import__": type.__prepare__, "isinstance": isinstance,
                                  "AssertionError": AssertionError},
                 "native": native, "Module": cst.Module, "__name__": __name__}
        exec("def parse(text):\n"
             "    tree = native.parse_module(text, encoding='utf-8')\n"
             "    if not isinstance(tree, Module):\n"
             "        raise AssertionError()\n"
             "    return tree\n", space)
        parse = space["parse"]
        ours, theirs = parse(_PROBE), cst.parse_module(_PROBE)
    except Exception:  # no native parser, or one that is called otherwise
        return None
    same = ours.deep_equals(theirs) and ours.code == theirs.code == _PROBE and ours.encoding == theirs.encoding
    return parse if same else None


def _inits(node, lighter: tuple, size: int) -> tuple:
    """The `_fast_inits` of the node types, once `FAST_INITS_AFTER` characters have been parsed
    in this process counting `size` more; () before (under `_lock`)."""
    inits = _state.get("inits")
    if inits is None:
        _state["parsed"] = _state.get("parsed", 0) + size
        if _state["parsed"] < FAST_INITS_AFTER:
            return ()
        inits = _state["inits"] = _fast_inits(node, dict(lighter))
    return inits


def _prepare(cst):
    """(CSTNode, its own __post_init__, a no-op, ((class, its lighter check while parsing)...),
    ((name, class) of the layout types built one node per value while parsing...)), after
    giving the types that must keep checking their own copy of the checking __post_init__; ()
    where libcst is not built that way."""
    node = cst.CSTNode
    checked = node.__dict__.get("__post_init__")
    if checked is None:
        return ()
    kept = ("ConcatenatedString", "Name", "Call", "Arg", "Parameters", "Param", "Lambda",
            "SimpleString", "FormattedString", "Integer", "Float", "Imaginary")
    for name in kept:
        cls = getattr(cst, name, None)
        if isinstance(cls, type) and issubclass(cls, node) and "__post_init__" not in cls.__dict__:
            cls.__post_init__ = checked  # the same function: for them nothing changes
    lighter = []
    for name, check in _lighter_checks().items():
        cls = getattr(cst, name, None)
        if isinstance(cls, type) and cls.__dict__.get("__post_init__") is checked:
            lighter.append((cls, check))  # otherwise (another libcst) it checks itself in full
    return node, checked, _unchecked, tuple(lighter), _shared_layout(cst, node)


# layout node types with one field, `value` (a string, or None), and no node below them
SHARED_LAYOUT = ("SimpleWhitespace", "Newline")
# layout node types whose fields hold only layout nodes (spaces, line ends, comments) or a flag:
# the punctuation between code (`,` `.` `:` `=`, square and curly brackets) and the end of a line
# or an empty line. Built one node per combination of field values: a node for the same spaces,
# comment and line end (the spaces and line ends themselves one node per value). Not parentheses:
# libcst places a parenthesized `from m import (a, b)` where its `)` was placed (`end_node`), and
# a shared `)` is placed where it stands last; no libcst node is placed by the others
SHARED_PUNCTUATION = {
    "Comma": ("whitespace_before", "whitespace_after"),
    "Dot": ("whitespace_before", "whitespace_after"),
    "Colon": ("whitespace_before", "whitespace_after"),
    "AssignEqual": ("whitespace_before", "whitespace_after"),
    "LeftSquareBracket": ("whitespace_after",),
    "RightSquareBracket": ("whitespace_before",),
    "LeftCurlyBrace": ("whitespace_after",),
    "RightCurlyBrace": ("whitespace_before",),
    "TrailingWhitespace": ("whitespace", "comment", "newline"),
    "EmptyLine": ("indent", "whitespace", "comment", "newline"),
    # the spaces of a line break inside brackets (the end of one line, the empty lines after
    # it, the next line's indentation): a twentieth of a tree's nodes in formatted code
    "ParenthesizedWhitespace": ("first_line", "empty_lines", "indent", "last_line"),
}
# the node types such a node's fields may hold (a tuple of empty lines holds `EmptyLine`s): hashed
# by identity while a text is parsed (their own `__hash__` is libcst's `id(self)`, a Python
# function; the stand-ins' lookups hash them)
LAYOUT_VALUES = ("SimpleWhitespace", "ParenthesizedWhitespace", "Newline", "Comment", "TrailingWhitespace",
                 "EmptyLine")
_IDENTITY_HASH = object.__hash__


def _shared_layout(cst, node) -> tuple:
    """((name, class) of the SHARED_LAYOUT and SHARED_PUNCTUATION types this libcst defines as
    expected (frozen dataclasses with those fields), which the parser builds one node per value;
    (class, its own __hash__) of the LAYOUT_VALUES types, whose hash is their identity)."""
    import dataclasses

    def frozen_with(cls, fields) -> bool:
        return (isinstance(cls, type) and issubclass(cls, node) and dataclasses.is_dataclass(cls)
                and tuple(f.name for f in dataclasses.fields(cls)) == fields and cls.__dataclass_params__.frozen)

    out = [(name, getattr(cst, name)) for name in SHARED_LAYOUT if frozen_with(getattr(cst, name, None), ("value",))]
    identity = node.__dict__.get("__hash__")
    hashed = []
    for name in LAYOUT_VALUES:
        cls = getattr(cst, name, None)
        if isinstance(cls, type) and issubclass(cls, node) and identity is not None and cls.__hash__ is identity:
            hashed.append((cls, cls.__dict__.get("__hash__", identity)))
    if identity is not None and len(hashed) == len(LAYOUT_VALUES):  # else: spaces and line ends alone
        out += [(name, getattr(cst, name)) for name, fields in SHARED_PUNCTUATION.items()
                if frozen_with(getattr(cst, name, None), fields)]
    else:
        hashed = []
    return tuple(out), tuple(hashed)


def _one_per_value(cls):
    """A stand-in for the layout node type `cls` while one text is parsed: for a value it gives
    the node it gave for that value before in the same parse. A cache of the standard library
    (`functools.lru_cache`, without bound) is that stand-in: its lookup runs in C, with no Python
    frame per node (3.3 million nodes in every 3rd file of the benchmark's corpus); the parser
    passes the value by keyword, and a call without one builds the type's default once."""
    return _lru_cache(maxsize=None)(cls)


def _fast_inits(node, lighter: dict) -> tuple:
    """(class, an __init__ with the signature of its dataclass's own, own __init__) for each
    node type whose __init__ its dataclass generated and whose fields all are slots."""
    import dataclasses
    import inspect
    import types

    found, seen, todo = [], set(), [node]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
                own = sub.__dict__.get("__init__")
                if own is not None and dataclasses.is_dataclass(sub) and getattr(
                        getattr(own, "__code__", None), "co_filename", "") == "<string>":
                    found.append((sub, own))
    source, names, kept = [], {}, []
    for i, (cls, own) in enumerate(found):
        try:
            signature = inspect.signature(own)
        except (TypeError, ValueError):
            continue
        params = list(signature.parameters.values())[1:]
        fields = dataclasses.fields(cls)
        if [f.name for f in fields] != [p.name for p in params] or any(
                p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in params):
            continue  # a field outside __init__, an InitVar: its own __init__ does more
        slots = [_slot(cls, f.name) for f in fields]
        if not all(isinstance(slot, types.MemberDescriptorType) for slot in slots):
            continue
        head, body, star = [], [], False
        for j, (p, f) in enumerate(zip(params, fields)):
            if p.kind is p.KEYWORD_ONLY and not star:
                head.append("*")
                star = True
            if p.default is p.empty:
                head.append(p.name)
            else:
                names[f"d{i}_{j}"] = p.default
                head.append(f"{p.name}=d{i}_{j}")
                if f.default_factory is not dataclasses.MISSING:
                    names[f"f{i}_{j}"] = f.default_factory
                    body.append(f"    if {p.name} is d{i}_{j}: {p.name} = f{i}_{j}()")
            names[f"s{i}_{j}"] = slots[j].__set__
            body.append(f"    s{i}_{j}(self, {p.name})")
        check = _check_while_parsing(cls, node, lighter)
        if check is not None:
            names[f"c{i}"] = check
            passes = getattr(check, "passes", None)
            if passes is not None and "value" in signature.parameters:
                names[f"p{i}"] = passes  # the check raises only when this fails: a call saved per name
                body.append(f"    if not p{i}(value): c{i}(self)")
            else:
                body.append(f"    c{i}(self)")
        source.append(f"def init{i}(self, {', '.join(head)}):\n" + ("\n".join(body) or "    pass"))
        kept.append((i, cls, own))
    try:
        exec(compile("\n".join(source), "<tensorlint.cstparse>", "exec"), names)
    except Exception:  # a libcst built some other way: its own __init__s
        return ()
    return tuple((cls, names[f"init{i}"], own) for i, cls, own in kept)


def _slot(cls, name: str):
    for base in cls.__mro__:
        if name in base.__dict__:
            return base.__dict__[name]
    return None


def _check_while_parsing(cls, node, lighter: dict):
    """The __post_init__ a node of `cls` runs while parsing: None where that is the no-op."""
    for base in cls.__mro__:
        if base is node:
            return None
        if base in lighter:
            return lighter[base]
        if "__post_init__" in base.__dict__:
            return base.__dict__["__post_init__"]
    return None


def _unchecked(self) -> None:
    return None


def _lighter_checks() -> dict:
    """Class name -> the check of a parsed node of that class: libcst's `_validate` less the
    bracket count (a number's pattern is libcst's own; a libcst without it keeps full checks)."""
    import re

    from libcst import CSTValidationError

    def identifier(self) -> None:
        if not self.value.isidentifier():
            raise CSTValidationError(f"Name {self.value!r} is not a valid identifier.")

    identifier.passes = str.isidentifier  # what the check tests of `value`: built nodes test it inline

    checks = {"Name": identifier}
    try:
        from libcst._nodes import expression
    except ImportError:
        return checks
    for name, attr, what in (("Integer", "INTNUMBER_RE", "integer"), ("Float", "FLOATNUMBER_RE", "float"),
                             ("Imaginary", "IMAGNUMBER_RE", "imaginary")):
        pattern = getattr(expression, attr, None)
        if isinstance(pattern, str):
            checks[name] = _number_check(re.compile(pattern).fullmatch, f"Number is not a valid {what}.")
    checks.update(_argument_checks(CSTValidationError, getattr(expression, "AssignEqual", None),
                                   getattr(expression, "Param", None), getattr(expression, "ParamSlash", None),
                                   getattr(expression, "ParamStar", None)))
    return checks


_STARS = ("", "*", "**")


def _argument_checks(error, assign_equal, param, slash, star_marker) -> dict:
    """The checks of call arguments, parameters and plain strings: libcst's own tests, in its
    order and with its messages, less the bracket count, with node classes that have no
    subclasses tested by exact type (libcst's classes are ABCs: `isinstance` on them is slow).
    {} when this libcst lacks one of the classes they name."""
    if not all(isinstance(c, type) for c in (assign_equal, param, slash, star_marker)):
        return {}

    def call(self) -> None:  # Call: the order of positional, keyword, * and ** arguments
        keyword = unpacked = False
        for arg in self.args:
            if arg.keyword is not None:
                keyword = True
            elif arg.star == "**":
                unpacked = True
            elif arg.star == "*":
                if unpacked:
                    raise error("Cannot have iterable argument unpacking after keyword argument unpacking.")
            elif unpacked:
                raise error("Cannot have positional argument after keyword argument unpacking.")
            elif keyword:
                raise error("Cannot have positional argument after keyword argument.")

    def arg(self) -> None:
        if self.keyword is None and type(self.equal) is assign_equal:
            raise error("Must have a keyword when specifying an AssignEqual.")
        star = self.star
        if star not in _STARS:
            raise error("Must specify either '', '*' or '**' for star.")
        if star and self.keyword is not None:
            raise error("Cannot specify a star and a keyword together.")

    def one_param(self) -> None:
        if self.default is None and type(self.equal) is assign_equal:
            raise error("Must have a default when specifying an AssignEqual.")
        if isinstance(self.star, str) and self.star not in _STARS:
            raise error("Must specify either '', '*' or '**' for star.")

    def parameters(self) -> None:
        if type(self.posonly_ind) is slash and len(self.posonly_params) == 0:
            raise error("Must have at least one posonly param if ParamSlash is used.")
        star_arg, star_kwarg = self.star_arg, self.star_kwarg
        if type(star_arg) is star_marker and len(self.kwonly_params) == 0:
            raise error("Must have at least one kwonly param if ParamStar is used.")
        seen_default = False
        for each in (*self.posonly_params, *self.params):
            if each.default:
                seen_default = True
            elif seen_default:
                raise error("Cannot have param without defaults following a param with defaults.")
        if type(star_arg) is param and star_arg.default is not None:
            raise error("Cannot have default for star_arg.")
        if star_kwarg is not None and star_kwarg.default is not None:
            raise error("Cannot have default for star_kwarg.")
        for section, values in (("params", self.params), ("posonly_params", self.posonly_params)):
            for each in values:
                if isinstance(each.star, str) and each.star != "":
                    raise error(f"Expecting a star prefix of '' for {section} Param.")
        if type(star_arg) is param and isinstance(star_arg.star, str) and star_arg.star != "*":
            raise error("Expecting a star prefix of '*' for star_arg Param.")
        for each in self.kwonly_params:
            if isinstance(each.star, str) and each.star != "":
                raise error("Expecting a star prefix of '' for kwonly_params Param.")
        if star_kwarg is not None and isinstance(star_kwarg.star, str) and star_kwarg.star != "**":
            raise error("Expecting a star prefix of '**' for star_kwarg Param.")

    def simple_string(self) -> None:
        value = self.value
        if value[:1] in _QUOTES:
            prefix = ""  # most strings: no prefix
        else:
            end = 0
            while end < len(value) and value[end] not in _QUOTES:
                end += 1
            prefix = value[:end].lower()
        if prefix not in _PREFIXES:
            raise error("Invalid string prefix.")
        n = len(prefix)
        if len(value) < n + 2:
            raise error("String must have enclosing quotes.")
        quote = value[n]
        if quote not in _QUOTES or quote != value[-1]:
            raise error("String must have matching enclosing quotes.")
        if len(value) >= n + 6 and quote == value[n + 1] and (
                quote != value[n + 2] or quote != value[-2] or quote != value[-3]):
            raise error("String must have matching enclosing quotes.")

    return {"Call": call, "Arg": arg, "Param": one_param, "Parameters": parameters, "SimpleString": simple_string}


_QUOTES = ('"', "'")
_PREFIXES = ("", "r", "u", "b", "br", "rb")


def _number_check(fullmatch, message: str):
    def check(self) -> None:
        if not fullmatch(self.value):
            from libcst import CSTValidationError

            raise CSTValidationError(message)
    check.passes = fullmatch
    return check
