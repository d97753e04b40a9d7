"""Does a loss depend on a model at all? Read from the syntax of the file, for TL413's second
case: an optimizer stepped after backward() of losses that never call its model.

The answer is "no" only when the file shows it: the model is a plain name bound by calls in
the file, it never leaves the file's view (it is only called, moved, switched between train and
eval, or given to the optimizer: never passed to another call, stored, or read in another
function), and every value the losses are computed from is followed back, through all of its
assignments, to data, to framework calls, to constructors, or to methods of other objects that
never received the model (what is appended or assigned into a container counts as its source).
Anything else (a parameter, a global statement, a lambda, a function of the file that reads the
model) leaves the answer open."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import statements

from tensorlint.dataflow import descendants, store_names
from tensorlint.slices import Slice, Undecided, binding_index, imported_names
from tensorlint.syntax import dotted

# methods of a module that return it (or nothing) and give nobody else a reference to it
SELF_METHODS = frozenset({"cuda", "cpu", "to", "train", "eval", "float", "double", "half", "bfloat16",
                          "requires_grad_", "type", "share_memory"})
# methods whose result carries no reference to the module
QUIET_METHODS = frozenset({"apply", "load_state_dict", "state_dict", "zero_grad", "__repr__"})
PARAM_METHODS = frozenset({"parameters", "named_parameters"})
CLIP = ("clip_grad_norm_", "clip_grad_value_")


def _base_name(node):
    """`outs` for `outs`, `outs[i]`, `outs.attr`, `outs[i].attr`."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _callee_text(call) -> str:
    return dotted(call.func) or ""


def optimizer_of(modules, name: str, per_tree=None):
    """The model name an optimizer bound once as `name = torch.optim.X(model.parameters(), ...)`
    holds, with that assignment; None otherwise. `per_tree(key, compute)`: `compute` of each
    module's tree, kept with the tree by the caller (None: computed here)."""
    indexes = per_tree(("assignments by name",), _assignments) if per_tree else [_assignments(m) for m in modules]
    found = [n for index in indexes for n in index.get(name, ())]
    if len(found) != 1 or not isinstance(found[0], cst.Assign) or not isinstance(found[0].value, cst.Call):
        return None
    call = found[0].value
    callee = _callee_text(call)
    if "optim" not in callee.split(".")[:-1] or not call.args:
        return None
    first = call.args[0].value
    if (isinstance(first, cst.Call) and not first.args and isinstance(first.func, cst.Attribute)
            and first.func.attr.value == "parameters" and isinstance(first.func.value, cst.Name)):
        return first.func.value.value, found[0]
    return None


def _assignments(module) -> dict:
    """name -> the assignment statements (plain, augmented, annotated) of the tree that bind it."""
    out: dict = {}
    for n in statements(module):  # assignments are statements: no walk into expressions
        if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = [t.target for t in n.targets] if isinstance(n, cst.Assign) else [n.target]
            for name in dict.fromkeys(x for t in targets for x in store_names(t)):
                out.setdefault(name, []).append(n)
    return out


def names_by_value(module) -> dict:
    """name -> the `Name` nodes of the tree spelling it, in source order."""
    out: dict = {}
    for n in descendants(module):
        if isinstance(n, cst.Name):
            out.setdefault(n.value, []).append(n)
    return out


class _Joined:
    """`get(name)` over per-tree indexes (name -> list), in the trees' order: merged on first
    need (a walk asks for many names; each tree's index holds few)."""

    def __init__(self, indexes: list):
        self.indexes = indexes
        self.merged: dict | None = None

    def get(self, name, default=()):
        if self.merged is None:
            self.merged = {}
            for index in self.indexes:
                for key, found in index.items():
                    self.merged.setdefault(key, []).extend(found)
        return self.merged.get(name) or default


def _defined(modules) -> dict:
    """Functions and classes defined at the top of the module (by name)."""
    out = {}
    for m in modules:
        for stmt in m.body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                out[stmt.name.value] = stmt
    return out


