"""The abstract interpreter: one walk over a file that follows values and emits events.

It runs module-level code in order (flow-sensitive: a reassignment changes the value), joins
branches, runs the body of loops so that loop-carried values are joined before events are
emitted, steps into the file's own functions and methods with the values of each call, and
finally runs every function nobody called with unknown arguments, so that code inside
`main()` or `train()` is seen too. Framework knowledge comes from `tensorlint.frameworks`.
"""
from __future__ import annotations

import libcst as cst

from .. import events as ev
from ..values import UNKNOWN, ClassV, Func, Instance, MutableList
from .frame import Frame, ReturnSignal
from .dataclass_fields import generated_init, unknown_fields
from .flag_paths import describe, tied_flags
from .helpers import is_classmethod, is_static, param_names
from ..frameworks.keras.graph import refine_placeholders
from ..frameworks.keras.objectives import ImporterObjectives
from .calls import CallsMixin
from .expressions import EXPRESSION_HANDLERS, ExpressionsMixin
from .loops import LoopsMixin
from .modules import ModulesMixin
from .ranking import PHASE_CHUNKS, PHASE_EVENTS, PHASE_PROJECT, PHASE_UNCALLED, finding_rank, one_per_place
from .reporting import ReportingMixin, collected_values
from .roles import attrs_changed_later, lightning_step, role_values
from .statements import STATEMENT_HANDLERS, StatementsMixin


_ABSENT = object()
# what the program counts as it runs, which later code reads (`GradRead.backwards`): an
# incremental run adds what each chunk it skips counted, at its place
COUNTERS = ("backwards", "keras_built", "image_format_set")


