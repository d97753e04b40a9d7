"""Models a program runs only through their own methods.

A PyTorch module with no `forward` (or one that only raises NotImplementedError) cannot be called
itself: the program runs it through the methods it wrote, `model.pi(state)` and `model.v(state)`
of an actor-critic, `policy.act(state)` and `policy.evaluate(states, actions)` of a PPO policy.
Each such method that takes an input and calls a layer of the model is that model's forward pass
as far as the program goes: a call of it on an instance of the class (or on `self` inside
another of its methods) runs as a forward pass of the model, on the program's own arguments, with
the model's layers recorded. A class with a `forward` of its own is left as it is: the program
calls the model itself, and a method beside it may be a helper of any kind.
"""
from __future__ import annotations

import libcst as cst

from .syntax import callee_name, dotted_name

# a method that makes one of these calls trains, saves or loads: it is no forward pass
NOT_A_FORWARD = frozenset({"backward", "step", "zero_grad", "save", "load", "load_state_dict"})


def method_forwards(module: cst.Module) -> dict[str, set[str]]:
    """class of the file -> the methods that are its forward passes (see the module's text)."""
    out: dict[str, set[str]] = {}
    for cls in module.body:
        if not isinstance(cls, cst.ClassDef) or not isinstance(cls.body, cst.IndentedBlock):
            continue
        if not any(dotted_name(b.value).rsplit(".", 1)[-1] == "Module" for b in cls.bases):
            continue
        methods = {f.name.value: f for f in cls.body.body if isinstance(f, cst.FunctionDef)}
        if ("forward" in methods and not raises_only(methods["forward"])) or "__call__" in methods:
            continue
        layers = attributes_set(cls) - set(methods)
        found = {name for name, fn in methods.items()
                 if name != "forward" and not name.startswith("_") and runs_a_layer(fn, layers)}
        if found:
            out[cls.name.value] = found
    return out


def raises_only(fn: cst.FunctionDef) -> bool:
    """`def forward(self): raise NotImplementedError` (a docstring before it counts for nothing)."""
    body = [s for s in fn.body.body if not (isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1
                                            and isinstance(s.body[0], cst.Expr)
                                            and isinstance(s.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))] \
        if isinstance(fn.body, cst.IndentedBlock) else []
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
        return False
    stmt = body[0].body[0]
    if not isinstance(stmt, cst.Raise) or stmt.exc is None:
        return False
    exc = stmt.exc.func if isinstance(stmt.exc, cst.Call) else stmt.exc
    return dotted_name(exc) == "NotImplementedError"


def attributes_set(cls: cst.ClassDef) -> set[str]:
    """The attributes the class's methods set on the instance (`self.fc1 = nn.Linear(4, 64)`)."""
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else [node.target]
            for t in targets:
                t = t.value if isinstance(t, cst.Element) else t
                if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and t.value.value == "self":
                    found.add(t.attr.value)

    cls.visit(V())
    return found


def runs_a_layer(fn: cst.FunctionDef, layers: set[str]) -> bool:
    """A method of an instance (not static, not a class method) that takes an input besides
    `self` and calls an attribute the class set on `self` (a layer: `self.fc1(x)`,
    `self.actor(state)`), not one of nn.Module's own methods (`self.load_state_dict(...)`), and
    that neither trains nor saves (`loss.backward()`, `self.optimizer.step()`: NOT_A_FORWARD)."""
    if any(isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod", "property")
           for d in fn.decorators):
        return False
    params = [*fn.params.posonly_params, *fn.params.params]
    if len(params) < 2:
        return False
    own = params[0].name.value
    found, trains = [], []

    class V(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if callee_name(call) in NOT_A_FORWARD:
                trains.append(call)
            f = call.func
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == own \
                    and f.attr.value in layers:
                found.append(call)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is fn

    fn.visit(V())
    return bool(found) and not trains