def _defined_in(modules, per_tree) -> dict:
    if per_tree is None:
        return _defined(modules)
    out: dict = {}
    for found in per_tree(("top definitions",), lambda m: _defined([m])):
        out.update(found)
    return out


def _has_star(modules) -> bool:
    return any(isinstance(n, cst.ImportFrom) and isinstance(n.names, cst.ImportStar)
               for m in modules for n in statements(m, nested=False))


def stays_in_view(parents, modules, scope, model: str, opt_assign, per_tree=None):
    """The model named `model` is bound only by calls in `scope` (or the module), and every
    other mention of it is a call of it, a method that keeps it to itself, or its parameters
    given to the optimizer or to gradient clipping. Returns "local" when every binding is inside
    the function `scope` (its parameters then cannot carry the model), "module", or None."""
    bound, local = False, True
    defined = _defined_in(modules, per_tree)
    indexes = per_tree(("names by value",), names_by_value) if per_tree else [names_by_value(m) for m in modules]
    for index in indexes:
        for n in index.get(model, ()):
            up = parents.parent.get(n)
            if isinstance(up, (cst.Param, cst.Global, cst.Nonlocal, cst.AsName, cst.ImportAlias)):
                return None
            value = _bound_value(parents, n)
            if value is not None:
                if not isinstance(value, cst.Call):
                    return None
                if not _in_scope(parents, n, scope):
                    return None
                bound = True
                local = local and isinstance(scope, cst.FunctionDef) and parents.inside(n, scope)
                continue
            if isinstance(up, (cst.For, cst.CompFor, cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.Del)):
                return None
            if not _in_scope(parents, n, scope):
                return None
            if isinstance(up, cst.Call) and up.func is n:
                continue  # the model runs here: the loss slices see it
            if not (isinstance(up, cst.Attribute) and up.value is n):
                return None  # passed, stored, compared, put in a container: it may run elsewhere
            call = parents.parent.get(up)
            if not (isinstance(call, cst.Call) and call.func is up):
                return None  # a submodule or attribute read: it may be called or passed on
            method = up.attr.value
            if method in QUIET_METHODS:
                continue
            if method in SELF_METHODS:
                if _result_kept(parents, call, model):
                    continue
                return None  # `net = model.cuda()`: a second name for the model
            if method in PARAM_METHODS:
                if _params_to_optimizer(parents, call, opt_assign):
                    continue
                return None
            # any other method runs the model (`model.compute_loss(x)`, `model.encode(x)`): its result
            # depends on the model, which the loss slices see through the receiver; one given a
            # function (`model.register_forward_hook(save)`) lets that function see the model's values
            if any(isinstance(a.value, cst.Lambda) or (isinstance(a.value, cst.Name) and a.value.value in defined)
                   for a in call.args):
                return None
    return ("local" if local else "module") if bound else None


def _bound_value(parents, name):
    """The expression `name` is bound to by `name = value` or by `a, name = x, value`; None when
    `name` is not an assignment target there."""
    up = parents.parent.get(name)
    if isinstance(up, cst.AssignTarget) and up.target is name:
        assign = parents.parent.get(up)
        return assign.value if isinstance(assign, cst.Assign) else False
    if isinstance(up, cst.Element) and up.value is name:
        seq = parents.parent.get(up)
        target = parents.parent.get(seq)
        if isinstance(seq, (cst.Tuple, cst.List)) and isinstance(target, cst.AssignTarget) and target.target is seq:
            assign = parents.parent.get(target)
            value = assign.value if isinstance(assign, cst.Assign) else None
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(seq.elements):
                return value.elements[seq.elements.index(up)].value
            return False
    return None