class Interpreter(StatementsMixin, LoopsMixin, ExpressionsMixin, CallsMixin, ReportingMixin, ModulesMixin):
    """One analysis of one file: the state of the walk; the walk itself is in the mixins."""

    def __init__(self, chunks, text: str, path: str, config, rules, collect_values: bool = False, fed=None,
                 flag_answers=None):
        self.chunks = chunks
        self.flag_answers = flag_answers or {}  # flag key -> the answer every tied test of it takes (flag_paths)
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
        # id of FunctionDef nodes -> what their run with unknown arguments returned (what a caller
        # in another file gets, facts from the body only)
        self.uncalled_results: dict = {}
        self.loss_uses: dict = {}  # id(func node) -> "keras" | "torch"
        self.loss_marks: list = []  # (func node, kind, unit) in the order the program made them
        self.marks: dict = {}  # key -> [(item, unit)]: what rules noted while the program ran (`mark`)
        self._mark_views: dict = {}
        self.prototypes: dict = {}
        self._stack_ids: list = []
        self.call_path: list = []  # the call node that entered each running function, outermost first
        self.steps = 0
        self._assigned: dict = {}
        self.layer_bases: dict = {}  # id(class node) -> the library layer its instances hold (layer_bases)
        self.dict_stores: dict = {}  # file or project module path -> names dicts are stored into through (helpers.dict_read)
        self._memo: dict = {}
        # the value of each string literal CPython's parser reads (escapes, triple quotes, prefixes),
        # by its text: a function's strings are read again with every run of it
        self.strings: dict = {}
        # class node -> attrs_changed_later(node), for this analysis only: a cache across analyses
        # would keep other files' trees alive, which every full garbage collection walks again
        self._changed_later: dict = {}
        self.backwards = 0  # backward passes run so far (`.grad` is None on a leaf before the first)
        self.counts: dict = {}  # chunk index -> how much it advanced each of COUNTERS (`run`)
        self.captures: list = []  # ([recorded calls], {opaque reaches}) of memoized calls being run in a loop
        self.instance_calls: dict = {}  # id(call node) -> the user module instance it called
        self.unit = 0  # the chunk whose code (or whose function) is running: findings belong to it
        self.units: dict = {}  # finding key -> unit
        self.phase = PHASE_CHUNKS  # which part of `run` is running (`finding_rank`)
        self.phases: dict = {}  # finding key -> the phase that made it
        self.positions_failed = False
        self.no_grad = 0  # inside torch.no_grad() / inference_mode()
        self.no_grad_at = 0  # the call depth (len(call_path)) where the outermost no_grad began
        self.undecided_at = -1  # the call depth of the innermost `if` branch run on a test not decided
        self.tapes: tuple = ()  # GradientTape blocks being recorded
        self.image_format = None  # Keras' image data format where an `if` on it fixes it (frameworks.keras.data_format)
        self.keras_built = 0  # Keras layers and models built so far
        self.image_format_set = 0  # the format a module-level setter fixed (frameworks.keras.data_format.SET_CODES)
        self.loops: list = []  # traces of the loops being run (innermost last)
        self.batch_sources: list = []  # datasets whose batches the enclosing loops iterate
        self.uncalled = 0  # > 0 while functions run with unknown arguments (run_uncalled)
        self.call_envs: dict = {}  # id(function node) -> the module's names when it was last called
        self.callers: dict = {}  # id(function node) -> the units whose code called it while the chunks ran (call_envs)
        self.def_envs: dict = {}  # id(module-level function node) -> the module's names when it was defined
        self.star_modules: list = []  # modules imported with `*`
        # counted loops running (`for i in range(n)`, innermost last): (loop, n, {name: draws}) for the
        # element writes `y[i] = <fresh draw>` their bodies make (loops.py)
        self.counted: list = []
        self.open_loops = 0  # loops of unknown length whose body is running (lists grown there have no known length)
        self.loop_aliases = {}  # loop variable -> (name, tensor, frame) of the item it is in an unrolled pass
        self.placeholders: dict = _Noted(self)  # id(call node) -> a TF1 placeholder as declared
        # the chunks whose code (or functions) declared or fed TF1 placeholders: what is fed
        # anywhere refines the graph everywhere; what each declared and fed (`feed_records`,
        # chunk -> [record]) tells an incremental run whether that refinement still holds
        self.feed_units: set = set()
        self.feed_records: dict = {}
        self.feeds: dict = {}  # id(placeholder call node) -> the values fed to it
        self.fed: dict = fed or {}  # id(placeholder call node) -> the placeholder given what is fed to it
        # in an incremental run, what the chunks that do not run declare as their functions run
        # with unknown arguments, laid down before those of later chunks run (feed_records.Redeclared)
        self.redeclared = None
        self.refed = None  # in an incremental run, the refinement of a changed chunk's placeholders (feed_records.Carried)
        self.feeds_off = 0  # > 0 while a function the program called runs again with unknown arguments
        self._modules_init()

    # -- driver ---------------------------------------------------------------------------

    def run(self, skip=frozenset(), env=None, extra_functions=(), replay=None, record=None, same_event=None,
            counted=None):
        """Run the module's chunks in order, then every function with unknown arguments, then
        the per-function events. Each finding is attributed to a unit: the chunk whose
        statements (or whose functions) produced it, so that an incremental caller can keep
        the findings of chunks it does not run again (`skip`, with their names in `env`; at a
        skipped chunk's place, `replay[index]` binds what it bound when it last ran).
        `record`: (out, names per chunk): out[index] gets what each chunk that runs binds.
        `same_event(func, event)`: True for a function whose `function` event would find what it
        found in the last run (its findings are the caller's to keep). What the program counts
        as it runs (`COUNTERS`) each chunk that runs advances by what it counts, recorded in
        `self.counts[index]`; a skipped chunk by `counted[index]`, what it counted when it ran."""
        frame = Frame(0, self.module_env, None)
        if env:
            frame.env.update(env)
        self.root = frame
        self.phase = PHASE_CHUNKS
        for index, chunk in enumerate(self.chunks):
            if index in skip:
                if replay and index in replay:
                    frame.env.update(replay[index])
                if counted and index in counted:
                    for name, n in zip(COUNTERS, counted[index]):
                        setattr(self, name, getattr(self, name) + n)
                continue
            frame.chunk = self.unit = index
            before = dict(frame.env) if record is not None else None
            counts = [getattr(self, name) for name in COUNTERS]
            for stmt in chunk.module.body:
                try:
                    self.exec_stmt(stmt, frame)
                except ReturnSignal:
                    pass  # a module-level raise (or a stray return): go on with what follows
                except RecursionError:
                    pass  # a statement nested too deeply to follow: the others still count
            if record is not None:
                bound = {n: frame.env[n] for n in record[1][index] if n in frame.env}
                # and what it changed without binding it: a tensor changed in place is a new value
                # under the old name (`x.requires_grad_()`), a called function's `global` binds
                for n, v in frame.env.items():
                    if n not in bound and before.get(n, _ABSENT) is not v:
                        bound[n] = v
                record[0][index] = bound
                counts = tuple(getattr(self, name) - n for name, n in zip(COUNTERS, counts))
                if any(counts):
                    self.counts[index] = counts
        # every function once more with unknown arguments: code inside main() or train() that
        # nobody calls is seen too, and a function's findings do not depend on its callers
        final_env = frame.env
        self.phase = PHASE_UNCALLED
        at_end = [getattr(self, name) for name in COUNTERS]
        objectives = ImporterObjectives(self, final_env)  # run again as Keras runs them, for another file
        for func in list(self.functions):
            if isinstance(func.node, cst.Lambda):
                continue
            self.unit = func.chunk
            if self.redeclared is not None:
                self.redeclared(self, func.chunk)
            # as the module's code left them, whichever functions ran so before this one (an
            # incremental run runs only some of them again)
            for name, n in zip(COUNTERS, at_end):
                setattr(self, name, n)
            # a function the program calls reads the module's names as they were at its last
            # call, not values bound after every call of it; one it never calls may be called
            # at any point after its definition (a notebook's cell run again): a name bound
            # again since then may hold either value, so it is unknown
            env = self.call_envs.get(id(func.node))
            frame.env = env if env is not None else _since_definition(final_env, self.def_envs.get(id(func.node)))
            try:
                self.run_uncalled(func)
                objectives.run(func)
            finally:
                frame.env = final_env
        self.module_env = frame.env
        self.phase = PHASE_EVENTS
        if "function" in self.handlers:
            for func in list(self.functions) + list(extra_functions):
                # recomputed on every run (how the function is used elsewhere may change), except
                # where `same_event` says the last run's findings for it still hold
                event = self.function_event(func)
                if same_event is not None and same_event(func, event):
                    continue
                self.unit = ("events", func.chunk, id(func.node))
                self.emit("function", event)
        if "module" in self.handlers:
            self.unit = ("events", "module")  # recomputed on every run: it reads every chunk
            self.emit("module", ev.ModuleDone(self.chunks))
        if self.foreign_info:
            self.phase = PHASE_PROJECT
            self.unit = ("events", 0)
            self.finish_project()

    def note_feed_unit(self, record) -> None:
        """`record`: ("declare", id(call node), placeholder) or ("feed", id(placeholder node),
        value, whether it counts for the refinement, the declaration it was fed to), filed
        under the running chunk with the run's phase."""
        unit = self.unit
        unit = unit if isinstance(unit, int) else unit[1]
        self.feed_units.add(unit)
        self.feed_records.setdefault(unit, []).append((*record, self.phase))

    def run_uncalled(self, func: Func):
        """Run `func` with unknown arguments. Its `global` assignments stay local: such a run
        happens at no particular point of the program and must not change the module's names."""
        self.uncalled += 1
        called = id(func.node) in self.executed
        self.feeds_off += called
        try:
            self._run_uncalled(func)
        finally:
            self.uncalled -= 1
            self.feeds_off -= called

    def _run_uncalled(self, func: Func):
        self_value = None
        if func.owner is not None:
            self_value = self.prototype(func.owner)
            # (the class's methods are read only when `self` holds a list of known contents)
            if any(isinstance(v, MutableList) and v.exact for v in self_value.attrs.values()):
                changed = self._changed_later.get(func.owner.node)
                if changed is None:
                    changed = self._changed_later[func.owner.node] = attrs_changed_later(func.owner.node)
                for name in changed:
                    v = self_value.attrs.get(name)
                    if isinstance(v, MutableList) and v.exact:  # filled or emptied by another method
                        self_value.attrs[name] = MutableList(list(v.items), False, v.level, 0)
        params = param_names(func.node)
        args = []
        own = self_value is not None and params and not is_static(func.node)
        if own and is_classmethod(func.node):
            args.append(func.owner)  # `cls`: the class itself, no instance of it
            own = False
        elif own:
            args.append(self_value)
        # parameters (and attributes of `self`) whose use in the body says what they are: the
        # model, the optimizer, the loss of a training function whose caller is not in the file
        kwargs, attrs = role_values(self, func, self_value if own else None)
        saved = {a: self_value.attrs.get(a) for a in attrs}
        if attrs:
            self_value.attrs.update(attrs)
        try:
            result = self.call_function(func, args, kwargs, func.node, frame=self.root, unknown_rest=True)
            lightning_step(self, func, result)
            self.uncalled_results[id(func.node)] = result
        except RecursionError:
            pass
        finally:
            for a, old in saved.items():
                if old is None:
                    self_value.attrs.pop(a, None)
                else:
                    self_value.attrs[a] = old

    def prototype(self, cls: ClassV) -> Instance:
        inst = self.prototypes.get(id(cls))
        if inst is None:
            self.settle_bases(cls)
            inst = Instance(cls, {}, cls.node, None)
            self.prototypes[id(cls)] = inst
            init = cls.lookup("__init__")
            written = generated_init(cls) if cls.fields is not None or cls.bases else None
            if written is not None:
                unknown_fields(inst, written)
            elif isinstance(init, Func):
                self.muted += 1
                try:
                    self.call_function(init, [inst], {}, cls.node, frame=self.root, unknown_rest=True)
                finally:
                    self.muted -= 1
            inst.initialized = True
        return inst

    def mark(self, key, item) -> None:
        """A rule notes `item` under `key` while the program runs (a model call made with
        gradient), to read them all once the program is done (`marked`). Each note goes with the
        unit running, like a finding: an incremental run keeps the notes of the chunks it does
        not run again."""
        self.marks.setdefault(key, []).append((item, self.unit))

    def marked(self, key) -> list:
        """The items noted under `key`, by every unit, in the order noted (kept chunks' first)."""
        return [item for item, _ in self.marks.get(key, ())]

    def marked_map(self, key) -> dict:
        """The (k, v) pairs noted under `key` as a dict (a later note of k wins), made again
        only when notes were added since the last call."""
        noted = self.marks.get(key, ())
        view = self._mark_views.get(key)
        if view is None or view[0] != len(noted):
            view = self._mark_views[key] = (len(noted), dict(item for item, _ in noted))
        return view[1]

    def use_as_loss(self, node, kind: str, site=None) -> None:
        """The program uses the function `node` as a loss (remembered with the unit that says so)."""
        if not self.muted:
            self.loss_uses[id(node)] = kind
            self.loss_marks.append((node, kind, self.unit))
            if site is not None:
                self.used_from_project(node, site)

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
        params = param_names(func.node)
        if func.owner is not None and params and not is_static(func.node):
            params = params[1:]
        return ev.FunctionDef(func, func.node, owner_kind, self.loss_uses.get(id(func.node)), params)



