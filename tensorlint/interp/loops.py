"""Loops: bodies run so that loop-carried values are joined, and the trace of what each
loop did (training steps) for the rules that read loops."""
from __future__ import annotations

import libcst as cst

from ..frameworks import EnumerateV
from ..frameworks.common import uniform_span
from ..frameworks.shapes import numel
from ..values import Const, Dataset, Ref, Tensor, Unknown
from ..syntax import assigned_in
from ..dataflow import descendants
from .frame import Frame, MAX_UNROLL
from .helpers import interesting, join_envs


# libraries whose functions never clear or step a model's gradients
_LIBRARIES = frozenset({"builtins", "torch", "torchvision", "numpy", "math", "os", "time", "random", "json", "copy"})


class LoopsMixin:
    def exec_loop_body(self, body, frame: Frame, bind_target=None, loop=None) -> None:
        """Run a loop body so that events see values joined over iterations."""
        self.open_loops += 1
        try:
            self._exec_loop_body(body, frame, bind_target, loop)
        finally:
            self.open_loops -= 1

    def _exec_loop_body(self, body, frame: Frame, bind_target, loop) -> None:
        before = dict(frame.env)
        if loop is not None and not any(interesting(before.get(n)) for n in self.assigned_names(loop)):
            # nothing specific flows from one iteration into the next: one pass is exact enough
            if bind_target:
                bind_target()
            self._run_branch(body, frame)
            frame.env = join_envs(before, frame.env)
            return
        self.muted += 1
        try:
            if bind_target:
                bind_target()
            self._run_branch(body, frame)
        finally:
            self.muted -= 1
        frame.env = join_envs(before, frame.env)
        if bind_target:
            bind_target()
        self._run_branch(body, frame)
        frame.env = join_envs(before, frame.env)

    def assigned_names(self, loop) -> frozenset:
        names = self._assigned.get(id(loop))
        if names is None:
            names = frozenset(assigned_in(loop.body.body))
            self._assigned[id(loop)] = names
        return names

    def traced(self, stmt, run, frame=None) -> None:
        """Run a loop, recording the training-loop calls it makes, and emit a `loop` event."""
        if self.muted or "loop" not in self.handlers:
            run()
            return
        trace = LoopTrace(stmt)
        trace.frame = frame
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
            for capture in self.captures:
                capture[0].append(entry)

    def mark_opaque(self, reach: str = "model") -> None:
        """Something the trace cannot see happened in the loop: with `reach` "model" it may have
        touched the model or the optimizer (stepped, cleared, switched modes); with "tensor" it
        received only gradient-carrying tensors (it may have backpropagated one)."""
        for capture in self.captures:
            capture[1].add(reach)
        for trace in self.loops:
            trace.opaque = True
            if reach == "model":
                trace.hidden = True
            else:
                trace.unseen_loss = True

    def note_unknown_given(self, call, func) -> None:
        """Code not followed received a name bound before a loop to a value the analysis does
        not know (`compute_loss(model, batch)` with `model` a parameter nobody judged): for that
        loop it may be the model or the optimizer, stepped or cleared out of sight. In a function
        the loop calls, only a function not followed counts (calling an unknown object with a
        tensor is a forward pass)."""
        if self.muted or (isinstance(func, Ref) and func.qualname.split(".")[0] in _LIBRARIES):
            return
        traces = [trace for trace in self.loops
                  if not trace.unknown_given and (call.frame is trace.frame or isinstance(func, Ref))]
        if not traces:
            return  # (no loop left to tell: the names need not be looked up)
        names = [n.value for n in (*call.arg_nodes, *call.kwarg_nodes.values())
                 if isinstance(n, cst.Name) and isinstance(call.frame.lookup(n.value), Unknown)]
        if not names:
            return
        for trace in traces:
            local = self.loop_names(trace.node)
            if any(name not in local for name in names):
                trace.unknown_given = True

    def loop_names(self, loop) -> frozenset:
        """The names a loop binds: in its body, and its `for` target."""
        key = ("loop", id(loop))
        names = self._assigned.get(key)
        if names is None:
            target = loop.target if isinstance(loop, cst.For) else None
            bound = {t.value for t in ((target,) if target else ()) + tuple(descendants(target) if target else ())
                     if isinstance(t, cst.Name)}
            names = self._assigned[key] = self.assigned_names(loop) | bound
        return names

    def exec_for(self, stmt: cst.For, frame: Frame) -> None:
        self.traced(stmt, lambda: self._exec_for(stmt, frame), frame)

    def _exec_for(self, stmt: cst.For, frame: Frame) -> None:
        it = self.eval(stmt.iter, frame)
        items = self.iter_items(it)
        body = stmt.body.body
        n = self.pass_count(stmt, frame) if items is None or len(items) > MAX_UNROLL else None
        if n is not None:
            self.counted.append((stmt, n, {}))
            try:
                self._run_for(stmt, frame, it, items, body)
            finally:
                _, _, writes = self.counted.pop()
            for name, draws in writes.items():
                self.written_draws(frame, name, draws, n)
        else:
            self._run_for(stmt, frame, it, items, body)
        if stmt.orelse is not None:
            self._run_branch(stmt.orelse.body.body, frame)

    def pass_count(self, stmt: cst.For, frame: Frame) -> int | None:
        """How many passes `for i in range(n)` surely makes (n a known number, at least 1, and a
        body with no way out of a pass: no break, continue, return, raise or yield), else None."""
        it = stmt.iter
        if not (isinstance(stmt.target, cst.Name) and isinstance(it, cst.Call) and isinstance(it.func, cst.Name)
                and it.func.value == "range" and 1 <= len(it.args) <= 2 and all(a.keyword is None and not a.star for a in it.args)):
            return None
        if not _builtin(self.eval(it.func, frame), "range"):
            return None
        nums = [self.plain_count(a.value, frame) for a in it.args]
        if None in nums or (len(nums) == 2 and nums[0] != 0) or nums[-1] < 1:
            return None
        exits = (cst.Break, cst.Continue, cst.Return, cst.Raise, cst.Yield, cst.Await)
        if any(isinstance(node, exits) for node in descendants(stmt.body, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))):
            return None
        if stmt.target.value in assigned_in(stmt.body.body):
            return None  # the body moves its own index: the rows it writes may repeat
        return nums[-1]

    def plain_count(self, expr, frame: Frame) -> int | None:
        """The known int an expression without side effects gives: a number, a name, `len(name)` of
        an array of known length. Others are not evaluated a second time: None."""
        if isinstance(expr, (cst.Name, cst.Integer)):
            v = self.eval(expr, frame)
            return v.value if isinstance(v, Const) and type(v.value) is int else None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "len" and \
                len(expr.args) == 1 and isinstance(expr.args[0].value, cst.Name) and expr.args[0].keyword is None and \
                not expr.args[0].star and _builtin(self.eval(expr.func, frame), "len"):
            arr = self.eval(expr.args[0].value, frame)
            d = arr.dim(0) if isinstance(arr, Tensor) and arr.rank else None
            return d if type(d) is int else None
        return None

    def note_element_write(self, stmt, target: cst.Subscript, value, frame: Frame) -> None:
        """`y[i] = v` run directly in the body of the innermost counted loop over `i`, with `v`
        independent draws made in that pass (`vec = np.random.rand(30) * 2 - 1; y[i] = vec[1]`):
        noted for `written_draws`, once the loop has run. The array must be written there alone."""
        if not self.counted:
            return
        loop, _, writes = self.counted[-1]
        name = target.value.value if isinstance(target.value, cst.Name) else None
        index = target.slice[0].slice if len(target.slice) == 1 else None
        if name is None:
            return
        direct = isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and any(
            stmt is small for line in loop.body.body if isinstance(line, cst.SimpleStatementLine) for small in line.body)
        if not direct or not isinstance(index, cst.Index) or not isinstance(index.value, cst.Name) or \
                index.value.value != loop.target.value:
            writes[name] = None  # any other write: nothing is known of what the array holds
            return
        size = numel(value.shape) if isinstance(value, Tensor) else None
        fresh = isinstance(value, Tensor) and value.draws is not None and value.origin is not None and \
            any(node is value.origin for node in descendants(loop.body))
        if not fresh or size is None or writes.get(name, (value.draws, size)) != (value.draws, size):
            writes[name] = None
            return
        count = sum(1 for node in descendants(loop.body) if isinstance(node, (cst.SimpleStatementLine, cst.For, cst.With))
                    and name in _bound_here(node))
        writes[name] = (value.draws, size) if count == 1 else None

    def written_draws(self, frame: Frame, name: str, draws, n: int) -> None:
        """After a counted loop of n passes wrote one fresh draw (or row of draws) into `name` per
        pass at distinct rows: the array holds n such draws, and so values near both ends."""
        arr = frame.env.get(name)
        if draws is None or not isinstance(arr, Tensor):
            return
        (lo, hi, source), per = draws
        span = uniform_span(lo, hi, (n * per,), f"{source}, written one row per pass of a loop")
        # every number of the array written so: it is all draws from the interval (its parts too)
        whole = numel(arr.shape) == n * per
        self.rebind(frame, name, arr.with_(span=span, draws=(lo, hi, source) if whole else None))

    def _run_for(self, stmt, frame, it, items, body) -> None:
        if items is not None and len(items) <= MAX_UNROLL:
            alias = stmt.target.value if type(stmt.target) is cst.Name else None
            saved = self.loop_aliases.get(alias)
            try:
                for item in items:
                    self.assign(stmt.target, item, frame, stmt)
                    source = self._bound_as(frame, item)
                    if source is not None:
                        self.loop_aliases[alias] = (source, item, frame)
                    else:
                        self.loop_aliases.pop(alias, None)
                    if self._run_branch(body, frame):
                        break
            finally:
                if saved is None:
                    self.loop_aliases.pop(alias, None)
                else:
                    self.loop_aliases[alias] = saved
        else:
            element = self.iter_element(it)
            source = batches_of(it)
            if source is not None:
                self.batch_sources.append(source)
            try:
                self.exec_loop_body(body, frame, lambda: self.assign(stmt.target, element, frame, stmt), stmt)
            finally:
                if source is not None:
                    self.batch_sources.pop()

    def _bound_as(self, frame: Frame, item) -> str | None:
        """The name that holds `item` itself, a tensor listed by name (`for p in [W, b]`): the
        loop variable is then that tensor under a second name, and a change made in place
        through it (`p.requires_grad = True`) is a change of the named tensor too."""
        name = item.name if isinstance(item, Tensor) else None
        return name if name is not None and self._lookup(frame, name) is item else None

    def exec_while(self, stmt: cst.While, frame: Frame) -> None:
        self.traced(stmt, lambda: self._exec_while(stmt, frame), frame)

    def _exec_while(self, stmt: cst.While, frame: Frame) -> None:
        self.eval(stmt.test, frame)
        self.exec_loop_body(stmt.body.body, frame, None, stmt)
        if stmt.orelse is not None:
            self._run_branch(stmt.orelse.body.body, frame)







