"""The abstract interpreter: one walk over a file that follows values and emits events.

It runs module-level code in order (flow-sensitive: a reassignment changes the value), joins
branches, runs the body of loops so that loop-carried values are joined before events are
emitted, steps into the file's own functions and methods with the values of each call, and
finally runs every function nobody called with unknown arguments, so that code inside
`main()` or `train()` is seen too. Framework knowledge comes from `tensorlint.frameworks`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from . import events as ev
from .findings import Edit, Finding, Fix, Related, Severity, Span, ValueInfo
from .frameworks import CALLS, LAYER_ATTRIBUTES, LAYERS, LOSSES, OBJECT_METHODS, canonical, ref, tensor_method, tensor_attribute, binary_op, call_layer
from .values import (
    ANY, UNBOUND, UNKNOWN, BoundMethod, ClassV, Const, Container, Context, Dataset, Func, Instance,
    Layer, Loss, MutableList, Optimizer, Ref, Seq, Super, Tensor, Unbound, Unknown, Value, exact_items, join, known_tail,
)

MAX_DEPTH = 6
_QUOTES = ("'", '"')
_TRIPLE = ("'" * 3, '"' * 3)
MAX_UNROLL = 16


class _Return(Exception):
    pass


@dataclass(eq=False)
class Frame:
    depth: int
    env: dict
    module: "Frame | None"  # the module's frame (its env is replaced as control flow joins)
    parent: "Frame | None" = None
    call_node: cst.CSTNode | None = None  # the call in `parent` that entered this frame
    call_args: list = field(default_factory=list)  # (node, value) of that call's arguments
    func: Func | None = None
    returns: list = field(default_factory=list)
    closure: dict | None = None
    self_value: Value | None = None
    generator: bool = False
    yields: list = field(default_factory=list)  # what a generator function yields
    chunk: int = 0  # the chunk whose code this frame runs
    declared_global: frozenset = frozenset()  # names a `global` statement of this function named

    def lookup(self, name: str) -> Value:
        v = self.env.get(name)
        if v is not None:
            return v
        if self.closure is not None:
            v = self.closure.get(name)
            if v is not None:
                return v
        if self.module is not None:
            v = self.module.env.get(name)
            if v is not None:
                return v
        return BUILTINS.get(name, UNKNOWN)


BUILTINS = {
    name: Ref("builtins." + name)
    for name in ("len", "range", "zip", "enumerate", "float", "int", "list", "tuple", "print", "super", "isinstance", "sum", "abs", "round", "min", "max", "iter", "next", "bool", "str", "dict", "map", "sorted", "reversed")
}
BUILTINS["None"] = Const(None)
BUILTINS["True"] = Const(True)
BUILTINS["False"] = Const(False)

FRAMEWORK_BASES = {
    "torch.nn.Module": "torch.module",
    "keras.layers.Layer": "keras.layer",
    "keras.Layer": "keras.layer",
    "keras.Model": "keras.model",
    "keras.models.Model": "keras.model",
    "keras.losses.Loss": "keras.loss",
    "keras.Sequential": "keras.model",
    "keras.models.Sequential": "keras.model",
    "torch.nn.modules.loss._Loss": "torch.module",
}


class Interpreter:
    def __init__(self, chunks, text: str, path: str, config, rules, collect_values: bool = False):
        self.chunks = chunks
        self.text = text
        self.path = path
        self.config = config
        self.rules = rules
        self.handlers = rules.by_event
        self.collect_values = collect_values
        self.values: list = []  # (node, Tensor) for hovers
        self.findings: dict = {}
        self.muted = 0
        self.module_env: dict = {}
        self.functions: list = []  # every Func defined, in order
        self.executed: set = set()  # id of FunctionDef nodes run with real arguments
        self.loss_uses: dict = {}  # id(func node) -> "keras" | "torch"
        self.loss_marks: list = []  # (func node, kind, unit) in the order the program made them
        self.prototypes: dict = {}
        self._stack_ids: list = []
        self.steps = 0
        self._assigned: dict = {}
        self._memo: dict = {}
        self.instance_calls: dict = {}  # id(call node) -> the user module instance it called
        self.unit = 0  # the chunk whose code (or whose function) is running: findings belong to it
        self.units: dict = {}  # finding key -> unit
        self.positions_failed = False
        self.no_grad = 0  # inside torch.no_grad() / inference_mode()
        self.tapes: tuple = ()  # GradientTape blocks being recorded
        self.loops: list = []  # traces of the loops being run (innermost last)
        self.batch_sources: list = []  # datasets whose batches the enclosing loops iterate
        self.uncalled = 0  # > 0 while functions run with unknown arguments (run_uncalled)
        self.call_envs: dict = {}  # id(function node) -> the module's names when it was last called
        self.star_modules: list = []  # modules imported with `*`
        self.open_loops = 0  # loops of unknown length whose body is running (lists grown there have no known length)

    # -- driver ---------------------------------------------------------------------------

    def run(self, skip=frozenset(), env=None, extra_functions=(), replay=None, record=None):
        """Run the module's chunks in order, then every function with unknown arguments, then
        the per-function events. Each finding is attributed to a unit: the chunk whose
        statements (or whose functions) produced it, so that an incremental caller can keep
        the findings of chunks it does not run again (`skip`, with their names in `env`; at a
        skipped chunk's place, `replay[index]` binds what it bound when it last ran).
        `record`: (out, names per chunk): out[index] gets what each chunk that runs binds."""
        frame = Frame(0, self.module_env, None)
        if env:
            frame.env.update(env)
        self.root = frame
        for index, chunk in enumerate(self.chunks):
            if index in skip:
                if replay and index in replay:
                    frame.env.update(replay[index])
                continue
            frame.chunk = self.unit = index
            for stmt in chunk.module.body:
                try:
                    self.exec_stmt(stmt, frame)
                except _Return:
                    pass  # a module-level raise (or a stray return): go on with what follows
                except RecursionError:
                    pass  # a statement nested too deeply to follow: the others still count
            if record is not None:
                record[0][index] = {n: frame.env[n] for n in record[1][index] if n in frame.env}
        # every function once more with unknown arguments: code inside main() or train() that
        # nobody calls is seen too, and a function's findings do not depend on its callers
        final_env = frame.env
        for func in list(self.functions):
            if isinstance(func.node, cst.Lambda):
                continue
            self.unit = func.chunk
            # a function the program calls reads the module's names as they were at its last
            # call, not values bound after every call of it
            frame.env = self.call_envs.get(id(func.node), final_env)
            try:
                self.run_uncalled(func)
            finally:
                frame.env = final_env
        self.module_env = frame.env
        if "function" in self.handlers:
            for func in list(self.functions) + list(extra_functions):
                self.unit = ("events", func.chunk)  # recomputed on every run: uses elsewhere may change
                self.emit("function", self.function_event(func))

    def run_uncalled(self, func: Func):
        """Run `func` with unknown arguments. Its `global` assignments stay local: such a run
        happens at no particular point of the program and must not change the module's names."""
        self.uncalled += 1
        try:
            self._run_uncalled(func)
        finally:
            self.uncalled -= 1

    def _run_uncalled(self, func: Func):
        self_value = None
        if func.owner is not None:
            self_value = self.prototype(func.owner)
        params = _param_names(func.node)
        args = []
        if self_value is not None and params and not _is_static(func.node):
            args.append(self_value)
        try:
            self.call_function(func, args, {}, func.node, frame=self.root, unknown_rest=True)
        except RecursionError:
            pass

    def prototype(self, cls: ClassV) -> Instance:
        inst = self.prototypes.get(id(cls))
        if inst is None:
            inst = Instance(cls, {}, cls.node, None)
            self.prototypes[id(cls)] = inst
            init = cls.lookup("__init__")
            if isinstance(init, Func):
                self.muted += 1
                try:
                    self.call_function(init, [inst], {}, cls.node, frame=self.root, unknown_rest=True)
                finally:
                    self.muted -= 1
            inst.initialized = True
        return inst

    def use_as_loss(self, node, kind: str) -> None:
        """The program uses the function `node` as a loss (remembered with the unit that says so)."""
        if not self.muted:
            self.loss_uses[id(node)] = kind
            self.loss_marks.append((node, kind, self.unit))

    def mark_loss(self, inst: Instance) -> None:
        """The program uses this module instance as a loss: its forward's first argument is the
        prediction and the next one the target."""
        if inst.cls.kind == "torch.module":
            forward = inst.cls.lookup("forward")
            if isinstance(forward, Func):
                if id(forward.node) not in self.loss_uses:
                    self.use_as_loss(forward.node, "torch")

    def function_event(self, func: Func) -> ev.FunctionDef:
        owner_kind = func.owner.kind if func.owner is not None else None
        params = _param_names(func.node)
        if func.owner is not None and params and not _is_static(func.node):
            params = params[1:]
        return ev.FunctionDef(func, func.node, owner_kind, self.loss_uses.get(id(func.node)), params)

    # -- events and findings --------------------------------------------------------------

    def emit(self, name: str, event) -> None:
        if self.muted:
            return
        for handler in self.handlers.get(name, ()):
            handler(self, event)

    def wants(self, name: str) -> bool:
        return not self.muted and name in self.handlers

    def report(self, rule, node: cst.CSTNode, message: str, *, fix: Fix | None = None,
               related=(), unnecessary: bool = False) -> None:
        span = self.span(node)
        if span is None:
            return
        # one finding per place and unit: the same place reached from two chunks is recorded for
        # both, so that either can be kept on its own by an incremental run
        key = (rule.code, span.start.line, span.start.column, self.unit)
        if key in self.findings:
            return
        rel = tuple(Related(s, m) for s, m in ((self.span(n), m) for n, m in related) if s is not None)
        self.units[key] = self.unit
        self.findings[key] = Finding(
            code=rule.code,
            name=rule.name,
            message=message,
            severity=self.config.severity_for(rule.code, rule.severity),
            span=span,
            fix=fix,
            related=rel,
            unnecessary=unnecessary,
            url=self.config.docs_base + rule.code,
        )

    def _chunk_positions(self, chunk) -> dict:
        cached = chunk.memo.get("positions")
        if cached is None:
            try:
                cached = MetadataWrapper(chunk.module, unsafe_skip_copy=True).resolve(PositionProvider)
            except RecursionError:
                cached = {}  # too deep to walk: nothing in it can be pointed at
                self.positions_failed = True
            chunk.memo["positions"] = cached
        return cached

    def tree_fact(self, chunk: int, key, compute):
        """A fact that depends on the syntax tree of chunk `chunk` alone (what a function
        returns, what its result depends on), computed once per tree: the language server
        keeps a chunk's tree, and so its facts, across edits that do not touch it."""
        if not isinstance(chunk, int) or not 0 <= chunk < len(self.chunks):
            return compute()
        facts = self.chunks[chunk].memo.setdefault("facts", {})
        if key not in facts:
            facts[key] = compute()
        return facts[key]

    def span(self, node: cst.CSTNode | None, hint: int | None = None) -> Span | None:
        """The node's range in the file (positions are computed per chunk, on first need);
        `hint` is the index of the chunk that most likely holds it."""
        if node is None:
            return None
        if hint is None and isinstance(self.unit, int):
            hint = self.unit  # most nodes reported belong to the chunk running: not every chunk's positions
        if hint is not None and 0 <= hint < len(self.chunks):
            chunk = self.chunks[hint]
            rng = self._chunk_positions(chunk).get(node)
            if rng is not None:
                off = chunk.line_offset
                return Span.of(rng.start.line + off, rng.start.column, rng.end.line + off, rng.end.column)
        for chunk in self.chunks:
            rng = self._chunk_positions(chunk).get(node)
            if rng is not None:
                off = chunk.line_offset
                return Span.of(rng.start.line + off, rng.start.column, rng.end.line + off, rng.end.column)
        return None

    def line(self, node: cst.CSTNode | None) -> int | None:
        s = self.span(node)
        return s.start.line if s else None

    def source(self, node: cst.CSTNode) -> str:
        return self.chunks[0].module.code_for_node(node)

    def append_fix(self, node: cst.CSTNode, suffix: str, title: str, applicability="safe") -> Fix | None:
        """A fix that appends `suffix` (e.g. `.float()`) to the expression `node`."""
        from .findings import Applicability

        span = self.span(node)
        if span is None:
            return None
        edits = []
        if not isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            edits.append(Edit(Span(span.start, span.start), "("))
            suffix = ")" + suffix
        edits.append(Edit(Span(span.end, span.end), suffix))
        return Fix(title, tuple(edits), Applicability(applicability))

    def site_for(self, value: Value, node: cst.CSTNode, frame: Frame) -> ev.Site:
        """Where to report a problem with `value` found at `node` in `frame`: when the value was
        handed down unchanged as an argument of the calls that led here, the outermost such
        call, where the value is visible to the user; otherwise `node` itself."""
        site = ev.Site(node, None, None)
        f = frame
        while f.parent is not None and f.call_node is not None:
            arg_node = _argument_carrying(f.call_args, value)
            if arg_node is _NOT_PASSED:
                break
            site = ev.Site(f.call_node, arg_node, node)
            f = f.parent
        return site

    # -- statements -----------------------------------------------------------------------

    def exec_block(self, body, frame: Frame) -> None:
        for stmt in body:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt, frame: Frame) -> None:
        self.steps += 1
        t = type(stmt)
        if t is cst.SimpleStatementLine:
            for small in stmt.body:
                self.exec_small(small, frame)
            return
        method = _STMT.get(t)
        if method is not None:
            method(self, stmt, frame)

    def exec_small(self, small, frame: Frame) -> None:
        t = type(small)
        if t is cst.Assign:
            value = self.eval(small.value, frame)
            if self.loops and not self.muted and len(small.targets) == 1:
                self._record_accumulation(small, frame, value)
            for target in small.targets:
                self.assign(target.target, value, frame, small)
        elif t is cst.Expr:
            if type(small.value) is not cst.SimpleString:  # docstrings
                self.eval(small.value, frame)
        elif t is cst.AugAssign:
            left = self.eval(small.target, frame)
            right = self.eval(small.value, frame)
            if self.loops and not self.muted:
                for trace in self.loops:
                    trace.augassigns.append((small, left, right))
            op = type(small.operator).__name__.replace("Assign", "")
            self.assign(small.target, binary_op(self, op, left, right, small), frame, small)
        elif t is cst.AnnAssign:
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, frame), frame, small)
        elif t is cst.Return:
            frame.returns.append(self.eval(small.value, frame) if small.value is not None else Const(None))
            raise _Return()
        elif t is cst.Import:
            for alias in small.names:
                full = _dotted(alias.name)
                if alias.asname is not None:
                    self.bind(frame, alias.asname.name.value, ref(full))
                else:
                    top = full.split(".", 1)[0]
                    self.bind(frame, top, ref(top))
        elif t is cst.ImportFrom:
            if small.module is None or small.relative:
                if not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        name = (alias.asname.name if alias.asname else alias.name).value
                        self.bind(frame, name, UNKNOWN)
                return
            mod = _dotted(small.module)
            if isinstance(small.names, cst.ImportStar):
                if mod not in self.star_modules:
                    self.star_modules.append(mod)  # `from keras.layers import *`: names resolved on use
                return
            for alias in small.names:
                local = alias.asname.name.value if alias.asname else _dotted(alias.name)
                self.bind(frame, local, ref(mod + "." + _dotted(alias.name)))
        elif t is cst.Raise:
            raise _Return()
        elif t is cst.Del:
            pass
        elif t is cst.Global:
            frame.declared_global = frame.declared_global | {n.name.value for n in small.names}

    def bind(self, frame: Frame, name: str, value: Value) -> None:
        frame.env[name] = value

    def rebind(self, frame: Frame, name: str, value: Value) -> None:
        """Update a name where it is bound (an in-place change: `x.requires_grad = True`)."""
        for env in (frame.env, frame.closure, frame.module.env if frame.module is not None else None):
            if env is not None and name in env:
                env[name] = value
                return
        frame.env[name] = value

    def _record_accumulation(self, small: cst.Assign, frame: Frame, result: Value) -> None:
        """`total = total + x` (also `total = x + total`, `self.total = self.total + x`) is
        recorded in the loop traces like `total += x`."""
        target, value = small.targets[0].target, small.value
        if not isinstance(value, cst.BinaryOperation) or not isinstance(value.operator, cst.Add):
            return
        name = _dotted(target)
        if not name:
            return
        added = value.right if _dotted(value.left) == name else value.left if _dotted(value.right) == name else None
        if added is None:
            return
        # a plain name or attribute is evaluated again (no effect); of anything else the sum stands in
        plain = isinstance(added, (cst.Name, cst.Attribute)) and _dotted(added)
        entry = (small, self.eval(target, frame), self.eval(added, frame) if plain else result)
        for trace in self.loops:
            trace.augassigns.append(entry)

    def assign(self, target, value: Value, frame: Frame, stmt) -> None:
        t = type(target)
        if t is cst.Name:
            name = target.value
            if isinstance(value, Tensor):
                if value.name != name:
                    value = value.with_(name=name)
                if self.collect_values:
                    self.values.append((target, value, frame.chunk, self.unit))
            elif isinstance(value, (Layer, Container, Instance, Loss)) and value.name is None:
                value.name = name
                if isinstance(value, Instance) and _LOSS_VARIABLE.search(name):
                    self.mark_loss(value)
            if name in frame.declared_global and frame.module is not None and not self.uncalled:
                frame.module.env[name] = value  # `global model; model = ...` in a called function
            else:
                frame.env[name] = value
        elif t in (cst.Tuple, cst.List):
            elements = target.elements
            items = self.unpack(value, len(elements))
            for i, el in enumerate(elements):
                if isinstance(el, cst.StarredElement):
                    self.assign(el.value, UNKNOWN, frame, stmt)
                    items = None
                    continue
                self.assign(el.value, items[i] if items is not None else UNKNOWN, frame, stmt)
        elif t is cst.Attribute:
            obj = self.eval(target.value, frame)
            attr = target.attr.value
            if attr == "grad" and self.loops:
                self.record(obj, "grad=", stmt, (value,))
            if isinstance(obj, Tensor) and attr == "requires_grad" and isinstance(target.value, cst.Name):
                flag = value.value if isinstance(value, Const) and isinstance(value.value, bool) else None
                self.rebind(frame, target.value.value, obj.with_(requires_grad=flag))
            elif isinstance(obj, Tensor) and attr == "grad":
                if self.wants("grad_assign"):
                    self.emit("grad_assign", ev.GradAssign(obj, value, stmt, getattr(stmt, "value", stmt), self.site_for(value, stmt, frame)))
            elif isinstance(obj, Instance):
                if isinstance(value, (Layer, Container)) and value.name is None:
                    value.name = attr
                obj.attrs[attr] = value
            if self.wants("attr_assign"):
                self.emit("attr_assign", ev.AttrAssign(obj, attr, value, stmt))
        elif t is cst.Subscript:
            obj = self.eval(target.value, frame)
            for el in target.slice:  # `x[x == np.nan] = 0`: the index is evaluated too (events)
                if isinstance(el.slice, cst.Index):
                    self.eval(el.slice.value, frame)
            if isinstance(obj, Tensor) and obj.requires_grad is not True and isinstance(target.value, cst.Name):
                # `out[:, t] = h`: the tensor now carries what was written into it
                flag = value.requires_grad if isinstance(value, Tensor) else False if isinstance(value, Const) else None
                if flag is not False:
                    obj = obj.with_(requires_grad=flag)
                    self.rebind(frame, target.value.value, obj)
            if isinstance(obj, Tensor) and isinstance(target.value, cst.Name) and _holds_nan(value) != obj.nan:
                # `x[5, 2] = np.nan` writes a nan; `x[np.isnan(x)] = 0` (any finite write) may clean it:
                # precision first, a finite write clears what is known
                self.rebind(frame, target.value.value, obj.with_(nan=_holds_nan(value)))

    def unpack(self, value: Value, n: int):
        items = exact_items(value)
        if items is not None and len(items) == n:
            return list(items)
        return None

    def exec_if(self, stmt: cst.If, frame: Frame) -> None:
        value = self.eval(stmt.test, frame)
        test = _static_test(stmt.test)
        if test is None:
            test = _truth(value)
        if test is True:
            self.exec_block(stmt.body.body, frame)
            return
        if test is False:
            # a branch the program's own values rule out (`reverse=False` passed or defaulted)
            if isinstance(stmt.orelse, cst.If):
                self.exec_if(stmt.orelse, frame)
            elif stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, frame)
            return
        before = dict(frame.env)
        returned_body = self._run_branch(stmt.body.body, frame)
        after_body = frame.env
        frame.env = dict(before)
        returned_else = False
        if stmt.orelse is not None:
            if isinstance(stmt.orelse, cst.If):
                returned_else = self._run_branch([stmt.orelse], frame)
            else:
                returned_else = self._run_branch(stmt.orelse.body.body, frame)
        after_else = frame.env
        if returned_body and returned_else:
            frame.env = after_else
            raise _Return()
        if returned_body:
            frame.env = after_else
        elif returned_else:
            frame.env = after_body
        else:
            frame.env = _join_envs(after_body, after_else)

    def _run_branch(self, body, frame: Frame) -> bool:
        try:
            self.exec_block(body, frame)
        except _Return:
            return True
        return False

    def exec_loop_body(self, body, frame: Frame, bind_target=None, loop=None) -> None:
        """Run a loop body so that events see values joined over iterations."""
        self.open_loops += 1
        try:
            self._exec_loop_body(body, frame, bind_target, loop)
        finally:
            self.open_loops -= 1

    def _exec_loop_body(self, body, frame: Frame, bind_target, loop) -> None:
        before = dict(frame.env)
        if loop is not None and not any(_interesting(before.get(n)) for n in self.assigned_names(loop)):
            # nothing specific flows from one iteration into the next: one pass is exact enough
            if bind_target:
                bind_target()
            self._run_branch(body, frame)
            frame.env = _join_envs(before, frame.env)
            return
        self.muted += 1
        try:
            if bind_target:
                bind_target()
            self._run_branch(body, frame)
        finally:
            self.muted -= 1
        frame.env = _join_envs(before, frame.env)
        if bind_target:
            bind_target()
        self._run_branch(body, frame)
        frame.env = _join_envs(before, frame.env)

    def assigned_names(self, loop) -> frozenset:
        names = self._assigned.get(id(loop))
        if names is None:
            names = frozenset(_assigned_in(loop.body.body))
            self._assigned[id(loop)] = names
        return names

    def traced(self, stmt, run) -> None:
        """Run a loop, recording the training-loop calls it makes, and emit a `loop` event."""
        if self.muted or "loop" not in self.handlers:
            run()
            return
        trace = LoopTrace(stmt)
        self.loops.append(trace)
        try:
            run()
        finally:
            self.loops.pop()
        for outer in self.loops:
            outer.absorb(trace)
        self.emit("loop", trace)

    def record(self, receiver, method: str, node, args=(), kwargs=None) -> None:
        if self.loops and not self.muted:
            entry = (receiver, method, node, args, kwargs or {})
            for trace in self.loops:
                trace.calls.append(entry)

    def mark_opaque(self) -> None:
        for trace in self.loops:
            trace.opaque = True

    def exec_for(self, stmt: cst.For, frame: Frame) -> None:
        self.traced(stmt, lambda: self._exec_for(stmt, frame))

    def _exec_for(self, stmt: cst.For, frame: Frame) -> None:
        it = self.eval(stmt.iter, frame)
        items = self.iter_items(it)
        body = stmt.body.body
        if items is not None and len(items) <= MAX_UNROLL:
            for item in items:
                self.assign(stmt.target, item, frame, stmt)
                if self._run_branch(body, frame):
                    break
        else:
            element = self.iter_element(it)
            source = _batches_of(it)
            if source is not None:
                self.batch_sources.append(source)
            try:
                self.exec_loop_body(body, frame, lambda: self.assign(stmt.target, element, frame, stmt), stmt)
            finally:
                if source is not None:
                    self.batch_sources.pop()
        if stmt.orelse is not None:
            self._run_branch(stmt.orelse.body.body, frame)

    def exec_while(self, stmt: cst.While, frame: Frame) -> None:
        self.traced(stmt, lambda: self._exec_while(stmt, frame))

    def _exec_while(self, stmt: cst.While, frame: Frame) -> None:
        self.eval(stmt.test, frame)
        self.exec_loop_body(stmt.body.body, frame, None, stmt)
        if stmt.orelse is not None:
            self._run_branch(stmt.orelse.body.body, frame)

    def exec_try(self, stmt, frame: Frame) -> None:
        before = dict(frame.env)
        returned = self._run_branch(stmt.body.body, frame)
        envs = [] if returned else [frame.env]
        for handler in stmt.handlers:
            frame.env = dict(before)
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                frame.env[handler.name.name.value] = UNKNOWN
            if not self._run_branch(handler.body.body, frame):
                envs.append(frame.env)
        if stmt.orelse is not None and not returned:
            frame.env = envs[0] if envs else dict(before)
            self._run_branch(stmt.orelse.body.body, frame)
            envs[0:1] = [frame.env]
        env = envs[0] if envs else dict(before)
        for other in envs[1:]:
            env = _join_envs(env, other)
        frame.env = env
        if stmt.finalbody is not None:
            self._run_branch(stmt.finalbody.body.body, frame)

    def exec_with(self, stmt: cst.With, frame: Frame) -> None:
        no_grad, tapes = 0, ()
        for item in stmt.items:
            v = self.eval(item.item, frame)
            if isinstance(v, Context):
                if v.kind == "no_grad":
                    no_grad += 1
                elif v.kind == "enable_grad":
                    no_grad = -self.no_grad
                elif v.kind == "tape":
                    v.node = stmt
                    tapes += (id(v),)
            if item.asname is not None:
                self.assign(item.asname.name, v, frame, stmt)
        saved = (self.no_grad, self.tapes)
        self.no_grad += no_grad
        if tapes:
            self.tapes = self.tapes + tapes
        expected_error = any(_expects_error(item.item) for item in stmt.items)
        self.muted += expected_error  # `with pytest.raises(...)`: the failure in the body is meant
        try:
            self.exec_block(stmt.body.body, frame)
        finally:
            self.no_grad, self.tapes = saved
            self.muted -= expected_error

    def exec_funcdef(self, stmt: cst.FunctionDef, frame: Frame, owner: ClassV | None = None) -> Func:
        func = Func(stmt, owner, frame.env if frame.depth > 0 else None, stmt.name.value, frame.chunk)
        self.functions.append(func)
        if owner is None:
            frame.env[stmt.name.value] = func
        return func

    def exec_classdef(self, stmt: cst.ClassDef, frame: Frame) -> None:
        bases = tuple(self.eval(a.value, frame) for a in stmt.bases)
        kind = None
        for b in bases:
            if isinstance(b, Ref):
                kind = FRAMEWORK_BASES.get(b.qualname, kind)
                if kind is None and b.qualname.startswith("torch.nn.") and b.qualname[9:10].isupper():
                    kind = "torch.module"
            elif isinstance(b, ClassV) and b.kind:
                kind = b.kind
        cls = ClassV(stmt.name.value, stmt, bases, kind=kind)
        for item in stmt.body.body:
            if isinstance(item, cst.FunctionDef):
                cls.methods[item.name.value] = self.exec_funcdef(item, frame, owner=cls)
            elif isinstance(item, cst.SimpleStatementLine):
                for small in item.body:
                    if isinstance(small, cst.Assign):
                        v = self.eval(small.value, frame)
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                cls.attrs[t.target.value] = v
        frame.env[stmt.name.value] = cls

    # -- expressions ----------------------------------------------------------------------

    def eval(self, node, frame: Frame) -> Value:
        method = _EXPR.get(type(node))
        if method is None:
            return UNKNOWN
        return method(self, node, frame)

    def eval_name(self, node: cst.Name, frame: Frame) -> Value:
        v = frame.lookup(node.value)
        if v is UNKNOWN and self.star_modules:
            return self._star_name(node.value)
        return UNKNOWN if isinstance(v, Unbound) else v

    def _star_name(self, name: str) -> Value:
        """A name no assignment made: one that a `*` import brings, when the framework tables
        know it under that module."""
        from .frameworks import known_api

        for mod in reversed(self.star_modules):
            q = canonical(mod + "." + name)
            if known_api(q):
                return ref(q)
        return UNKNOWN

    def eval_attribute(self, node: cst.Attribute, frame: Frame) -> Value:
        obj = self.eval(node.value, frame)
        return self.get_attr(obj, node.attr.value, node)

    def get_attr(self, obj: Value, attr: str, node) -> Value:
        if isinstance(obj, Ref):
            return ref(obj.qualname + "." + attr)
        if isinstance(obj, Instance):
            v = obj.attrs.get(attr)
            if v is not None:
                return v
            m = obj.cls.lookup(attr)
            if isinstance(m, Func):
                return BoundMethod(m, obj)
            if m is None and attr in ("trainable_variables", "trainable_weights"):
                from .frameworks import ParamsV

                return ParamsV(obj)
            if m is not None:
                return m
            return _BoundBuiltin(obj, attr)
        if isinstance(obj, ClassV):
            m = obj.lookup(attr)
            return m if m is not None else UNKNOWN
        if isinstance(obj, Tensor):
            return tensor_attribute(self, obj, attr, node)
        if isinstance(obj, Super):
            cls = obj.cls
            for b in (cls.bases if cls else ()):
                if isinstance(b, ClassV):
                    m = b.lookup(attr)
                    if isinstance(m, Func):
                        return BoundMethod(m, obj.instance)
            return UNKNOWN
        if isinstance(obj, Layer) and attr in LAYER_ATTRIBUTES:
            from .frameworks import layer_attribute

            return layer_attribute(obj, attr)
        if isinstance(obj, Layer) and obj.fw == "torch" and attr in ("weight", "bias"):
            from .frameworks.torch import layer_parameter

            param = layer_parameter(obj, attr)
            if param is not None:
                return param.with_(name=f"{obj.name}.{attr}" if obj.name else attr)
        if isinstance(obj, (Layer, Container, Loss, Optimizer, Dataset, MutableList, Seq, Context)):
            if attr in ("trainable_variables", "trainable_weights") and isinstance(obj, (Layer, Container)):
                from .frameworks import ParamsV

                return ParamsV(obj)
            return _BoundBuiltin(obj, attr)
        if (type(obj).__name__, attr) in OBJECT_METHODS:  # table-driven objects: scalers, RNGs
            return _BoundBuiltin(obj, attr)
        return UNKNOWN

    def eval_call(self, node: cst.Call, frame: Frame) -> Value:
        func = self.eval(node.func, frame)
        args, kwargs, arg_nodes, kwarg_nodes = [], {}, [], {}
        for a in node.args:
            v = self.eval(a.value, frame)
            if a.star == "*":
                seq = exact_items(v)
                if seq is None and isinstance(v, MutableList):
                    seq = [UNKNOWN] + known_tail(v)  # `*layers` grown in a loop: what ends it is known
                if seq is None:
                    args.append(UNKNOWN)
                    args = None if args is None else args
                    arg_nodes.append(a.value)
                    continue
                args.extend(seq)
                arg_nodes.extend([a.value] * len(seq))
            elif a.star == "**":
                kwargs["**"] = UNKNOWN
            elif a.keyword is not None:
                kwargs[a.keyword.value] = v
                kwarg_nodes[a.keyword.value] = a.value
            else:
                args.append(v)
                arg_nodes.append(a.value)
        call = CallInfo(self, node, frame, args, kwargs, arg_nodes, kwarg_nodes)
        return self.call(func, call)

    def call(self, func: Value, call: "CallInfo") -> Value:
        if self.loops and isinstance(func, Unknown) and isinstance(getattr(call.node, "func", None), cst.Attribute):
            # a method of something unknown (`self.opt.zero_grad()`): traces keep it by name
            self.record(UNKNOWN, call.node.func.attr.value, call.node, call.args, call.kwargs)
        if isinstance(func, (BoundMethod, _BoundBuiltin)) and self.wants("module_method"):
            receiver = func.self_value if isinstance(func, BoundMethod) else func.obj
            if isinstance(receiver, (Instance, Layer, Container)):
                method = func.func.name if isinstance(func, BoundMethod) else func.attr
                self.emit("module_method", ev.ModuleMethod(receiver, method, call.node, call.frame.self_value))
        if self.loops and not isinstance(func, (Func, BoundMethod, ClassV, _BoundBuiltin, Layer, Container, Loss)):
            known = isinstance(func, Ref) and (func.qualname in CALLS or func.qualname in LAYERS or func.qualname in LOSSES)
            if not known and _carries_training_state(call):
                self.mark_opaque()
        if isinstance(func, Ref):
            handler = CALLS.get(func.qualname)
            if handler is not None:
                return handler(call)
            spec = LAYERS.get(func.qualname)
            if spec is not None:
                return spec.construct(call, func.qualname)
            spec = LOSSES.get(func.qualname)
            if spec is not None:
                return spec.construct(call, func.qualname)
            return UNKNOWN
        if isinstance(func, Func):
            return self.call_function(func, call.args, call.kwargs, call.node, frame=call.frame, arg_nodes=call.arg_nodes)
        if isinstance(func, BoundMethod):
            return self.call_function(func.func, [func.self_value] + call.args, call.kwargs, call.node, frame=call.frame, arg_nodes=[None] + call.arg_nodes)
        if isinstance(func, ClassV):
            return self.instantiate(func, call)
        if isinstance(func, Instance):
            return self.call_instance(func, call)
        if isinstance(func, (Layer, Container)):
            return call_layer(call, func)
        if isinstance(func, Loss):
            return LOSSES[func.kind].call(call, func) if func.kind in LOSSES else UNKNOWN
        if isinstance(func, _BoundBuiltin):
            return self.call_bound_builtin(func, call)
        return UNKNOWN

    def call_bound_builtin(self, bb: "_BoundBuiltin", call: "CallInfo") -> Value:
        from .frameworks import container_method, object_method

        obj = bb.obj
        if self.loops:
            self.record(obj, bb.attr, call.node, call.args, call.kwargs)
            if not isinstance(obj, (Tensor, Optimizer, Container, Layer, Instance, MutableList)) and _carries_training_state(call):
                self.mark_opaque()
        if isinstance(obj, Tensor):
            if bb.attr == "backward":
                inst = self.instance_calls.get(id(obj.node))
                if inst is not None:
                    self.mark_loss(inst)  # the module whose output is backpropagated is a loss
            return tensor_method(call, obj, bb.attr)
        if isinstance(obj, MutableList):
            if bb.attr == "append" and call.args:
                obj.append(call.args[0], self.open_loops)
            elif bb.attr == "extend" and call.args and isinstance(call.args[0], (Seq, MutableList)):
                obj.extend(call.args[0], self.open_loops)
            elif bb.attr in ("insert", "extend", "pop", "remove", "clear", "sort", "reverse"):
                obj.exact, obj.tail = False, 0  # its length and order are no longer followed
            if bb.attr in ("append", "extend", "insert", "remove", "clear", "sort", "reverse"):
                return Const(None)
            return UNKNOWN
        if isinstance(obj, (Container, Layer, Instance)):
            return container_method(call, obj, bb.attr)
        return object_method(call, obj, bb.attr)

    def instantiate(self, cls: ClassV, call: "CallInfo") -> Value:
        inst = Instance(cls, {}, call.node, None)
        init = cls.lookup("__init__")
        if isinstance(init, Func):
            self.call_function(init, [inst] + call.args, call.kwargs, call.node, frame=call.frame, arg_nodes=[None] + call.arg_nodes)
        inst.initialized = True
        return inst

    def call_instance(self, inst: Instance, call: "CallInfo") -> Value:
        kind = inst.cls.kind
        name = "forward" if kind == "torch.module" else "call" if kind in ("keras.layer", "keras.model", "keras.loss") else "__call__"
        method = inst.cls.lookup(name)
        if kind == "keras.layer" and not inst.attrs.get("__built__"):
            inst.attrs["__built__"] = Const(True)
            build = inst.cls.lookup("build")
            if isinstance(build, Func):
                shape = call.args[0].shape if call.args and isinstance(call.args[0], Tensor) and call.args[0].shape else None
                arg = Seq("tuple", tuple(Const(d) if isinstance(d, int) else UNKNOWN for d in shape)) if shape and ANY not in shape else UNKNOWN
                self.call_function(build, [inst, arg], {}, call.node, frame=call.frame, arg_nodes=[None, None])
        if kind in ("torch.module", "keras.layer", "keras.model") and self.wants("layer_call"):
            first = call.args[0] if call.args else UNKNOWN
            self.emit("layer_call", ev.LayerCall(inst, call.args, call.kwargs, call.node, self.site_for(first, call.node, call.frame)))
        if isinstance(method, Func):
            self.instance_calls[id(call.node)] = inst
            out = self.call_function(method, [inst] + call.args, call.kwargs, call.node, frame=call.frame, arg_nodes=[None] + call.arg_nodes)
            if isinstance(out, Tensor) and kind in ("torch.module", "keras.layer", "keras.model"):
                out = out.with_(models=out.models | {id(inst)}, requires_grad=False if self.no_grad else out.requires_grad,
                                node=call.node)
            return out
        return UNKNOWN

    def call_function(self, func: Func, args: list, kwargs: dict, node, *, frame: Frame,
                      arg_nodes: list | None = None, unknown_rest: bool = False) -> Value:
        fnode = func.node
        if frame.depth >= MAX_DEPTH or id(fnode) in self._stack_ids:
            self.mark_opaque()
            return UNKNOWN
        key = None
        if unknown_rest:
            pass  # a function's own run: always executed, its findings belong to its chunk
        elif not any(_interesting(a) for a in args) and not any(_interesting(a) for a in kwargs.values()):
            # nothing to follow into the body: run it once per distinct constant arguments
            key = (id(fnode), tuple(_const_key(a) for a in args), tuple(sorted((k, _const_key(v)) for k, v in kwargs.items())))
            if None in key[1] or any(k[1] is None for k in key[2]):
                key = None  # arguments that cannot be told apart: never share a result
            cached = self._memo.get(key) if key is not None else None
            if cached is not None and (cached[1] or self.muted):
                self.mark_opaque()
                return cached[0]
            per_func = self._memo.setdefault(id(fnode), [0])
            per_func[0] += 1
            if per_func[0] > 8 and cached is None:
                return UNKNOWN
        if not unknown_rest and not self.uncalled:
            env = self.root.env
            if self.call_envs.get(id(fnode)) != env:
                self.call_envs[id(fnode)] = dict(env)
        result = self._call_function(func, args, kwargs, node, frame, arg_nodes, unknown_rest)
        if key is not None:
            self._memo[key] = (result, not self.muted)
        return result

    def _call_function(self, func, args, kwargs, node, frame, arg_nodes, unknown_rest):
        fnode = func.node
        if not self.muted:
            if not unknown_rest:
                self.executed.add(id(fnode))
        new = Frame(frame.depth + 1, {}, self.root, frame, node, list(zip(arg_nodes or [], args)), func, closure=func.env,
                    chunk=func.chunk)
        self._bind_params(fnode.params, args, kwargs, new, frame, unknown_rest)
        if func.owner is not None and args:
            new.self_value = args[0]
        self._stack_ids.append(id(fnode))
        decorated_no_grad = isinstance(fnode, cst.FunctionDef) and _no_grad_decorated(fnode)
        self.no_grad += decorated_no_grad
        try:
            if isinstance(fnode, cst.Lambda):
                return self._retag(self.eval(fnode.body, new), frame)
            body = fnode.body
            stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
            try:
                self.exec_block(stmts, new)
            except _Return:
                pass
            except RecursionError:
                return UNKNOWN
        finally:
            self._stack_ids.pop()
            self.no_grad -= decorated_no_grad
        if new.generator:
            return _yielded_batches(new.yields, node)
        if not new.returns:
            return Const(None)
        result = new.returns[0]
        for r in new.returns[1:]:
            result = join(result, r)
        return self._retag(result, frame)

    def _retag(self, value: Value, frame: Frame) -> Value:
        if isinstance(value, Tensor) and value.depth > frame.depth:
            return value.with_(depth=frame.depth)
        if isinstance(value, Seq):
            items = tuple(self._retag(v, frame) for v in value.items)
            return Seq(value.kind, items)
        return value

    def _default(self, p: cst.Param, caller: Frame, unknown_rest: bool) -> Value:
        value = self.eval(p.default, caller)
        if unknown_rest and isinstance(value, Const) and isinstance(value.value, bool):
            return UNKNOWN  # a flag: a function run on its own serves callers that pass either value
        return value

    def _bind_params(self, params: cst.Parameters, args: list, kwargs: dict, new: Frame, caller: Frame,
                     unknown_rest: bool = False) -> None:
        positional = list(params.posonly_params) + list(params.params)
        i = 0
        for p in positional:
            name = p.name.value
            if i < len(args):
                value = args[i]
            elif name in kwargs:
                value = kwargs[name]
            elif p.default is not None:
                value = self._default(p, caller, unknown_rest)
            else:
                value = UNKNOWN
            new.env[name] = value
            i += 1
        if isinstance(params.star_arg, cst.Param):
            rest = args[len(positional):]
            new.env[params.star_arg.name.value] = Seq("tuple", tuple(rest))
        for p in params.kwonly_params:
            name = p.name.value
            if name in kwargs:
                new.env[name] = kwargs[name]
            elif p.default is not None:
                new.env[name] = self._default(p, caller, unknown_rest)
            else:
                new.env[name] = UNKNOWN
        if params.star_kwarg is not None:
            new.env[params.star_kwarg.name.value] = UNKNOWN

    def eval_subscript(self, node: cst.Subscript, frame: Frame) -> Value:
        obj = self.eval(node.value, frame)
        idx = []
        for el in node.slice:
            sl = el.slice
            if isinstance(sl, cst.Index):
                idx.append(self.eval(sl.value, frame))
            else:
                idx.append(SliceV(
                    self.eval(sl.lower, frame) if sl.lower is not None else Const(None),
                    self.eval(sl.upper, frame) if sl.upper is not None else Const(None),
                    self.eval(sl.step, frame) if sl.step is not None else Const(None),
                ))
        from .frameworks import subscript

        return subscript(self, obj, idx, node)

    def eval_binop(self, node: cst.BinaryOperation, frame: Frame) -> Value:
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        return binary_op(self, type(node.operator).__name__, left, right, node)

    def eval_unary(self, node: cst.UnaryOperation, frame: Frame) -> Value:
        v = self.eval(node.expression, frame)
        if isinstance(v, Const) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool):
            if isinstance(node.operator, cst.Minus):
                return Const(-v.value)
            if isinstance(node.operator, cst.Plus):
                return v
        if isinstance(v, Tensor) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return v.with_(node=node)
        if isinstance(node.operator, cst.Not) and _truth(v) is not None:
            return Const(not _truth(v))
        return UNKNOWN

    def eval_compare(self, node: cst.Comparison, frame: Frame) -> Value:
        left = self.eval(node.left, frame)
        ops = [(c.operator, self.eval(c.comparator, frame), c.comparator) for c in node.comparisons]
        if self.wants("compare"):
            self.emit("compare", ev.Compare(node, left, ops))
        if isinstance(left, Tensor):
            return left.with_(dtype="bool", node=node, requires_grad=False)
        return UNKNOWN

    def eval_int(self, node: cst.Integer, frame: Frame) -> Value:
        try:
            return Const(int(node.value.replace("_", ""), 0))
        except ValueError:
            try:
                return Const(int(node.value.replace("_", "")))
            except ValueError:
                return UNKNOWN

    def eval_float(self, node: cst.Float, frame: Frame) -> Value:
        try:
            return Const(float(node.value.replace("_", "")))
        except ValueError:
            return UNKNOWN

    def eval_yield(self, node, frame: Frame) -> Value:
        frame.generator = True
        if isinstance(node.value, cst.BaseExpression):
            value = self.eval(node.value, frame)
            if isinstance(node, cst.Yield) and not isinstance(node.value, cst.From):
                frame.yields.append(value)
        return UNKNOWN

    def eval_string(self, node, frame: Frame) -> Value:
        if type(node) is cst.SimpleString:
            raw = node.value
            if raw[:1] in _QUOTES and "\\" not in raw and raw[:3] not in _TRIPLE:
                return Const(raw[1:-1])
        try:
            v = node.evaluated_value
        except Exception:
            return UNKNOWN
        return Const(v) if isinstance(v, str) else UNKNOWN

    def eval_tuple(self, node, frame: Frame) -> Value:
        items = []
        for el in node.elements:
            if isinstance(el, cst.StarredElement):
                v = self.eval(el.value, frame)
                if isinstance(v, (Seq, MutableList)):
                    items.extend(v.items)
                    continue
                return UNKNOWN
            items.append(self.eval(el.value, frame))
        return Seq("tuple" if isinstance(node, cst.Tuple) else "list", tuple(items))

    def eval_list(self, node: cst.List, frame: Frame) -> Value:
        v = self.eval_tuple(node, frame)
        if isinstance(v, Seq):
            return MutableList(list(v.items), level=self.open_loops)
        return v

    def eval_lambda(self, node: cst.Lambda, frame: Frame) -> Value:
        func = Func(node, None, frame.env if frame.depth > 0 else None, "<lambda>", frame.chunk)
        self.functions.append(func)
        return func

    def eval_ifexp(self, node: cst.IfExp, frame: Frame) -> Value:
        self.eval(node.test, frame)
        return join(self.eval(node.body, frame), self.eval(node.orelse, frame))

    def eval_boolop(self, node: cst.BooleanOperation, frame: Frame) -> Value:
        return join(self.eval(node.left, frame), self.eval(node.right, frame))

    def eval_paren_free(self, node, frame: Frame) -> Value:
        return self.eval(node.value, frame)

    def eval_named(self, node: cst.NamedExpr, frame: Frame) -> Value:
        v = self.eval(node.value, frame)
        self.assign(node.target, v, frame, node)
        return v

    def eval_comp(self, node, frame: Frame) -> Value:
        # comprehensions: evaluate the iterables for their events; the result is unknown
        f = node.for_in
        while f is not None:
            self.eval(f.iter, frame)
            f = f.inner_for_in
        return UNKNOWN

    # -- iteration ------------------------------------------------------------------------

    def iter_items(self, it: Value):
        items = exact_items(it)
        if items is not None:
            return list(items)
        if isinstance(it, Container) and it.kind in ("torch.nn.ModuleList", "torch.nn.Sequential"):
            return list(it.layers)
        return None

    def iter_element(self, it: Value) -> Value:
        from .frameworks import iterate

        return iterate(self, it)


