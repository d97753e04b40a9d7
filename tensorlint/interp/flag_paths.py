"""Tests of one flag tied across a file: the paths a setting of the flag allows.

A training script often picks one of two models by a setting and tests the same setting again
where the two are used differently:

    if args.model == "Transformer":
        model = TransformerModel(...)      # returns log-probabilities
    else:
        model = RNNModel(...)              # returns raw scores
    ...
    def train():
        if args.model == "Transformer":
            output = model(data)
        else:
            output, hidden = model(data, hidden)
        loss = criterion(output, targets)  # NLLLoss: wrong for the RNN only

Where both paths meet, the two values are joined and what only one of them is gets lost. The
tests are the same question asked twice of a value the file never changes, so the file can be
walked once more for each answer, every such test then taken the way the answer says. A
finding of such a walk holds on the paths that answer allows (`--model LSTM` here), and it
says so.

A test is tied (`flag_key`) when it compares a name, or an attribute chain of a name, with a
literal (`==`, `!=`, `is`, `is not`, or the chain alone, any of them under `not`), the name is
bound once in the whole file, at its top level, no function rebinds it or declares it global,
and nothing in the file assigns the tested attribute, calls `setattr` or writes through `vars()`
or `__dict__`. Where the test runs, the name must be the module's (not a parameter or local of
the running function). A file is walked again only for a flag tested by two `if` statements or
more, one of which binds one name in both of its branches (the value the flag chooses).
"""
from __future__ import annotations

import re

import libcst as cst

MAX_FLAGS = 2  # flags walked again, each twice: a file costs at most 1 + 2 * MAX_FLAGS walks


def _chain(node) -> list | None:
    """`args.model` -> ["args", "model"]; a plain name -> ["name"]; anything else None."""
    parts = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return parts[::-1]


def _literal(node):
    """A literal the test compares with, as a hashable key, or None."""
    t = type(node)
    if t is cst.SimpleString:
        try:
            value = node.evaluated_value
        except Exception:  # (an escape CPython would refuse)
            return None
        return ("str", value) if isinstance(value, str) else None
    if t is cst.Integer:
        return ("int", node.value)
    if t is cst.Name and node.value in ("True", "False", "None"):
        return ("name", node.value)
    return None


def flag_key(test):
    """(key, negated) of a tied-test form, or None. `key`: (chain, literal or None)."""
    negated = False
    while type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        negated = not negated
        test = test.expression
    if type(test) is cst.Comparison:
        if len(test.comparisons) != 1:
            return None
        comp = test.comparisons[0]
        op = type(comp.operator)
        if op not in (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot):
            return None
        chain, lit = _chain(test.left), _literal(comp.comparator)
        if chain is None or lit is None:
            chain, lit = _chain(comp.comparator), _literal(test.left)
        if chain is None or lit is None:
            return None
        return (tuple(chain), lit), negated ^ (op in (cst.NotEqual, cst.IsNot))
    chain = _chain(test)
    if chain is None or len(chain) < 2:
        return None  # a bare name: its value decides it where it is known
    return (tuple(chain), None), negated


class _Scan(cst.CSTVisitor):
    """What the file binds and writes, and its `if` statements with a tied-test form."""

    def __init__(self):
        self.depth = 0
        self.top_bindings: dict = {}  # name -> times bound at the top level
        self.inner_bindings: set = set()  # names bound (or declared global) inside functions or classes
        self.attr_writes: set = set()  # attribute chains assigned anywhere (`args.model = ...`)
        self.dynamic = False  # setattr(...), vars(x)[k] = ..., x.__dict__[k] = ...
        self.tests: dict = {}  # key -> number of `if` statements testing it
        self.choosers: set = set()  # keys of an `if` that binds one name in both branches

    def _bind(self, name: str) -> None:
        if self.depth:
            self.inner_bindings.add(name)
        else:
            self.top_bindings[name] = self.top_bindings.get(name, 0) + 1

    def _target(self, node) -> None:
        t = type(node)
        if t is cst.Name:
            self._bind(node.value)
        elif t in (cst.Tuple, cst.List):
            for el in node.elements:
                self._target(el.value)
        elif t is cst.StarredElement:
            self._target(node.value)
        elif t is cst.Attribute:
            chain = _chain(node)
            if chain is not None:
                self.attr_writes.add(tuple(chain))
        elif t is cst.Subscript:
            base = node.value
            if type(base) is cst.Attribute and base.attr.value == "__dict__" or \
                    type(base) is cst.Call and type(base.func) is cst.Name and base.func.value == "vars":
                self.dynamic = True

    def visit_FunctionDef(self, node) -> None:
        self._bind(node.name.value)
        self.depth += 1
        for p in (*node.params.params, *node.params.posonly_params, *node.params.kwonly_params):
            self._bind(p.name.value)
        for p in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(p, cst.Param):
                self._bind(p.name.value)

    def leave_FunctionDef(self, node) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node) -> None:
        self._bind(node.name.value)
        self.depth += 1

    def leave_ClassDef(self, node) -> None:
        self.depth -= 1

    def visit_Lambda(self, node) -> None:
        self.depth += 1

    def leave_Lambda(self, node) -> None:
        self.depth -= 1

    def visit_Global(self, node) -> None:
        for n in node.names:
            self.inner_bindings.add(n.name.value)

    def visit_AssignTarget(self, node) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node) -> None:
        if node.value is not None:
            self._target(node.target)

    def visit_AugAssign(self, node) -> None:
        self._target(node.target)

    def visit_For(self, node) -> None:
        self._target(node.target)

    def visit_CompFor(self, node) -> None:
        self.depth += 1  # a comprehension's names are its own

    def leave_CompFor(self, node) -> None:
        self.depth -= 1

    def visit_WithItem(self, node) -> None:
        if node.asname is not None:
            self._target(node.asname.name)

    def visit_NamedExpr(self, node) -> None:
        self._target(node.target)

    def visit_ImportAlias(self, node) -> None:
        name = node.asname.name if node.asname is not None else node.name
        while type(name) is cst.Attribute:
            name = name.value
        if type(name) is cst.Name:
            self._bind(name.value)

    def visit_ExceptHandler(self, node) -> None:
        if node.name is not None:
            self._target(node.name.name)

    def visit_Call(self, node) -> None:
        if type(node.func) is cst.Name and node.func.value in ("setattr", "exec", "globals"):
            self.dynamic = True

    def visit_If(self, node) -> None:
        found = flag_key(node.test)
        if found is None:
            return
        key = found[0]
        self.tests[key] = self.tests.get(key, 0) + 1
        if node.orelse is not None and _bound_names(node.body) & _bound_names(node.orelse):
            self.choosers.add(key)


