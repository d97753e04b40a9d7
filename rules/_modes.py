"""Train/eval mode of a PyTorch model along the program's paths (TL415): which layers behave
differently in the two modes, and, walking back from a call of the model, where it was last put
in training mode (constructed, or `.train()`), if that holds on every path."""
from __future__ import annotations

import libcst as cst

from tensorlint.cstwalk import children
from tensorlint.syntax import dotted
from tensorlint.values import ClassV, Container, Instance, Layer, MutableList, Seq, Unknown

from ._mode_layers import sensitive_layer
from ._training import parents

NONE, TRAIN, EVAL, UNKNOWN = "none", "train", "eval", "unknown"

# calls that never change a module's mode, whatever they are given
_INERT = frozenset({"print", "len", "str", "repr", "type", "isinstance", "id", "hash", "format", "vars", "dir"})


def _class_text(ctx, inst: Instance) -> dict:
    """Method name -> source of the methods of the instance's class (and of its bases in the file)."""
    out: dict = {}
    cls = inst.cls
    seen = 0
    while cls is not None and seen < 8:
        node = getattr(cls, "node", None)
        if isinstance(node, cst.ClassDef):
            for stmt in node.body.body:
                if isinstance(stmt, cst.FunctionDef) and stmt.name.value not in out:
                    try:
                        out[stmt.name.value] = (stmt, ctx.source(stmt))
                    except Exception:
                        pass
        bases = getattr(cls, "bases", None) or ()
        cls = next((b for b in bases if isinstance(b, ClassV)), None)
        seen += 1
    return out


def mode_sensitive(ctx, model, limit: int = 256):
    """(node, description) of a layer of `model` that behaves differently in training mode and
    that its forward pass uses, or None."""
    seen: set = set()
    stack = [(model, True)]
    while stack and len(seen) < limit:
        v, live = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if isinstance(v, Layer):
            if live and sensitive_layer(v):
                return v.node, v.kind.rsplit(".", 1)[-1]
        elif isinstance(v, Container):
            if v.fw == "torch":
                stack.extend((item, True) for item in v.layers)
        elif isinstance(v, Instance) and v.cls.kind == "torch.module":
            methods = _class_text(ctx, v)
            used = " ".join(text for name, (_, text) in methods.items() if name != "__init__")
            for name, (fnode, text) in methods.items():
                if name != "__init__" and "self.training" in text:
                    return fnode, f"{name}() reading self.training"
            for attr, sub in v.attrs.items():
                if isinstance(attr, str) and not attr.startswith("__"):
                    stack.append((sub, f"self.{attr}" in used))
        elif isinstance(v, (Seq, MutableList)):
            stack.extend((item, live) for item in v.items)
    return None


def _called_attrs(fdef) -> set:
    """Names of the `self.<name>` attributes that a method calls as modules (`self.head(x)`,
    `self.encoders[i](x)`)."""
    found: set = set()
    stack = [fdef]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Call):
            func = n.func.value if isinstance(n.func, cst.Subscript) else n.func
            if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
                    and func.value.value == "self"):
                found.add(func.attr.value)
        stack.extend(children(n))
    return found


def unseen_modules(ctx, model, limit: int = 256) -> list:
    """`self.<name>` texts of the submodules that `model`'s forward pass calls but whose value
    the file does not show (a module handed in by the caller, built by code from another
    package): what they do in training mode is not known."""
    out: list = []
    seen: set = set()
    stack = [model]
    while stack and len(seen) < limit:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if isinstance(v, Container) and v.fw == "torch":
            if any(isinstance(item, Unknown) for item in v.layers):
                out.append(f"items of its {v.short}")
            stack.extend(v.layers)
            continue
        if not isinstance(v, Instance) or v.cls.kind != "torch.module":
            continue
        called: set = set()
        for name, (fnode, _) in _class_text(ctx, v).items():
            if name != "__init__":
                called |= _called_attrs(fnode)
        for attr, sub in v.attrs.items():
            if not isinstance(attr, str) or attr not in called:
                continue
            if isinstance(sub, Unknown):
                out.append(f"self.{attr}")
            else:
                stack.append(sub)
    return out


def call_mode(call: cst.Call) -> str:
    """TRAIN for `m.train()` / `m.train(True)`, EVAL for `m.eval()` / `m.train(False)`."""
    attr = call.func.attr.value
    if attr == "eval":
        return EVAL if not call.args else UNKNOWN
    if not call.args:
        return TRAIN
    arg = call.args[0].value
    if isinstance(arg, cst.Name) and arg.value in ("True", "False"):
        return TRAIN if arg.value == "True" else EVAL
    return UNKNOWN


