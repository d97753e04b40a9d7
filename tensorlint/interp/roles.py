"""Roles of what a function receives, judged from its body alone.

A function nobody calls in the file runs with unknown arguments. When its body trains a model
(`def train(model, loader, optimizer, criterion)`), the loop rules need to know which
parameter is the model, which the optimizer and which the loss; the file never says, but the
body does, the way any caller must satisfy it:

- *model*: called, and what it returns reaches a `.backward()`, not as a loss (below);
- *loss*: called with two or more arguments, one of them computed by another parameter's
  call, and its result reaches a `.backward()` without going into another parameter's call;
- *optimizer*: never called, `.step()` without arguments, and `.zero_grad()` or
  `.param_groups` on it too, or it is the only receiver of a `.step()` in a function that calls
  `.backward()` (a learning-rate scheduler also has `step()`, and `scaler.step(opt)` takes one).

A name with conflicting uses gets no role. Methods judge their parameters and the attributes of
`self` their class leaves unknown (a trainer given its model and optimizer). Only functions in
code that mentions `.backward(` or `.step(` are judged, each once (kept with its chunk's tree).
"""
from __future__ import annotations

import bisect
import functools
import re

import libcst as cst

from ..cstwalk import nodes_by_scope
from ..dataflow import descendants
from ..syntax import dotted
from ..values import UNKNOWN, Instance, Ref, Tensor, Unknown
from .frame import LIGHTNING_BASES

_MODULE_ONLY = frozenset({"step", "param_groups", "add_param_group"})  # never on a model
_MODEL_ONLY = frozenset({"train", "eval", "forward", "parameters", "named_parameters", "backward", "modules", "children"})


def role_values(interp, func, self_value) -> tuple[dict, dict]:
    """(keyword arguments for the parameters that have a role, {attribute: value} for `self`)."""
    chunk = interp.chunks[func.chunk] if 0 <= func.chunk < len(interp.chunks) else None
    if chunk is None:
        return {}, {}
    memo = chunk.memo.setdefault("roles", {})
    names = memo.get("names")
    if names is None:
        names = memo["names"] = training_defs(chunk.text) if chunk.text else None
    if names is not None and func.name not in names:
        return {}, {}
    judged = memo.get(id(func.node))
    if judged is None:
        try:
            judged = judge(func.node, method=func.owner is not None and isinstance(self_value, Instance))
        except RecursionError:  # an expression nested too deeply to read: no roles
            judged = ({}, ())
        memo[id(func.node)] = judged
    roles, outside = judged
    if not roles:
        return {}, {}
    # a value with a role may be any object of the program: where the function also reaches a
    # model or an optimizer the file knows (a global, an attribute of `self`), the two may be one
    # (`def train(model)` called with the global model its global optimizer trains), and rules
    # comparing them would report what depends on the caller
    attrs_now = self_value.attrs if isinstance(self_value, Instance) else {}
    env = interp.root.env
    for name in outside:
        value = attrs_now.get(name[5:]) if name.startswith("self.") else env.get(name)
        if _trains(value):
            return {}, {}
    from ..frameworks.torch.roles import role_module, role_optimizer

    kwargs, attrs = {}, {}
    for name, role in roles.items():
        value = role_optimizer() if role == "optimizer" else role_module(role)
        if name.startswith("self."):
            attr = name[5:]
            if _unset(self_value, attr):
                attrs[attr] = value
        else:
            kwargs[name] = value
    return kwargs, attrs


def _unset(inst, attr: str) -> bool:
    """An attribute of `self` nothing in the file gives a value: not set in `__init__`, not a
    method or class attribute, on a class that is plain or a torch module (Keras and Lightning
    give their models attributes of their own: `self.optimizer`, `self.compute_loss`)."""
    if not isinstance(inst, Instance) or inst.cls.kind not in (None, "torch.module"):
        return False
    if inst.cls.lookup(attr) is not None or _derives_from(inst.cls, LIGHTNING_BASES, Ref):
        return False
    old = inst.attrs.get(attr)
    return old is None or isinstance(old, Unknown)


_DEF = re.compile(r"^([ \t]*)(?:async[ \t]+)?def[ \t]+(\w+)", re.M)
_MARKER = re.compile(r"\.(?:backward|step)[ \t]*\(")


def training_defs(text: str) -> frozenset:
    """Names of the functions whose text holds a `.backward(` or `.step(` call, and of those
    around them: only these are judged. Found in the text by indentation (a superset: a marker
    belongs to the nearest `def` above it or to one that encloses that one)."""
    if _MARKER.search(text) is None:
        return frozenset()
    defs = [(m.start(), len(m.group(1).expandtabs()), m.group(2)) for m in _DEF.finditer(text)]
    starts = [d[0] for d in defs]
    names = set()
    for m in _MARKER.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        limit = None
        while i >= 0:
            _, indent, name = defs[i]
            if limit is None or indent < limit:
                names.add(name)
                limit = indent
                if indent == 0:
                    break
            i -= 1
    return frozenset(names)


