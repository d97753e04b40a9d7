"""Loops: bodies run so that loop-carried values are joined, and the trace of what each
loop did (training steps) for the rules that read loops."""
from __future__ import annotations

import libcst as cst

from ..values import Dataset
from ..syntax import assigned_in
from .frame import Frame, MAX_UNROLL
from .helpers import interesting, join_envs


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

    def mark_opaque(self, reach: str = "model") -> None:
        """Something the trace cannot see happened in the loop: with `reach` "model" it may have
        touched the model or the optimizer (stepped, cleared, switched modes); with "tensor" it
        received only gradient-carrying tensors (it may have backpropagated one)."""
        for trace in self.loops:
            trace.opaque = True
            if reach == "model":
                trace.hidden = True
            else:
                trace.unseen_loss = True

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
            source = batches_of(it)
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







def batches_of(it):
    """The dataset a `for` loop takes batches from (a loader, or enumerate of one)."""
    from ..frameworks import EnumerateV

    if isinstance(it, EnumerateV):
        it = it.inner
    return it if isinstance(it, Dataset) and it.batched else None



class LoopTrace:
    """What one loop did: the method calls on tensors, optimizers and models, the augmented
    assignments, in order, including those made inside the functions it called. `opaque`
    when something that may train (an optimizer, a model, a loss) went into code the
    interpreter did not follow."""

    __slots__ = ("node", "calls", "augassigns", "opaque", "hidden", "unseen_loss", "inner")

    def __init__(self, node):
        self.node = node
        self.calls: list = []
        self.augassigns: list = []
        self.opaque = False  # something unseen happened (see mark_opaque)
        self.hidden = False  # ... and it may have reached the model or the optimizer
        self.unseen_loss = False  # a gradient-carrying tensor went into code not followed (a loss)
        self.inner: list = []

    def absorb(self, inner: "LoopTrace") -> None:
        self.inner.append(inner)
        self.opaque = self.opaque or inner.opaque
        self.hidden = self.hidden or inner.hidden
        self.unseen_loss = self.unseen_loss or inner.unseen_loss

    def methods(self, name: str) -> list:
        return [c for c in self.calls if c[1] == name]

