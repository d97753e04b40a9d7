"""What a value is computed from, within one scope: the statements (a slice) that a name's
value depends on, read from the syntax alone."""
from __future__ import annotations

import libcst as cst

from .cstwalk import children, statements
from .dataflow import descendants, store_names


class Undecided(Exception):
    """The slice reached something it cannot follow: say nothing."""


def imported_names(module) -> set:
    """Names a module binds by `import` / `from ... import` (modules and framework functions)."""
    out = set()
    for n in statements(module, nested=False):  # imports are statements: no walk into expressions
        if isinstance(n, (cst.Import, cst.ImportFrom)) and not isinstance(n.names, cst.ImportStar):
            for alias in n.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    out.add(alias.asname.name.value)
                else:
                    head = alias.name
                    while isinstance(head, cst.Attribute):
                        head = head.value
                    if isinstance(head, cst.Name):
                        out.add(head.value)
    return out


def binding_index(scopes) -> dict:
    """name -> [(kind, node)] of each binding of the name in the scopes' own code (nested
    functions, classes and lambdas are their own): kind "assign", "aug", "for" or "other"."""
    out: dict = {}
    for n in (n for scope in scopes for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                for nm in store_names(t.target):
                    out.setdefault(nm, []).append(("assign", n))
        elif isinstance(n, cst.AugAssign):
            for nm in store_names(n.target):
                out.setdefault(nm, []).append(("aug", n))
        elif isinstance(n, (cst.For, cst.CompFor)):
            for nm in store_names(n.target):
                out.setdefault(nm, []).append(("for", n))
        elif isinstance(n, (cst.AnnAssign, cst.AsName, cst.NamedExpr, cst.Param, cst.Global, cst.Nonlocal)):
            for nm in store_names(getattr(n, "target", None) or getattr(n, "name", None)):
                out.setdefault(nm, []).append(("other", n))
    return out


def _dotted_base(node):
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


class Slice:
    """Walks backwards from an expression through the assignments of its scope and collects the
    `stops` it meets (call nodes the caller knows cut the graph); raises Undecided when it meets
    one of `reach` (calls the caller knows run a model), a name in `avoid`, or anything it cannot
    follow (a parameter, a global, a user function, a lambda). Calls of imported functions and
    methods of computed values are followed through their arguments and receiver."""

    LIMIT = 400  # steps before the walk gives up
    BUILTINS = frozenset({"float", "int", "abs", "sum", "min", "max", "len", "round", "pow", "True", "False", "None"})

    def __init__(self, line_of, scopes, modules, stops, reach, avoid, leaf_calls=frozenset(), *, imports=None,
                 bindings=None):
        """`scopes`: the function, or every chunk of a module, whose assignments count;
        `modules`: every chunk of the module (for its imports). `imports` (the names the modules
        import) and `bindings` (name -> what `binding_index` of the scopes files under it) stand
        in for reading them from the trees, for a caller that keeps them per tree."""
        self.line_of, self.scopes, self.stops, self.reach, self.avoid = line_of, scopes, stops, reach, avoid
        self.leaf_calls = leaf_calls  # calls that make a new leaf: only their stops count
        self.imports = set().union(*(imported_names(m) for m in modules)) if imports is None else imports
        self.found: list = []
        self.steps = 0
        self._bindings = bindings

    def bindings(self, name):
        if self._bindings is None:
            index = binding_index(self.scopes)
            self._bindings = lambda n: index.get(n, [])
        return self._bindings(name)

    def walk(self, node, line: int, cut: bool = False) -> None:
        self.steps += 1
        if self.steps > self.LIMIT:
            raise Undecided()
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.Ellipsis)):
            return
        if isinstance(node, cst.Name):
            return self.name(node.value, line, cut)
        if isinstance(node, cst.Attribute):
            if node.attr.value == "data":
                return self.walk(node.value, line, True)
            return self.walk(node.value, line, cut)
        if isinstance(node, cst.Call):
            return self.call(node, line, cut)
        if isinstance(node, (cst.Lambda, cst.ListComp, cst.GeneratorExp, cst.DictComp, cst.SetComp, cst.Await, cst.Yield)):
            raise Undecided()
        for child in children(node):
            if isinstance(child, cst.BaseExpression):
                self.walk(child, line, cut)
            elif isinstance(child, (cst.Arg, cst.Element, cst.SubscriptElement, cst.Index, cst.Slice, cst.ComparisonTarget, cst.DictElement)):
                for c in children(child):
                    if isinstance(c, cst.BaseExpression):
                        self.walk(c, line, cut)

    def name(self, name: str, line: int, cut: bool) -> None:
        if name in self.avoid and not cut:
            raise Undecided()
        if name in self.BUILTINS or name in self.imports:
            return
        found = [(kind, n) for kind, n in self.bindings(name) if (self.line_of(n) or 0) < line]
        assigns = [(k, n) for k, n in found if k == "assign"]
        if not assigns:
            if any(k == "for" for k, _ in found):
                return  # a loop variable: data drawn from an iterable
            raise Undecided()
        if any(k == "other" for k, _ in found):
            raise Undecided()
        last = max(assigns, key=lambda kn: self.line_of(kn[1]) or 0)[1]
        at = self.line_of(last) or 0
        self.walk(last.value, at, cut)
        for kind, n in found:
            if kind == "aug" and (self.line_of(n) or 0) > at:
                self.walk(n.value, self.line_of(n) or 0, cut)

    def call(self, node: cst.Call, line: int, cut: bool) -> None:
        if id(node) in self.stops:
            self.found.append(node)
            cut = True
        if id(node) in self.reach and not cut:
            raise Undecided()
        if id(node) in self.leaf_calls:
            cut = True
        func = node.func
        base = _dotted_base(func)
        if base is not None and (base in self.imports or base in self.BUILTINS):
            pass  # a framework or builtin function: follow its arguments
        elif isinstance(func, cst.Attribute):
            self.walk(func.value, line, cut)  # a method of a computed value
        elif isinstance(func, cst.Name):
            kinds = [n for k, n in self.bindings(func.value) if k == "assign" and (self.line_of(n) or 0) < line]
            if not kinds or id(node) in self.reach:
                if not cut:
                    raise Undecided()
            else:
                self.name(func.value, line, cut)  # a loss object built by a framework call: follow it
        else:
            raise Undecided()
        for a in node.args:
            self.walk(a.value, line, cut)