_RAISES = frozenset(("raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assert_raises", "assert_raises_regex"))


def _expects_error(expr) -> bool:
    """`pytest.raises(E)`, `self.assertRaises(E)`, `np.testing.assert_raises(E)`: a block whose
    statements are expected to fail."""
    if not isinstance(expr, cst.Call):
        return False
    f = expr.func
    name = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else None
    return name in _RAISES


def _yielded_batches(yields, node) -> Value:
    """A generator that yields `(features, labels)` batches of tensors is a batched dataset."""
    if not yields or not all(isinstance(v, Seq) and len(v.items) == 2 for v in yields):
        return UNKNOWN
    batch = yields[0]
    for v in yields[1:]:
        batch = join(batch, v)
    if not isinstance(batch, Seq) or not all(isinstance(t, Tensor) for t in batch.items):
        return UNKNOWN
    return Dataset(tuple(t.with_(labels=t.labels or i == 1) for i, t in enumerate(batch.items)), True, node)


def _holds_nan(value) -> bool:
    if isinstance(value, Const) and isinstance(value.value, float):
        return value.value != value.value or value.value in (float("inf"), float("-inf"))
    return isinstance(value, Tensor) and value.nan


def _batches_of(it):
    """The dataset a `for` loop takes batches from (a loader, or enumerate of one)."""
    from .frameworks import EnumerateV

    if isinstance(it, EnumerateV):
        it = it.inner
    return it if isinstance(it, Dataset) and it.batched else None