STATEMENT_HANDLERS.update({
    cst.If: Interpreter.exec_if,
    cst.For: Interpreter.exec_for,
    cst.While: Interpreter.exec_while,
    cst.Try: Interpreter.exec_try,
    cst.With: Interpreter.exec_with,
    cst.FunctionDef: lambda self, s, f: self.exec_funcdef(s, f),
    cst.ClassDef: Interpreter.exec_classdef,
})
if hasattr(cst, "TryStar"):
    STATEMENT_HANDLERS[cst.TryStar] = Interpreter.exec_try

EXPRESSION_HANDLERS.update({
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
    cst.Dict: Interpreter.eval_dict,
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
})


def run(chunks, text, path, config, rules, collect_values=False):
    interp = Interpreter(chunks, text, path, config, rules, collect_values)
    interp.run()
    done = [interp]  # released once the result is read (what is fed may hold the first run's values)
    fed = refine_placeholders(interp.placeholders, interp.feeds)
    if fed:  # TF1 placeholders whose fed values say more than their declaration: walk again with them
        interp = Interpreter(chunks, text, path, config, rules, collect_values, fed=fed)
        done.append(interp)
        interp.run()
    if interp.positions_failed and len(chunks) == 1:
        # one statement too deep for libcst's position walk: in top-level chunks, only that
        # statement's chunk is lost (the language server's incremental analysis does the same)
        from ..chunks import IncrementalParser

        split = IncrementalParser().parse(text)
        if split is not None and len(split) > 1:
            interp = Interpreter(split, text, path, config, rules, collect_values)
            done.append(interp)
            interp.run()
    done += flag_walks(interp, chunks, text, path, config, rules, fed)
    findings = one_per_place((f, finding_rank(interp.phases.get(k, PHASE_CHUNKS), k[3])) for k, f in interp.findings.items())
    out = findings, collected_values(interp) if collect_values else [], tuple(sorted(interp.dependencies))
    for each in done:
        release(each)
    return out