def judge(fnode, method: bool = False) -> tuple[dict, tuple]:
    """({name: "model" | "loss" | "optimizer"} for the parameters of `fnode` (and `self.x` of a
    method) whose uses in the body agree on one role, the names it reads from outside)."""
    if not isinstance(fnode, cst.FunctionDef):
        return {}, ()
    p = fnode.params
    positional = [x.name.value for x in (*p.posonly_params, *p.params)]
    me = None
    if method and positional:
        me = positional[0]
        positional = positional[1:]
    candidates = set(positional) | {x.name.value for x in p.kwonly_params}
    facts = _Facts(candidates, me)
    facts.walk(fnode.body)
    if not facts.backward_roots and not facts.steps:
        return {}, ()
    roles = facts.roles()
    if not roles:
        return roles, ()
    bound = set(candidates) | {t for targets, _ in facts.assigns for group in targets for t in group}
    bound |= facts.defined
    return roles, tuple(sorted(n for n in facts.read if n not in bound and n != me))


def _trains(value) -> bool:
    """A model or an optimizer the program made (not one known only by its role)."""
    from ..frameworks.torch.roles import is_role_module
    from ..values import Container, Layer, Optimizer

    if isinstance(value, Optimizer):
        return value.params is not UNKNOWN
    if isinstance(value, (Layer, Container)):
        return not is_role_module(value)
    return isinstance(value, Instance) and value.cls.kind is not None


class _Facts:
    def __init__(self, candidates: set, me: str | None):
        self.candidates = candidates
        self.me = me
        self.calls: dict = {}  # name -> [Call]
        self.methods: dict = {}  # name -> {method name: with arguments?}
        self.iterated: set = set()
        self.param_groups: set = set()
        self.assigns: list = []  # (target names, value expression)
        self.backward_roots: list = []
        self.steps: list = []  # receiver text of every `.step()` without arguments
        self.step_with_args: set = set()
        self.read: set = set()  # names and `self.x` attributes read
        self.defined: set = set()  # names of nested functions and classes

    def is_candidate(self, name: str) -> bool:
        if name in self.candidates:
            return True
        if self.me and name.startswith(self.me + ".") and name.count(".") == 1:
            self.candidates.add(name)
            return True
        return False

    def walk(self, body) -> None:
        attr_names: set = set()  # `step` in `opt.step`: not a name read
        # nested functions and classes are judged on their own (a closure's calls are its own)
        for n in descendants(body, prune=(cst.FunctionDef, cst.ClassDef)):
            kind = type(n)
            if kind is cst.Call:
                self._call(n)
            elif kind is cst.Name:
                if id(n) not in attr_names:
                    self.read.add(n.value)
            elif kind is cst.Attribute:
                attr_names.add(id(n.attr))
                if n.attr.value in ("param_groups", "add_param_group"):
                    name = dotted(n.value)
                    if name and self.is_candidate(name):
                        self.param_groups.add(name)
                if self.me and isinstance(n.value, cst.Name) and n.value.value == self.me:
                    self.read.add(self.me + "." + n.attr.value)
            elif kind in (cst.FunctionDef, cst.ClassDef):
                self.defined.add(n.name.value)
            elif kind is cst.Assign:
                self.assigns.append(([_names(t.target) for t in n.targets], n.value))
            elif kind in (cst.AugAssign, cst.AnnAssign) and n.value is not None:
                self.assigns.append(([_names(n.target)], n.value))
            elif kind is cst.For:
                self.assigns.append(([_names(n.target)], n.iter))
                self._iterated(n.iter)
            elif kind is cst.CompFor:
                self._iterated(n.iter)
            elif kind is cst.WithItem and n.asname is not None:
                self.assigns.append(([_names(n.asname.name)], n.item))

    def _iterated(self, it) -> None:
        if isinstance(it, cst.Call) and dotted(it.func) in ("enumerate", "zip", "iter", "tqdm", "tqdm.tqdm") and it.args:
            for a in it.args:
                self._iterated(a.value)
            return
        name = dotted(it)
        if name and self.is_candidate(name):
            self.iterated.add(name)

    def _call(self, n: cst.Call) -> None:
        func = n.func
        name = dotted(func)
        if name and self.is_candidate(name):
            self.calls.setdefault(name, []).append(n)
        if name in ("iter", "next") and n.args:
            self._iterated(n.args[0].value)
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        receiver = dotted(func.value)
        if method == "backward":
            self.backward_roots.append(func.value)
        elif method == "step":
            if n.args:
                self.step_with_args.add(receiver)
            else:
                self.steps.append(receiver)
        if receiver and self.is_candidate(receiver):
            self.methods.setdefault(receiver, {})[method] = bool(n.args)

    # -- flows ------------------------------------------------------------------------------

    def _parts(self, expr) -> tuple:
        """(candidates called in `expr`, names and dotted attributes it reads)."""
        called, read = set(), set()
        for node in (expr, *descendants(expr)):
            if isinstance(node, cst.Call):
                name = dotted(node.func)
                if name in self.candidates:
                    called.add(name)
            elif isinstance(node, (cst.Name, cst.Attribute)):
                name = dotted(node)
                if name:
                    read.add(name)
        return called, read

    def sources(self) -> dict:
        """Local name -> the candidates whose calls its value is computed from."""
        direct = []
        for targets, value in self.assigns:
            called, read = self._parts(value)
            direct.append(([t for group in targets for t in group], called, read))
        src: dict = {}
        for _ in range(6):
            changed = False
            for targets, called, read in direct:
                value = set(called)
                for r in read:
                    value |= src.get(r, set())
                for t in targets:
                    old = src.setdefault(t, set())
                    if not value <= old:
                        old |= value
                        changed = True
            if not changed:
                break
        return src

    def roles(self) -> dict:
        src = self.sources()

        def of(expr) -> set:
            called, read = self._parts(expr)
            for name in read:
                called |= src.get(name, set())
            return called

        backprop = set()
        for root in self.backward_roots:
            backprop |= of(root)
        feeds: dict = {}  # candidate -> the other candidates its result is passed to
        lossy, passes_role = set(), set()
        for name, calls in self.calls.items():
            for c in calls:
                from_others = set()
                for a in c.args:
                    came = of(a.value) - {name}
                    from_others |= came
                    for other in came:
                        feeds.setdefault(other, set()).add(name)
                    if dotted(a.value) in self.candidates:
                        passes_role.add(name)
                positional = sum(1 for a in c.args if a.keyword is None and not a.star)
                if positional >= 2 and from_others:
                    lossy.add(name)
        out = {}
        for name in self.candidates:
            methods = self.methods.get(name, {})
            if name in self.iterated:
                continue
            if name in self.calls:
                if name not in backprop or name in passes_role or _MODULE_ONLY & methods.keys() or name in self.param_groups:
                    continue
                if name in lossy and not feeds.get(name):
                    out[name] = "loss"
                elif name not in lossy:
                    out[name] = "model"
                continue
            if methods.get("step") is False and name not in self.step_with_args and not (_MODEL_ONLY & methods.keys()):
                alone = self.backward_roots and set(self.steps) == {name}
                if "zero_grad" in methods or name in self.param_groups or alone:
                    out[name] = "optimizer"
        return out