_NOT_PASSED = object()
_LOSS_VARIABLE = __import__("re").compile(r"loss|criterion", __import__("re").I)


def _argument_carrying(call_args, value):
    """The argument expression that passed `value` (itself, or inside a tuple/list)."""
    for n, v in call_args:
        if v is value:
            return n
        if isinstance(v, (Seq, MutableList)) and any(item is value for item in v.items):
            return None
    return _NOT_PASSED


class LoopTrace:
    """What one loop did: the method calls on tensors, optimizers and models, the augmented
    assignments, in order, including those made inside the functions it called. `opaque`
    when something that may train (an optimizer, a model, a loss) went into code the
    interpreter did not follow."""

    __slots__ = ("node", "calls", "augassigns", "opaque", "inner")

    def __init__(self, node):
        self.node = node
        self.calls: list = []
        self.augassigns: list = []
        self.opaque = False
        self.inner: list = []

    def absorb(self, inner: "LoopTrace") -> None:
        self.inner.append(inner)
        self.opaque = self.opaque or inner.opaque

    def methods(self, name: str) -> list:
        return [c for c in self.calls if c[1] == name]


def _carries_training_state(call) -> bool:
    """An optimizer, model or gradient-carrying tensor among a call's arguments."""
    from .frameworks import ParamsV

    for v in (*call.args, *call.kwargs.values()):
        if isinstance(v, (Optimizer, Container, ParamsV)):
            return True
        if isinstance(v, Instance) and v.cls.kind is not None:
            return True
        if isinstance(v, Tensor) and v.requires_grad:
            return True
    return False


