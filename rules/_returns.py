"""What a function gives its callers, read from its syntax: whether it ever returns a value,
and whether the end of its body (where it returns None) is surely reached."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import statements
from tensorlint.dataflow import descendants, is_stub
from tensorlint.syntax import dotted

OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
EXITS = ("sys.exit", "exit", "quit", "os._exit")
SUSPENDS = (cst.Yield, cst.Await)  # exact types (libcst's are ABCs, slow under isinstance)


def returns_value(func) -> bool:
    """Whether some `return` of `func`'s own body gives a value other than None."""
    return any(isinstance(node, cst.Return) and node.value is not None
               and not (isinstance(node.value, cst.Name) and node.value.value == "None")
               for node in statements(func, nested=False))


def says_none(func) -> bool:
    """Whether some `return` of `func`'s own body spells `return None`: the author says the
    function gives None (an exercise's stub, `# TODO: implement`, or a deliberate no-result)."""
    return any(type(node) is cst.Return and type(node.value) is cst.Name and node.value.value == "None"
               for node in statements(func, nested=False))


def never_returns_value(func, suspends: bool = True) -> bool:
    """Every call gives None: no value returned, not a generator or coroutine, and the body can
    reach its end (it does not end by raising or exiting). `suspends`: the file may hold a
    `yield` or `await` (else the body is not searched for one)."""
    if func.asynchronous is not None or func.decorators or is_stub(func):
        return False
    if suspends and any(type(node) in SUSPENDS for node in descendants(func.body, prune=OWN)):
        return False
    body = func.body.body if isinstance(func.body, cst.IndentedBlock) else [func.body]
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        small = last.body[-1]
        if isinstance(small, cst.Raise):
            return False  # every path may raise: its result is never seen
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and dotted(small.value.func) in EXITS:
            return False
    return True


TESTS = (cst.If, cst.While, cst.IfExp, cst.Comparison, cst.BooleanOperation, cst.UnaryOperation, cst.Assert)


def tested(p, node) -> bool:
    """Whether `node` (a read of a name) is tested for None or for truth: a comparison, `and` /
    `or` / `not`, the test of an `if`, `while`, conditional expression or `assert`, or an
    argument of a call (`isinstance(model, Model)`, `callable(f)`)."""
    parent = p.parent.get(node)
    if type(parent) is cst.Arg:
        return True
    if type(parent) in (cst.If, cst.While, cst.IfExp, cst.Assert):
        return parent.test is node
    return type(parent) in TESTS


def completes(block) -> bool:
    """Whether the end of `block` is surely reached on some path (so a call can return None):
    its last statement is a simple one that neither raises nor exits, a `for` (whose `else`, if
    any, ends so), a `with` whose body ends so, or an `if` with a branch that ends so or no
    `else`. A `while` (perhaps endless) or a `try` is not judged."""
    body = block.body if isinstance(block, cst.IndentedBlock) else [block]
    return bool(body) and statement_completes(body[-1])


def statement_completes(last) -> bool:
    kind = type(last)  # (exact types: libcst's classes are ABCs, slow under isinstance)
    if kind is cst.SimpleStatementLine:
        small = last.body[-1] if last.body else None
        if small is None or type(small) is cst.Raise:
            return False
        return not (type(small) is cst.Expr and type(small.value) is cst.Call and dotted(small.value.func) in EXITS)
    if kind is cst.For:
        return last.orelse is None or completes(last.orelse.body)
    if kind is cst.With:
        return completes(last.body)
    if kind is cst.If:
        if last.orelse is None or completes(last.body):
            return True
        return statement_completes(last.orelse) if type(last.orelse) is cst.If else completes(last.orelse.body)
    return False