def flag_walks(interp, chunks, text, path, config, rules, fed) -> list:
    """The file walked again with every test of a tied flag taken one way, then the other
    (`flag_paths`): what those walks find that `interp`'s did not is added to it. Returns the
    interpreters of those walks (to release)."""
    done = []
    for key in tied_flags([chunk.module for chunk in chunks], text):
        for answer in (True, False):
            other = Interpreter(chunks, text, path, config, rules, False, fed=fed or None, flag_answers={key: answer})
            done.append(other)
            other.run()
            _adopt(interp, other, describe(key, answer))
    return done


def _adopt(interp, other, path_note: str) -> None:
    """The findings of a walk under a flag's answer that the plain walk did not make, of the rules
    that judge values (dtype, shape, activation and loss: TL1xx-TL3xx; a rule that reports
    something missing would only restate what the answer turned off), each saying which answer
    it holds on."""
    places = {(k[0], k[1], k[2]) for k in interp.findings}
    for k, f in other.findings.items():
        if k[0][:3] not in ("TL1", "TL2", "TL3") or (k[0], k[1], k[2]) in places:
            continue
        places.add((k[0], k[1], k[2]))
        f.message = f"{f.message} (where {path_note})"
        interp.findings[k] = f
        interp.phases[k] = other.phases.get(k, PHASE_CHUNKS)
        interp.units[k] = other.units.get(k)