def batches_of(it):
    """The dataset a `for` loop takes batches from (a loader, or enumerate of one)."""
    if isinstance(it, EnumerateV):
        it = it.inner
    return it if isinstance(it, Dataset) and it.batched else None



class LoopTrace:
    """What one loop did: the method calls on tensors, optimizers and models, the augmented
    assignments, in order, including those made inside the functions it called. `opaque`
    when something that may train (an optimizer, a model, a loss) went into code the
    interpreter did not follow."""

    __slots__ = ("node", "calls", "augassigns", "opaque", "hidden", "unseen_loss", "unknown_given", "frame", "inner")

    def __init__(self, node):
        self.node = node
        self.calls: list = []
        self.augassigns: list = []
        self.opaque = False  # something unseen happened (see mark_opaque)
        self.hidden = False  # ... and it may have reached the model or the optimizer
        self.unseen_loss = False  # a gradient-carrying tensor went into code not followed (a loss)
        self.unknown_given = False  # a name bound before the loop to an unknown value went into such code
        self.frame = None  # the frame the loop runs in
        self.inner: list = []

    def absorb(self, inner: "LoopTrace") -> None:
        self.inner.append(inner)
        self.opaque = self.opaque or inner.opaque
        self.hidden = self.hidden or inner.hidden
        self.unseen_loss = self.unseen_loss or inner.unseen_loss

    def methods(self, name: str) -> list:
        return [c for c in self.calls if c[1] == name]


def _bound_here(node) -> set:
    """The names a statement line binds or writes into itself (`y[i] = v` writes `y`), or a `for`
    or `with` statement binds in its header."""
    if isinstance(node, cst.SimpleStatementLine):
        return assigned_in([node])
    return assigned_in([node.with_changes(body=cst.IndentedBlock(body=[]), orelse=None)
                        if isinstance(node, cst.For) else node.with_changes(body=cst.IndentedBlock(body=[]))])


def _builtin(value, name: str) -> bool:
    """The value is Python's own builtin `name` (not a name the program rebound)."""
    return isinstance(value, Ref) and value.qualname == "builtins." + name
