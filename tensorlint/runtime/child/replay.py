"""Replaying the sliced statements: exec and loop units, and the call units' dispatch through
call_units.py (events and setup: setup.py)."""
from __future__ import annotations

import builtins
import os
import traceback
import types

from .batch_axis import watching
from .blame import EMPTY_LOOP, blame
from .call_units import CallUnits
from .collect import collect_more
from .common import FOLDER_COPY, Scope
from .setup import Setup
from .standins import TOUCHED
from .stubs import STATE as STUBS, module_of, stub_in


class Replay(Setup, CallUnits):
    # -- replay ----------------------------------------------------------------------------------

    def compile_at(self, code: str, line: int, mode: str):
        if mode == "eval":
            code = "(" + code + "\n)"
        return compile("\n" * (line - 1) + code, self.path, mode, dont_inherit=True)

    def eval_expr(self, expr: dict, ns: dict):
        return eval(self.compile_at(expr["code"], expr["line"], "eval"), ns)

    def run_units(self, units: list, scope: "Scope") -> None:
        for unit in units:
            if self.stopped:
                return
            kind = unit["kind"]
            if unit.get("writes_files") and not os.environ.get(FOLDER_COPY):
                kind = "omit"  # no private copy of the program's folder to write in: left out, as any write
            if kind == "exec":
                self.run_exec(unit, scope)
            elif kind == "call":
                self.run_call(unit, scope)
            elif kind == "loop":
                self.run_loop(unit, scope)
            elif kind == "skip" and self.pass_ends(unit, scope):
                return
            elif kind in ("save", "restore"):  # a followed function's names: the caller's put back after its body
                scope.keep_outer(unit["code"], unit.get("keeps") or []) if kind == "save" else scope.put_back(unit["code"])
            elif kind == "omit":  # left out for its side effects: what it would have changed is partly made
                why = {"line": unit["line"], "reason": f"is only partly made: line {unit['line']}, which changes it, "
                       f"was not replayed ({unit.get('display') or 'it has side effects'})"}
                for name in unit.get("modifies") or []:
                    if name not in scope.failed and name.isidentifier() and self.holds_data(name, scope):
                        scope.synthetic[name] = why  # (a file not written: its read says so)
            if kind in ("exec", "call", "omit"):
                self.mark_handed_on(unit, scope)

    def watched_outputs(self, uses, scope: "Scope") -> list[tuple[dict, object]]:
        """The torch and TensorFlow outputs of forward passes on the program's own input that this
        statement reads (batch_axis.py watches what it does with them)."""
        kinds = tuple(m.Tensor for m in (self.torch, self.tf) if m is not None)
        out = []
        for name in uses if kinds else ():
            record, value = scope.outputs.get(name), scope.ns.get(name)
            if record is not None and name not in scope.synthetic and isinstance(value, kinds):
                out.append((record, value))
        return out

    def guarded(self, line: int, what: str, fn, scope: "Scope | None" = None, uses=(), excused=None):
        """Run fn(); a failure becomes a setup_error event, blamed on the program or on the check
        (see blame.py). Returns the failure's record, or None when fn() ran."""
        touched, stub_touches = TOUCHED[0], STUBS["touches"]
        try:
            fn()
            return None
        except SystemExit as exc:
            why, required = self.argparse_refusal(exc)
            self.emit("exit", line=line, code=str(exc.code), what=what, during="setup", why=why, required=required)
            self.stopped = True
            return {"line": line, "reason": f"is after sys.exit({exc.code})"}
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - anything the user's code raises
            tainted = self.tainted(uses, scope) if scope is not None else {}
            # data from a known loader has the real shapes, dtypes, counts and label ranges: an
            # error on it is the program's; only failed or partly made values excuse an error
            tainted = {k: v for k, v in tainted.items() if not v.get("loader")} or excused \
                or (self.read_at_call_time(exc, scope) if scope is not None else {})
            if tainted and collect_more(self, exc, line, tainted, scope, fn):
                return None
            if not tainted and TOUCHED[0] != touched:
                tainted = {"a stand-in": {"line": line, "reason": "is a stand-in that does nothing, which this line used"}}
            if not tainted and scope is not None:
                tainted = self.stub_taint(line, uses, scope, stub_touches)
            if not tainted and self.graph_broken is not None and self.graph_broken["graph"] == self.default_graph():
                # a TF1 graph is global state: after a line that could not run, it is incomplete
                tainted = {"the graph": self.graph_broken}
            who, why = blame(exc, self.path, tainted, meta=self.device == "meta")
            error = self.error_info(exc)
            root = next((t.get("root") for t in tainted.values() if t.get("root")), None)
            if root is None:
                root = {"line": line, "what": what, "error": f"{error['type']}: {error['summary']}", "why": why}
            self.emit("setup_error", line=line, what=what, error=error, blame=who, why=why, root=root)
            if self.tf1 is not None and who == "check" and not what.startswith(("import ", "from ")) \
                    and (self.graph_broken is None or self.graph_broken["graph"] != self.default_graph()):
                self.graph_broken = {"line": line, "reason": "could not be run, so the graph is incomplete", "root": root,
                                     "graph": self.default_graph()}
            return {"line": line, "reason": "could not be run" if who == "check" else "failed", "root": root, "blame": who}

    def mark_handed_on(self, unit: dict, scope: "Scope") -> None:
        """After a statement that hands a function of the program on (`observers=[save_frames]`):
        what that function changes is changed by code the check does not run, partly made from here."""
        for name, function in (unit.get("hands_on") or {}).items():
            if name not in scope.failed and self.holds_data(name, scope):
                scope.outputs.pop(name, None)
                scope.synthetic[name] = {"line": unit["line"], "reason": f"is only partly made: line {unit['line']} "
                                         f"hands on `{function}`, which changes it when code the check does not run calls it"}

    def read_at_call_time(self, exc: BaseException, scope: "Scope") -> dict:
        """The marks (failed, partly made, made up) of the module's globals that the program's own
        functions on the traceback read, as they are when the error is raised: `sample(32)` fails
        on a replay buffer that a loop not run through left empty."""
        names = []
        for frame, _ in traceback.walk_tb(exc.__traceback__):
            code = frame.f_code
            if code.co_filename == self.path and code.co_name != "<module>":
                names += [n for n in code.co_names if n in frame.f_globals]
        return {k: v for k, v in self.tainted(names, scope).items() if not v.get("loader")}

    def holds_data(self, name: str, scope: "Scope") -> bool:
        """Whether a statement that changes `name` can leave it partly made: not a library's module
        (`np.random.seed(0)` in a loop not run through leaves NumPy whole); a module of the
        program's own folder can be (`config.steps = n`)."""
        value = scope.ns.get(name)
        if not isinstance(value, types.ModuleType):
            return True
        where = getattr(value, "__file__", None) or ""
        return bool(where) and os.path.dirname(os.path.abspath(where)).startswith(os.path.dirname(os.path.abspath(self.path)))

    def argparse_refusal(self, exc: SystemExit) -> tuple[str | None, list]:
        """What argparse said when it exited (`the following arguments are required: data`), or
        None when the exit was not argparse's; and the parser's required arguments, each as
        {"flag" (None for a positional), "dest", "choices", "typed"}, for the check to choose
        values from what the program establishes (runtime/arguments.py)."""
        import argparse

        for frame, _ in traceback.walk_tb(exc.__traceback__):
            parser = frame.f_locals.get("self")
            if frame.f_code.co_name == "error" and isinstance(parser, argparse.ArgumentParser):
                message = frame.f_locals.get("message")
                required = []
                for action in getattr(parser, "_actions", []):
                    if not (action.required or (not action.option_strings and action.nargs is None)):
                        continue
                    choices = action.choices
                    required.append({
                        "flag": action.option_strings[-1] if action.option_strings else None, "dest": action.dest,
                        "choices": [c for c in choices if isinstance(c, str)] if choices is not None else None,
                        "typed": action.type not in (None, str) or action.nargs not in (None, 1) or action.const is not None,
                    })
                return (str(message) if message else None), required
        return None, []

    def default_graph(self) -> int | None:
        try:
            return id(self.tf.compat.v1.get_default_graph())
        except Exception:  # noqa: BLE001
            return None

    def stub_taint(self, line: int, uses, scope: "Scope", touches_before: int) -> dict:
        """{module: why} when the line used a value of a stub (stubs.py), else {}."""
        value = stub_in([scope.ns.get(n) for n in uses])
        if value is None and STUBS["touches"] == touches_before:
            return {}
        module = module_of(value) if value is not None else STUBS["module"]
        return {module: {"line": line, "reason": "cannot be imported by the check: a stub without values stood in for it, "
                         "which this line used", "stub": module}}

    def tainted(self, names, scope: "Scope") -> dict:
        """The names among `names` that hold nothing real: a failed statement's, or synthetic data."""
        out = {n: scope.failed[n] for n in names if n in scope.failed}
        for n in names:
            if n in scope.synthetic and n not in out:
                out[n] = scope.synthetic[n]
        return out

    def mark_failed(self, names, scope: "Scope", record: dict) -> None:
        for name in names:
            scope.outputs.pop(name, None)
            scope.failed[name] = record

    def run_exec(self, unit: dict, scope: "Scope") -> None:
        binds = unit.get("binds") or []
        if binds and all(name in self.overrides for name in binds):
            for name in binds:
                scope.ns[name] = self.make_input(self.overrides[name])
            return
        self.phase("replay", unit["line"])
        code = self.compile_or_report(unit)
        if code is None:
            return
        binds_only = set(binds) - reads_of(unit["code"], binds)
        # a name it binds without reading (`q = f(x)`) takes nothing from the value it held before
        uses = [n for n in unit.get("uses") or [] if n not in binds_only]
        synthesized_before, stub_touches = self.synthesized_count, STUBS["touches"]
        what = unit.get("display") or unit["code"].splitlines()[0]
        forwards, found = self.watched_outputs(uses, scope), []

        def run():
            if not forwards:
                return self.exec_reading_files(code, unit, scope)
            with watching(self.torch, self.tf, forwards, found):
                return self.exec_reading_files(code, unit, scope)
        # a write replayed for a later read (file_flow.py) that fails is the check's: it left out what the write needed
        excused = {"a file": {"line": unit["line"], "reason": "is written by a line replayed only for a later read"}} \
            if unit.get("writes_files") else None
        failure = self.guarded(unit["line"], what, run, scope, uses, excused)
        for seen in found[:1]:
            self.emit("batch_softmax", line=unit["line"], **seen)
        changed = binds + [n for n in unit.get("modifies") or [] if n not in binds]
        if failure is not None:
            # what it should have bound is not there: later statements fail on its absence
            # (and say why) instead of running on a stale value bound earlier
            for name in binds:
                scope.ns.pop(name, None)
            self.mark_failed(self.changed_by_failure(unit, changed, scope), scope, failure)
        else:
            if self.tf1 is not None and unit["code"].startswith(("import ", "from ")):
                self.rebind_tensorflow(binds, scope)
            tainted = self.tainted(uses, scope)
            for name in binds:
                scope.forget(name)
                if scope.top:
                    self.binders[name] = unit["line"]
            source = self.output_source([n for n in uses if n not in binds], scope, unit["code"])
            if source is not None:
                for name in binds:
                    scope.derived[name] = source
            failed = {k: v for k, v in tainted.items() if k in scope.failed}
            if failed:  # it ran, but on something a failed line left half-made
                self.mark_failed(self.changed_by_failure(unit, changed, scope), scope, next(iter(failed.values())))
            elif STUBS["touches"] != stub_touches or any(v.get("stub") for v in tainted.values()):
                # what it made may hold (or hide) a stub's values; a stub given a value does nothing to it
                module = next((v["stub"] for v in tainted.values() if v.get("stub")), None) or STUBS["module"]
                for name in [n for n in changed if n not in (unit.get("arguments") or [])]:
                    scope.synthetic[name] = {"line": unit["line"], "stub": module,
                                             "reason": f"holds a value of the stub for `{module}`, which the check cannot import"}
            elif self.synthesized_count != synthesized_before or tainted:
                note = self.synthetic_note(tainted)
                for name in changed:
                    if name in binds or self.holds_data(name, scope):
                        scope.synthetic[name] = note
        for name in binds:
            if name in self.overrides:
                scope.ns[name] = self.make_input(self.overrides[name])

    def changed_by_failure(self, unit: dict, changed: list, scope: "Scope") -> list:
        """What a statement that failed (or ran on half-made values) may have left half-made: not
        the arguments it passed to a call, nor a module whose function it called (`plt`)."""
        arguments = unit.get("arguments") or []
        return [n for n in changed if n not in arguments and not isinstance(scope.ns.get(n), types.ModuleType)]

    def output_source(self, names, scope: "Scope", code: str | None = None) -> int | None:
        """The forward record whose output is the only data among `names` (`pred = out.argmax(1)`):
        names of modules and functions aside, every name read holds that output or a value
        computed from it alone; else None. With `code`, an output read only for its shape
        (`torch.ones_like(out)`, `out.shape[0]`) does not count: such values are not computed from it."""
        sources = set()
        by_value = value_reads(code, names) if code is not None else set(names)
        for name in names:
            if name in scope.outputs or name in scope.derived:
                if name in by_value:
                    sources.add(scope.outputs[name]["id"] if name in scope.outputs else scope.derived[name])
            else:
                value = scope.ns.get(name, builtins_value(name))
                if not (isinstance(value, types.ModuleType) or (callable(value) and not hasattr(value, "shape"))):
                    return None
        return sources.pop() if len(sources) == 1 else None

    def synthetic_note(self, tainted: dict) -> dict:
        if tainted:
            return next(iter(tainted.values()))
        return {"line": self.last_synthetic.get("line"), "reason": "holds synthetic data", "note": self.last_synthetic,
                "loader": True}

    def compile_or_report(self, unit: dict):
        try:
            return self.compile_at(unit["code"], unit["line"], "exec")
        except SyntaxError as exc:
            self.emit("setup_error", line=unit["line"], what=unit["code"].splitlines()[0],
                      error={"type": "SyntaxError", "message": str(exc), "frames": [], "line": unit["line"]})
            return None

    def run_loop(self, unit: dict, scope: "Scope") -> None:
        inner = scope.child()
        failure = None
        if unit.get("binding_iter"):
            self.phase("loop", unit["line"])

            def bind():
                iterable = self.eval_expr(unit["binding_iter"], inner.ns)
                try:
                    item = next(iter(iterable))
                except StopIteration:
                    raise ValueError(EMPTY_LOOP) from None
                inner.ns["__tensorlint_item__"] = item
                exec(self.compile_at(unit["binding"] + " = __tensorlint_item__", unit["line"], "exec"), inner.ns)

            failure = self.guarded(unit["line"], unit["code"], bind, inner, unit["binding_iter"]["names"])
            if failure is not None:
                if self.stopped:
                    return
                self.mark_failed(unit.get("binds") or [], inner, failure)
            else:
                tainted = self.tainted(unit["binding_iter"]["names"], inner)
                for name in unit.get("binds") or []:
                    inner.forget(name)
                    if tainted:
                        if any(k in inner.failed for k in tainted):
                            inner.failed[name] = next(iter(tainted.values()))
                        else:
                            inner.synthetic[name] = next(iter(tainted.values()))
        self.run_units(unit["body"], inner)
        inner.close()
        # run on when a later line draws more than one pass stored (collect.py): with what its pass
        # left unmade, or made from made-up values, more passes would store nothing of the program's
        made_up = {n for n, v in inner.synthetic.items() if n not in scope.synthetic and not v.get("loader")}
        self.loops_run.append((unit, inner, (set(inner.failed) - set(scope.failed)) | made_up))
        partial = {"line": unit["line"], "reason": f"is only partly made: the loop at line {unit['line']} is not run through",
                   "loop": len(self.loops_run) - 1}
        if failure is not None and failure.get("root"):  # not even its first pass: say why
            partial = {"line": unit["line"], "root": failure["root"],
                       "reason": f"is not made: the loop at line {unit['line']} could not start"}
        for name in unit.get("modifies") or []:
            if name not in scope.failed and name not in (unit.get("binds") or []) and self.holds_data(name, scope):
                scope.synthetic[name] = partial
                # a name the loop binds first (`batch_xs` read after the inner loop of an epoch):
                # after one pass Python has it, as its pass left it; partly made, so an error on it
                # is not the program's
                if name not in scope.ns and name in inner.ns and name not in inner.failed:
                    scope.ns[name] = inner.ns[name]
        # what its body changes in place through a function it follows (`memory.append(t)` in
        # `play_one_step`), which the loop's own statement does not show: the caller's object is
        # partly made too, or not made where the pass failed on it
        own = set(unit.get("modifies") or []) | set(unit.get("binds") or [])
        for name in sorted(changed_in(unit["body"]) - own - set(scope.failed)):
            if name in scope.ns and inner.ns.get(name, scope) is scope.ns[name] and self.holds_data(name, scope):
                if name in inner.failed:
                    scope.failed[name] = inner.failed[name]
                    scope.outputs.pop(name, None)
                else:
                    scope.synthetic[name] = partial

    def pass_ends(self, unit: dict, scope: "Scope") -> bool:
        """`if not batch: continue` in the pass replayed: when its test holds there, the program's
        pass ends too, and the lines after it, run on what it skips, would blame it wrongly."""
        try:
            ends = bool(self.eval_expr(unit["binding_iter"], scope.ns))
        except Exception:  # noqa: BLE001 - a test the replay cannot evaluate: the pass goes on as before
            return False
        if ends:
            self.emit("note", message=f"line {unit['line']}: `{unit['code']}` holds in the pass the check ran: "
                      "the rest of that pass was not run, as the program does not run it")
        return ends


def builtins_value(name: str):
    return getattr(builtins, name, None)


SHAPE_ONLY = ("shape", "size", "dtype", "device", "ndim", "dim", "ndimension", "new_zeros", "new_ones", "new_full", "new_empty")


def changed_in(units: list) -> set[str]:
    """The names the units (and the units of their loops) change in place."""
    out = set()
    for unit in units:
        out |= set(unit.get("modifies") or []) - set(unit.get("arguments") or [])
        out |= changed_in(unit.get("body") or [])
    return out


def reads_of(code: str, names) -> set[str]:
    """The names among `names` that `code` reads: loaded anywhere (`x[i] = v`, `x = f(x)`), or the
    target of an augmented assignment (`x += 1`). Code that does not parse reads them all."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(names)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            out.add(node.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
            out.add(node.target.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out |= set(node.names) & set(names)
    return out


def value_reads(code: str, names) -> set[str]:
    """The names among `names` that `code` reads for their values, not only for their shape."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(names)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    out = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr in SHAPE_ONLY:
            continue
        if isinstance(parent, ast.Call) and node in parent.args:
            func = parent.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if called.endswith("_like") or called in ("len", "shape", "size"):
                continue
        out.add(node.id)
    return out