def release(interp) -> None:
    """Break the reference cycles among the values of an analysis that is over, so that reference
    counting frees them (and the function trees they hold) at once: a function and the scope
    that binds it (`env`), a method and its class (`owner`), a project module's function and
    the module's frame, a module's frame and the values its names hold. Left to the garbage collector, every file's values and function bodies
    would wait for a collection that walks them all. Only for an interpreter whose values no
    one keeps (the language server's incremental analysis keeps its own)."""
    for func in interp.functions:
        func.env = func.owner = None
    for func in interp.project_functions.values():
        func.env = func.owner = func.module = None
    # and the module's frames, which a TF1 tensor's lineage names while their names hold it
    for frame in (getattr(interp, "root", None), *interp.foreign.values()):
        if frame is not None:
            frame.env = {}
    interp.__dict__.clear()


class _Noted(dict):
    """The placeholders dict: notes the unit that declares each."""

    def __init__(self, interp):
        super().__init__()
        self.interp = interp

    def __setitem__(self, key, value):
        self.interp.note_feed_unit(("declare", key, value))
        super().__setitem__(key, value)


def _since_definition(final: dict, at_definition: dict | None) -> dict:
    """The module's names for a function run at no known time after its definition: each as it
    ends up, except those bound again to another value since the definition (unknown)."""
    if at_definition is None:
        return final
    out = dict(final)  # (a copy in C, then only the names bound at the definition are compared)
    get = final.get
    for name, old in at_definition.items():
        now = get(name, old)
        if now is not old:
            out[name] = UNKNOWN
    return out