class ModeWalk:
    """Effects on one model's mode of the statements of a file, read from the syntax with the
    receivers the interpreter saw for each `.train()`/`.eval()` call (`seen`: id(call node) ->
    list of module-id sets)."""

    def __init__(self, ctx, model, ids: frozenset, text: str | None, seen: dict):
        self.ctx, self.model, self.ids, self.text, self.seen = ctx, model, ids, text, seen
        self.p = parents(ctx)
        self.defs = function_defs(ctx)
        self.func_effects: dict = {}
        self.construction = getattr(model, "node", None) if isinstance(getattr(model, "node", None), cst.Call) else None

    # -- effects ---------------------------------------------------------------------------

    def call_effect(self, call: cst.Call):
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if isinstance(func, cst.Attribute) and name in ("train", "eval") and id(call) in self.seen:
            if any(s & self.ids for s in self.seen[id(call)]):
                return call_mode(call), call
            return NONE, None
        if name in self.defs:
            kinds = {self.function_effect(d) for d in self.defs[name]}
            if len(kinds) == 1:
                return kinds.pop()
            return UNKNOWN, call
        if isinstance(func, cst.Attribute) and name in ("train", "eval"):
            return UNKNOWN, call  # a train()/eval() the interpreter did not see on a model
        if name in _INERT:
            return NONE, None
        for arg in call.args:
            v = arg.value
            if isinstance(v, cst.Name) and v.value in self.defs:
                if any(self.function_effect(d)[0] != NONE for d in self.defs[v.value]):
                    return UNKNOWN, call  # `model.apply(fn)`, a callback
            if self.text and isinstance(v, (cst.Name, cst.Attribute)):
                t = dotted(v)
                if t and (t == self.text or t.startswith(self.text + ".") or self.text.startswith(t + ".")):
                    return UNKNOWN, call  # the model handed to code not in this file
        return NONE, None

    def function_effect(self, fdef: cst.FunctionDef):
        key = id(fdef)
        if key in self.func_effects:
            got = self.func_effects[key]
            return got if got is not None else (UNKNOWN, fdef)  # recursion
        self.func_effects[key] = None
        body = fdef.body.body if isinstance(fdef.body, cst.IndentedBlock) else [fdef.body]
        result = self.block_effect(body, strict=True)
        self.func_effects[key] = result
        return result

    def block_effect(self, stmts, strict: bool = False):
        """The effect of running `stmts`: the last mode change that happens on every path."""
        for stmt in reversed(list(stmts)):
            kind, node = self.stmt_effect(stmt, strict)
            if kind != NONE:
                return kind, node
        return NONE, None

    def stmt_effect(self, stmt, strict: bool = False):
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return NONE, None
        if isinstance(stmt, cst.SimpleStatementLine):
            return self.block_effect(stmt.body, strict)
        if isinstance(stmt, cst.With):
            return self.block_effect(stmt.body.body, strict)
        if isinstance(stmt, cst.BaseCompoundStatement):
            kinds = self.expr_effects(stmt)
            if EVAL in kinds or UNKNOWN in kinds:
                return UNKNOWN, stmt
            if TRAIN in kinds:  # on some paths only: the others keep the mode from before
                return (UNKNOWN, stmt) if strict else (NONE, None)
            return NONE, None
        kinds = self.expr_effects(stmt)
        for k in (UNKNOWN, EVAL, TRAIN):
            if k in kinds:
                return k, kinds[k]
        return NONE, None

    def expr_effects(self, node) -> dict:
        """Kind -> node of every call under `node` (definitions left out) with an effect, and
        the model's construction when it happens there."""
        out: dict = {}
        stack = [node]
        while stack:
            n = stack.pop()
            if n is self.construction:
                out.setdefault(TRAIN, n)
            if isinstance(n, cst.Call):
                kind, where = self.call_effect(n)
                if kind != NONE:
                    out.setdefault(kind, where)
            for child in children(n):
                if not isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                    stack.append(child)
        return out

    # -- the walk ---------------------------------------------------------------------------

    def last_train(self, node, stack: list):
        """The node where the model was last put in training mode on every path to `node`
        (the `.train()` call or the construction), or None when that is not established.
        `stack`: the call nodes that entered the running functions, outermost first."""
        p = self.p
        stack = list(stack)
        cur = node
        for _ in range(10000):
            parent = p.parent.get(cur)
            if parent is None:
                return self._previous_chunks(cur)
            if isinstance(parent, cst.FunctionDef):
                if not stack or not isinstance(stack[-1], cst.Call):
                    return None  # a function run with unknown callers
                cur = stack.pop()
                continue
            if isinstance(parent, (cst.Lambda, cst.ClassDef)):
                return None
            body = getattr(parent, "body", None)
            if isinstance(body, (list, tuple)) and isinstance(parent, (cst.IndentedBlock, cst.Module, cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                idx = next((i for i, s in enumerate(body) if s is cur), None)
                if idx is not None:
                    for stmt in reversed(body[:idx]):
                        kind, where = self.stmt_effect(stmt)
                        if kind == TRAIN:
                            return where
                        if kind != NONE:
                            return None
            if isinstance(parent, (cst.For, cst.While)) and cur is parent.body:
                # later iterations start from the end of the body
                kinds = self.expr_effects(parent.body)
                if EVAL in kinds or UNKNOWN in kinds:
                    return None
            if isinstance(parent, cst.Try) and cur is not parent.body:
                kinds = self.expr_effects(parent.body)
                if EVAL in kinds or UNKNOWN in kinds:
                    return None
            cur = parent
        return None

    def _previous_chunks(self, module):
        chunks = self.ctx.chunks
        idx = next((i for i, c in enumerate(chunks) if c.module is module), None)
        if idx is None:
            return None
        for chunk in reversed(chunks[:idx]):
            kind, where = self.block_effect(chunk.module.body)
            if kind == TRAIN:
                return where
            if kind != NONE:
                return None
        return None


def function_defs(ctx) -> dict:
    """Function name -> the FunctionDef nodes of that name in the file (methods included)."""
    from ._trees import per_chunk

    found = getattr(ctx, "_tl_defs", None)
    if found is None:
        found = {}
        for part in per_chunk(ctx, ("defs by name",), _defs_of):
            for name, nodes in part.items():
                found.setdefault(name, []).extend(nodes)
        ctx._tl_defs = found
    return found


def _defs_of(module) -> dict:
    found: dict = {}
    stack = [module]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.FunctionDef):
            found.setdefault(n.name.value, []).append(n)
        stack.extend(c for c in children(n) if isinstance(c, (cst.BaseCompoundStatement, cst.IndentedBlock, cst.Module, cst.BaseSuite)))
    return found


def followed_by_training(ctx, stmt, stack: list) -> bool:
    """Is there a `.backward()` or `.step()` after `stmt`, up to the end of the innermost loop
    holding it (through the callers while no loop holds it)? Then the values it computed may
    feed a training step (a GAN's fakes under no_grad)."""
    p = parents(ctx)
    stack = list(stack)
    cur = stmt
    for _ in range(10000):
        parent = p.parent.get(cur)
        if parent is None:
            return False
        if isinstance(parent, cst.FunctionDef):
            if not stack or not isinstance(stack[-1], cst.Call):
                return False
            cur = stack.pop()
            continue
        if isinstance(parent, (cst.Lambda, cst.ClassDef)):
            return False
        body = getattr(parent, "body", None)
        if isinstance(body, (list, tuple)):
            idx = next((i for i, s in enumerate(body) if s is cur), None)
            if idx is not None and any(_trains(s) for s in body[idx + 1:]):
                return True
        if isinstance(parent, cst.Module):  # the top level goes on in the chunks after this one
            at = next((i for i, c in enumerate(ctx.chunks) if c.module is parent), None)
            return at is not None and any(_trains(s) for c in ctx.chunks[at + 1:] for s in c.module.body)
        if isinstance(parent, (cst.For, cst.While)):
            return False
        cur = parent
    return False


def _trains(node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value in ("backward", "step"):
            return True
        if not isinstance(n, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(children(n))
    return False


_DETACH = frozenset({"detach", "cpu", "numpy", "tolist", "item", "data", "clone"})


def detached_sample(ctx, node, model_calls: set) -> bool:
    """`fake = netG(fixed_noise)` in a loop, on inputs the loop never changes, whose value is
    read only as `fake.detach()` (or `.cpu()`, `.numpy()`, `.item()`) handed to something that
    is not a model or a loss (an image writer, a logger) before the name is bound again, the
    next iteration included: the output never reaches a training step, the model is run to look
    at its output."""
    p = parents(ctx)
    assign = p.parent.get(node)
    if not isinstance(assign, cst.Assign) or assign.value is not node or len(assign.targets) != 1:
        return False
    target = assign.targets[0].target
    line = p.parent.get(assign)
    if not isinstance(target, cst.Name) or not isinstance(line, cst.SimpleStatementLine):
        return False
    name = target.value
    loop = next((a for a in p.ancestors(line) if isinstance(a, (cst.For, cst.While, cst.FunctionDef, cst.Lambda, cst.ClassDef))), None)
    if not isinstance(loop, (cst.For, cst.While)) or not _fixed_inputs(p, node, line):
        return False
    sequence = []  # the statements that run after `line`, to the end of the loop body and round again
    cur = line
    while cur is not loop:
        parent = p.parent.get(cur)
        body = getattr(parent, "body", None)
        if isinstance(body, (list, tuple)):
            idx = next((i for i, s in enumerate(body) if s is cur), None)
            if idx is not None:
                sequence.extend((s, parent is loop.body) for s in body[idx + 1:])
        if isinstance(parent, (cst.While, cst.Try)) and cur is not getattr(parent, "orelse", None):
            return False  # a read in the loop's test or an exception handler is not followed
        cur = parent
    top = next((s for s in loop.body.body if s is line or p.inside(line, s)), None)
    for s in loop.body.body:
        if s is top:
            break
        sequence.append((s, True))
    reads = 0
    for stmt, unconditional in sequence:
        verdict = _reads(p, stmt, name, model_calls)
        if verdict is None:
            return False
        reads += verdict
        if unconditional and isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets)
                for small in stmt.body):
            break  # bound again: the sample is gone
    return reads > 0


def _reads(p, stmt, name: str, model_calls: set):
    """How many times `stmt` reads `name`, or None when one read may feed training."""
    count = 0
    stack = [stmt]
    while stack:
        n = stack.pop()
        if isinstance(n, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(n, cst.Name) and n.value == name:
            parent = p.parent.get(n)
            if isinstance(parent, cst.AssignTarget) or (isinstance(parent, cst.Attribute) and parent.attr is n):
                pass
            elif not _detached_sink(p, n, model_calls):
                return None
            else:
                count += 1
        stack.extend(children(n))
    return count


def _detached_sink(p, name_node, model_calls: set) -> bool:
    expr = name_node
    detached = False
    while True:
        parent = p.parent.get(expr)
        if isinstance(parent, cst.Subscript) and parent.value is expr and detached:
            expr = parent
            continue
        if isinstance(parent, cst.Attribute) and parent.value is expr and (detached or parent.attr.value in _DETACH):
            detached = True  # `.detach()`, and what follows it (`.view(...)`, `.permute(...)`)
            expr = parent
            call = p.parent.get(parent)
            if isinstance(call, cst.Call) and call.func is parent:
                expr = call
            continue
        break
    arg = p.parent.get(expr)
    call = p.parent.get(arg)
    return detached and isinstance(arg, cst.Arg) and isinstance(call, cst.Call) and id(call) not in model_calls


def _fixed_inputs(p, call: cst.Call, line) -> bool:
    """Every argument of `call` is a name that no loop around it binds (a fixed noise batch)."""
    from tensorlint.syntax import assigned_in

    names = [a.value.value for a in call.args if isinstance(a.value, cst.Name)]
    if not call.args or len(names) != len(call.args):
        return False
    for a in p.ancestors(line):
        if isinstance(a, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)):
            break
        if isinstance(a, (cst.For, cst.While)):
            bound = set(assigned_in(a.body.body))
            if isinstance(a, cst.For):
                stack = [a.target]
                while stack:
                    t = stack.pop()
                    if isinstance(t, cst.Name):
                        bound.add(t.value)
                    stack.extend(children(t))
            if any(n in bound for n in names):
                return False
    return True


def one_batch_print(p, node) -> bool:
    """The model call is only printed (`print(model(x))`) in a loop whose body ends with an
    unconditional `break`: a look at one batch that checks the model runs, not an evaluation."""
    arg = p.parent.get(node)
    call = p.parent.get(arg) if isinstance(arg, cst.Arg) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "print"):
        return False
    loop = next((a for a in p.ancestors(node) if isinstance(a, (cst.For, cst.While, cst.FunctionDef, cst.Lambda))), None)
    body = getattr(getattr(loop, "body", None), "body", ()) if isinstance(loop, (cst.For, cst.While)) else ()
    last = body[-1] if body else None
    return isinstance(last, cst.SimpleStatementLine) and any(isinstance(s, cst.Break) for s in last.body)
