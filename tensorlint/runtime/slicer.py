"""Cut a user's file down to what builds its models and their inputs.

The result is a list of units the driver replays in order, each carrying the original line
numbers of its statement, so that every traceback points into the user's file:

- ``exec``: a statement replayed as it is (imports, definitions, the assignments the models and
  their inputs depend on, loops that only compute values);
- ``call``: a call that may be a model's forward pass, a loss on a model's output, or a Keras
  ``fit``/``predict``/``evaluate`` (the driver decides from the runtime value);
- ``loop``: a training loop, never iterated: the driver binds its target to the first item of
  the iterable, replays the assignments that lead to the calls inside it, then the calls.

``if __name__ == "__main__":`` bodies are replayed like module code, and a call of one of the file's
functions that builds or runs a model (``main()``, ``train(model, loader)``) is replayed as that
function's body. What is left out: print/backward/step/fit statements, statements nothing needs,
and everything after the last call of a loop body.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .child.tf1 import uses_tf1
from .ctor_sizes import class_sizes
from .file_flow import FOLDERS, WRITES_FILES, FileFlow
from .kept import Replayed, named_and_looked_up, sets_interpreter_state, string_literals
from .follow import Follow, names_bound_in_functions, self_tests
from .method_forwards import method_forwards
from .uncalled import factories, sized_factories
from .sinks import differentiated_names, summed_names
from .statement_units import StatementUnits
from .callbacks import globals_changed_by_definitions, handed_on
from .units import Expr, Unit, has_calls
from .syntax import (
    Bindings, dotted_name, ends_pass, loops_in, small_statements, callee_name, called_names, free_names,
    frameworks_of, globals_read_by_definitions, names_read, root_name, target_names,
)
from .callnames import OUTPUT_CALLS, SIDE_EFFECT_CALLS


@dataclass
class Slice:
    units: list[Unit]
    frameworks: list[str]  # "torch", "tensorflow"
    kept_lines: list[int]
    error: str | None = None  # the file could not be parsed
    tf1: bool = False  # the program builds a TF1 graph (placeholders, sessions, tf.layers)
    # functions the file never calls that make their model and input themselves, run because the
    # file calls no model otherwise (follow.self_tests): [{"name", "line"}]
    self_tests: list = field(default_factory=list)
    # a file that calls no model and has no self-test (a library of models): its definitions are
    # made with their defaults (child/library.py), and these functions that return a model too
    library: bool = False
    factories: list = field(default_factory=list)
    # factories whose parameters without a default are sizes of their declared input: {name: {param: count}}
    factory_sizes: dict = field(default_factory=dict)
    # model classes whose constructor parameters without a default are all sizes: {name: [param]}
    class_sizes: dict = field(default_factory=dict)
    # uncalled functions of a library file run on made-up arguments to reach a line whose static
    # finding raises whatever the values (probes.py); set from the static findings, not by the slicer
    probes: list = field(default_factory=list)
    # classes of a library file that another module of its project builds with values its text
    # fixes (project_calls.py): {name: {"args", "kwargs", "where"}}; set from the project, not by the slicer
    project_ctors: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    def call_count(self) -> int:
        def count(units):
            return sum(1 if u.kind == "call" else count(u.body) for u in units)
        return count(self.units)


class _Slicer(StatementUnits, Follow):
    def __init__(self, text: str, wrapper: MetadataWrapper) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.module = wrapper.module
        self.pos = wrapper.resolve(PositionProvider)
        b = Bindings()
        self.module.visit(b)
        # a call of a name bound by assignment may be a model, one of a function may be a loss;
        # a class or an imported name is neither
        self.callable_values = b.assigned | b.functions | names_bound_in_functions(self.module)
        self.classes = b.defined - b.functions - set(b.modules)
        self.modules = b.modules  # local name -> module it was imported as (`import numpy as np`)
        # name -> its module-level definitions, in order: a name defined twice calls the definition
        # in effect where the call is made (a notebook that redefines `eval_model` later)
        self.function_defs: dict[str, list[cst.FunctionDef]] = {}
        for s in self.module.body:
            if isinstance(s, cst.FunctionDef):
                self.function_defs.setdefault(s.name.value, []).append(s)
        self.at_line = 0  # line of the module-level statement being flattened
        # class -> its methods, for `obj.method(...)` on `obj = Class(...)` (see Follow.inline)
        self.methods = {c.name.value: {f.name.value: f for f in c.body.body if isinstance(f, cst.FunctionDef)}
                        for c in self.module.body if isinstance(c, cst.ClassDef) and isinstance(c.body, cst.IndentedBlock)}
        self.receivers: set[str] = set()  # `self` of the methods being followed
        self.instances: dict[str, str] = {}  # name -> the class of the file it was last bound to an instance of
        self.inlining: set[str] = set()
        self.looping: set[int] = set()  # ids of the loops being sliced, outermost first
        # names bound to a GradientTape, and the statements under a `with` of one
        self.tapes = {n for s in small_statements(self.module) if isinstance(s, cst.Assign)
                      and isinstance(s.value, cst.Call) and dotted_name(s.value.func).endswith("GradientTape")
                      for t in s.targets for n in target_names(t.target)[0]}
        self.uses_tape = "GradientTape" in text
        self.tf1 = uses_tf1(text)
        self.strings = string_literals(self.module) if self.tf1 else None  # the names a TF1 graph's nodes are found by
        # in a TF1 graph, `optimizer.minimize(loss)` builds the training op the session runs
        self.side_effects = SIDE_EFFECT_CALLS - {"minimize"} if self.tf1 else SIDE_EFFECT_CALLS
        self.under_tape: set[int] = set()
        self.differentiated = differentiated_names(self.module)  # names whose values get a gradient
        self.summed = summed_names(self.module, self.differentiated)  # of those, the terms of a sum
        self.lifted: dict[int, list[Unit]] = {}  # id of a statement's unit -> the calls in it run first
        self.globals_read = globals_read_by_definitions(self.module)
        self.global_effects = globals_changed_by_definitions(self.module)  # function -> the module's names it changes
        self.method_forwards = method_forwards(self.module)  # class -> the methods the program runs it by
        self.files = FileFlow(self.module)  # files it writes and reads back (file_flow.py)

    # source text of a node, from its first to its last character, dedented to column 0
    def source(self, node: cst.CSTNode, start: tuple[int, int] | None = None) -> tuple[int, int, str]:
        rng = self.pos[node]
        sl, sc = start or (rng.start.line, rng.start.column)
        el, ec = rng.end.line, rng.end.column
        chunk = self.lines[sl - 1 : el]
        if not chunk:
            return sl, el, ""
        chunk = list(chunk)
        chunk[-1] = chunk[-1][:ec] if sl != el else chunk[-1][:ec]
        indent = chunk[0][:sc]
        chunk[0] = chunk[0][sc:]
        if indent.strip() == "":
            chunk[1:] = [ln[len(indent):] if ln.startswith(indent) else ln for ln in chunk[1:]]
        return sl, el, "".join(chunk).rstrip("\n")

    def expr(self, node: cst.BaseExpression) -> Expr:
        line, _, code = self.source(node)
        return Expr(line=line, code=code, names=names_read(node))

    def stmt_start(self, node: cst.CSTNode) -> tuple[int, int]:
        rng = self.pos[node]
        start = (rng.start.line, rng.start.column)
        for dec in getattr(node, "decorators", ()) or ():
            dpos = self.pos[dec].start
            start = min(start, (dpos.line, dpos.column))
        return start

    # -- blocks: flatten, then keep what is needed, from the last statement back ----------------

    def block(self, body, needed: set[str], in_loop: bool, after: frozenset = frozenset()) -> list[Unit]:
        stmts = self.flatten(body)
        kept: list[Unit] = []
        seen_call = False
        for stmt in reversed(stmts):
            if in_loop and seen_call and ends_pass(stmt):  # the replay's pass stops where the program's would
                test = self.expr(stmt.test)
                kept.append(Unit("skip", test.line, test.line, self.lines[test.line - 1].strip(), binding_iter=test))
                needed.update(self.at_call_time(test.names))
                continue
            unit, uses, binds, modifies, always = self.classify(stmt, in_loop, needed)
            if unit is None:
                continue
            uses = [*uses, *sorted(self.files.read(stmt))]  # the files it reads: their writes are needed
            lifted = self.lifted.pop(id(unit), [])
            unit.uses, unit.modifies = list(uses), [m for m in modifies if m not in unit.binds]
            if isinstance(stmt, cst.BaseSmallStatement):
                unit.hands_on = handed_on(stmt, self.global_effects)
            handed = set(unit.hands_on)
            if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
                receiver = root_name(stmt.value.func)
                unit.arguments = [m for m in unit.modifies if m != receiver]
            if unit.kind in ("call", "loop") or lifted:
                seen_call = True
                keep = True
            elif unit.kind == "omit":
                # left out, but what it changes is read later: the replay marks it partly made
                unit.modifies = [m for m in modifies if m in needed]
                keep = bool(unit.modifies or handed & needed) and not (in_loop and not seen_call)
            elif in_loop and not seen_call:  # after the last call of a loop body: needed only by what follows
                keep = bool((set(binds) | set(modifies) | handed) & (after | needed))  # the loop: `rewards.append(r)`
            else:
                keep = always or bool(set(binds) & needed) or bool((set(modifies) | handed) & needed)
            if not keep:
                continue
            kept.append(unit)
            if unit.kind != "loop" and not modifies:
                needed.difference_update(binds)
            needed.update(self.at_call_time(uses))
            for pre in reversed(lifted):  # the calls inside it, run before it
                kept.append(pre)
                needed.update(self.at_call_time(pre.uses))
        kept.reverse()
        return kept

    def builds_graph(self, call) -> bool:
        """`actor.add_grad_to_graph(critic.a_grads)` in a TF1 program: a method of a class of the
        file, called on a name, that adds to the graph (it calls no session or `.run`, which would
        be a training step): the graph the program trains includes what it makes."""
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name)):
            return False
        method = call.func.attr.value
        defs = [m[method] for m in self.methods.values() if method in m]
        return len(defs) == 1 and not ({"run", "Session", "InteractiveSession", "eval"} & called_names(defs[0].body))

    def at_call_time(self, uses) -> set[str]:
        """The names a statement reads, with the module's globals that the functions and classes it
        names read when they run: `actor = Actor(sess)` reads `S`, bound after `class Actor` and
        before this line, which the class's own statement (earlier in the file) cannot ask for."""
        out = set(uses)
        for name in uses:
            out |= self.globals_read.get(name, set())
        return out

    def classify(self, stmt: cst.CSTNode, in_loop: bool, needed: set[str]):
        """(unit, names it reads, names it binds, names it modifies, kept whatever is needed)."""
        if isinstance(stmt, Replayed):
            unit = Unit(stmt.kind, stmt.line, stmt.line, stmt.code, binds=list(stmt.binds), display=stmt.display,
                        keeps=list(stmt.keeps))
            return unit, list(stmt.uses), list(stmt.binds), [], stmt.always
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            start = self.stmt_start(stmt)
            line, end, code = self.source(stmt, start)
            name = stmt.name.value
            return Unit("exec", line, end, code, binds=[name]), free_names(stmt), [name], [], not in_loop
        if isinstance(stmt, (cst.For, cst.While)):
            return self.loop(stmt, frozenset(needed))
        if isinstance(stmt, cst.If):
            effects = self.effects(stmt) - OUTPUT_CALLS  # one that only prints besides what it binds is replayed
            written = self.files.written(stmt) if effects else set()  # `if acc > best: torch.save(...)`, read later
            if effects and not (written and effects <= WRITES_FILES):
                return self.omitted(stmt)
            line, end, code = self.source(stmt)
            b = Bindings()
            stmt.visit(b)
            binds = sorted(b.assigned | b.defined)
            unit = Unit("exec", line, end, code, binds=binds, writes_files=bool(written))
            # what it changes in place counts too: `if args.dataset == "voc": args.classes = 21`
            return unit, [*names_read(stmt), *[FOLDERS] * bool(written)], [], sorted(set(binds) | self.changed_in(stmt) | written), False
        if isinstance(stmt, cst.BaseSmallStatement):
            unit = self.small(stmt)
            if unit is None:
                return None, [], [], [], False
            if unit.kind == "call":
                uses = list(unit.call.func.names)
                for e in [*unit.call.args, *unit.call.kwargs.values()]:
                    uses += e.names
                return unit, uses, unit.binds, [], True
            always = isinstance(stmt, (cst.Import, cst.ImportFrom)) and not in_loop
            if not in_loop and isinstance(stmt, (cst.Assign, cst.AnnAssign)) and self.builds_model(stmt.value):
                always = True  # a model nothing calls is still checked, with an input from its first layer
            bound, modified = self.bound_by(stmt)
            if not in_loop and (sets_interpreter_state(stmt, self.modules) or (self.tf1 and named_and_looked_up(stmt, self.strings))):
                always = True
            if isinstance(stmt, cst.Expr):
                name = callee_name(stmt.value)
                if self.tf1 and name == "run" and isinstance(stmt.value, cst.Call) and not stmt.value.args:
                    # `tf.global_variables_initializer().run()`: an op run in the default session
                    # (an initializer, an assignment) that the graph's later steps need
                    return unit, names_read(stmt), bound, modified, True
                if name in self.side_effects and (written := self.files.written(stmt)):
                    unit.writes_files = True  # kept where a kept statement reads what it writes
                    return unit, [*names_read(stmt), *[FOLDERS] * (FOLDERS not in written)], [], sorted(written), False
                if name in self.side_effects:
                    return self.calls_inside_effect(stmt)
                if name and name.endswith("seed"):
                    always = True
                if self.tf1 and not in_loop and self.builds_graph(stmt.value):
                    always = True
            return unit, names_read(stmt), bound, modified, always
        return None, [], [], [], False

    def loop(self, stmt: cst.For | cst.While, after: frozenset = frozenset()):
        if id(stmt) in self.looping:
            # met again while its own body is being sliced: a recursive function's loop that calls
            # the function (`for c in m.children(): ... walk(c)`), followed once, not forever
            line, end = self.pos[stmt].start.line, self.pos[stmt].end.line
            unit = Unit("omit", line, end, self.lines[line - 1].strip(),
                        display="it calls the function it belongs to again")
            return unit, [], [], sorted(self.changed_in(stmt)), False
        self.looping.add(id(stmt))
        try:
            return self._loop(stmt, after)
        finally:
            self.looping.discard(id(stmt))

    def _loop(self, stmt: cst.For | cst.While, after: frozenset):
        if not self.has_call_site(stmt):
            # a loop that only computes values is setup code: replay it whole; one that trains,
            # prints or writes is left out
            if self.effects(stmt):
                return self.omitted(stmt)
            line, end, code = self.source(stmt)
            changed = self.changed_by(stmt)
            targets = {n for loop in [stmt, *loops_in(stmt)] if isinstance(loop, cst.For)
                       for n in target_names(loop.target)[0]}
            uses = [n for n in names_read(stmt) if n not in targets]
            # kept only when it computes something a kept statement reads: `while True: pass`,
            # a loop that writes files or starts processes, builds nothing the model needs
            return Unit("exec", line, end, code, binds=changed), uses, [], changed, False
        inner: set[str] = set()
        body = self.block(stmt.body.body, inner, in_loop=True, after=after)
        line = self.pos[stmt].start.line
        header = self.lines[line - 1].strip()
        unit = Unit("loop", line, self.pos[stmt].end.line, header, body=body)
        uses = set(inner)
        if isinstance(stmt, cst.For):
            unit.binding = self.source(stmt.target)[2]
            unit.binds = target_names(stmt.target)[0]
            unit.binding_iter = self.expr(stmt.iter)
            uses -= set(target_names(stmt.target)[0])
            uses |= set(unit.binding_iter.names)
        # what the loop would build over its iterations (lists it appends to...) is only partly
        # made by the one pass the driver replays
        return unit, sorted(uses), [], self.changed_by(stmt), True