def _names(target) -> list:
    """Names (and dotted attributes) an assignment target binds."""
    if isinstance(target, (cst.Tuple, cst.List)):
        out = []
        for e in target.elements:
            out.extend(_names(e.value))
        return out
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    name = dotted(target)
    return [name] if name else []


def lightning_step(interp, func, result) -> None:
    """`training_step` of a Lightning module returns the loss the framework backpropagates
    (automatic optimization): the rules on `backward()` see it at the `return`."""
    if func.name != "training_step" or func.owner is None or not isinstance(result, Tensor) or result.fw != "torch":
        return
    if not _derives_from(func.owner, LIGHTNING_BASES, Ref) or not interp.wants("method_call"):
        return
    returns = [n.value for n in descendants(func.node.body, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
               if isinstance(n, cst.Return) and n.value is not None]
    if len(returns) != 1 or not isinstance(returns[0], (cst.Name, cst.Attribute, cst.Call, cst.BinaryOperation)):
        return  # a dict of outputs, or several returns: which one is the loss is not followed
    from ..events import MethodCall

    interp.emit("method_call", MethodCall(result, "backward", [], {}, returns[0]))


def _derives_from(cls, names, ref_type, depth: int = 0) -> bool:
    from ..values import ClassV

    for b in cls.bases:
        if isinstance(b, ref_type) and b.qualname in names:
            return True
        if isinstance(b, ClassV) and depth < 8 and _derives_from(b, names, ref_type, depth + 1):
            return True
    return False


# methods that change a list, dict or set in place
_CHANGERS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "add", "update", "setdefault",
                       "discard", "popitem", "appendleft", "extendleft"})


# the nodes where a method changes an attribute of `self` (exact types)
_CHANGE_SITES = (cst.Call, cst.AssignTarget, cst.AugAssign)


def _self_attr(node, me: str):
    """`self.name` -> "name" (for the method's own first parameter `me`), else None."""
    if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == me:
        return node.attr.value
    return None


def attrs_changed_later(cls_node) -> frozenset:
    """Attributes of `self` that a method of the class other than `__init__` changes in place
    (`self.data.append(x)`) or binds again (`self.data = []`, `self.data[k] = v`): a method run
    with unknown arguments may run after those changes, so what `__init__` put there (an empty
    list) is not what it finds."""
    if type(cls_node) is not cst.ClassDef:
        return frozenset()
    out = set()
    for stmt in cls_node.body.body:
        if type(stmt) is not cst.FunctionDef or stmt.name.value == "__init__" or not stmt.params.params:
            continue
        me = stmt.params.params[0].name.value
        for n in nodes_by_scope(stmt, (), _CHANGE_SITES)[id(stmt)]:  # (one tight walk, no generator)
            kind = type(n)
            if kind is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value in _CHANGERS:
                name = _self_attr(n.func.value, me)
            elif kind in (cst.AssignTarget, cst.AugAssign):
                target = n.target
                name = _self_attr(target.value if type(target) is cst.Subscript else target, me)
            else:
                continue
            if name is not None:
                out.add(name)
    return frozenset(out)