def _no_grad_decorated(node: cst.FunctionDef) -> bool:
    for d in node.decorators:
        expr = d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator
        if isinstance(expr, cst.Attribute) and expr.attr.value in ("no_grad", "inference_mode"):
            return True
        if isinstance(expr, cst.Name) and expr.value in ("no_grad", "inference_mode"):
            return True
    return False


class _BoundBuiltin(Value):
    __slots__ = ("obj", "attr")

    def __init__(self, obj, attr):
        self.obj = obj
        self.attr = attr


class SliceV(Value):
    __slots__ = ("lower", "upper", "step")

    def __init__(self, lower, upper, step):
        self.lower, self.upper, self.step = lower, upper, step


@dataclass
class CallInfo:
    """A call being evaluated: the values and nodes of its arguments."""

    interp: Interpreter
    node: cst.Call
    frame: Frame
    args: list
    kwargs: dict
    arg_nodes: list
    kwarg_nodes: dict

    def arg(self, index: int | None, name: str | None = None, default: Value | None = None) -> Value | None:
        if name is not None and name in self.kwargs:
            return self.kwargs[name]
        if index is not None and index < len(self.args):
            return self.args[index]
        return default

    def arg_node(self, index: int | None, name: str | None = None):
        if name is not None and name in self.kwarg_nodes:
            return self.kwarg_nodes[name]
        if index is not None and index < len(self.arg_nodes):
            return self.arg_nodes[index]
        return None

    def const(self, index: int | None, name: str | None = None, default=None):
        v = self.arg(index, name)
        if isinstance(v, Const):
            return v.value
        if v is None:
            return default
        return _MISSING

    def site(self, value: Value) -> ev.Site:
        return self.interp.site_for(value, self.node, self.frame)

    @property
    def depth(self) -> int:
        return self.frame.depth