def slice_source(text: str, _self_test: bool = False) -> Slice:
    """Slice `text`. A syntax error gives an empty slice with `error` set."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as err:
        return Slice([], [], [], error=f"line {err.raw_line}: {err.message.strip().splitlines()[0]}")
    except RecursionError:
        return Slice([], [], [], error="the file is nested too deeply to parse")
    wrapper = MetadataWrapper(module)
    slicer = _Slicer(text, wrapper)
    try:
        units = slicer.block(wrapper.module.body, set(), in_loop=False)
    except RecursionError:
        return Slice([], [], [], error="the file's statements are nested too deeply to follow")
    if not has_calls(units) and not _self_test:
        tests = self_tests(wrapper.module, slicer)
        if tests:
            # the file calls no model (a library of models): run its self-tests as if called after
            # its last line, as a user would run them
            ran = slice_source(text + ("" if text.endswith("\n") or not text else "\n")
                               + "".join(f"{t.name.value}()\n" for t in tests), _self_test=True)
            if ran.error is None and ran.call_count():
                last = len(text.splitlines())
                ran.kept_lines = [ln for ln in ran.kept_lines if ln <= last]
                ran.self_tests = [{"name": t.name.value, "line": slicer.pos[t].start.line} for t in tests]
                return ran

    lines: set[int] = set()

    def mark(us):
        for u in us:
            if u.kind == "loop":
                lines.add(u.line)
                mark(u.body)
            elif u.kind != "omit":
                lines.update(range(u.line, u.end_line + 1))

    mark(units)
    library = not has_calls(units) and not _self_test
    return Slice(units, frameworks_of(wrapper.module), sorted(lines), tf1=slicer.tf1, library=library,
                 factories=factories(wrapper.module) if library else [],
                 factory_sizes=sized_factories(wrapper.module) if library else {},
                 class_sizes=class_sizes(wrapper.module) if library else {})