def _in_scope(parents, node, scope) -> bool:
    """`node` is in `scope` itself or at module level (not inside another function or class)."""
    for a in parents.ancestors(node):
        if a is scope:
            return True
        if isinstance(a, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return False
    return True


def _result_kept(parents, call, model: str) -> bool:
    """`model.cuda()` as a statement of its own or assigned back to `model`."""
    up = parents.parent.get(call)
    if isinstance(up, cst.Expr):
        return True
    if isinstance(up, cst.Assign) and up.value is call:
        return all(isinstance(t.target, cst.Name) and t.target.value == model for t in up.targets)
    return False


def _params_to_optimizer(parents, call, opt_assign) -> bool:
    """`model.parameters()` in an optimizer's construction, in clipping, or iterated by a for."""
    for a in parents.ancestors(call):
        if a is opt_assign:
            return True
        if isinstance(a, cst.Call) and _callee_text(a).endswith(CLIP):
            return True
        if isinstance(a, cst.For) and (a.iter is call or parents.inside(call, a.iter)):
            return _for_only_reads(a)
        if isinstance(a, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return False
    return False


def _for_only_reads(loop) -> bool:
    """A `for p in model.parameters():` whose body sets flags or counts (no call that could keep p)."""
    for n in descendants(loop.body):
        if isinstance(n, cst.Call):
            return False
    return True


class Reach(Slice):
    """Walks back from a loss through every assignment of each name it reads (in any branch,
    at any line: a loop can carry a later assignment around) and raises Undecided when it meets
    the model's name or anything it cannot follow. Methods of other objects are followed through
    their receiver and arguments: an object that never received the model cannot run it."""

    LIMIT = 3000

    def __init__(self, line_of, scopes, modules, model: str, local: bool = False, per_tree=None):
        """`per_tree(key, compute)`: `compute` of each of `modules`' trees, kept with the tree by
        the caller (the module's facts then cost the trees an edit changed); None: read here."""
        imports = bindings = sites = None
        if per_tree is not None:
            imports = set().union(*per_tree(("imported names",), imported_names))
            if scopes and all(isinstance(s, cst.Module) for s in scopes):  # the module: every chunk
                bindings = _Joined(per_tree(("binding index",), lambda m: binding_index([m]))).get
                sites = _Joined(per_tree(("mutation sites",), lambda m: _sites_of([m])))
        super().__init__(line_of, scopes, modules, frozenset(), frozenset(), {model}, imports=imports,
                         bindings=bindings)
        self.model, self.local = model, local
        self.defined = _defined_in(modules, per_tree)
        self.star = any(per_tree(("star import",), lambda m: _has_star([m]))) if per_tree else _has_star(modules)
        self.module_names = self.imports
        self.seen: set = set()
        self.sources: list = []  # assignments the losses come from
        self._sites = sites  # name -> where it is changed in place (_mutation_sites)
        self._reads = None  # id(definition) -> (it, _definition_reads of it), for the module's definitions
        if per_tree is not None:
            self._reads = {}
            for found in per_tree(("definition reads",), _top_definition_reads):
                self._reads.update(found)

    def _free(self, name: str) -> bool:
        """A name no statement of the file binds: a builtin, or one from `from x import *`."""
        return name not in self.defined and not self.bindings(name) and (self.star or name in __builtins__)

    def name(self, name: str, line: int, cut: bool) -> None:
        if name == self.model:
            raise Undecided()
        if name in self.BUILTINS or name in self.imports:
            return
        if name in self.defined:
            return self._definition(name)
        found = self.bindings(name)
        if not found:
            if self._free(name):
                return
            raise Undecided()
        for kind, n in found:
            if id(n) in self.seen:
                continue
            self.seen.add(id(n))
            if kind == "assign" or kind == "aug":
                self.sources.append(n)
                self.walk(n.value, self.line_of(n) or 0, False)
            elif kind == "for":
                self.walk(n.iter, self.line_of(n) or 0, False)
            elif not (self.local and isinstance(n, cst.Param)):
                raise Undecided()  # a parameter is data only when the model is made after the call began
        self._mutations(name)

    def _mutations(self, name: str) -> None:
        """What changes the value a name holds without rebinding it: `outs.append(model(x))`,
        `buf.copy_(y)`, `outs[i] = ...`, `state.h = ...` add what they put in to its sources."""
        key = ("mutations", name)
        if key in self.seen:
            return
        self.seen.add(key)
        for n, value in self._mutation_sites().get(name, ()):
            if isinstance(n, cst.Call):
                for a in n.args:
                    self.walk(a.value, self.line_of(n) or 0, False)
            else:
                self.walk(value, self.line_of(n) or 0, False)

    def _mutation_sites(self) -> dict:
        """name -> (call or assignment, value) of the method calls on it and the subscript or
        attribute stores into it, in the scopes' order: one walk, however many names ask."""
        if self._sites is None:
            self._sites = _sites_of(self.scopes)
        return self._sites

    def _definition(self, name: str) -> None:
        """A function or class of the file: what it reads from the module counts too."""
        node = self.defined[name]
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        got = self._reads.get(id(node)) if self._reads is not None else None
        declares, reads = got[1:] if got is not None and got[0] is node else _definition_reads(node)
        if declares:
            raise Undecided()
        for n in reads:
            if n != name and (n in self.defined or self.bindings(n) or n == self.model):
                self.name(n, 0, False)

    def call(self, node: cst.Call, line: int, cut: bool) -> None:
        func = node.func
        if isinstance(func, cst.Name):
            self.name(func.value, line, False)
        elif isinstance(func, cst.Attribute):
            self.walk(func.value, line, False)
        else:
            self.walk(func, line, False)
        for a in node.args:
            self.walk(a.value, line, False)

    def walk(self, node, line: int, cut: bool = False) -> None:
        if isinstance(node, (cst.ListComp, cst.GeneratorExp, cst.SetComp, cst.DictComp)):
            self.steps += 1
            for part in (getattr(node, "elt", None), getattr(node, "key", None), getattr(node, "value", None)):
                if part is not None:
                    self.walk(part, line)
            comp = node.for_in
            while comp is not None:  # its targets are bound by "for" and walk back to comp.iter
                self.walk(comp.iter, line)
                for cond in comp.ifs:
                    self.walk(cond.test, line)
                comp = comp.inner_for_in
            return None
        if isinstance(node, cst.Attribute):
            return self.walk(node.value, line, False)  # `.data` is no cut here: the model is avoided either way
        return super().walk(node, line, False)


def _definition_reads(node) -> tuple:
    """(whether a function or class declares a name `global` or `nonlocal`, the names it reads
    that it does not bind itself, in order, repeated as read)."""
    local = set()
    for n in descendants(node):
        if isinstance(n, (cst.Global, cst.Nonlocal)):
            return True, []
        if isinstance(n, cst.Param):
            local.add(n.name.value)
        elif isinstance(n, (cst.AssignTarget, cst.For, cst.CompFor, cst.AugAssign, cst.AnnAssign)):
            local.update(store_names(getattr(n, "target", None)))
    return False, [n.value for n in descendants(node) if isinstance(n, cst.Name) and n.value not in local]


def _top_definition_reads(module) -> dict:
    return {id(s): (s, *_definition_reads(s)) for s in module.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))}


def _sites_of(scopes) -> dict:
    """name -> (call or assignment, value) of the method calls on it and the subscript or
    attribute stores into it in the scopes' own code, in order."""
    sites: dict = {}
    for scope in scopes:
        for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute):
                base = _base_name(n.func.value)
                if base is not None:
                    sites.setdefault(base, []).append((n, None))
            elif isinstance(n, cst.Assign):
                for t in n.targets:
                    if isinstance(t.target, (cst.Subscript, cst.Attribute)):
                        base = _base_name(t.target)
                        if base is not None:
                            sites.setdefault(base, []).append((n, n.value))
    return sites


def loss_reaches(line_of, scopes, modules, loss_expr, model: str, local: bool = False, per_tree=None):
    """The assignments the loss comes from when it provably does not depend on `model`; None when
    it may (or when that cannot be told). `per_tree`: see `Reach`."""
    walker = Reach(line_of, scopes, modules, model, local, per_tree)
    try:
        walker.walk(loss_expr, line_of(loss_expr) or 0)
    except (Undecided, RecursionError):
        return None
    return walker.sources