def _bound_names(block) -> set:
    """Names a branch binds by plain assignment at its own level (an elif's body counts too)."""
    if type(block) is cst.If:
        return _bound_names(block.body)
    if type(block) is cst.Else:
        block = block.body
    out = set()
    for stmt in getattr(block, "body", ()):
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if type(small) is cst.Assign:
                    for t in small.targets:
                        if type(t.target) is cst.Name:
                            out.add(t.target.value)
    return out


def _may_write(written: tuple, chain: tuple) -> bool:
    """An attribute assignment that may change the tested chain: one through its name
    (`args.model = ...`, `args.opt.lr = ...`), or of the same attribute on another name that is
    not a method's `self` (an alias of the same object: `opt = args; opt.model = ...`)."""
    if written[0] == chain[0]:
        return True
    return len(chain) > 1 and written[-1] == chain[-1] and written[0] != "self"


# `if args.model == "x":`, `elif not cfg.use_rnn:`: a test of the forms above, by its text (the
# tree is walked only for a file where one such text is tested twice or more)
_TEST_LINE = re.compile(
    r"^[ \t]*(?:el)?if[ \t]+(?:not[ \t]+)?\(?[ \t]*("
    r"[A-Za-z_][\w.]*[ \t]*(?:==|!=|is not|is)[ \t]*(?:'[^'\n]*'|\"[^\"\n]*\"|\d+|True|False|None)"
    r"|(?:'[^'\n]*'|\"[^\"\n]*\"|\d+|True|False|None)[ \t]*(?:==|!=|is not|is)[ \t]*[A-Za-z_][\w.]*"
    r"|[A-Za-z_]\w*\.[\w.]+)[ \t]*\)?[ \t]*:", re.M)
_LITERAL = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"|(\d+|True|False|None)\b")
_NAME = re.compile(r"[A-Za-z_][\w.]*")


def _tested_twice(text: str) -> bool:
    """Whether the text tests one chain against one literal (or one chain alone) twice or more:
    the same question, whichever order, quotes or operator it is written with."""
    seen = set()
    for m in _TEST_LINE.finditer(text):
        test = m.group(1)
        lit = _LITERAL.search(test)
        rest = test[:lit.start()] + " " + test[lit.end():] if lit else test
        names = [n for n in _NAME.findall(rest) if n not in ("is", "not")]
        key = (names[0] if names else "", lit.group(0).strip("'\"") if lit else None)
        if key in seen:
            return True
        seen.add(key)
    return False


def tied_flags(modules, text: str) -> list:
    """The keys of the flags a file is walked again for (at most `MAX_FLAGS`), in file order."""
    if not _tested_twice(text):
        return []
    scan = _Scan()
    for module in modules:
        module.visit(scan)
    if scan.dynamic:
        return []
    out = []
    for key, count in scan.tests.items():
        chain = key[0]
        root = chain[0]
        if count < 2 or key not in scan.choosers:
            continue
        if scan.top_bindings.get(root) != 1 or root in scan.inner_bindings:
            continue
        if any(_may_write(w, chain) for w in scan.attr_writes):
            continue
        out.append(key)
        if len(out) == MAX_FLAGS:
            break
    return out


def describe(key, value: bool) -> str:
    """`args.model == 'Transformer'` is false."""
    chain, lit = key
    subject = ".".join(chain)
    if lit is None:
        return f"`{subject}` is {'true' if value else 'false'}"
    shown = repr(lit[1]) if lit[0] == "str" else lit[1]
    return f"`{subject} == {shown}` is {'true' if value else 'false'}"