_MISSING = object()


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return _dotted(node.value) + "." + node.attr.value
    return ""


def _param_names(node) -> list:
    p = node.params
    return [x.name.value for x in (*p.posonly_params, *p.params)]


def _is_static(node) -> bool:
    return isinstance(node, cst.FunctionDef) and any(
        isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in node.decorators
    )


_TRACKED = (Tensor, Layer, Container, Loss, Dataset, Optimizer, Func, ClassV)


def _interesting(v) -> bool:
    """A value worth following into a callee or across loop iterations."""
    if isinstance(v, _TRACKED):
        return True
    if isinstance(v, Instance):
        return v.cls.kind is not None or bool(v.attrs)
    if isinstance(v, (Seq, MutableList)):
        return any(isinstance(i, _TRACKED) or isinstance(i, Instance) for i in v.items[:16])
    return False


def _const_key(v):
    """What distinguishes an argument for the per-call cache: constants and tuples/lists of
    them by value (`weight_variable([784, 256])` differs from `weight_variable([256, 10])`),
    references by name; None for a value that cannot be told apart from others of its kind."""
    if isinstance(v, Const):
        try:
            hash(v.value)
            return (type(v.value).__name__, v.value)
        except TypeError:
            return None
    if isinstance(v, Unknown):
        return "?"
    if isinstance(v, Ref):
        return ("ref", v.qualname)
    if isinstance(v, (Seq, MutableList)) and len(v.items) <= 64:
        if isinstance(v, MutableList) and not v.exact:
            return None
        keys = tuple(_const_key(x) for x in v.items)
        return None if None in keys else (type(v).__name__, keys)
    return None


def _assigned_in(body) -> set:
    """Names bound anywhere in these statements (not inside nested functions or classes)."""
    names: set = set()

    def target(t):
        if isinstance(t, cst.Name):
            names.add(t.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                target(el.value)
        elif isinstance(t, cst.StarredElement):
            target(t.value)
        elif isinstance(t, (cst.Attribute, cst.Subscript)):
            base = t.value
            while isinstance(base, (cst.Attribute, cst.Subscript)):
                base = base.value
            if isinstance(base, cst.Name):
                names.add(base.value)

    def walk(stmts):
        for st in stmts:
            if isinstance(st, cst.SimpleStatementLine):
                for sm in st.body:
                    if isinstance(sm, cst.Assign):
                        for t in sm.targets:
                            target(t.target)
                    elif isinstance(sm, (cst.AugAssign, cst.AnnAssign)):
                        target(sm.target)
                    elif isinstance(sm, cst.Expr) and isinstance(sm.value, cst.Call) and isinstance(sm.value.func, cst.Attribute):
                        target(sm.value.func.value)  # x.append(...), t.requires_grad_()
            elif isinstance(st, (cst.FunctionDef, cst.ClassDef)):
                names.add(st.name.value)
            else:
                if isinstance(st, cst.For):
                    target(st.target)
                if isinstance(st, cst.With):
                    for item in st.items:
                        if item.asname is not None:
                            target(item.asname.name)
                for attr in ("body", "orelse", "finalbody"):
                    part = getattr(st, attr, None)
                    if part is None:
                        continue
                    if isinstance(part, cst.If):
                        walk([part])
                    elif hasattr(part, "body"):
                        inner = part.body
                        walk(inner if isinstance(inner, (list, tuple)) else [inner])
                for h in getattr(st, "handlers", ()):
                    walk(h.body.body)

    walk(body)
    return names


def _truth(value) -> bool | None:
    """The truth of a condition whose value is a known constant (a flag, None, a count)."""
    if isinstance(value, Const) and (value.value is None or isinstance(value.value, (bool, int))):
        return bool(value.value)
    return None


def _static_test(test) -> bool | None:
    """`if __name__ == "__main__":` is always taken for analysis purposes."""
    if isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) and test.left.value == "__name__":
        return True
    return None


def _join_envs(a: dict, b: dict) -> dict:
    if a is b:
        return a
    out = dict(a)
    for k, v in b.items():
        old = a.get(k)
        if old is None:
            out[k] = v
        elif old is not v:
            out[k] = join(old, v)
    return out


_STMT = {
    cst.If: Interpreter.exec_if,
    cst.For: Interpreter.exec_for,
    cst.While: Interpreter.exec_while,
    cst.Try: Interpreter.exec_try,
    cst.With: Interpreter.exec_with,
    cst.FunctionDef: lambda self, s, f: self.exec_funcdef(s, f),
    cst.ClassDef: Interpreter.exec_classdef,
}
if hasattr(cst, "TryStar"):
    _STMT[cst.TryStar] = Interpreter.exec_try

_EXPR = {
    cst.Name: Interpreter.eval_name,
    cst.Attribute: Interpreter.eval_attribute,
    cst.Call: Interpreter.eval_call,
    cst.Subscript: Interpreter.eval_subscript,
    cst.BinaryOperation: Interpreter.eval_binop,
    cst.UnaryOperation: Interpreter.eval_unary,
    cst.Comparison: Interpreter.eval_compare,
    cst.Integer: Interpreter.eval_int,
    cst.Float: Interpreter.eval_float,
    cst.SimpleString: Interpreter.eval_string,
    cst.ConcatenatedString: Interpreter.eval_string,
    cst.Tuple: Interpreter.eval_tuple,
    cst.List: Interpreter.eval_list,
    cst.Lambda: Interpreter.eval_lambda,
    cst.IfExp: Interpreter.eval_ifexp,
    cst.BooleanOperation: Interpreter.eval_boolop,
    cst.Await: Interpreter.eval_paren_free if False else (lambda self, n, f: self.eval(n.expression, f)),
    cst.NamedExpr: Interpreter.eval_named,
    cst.Yield: Interpreter.eval_yield,
    cst.ListComp: Interpreter.eval_comp,
    cst.SetComp: Interpreter.eval_comp,
    cst.GeneratorExp: Interpreter.eval_comp,
    cst.DictComp: Interpreter.eval_comp,
}


def run(chunks, text, path, config, rules, collect_values=False):
    interp = Interpreter(chunks, text, path, config, rules, collect_values)
    interp.run()
    if interp.positions_failed and len(chunks) == 1:
        # one statement too deep for libcst's position walk: in top-level chunks, only that
        # statement's chunk is lost (the language server's incremental analysis does the same)
        from .incremental import IncrementalParser

        split = IncrementalParser().parse(text)
        if split is not None and len(split) > 1:
            interp = Interpreter(split, text, path, config, rules, collect_values)
            interp.run()
    unique = {}
    for f in interp.findings.values():
        unique.setdefault((f.code, f.span.start.line, f.span.start.column), f)
    findings = sorted(unique.values(), key=Finding.sort_key)
    return findings, collected_values(interp) if collect_values else []


def collected_values(interp, with_units: bool = False) -> list:
    """One value per place (the same assignment runs from several callers and units)."""
    values = []
    seen = set()
    for node, value, chunk, unit in interp.values:
        span = interp.span(node, chunk)
        key = (span, value.describe(), unit if with_units else None)
        if span is not None and key not in seen:
            seen.add(key)
            info = ValueInfo(span, value.describe(), interp.span(value.origin, chunk))
            values.append((info, unit) if with_units else info)
    return values
