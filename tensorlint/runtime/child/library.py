"""Models of a library file: a file that defines models and builds or calls none of them.

Each model class whose constructor needs no argument (and each function that needs none and
returns a model) is built as the file's defaults make it. What it is run on must come from the
program: a first convolution or recurrent layer fixes the rank and the channel/feature size of
its input, a Keras model's `Input(shape=...)` fixes the sizes it declares. The sizes nothing fixes
(the batch, a spatial or time axis, an Input's `None`) are chosen by the check, twice, with two
different values: an error counts as the program's only when both runs fail at the same line with
the same message and the input reached the layer that fixed its size unchanged, so that it does
not depend on the sizes the check chose. Everything else stays "could not check", with what is
unknown named. The calls of its uncalled functions that a static finding points at are
probe_calls.py's.
"""
from __future__ import annotations

import functools
import inspect
import re
import sys
from types import SimpleNamespace

from .blame import API_CHANGED, DEVICE_LIMIT, EMPTY_DATA, FLOAT_FOR_INT, KERAS3_REFUSES, MISSING_FILE, STRICTER_TYPE, \
    USER_TYPES, blame
from .stubs import is_stub

# the sizes the check chooses where the program fixes none, one per run
BATCHES = (2, 3)
SPATIAL = {1: (64, 96), 2: (64, 96), 3: (16, 24)}
STEPS = (8, 12)
MOST = 8
BUILT, RAN = 1, 2  # models built per file (each runs twice at most)
# the sizes made up for a model class's constructor: the i-th parameter gets base * (i + 1), one base per build
MADE_UP = (24, 48)
MOST_SIZES = 6
# the image sides a made-up build is run on when its two builds stop at different lines
OTHER_SIDES = (48, 32)
NUMBER = re.compile(r"\d+")


def chosen(specs: list[dict]) -> set[tuple[int, int]]:
    """The pairs of sizes the two runs differ by: (size in the first, size in the second)."""
    a, b = specs[0]["shape"], specs[1]["shape"]
    return {(x, y) for x, y in zip(a, b) if x != y}


def same_error(first: dict, second: dict, pairs: set[tuple[int, int]]) -> bool:
    """The two runs failed alike: the same type, line and message, where the message may differ only
    by the sizes the check chose (`expected input[2, 8, 64, 64]` and `input[3, 8, 96, 96]`); a number
    computed from them (a flattened width, a halved side) differs otherwise and makes them unlike."""
    if (first.get("type"), first.get("line")) != (second.get("type"), second.get("line")):
        return False
    one, two = first.get("message") or "", second.get("message") or ""
    if NUMBER.split(one) != NUMBER.split(two):
        return False
    return all(x == y or (int(x), int(y)) in pairs for x, y in zip(NUMBER.findall(one), NUMBER.findall(two)))


def programs_kind(err: dict) -> bool:
    """An error of the kind the frameworks raise for wrong shapes, dtypes and values, not one of an
    API that changed, a missing file or the CPU the check runs on (blame.py)."""
    message = err.get("message") or ""
    kind = err.get("type")
    if "Stub" in message:
        return False  # a value of a module the check could not import reached the framework
    if kind == "TypeError":
        return bool(FLOAT_FOR_INT.search(message))
    return kind in USER_TYPES and not any(p.search(message) for p in (API_CHANGED, KERAS3_REFUSES, MISSING_FILE, EMPTY_DATA,
                                                                       DEVICE_LIMIT, STRICTER_TYPE))


class Library:
    def library_models(self) -> None:
        module = self.top_ns.get("__name__")
        built, ran = 0, False
        self.library_skipped = []
        for name, value in list(self.top_ns.items()):
            if name.startswith("_") or getattr(value, "__module__", None) != module:
                continue
            line = self.binders.get(name, 0)
            sizes = (self.plan.get("factory_sizes") or {}).get(name) if inspect.isfunction(value) else None
            project = self.project_call(name)
            factory = inspect.isfunction(value) and (name in (self.plan.get("factories") or []) or bool(sizes) or bool(project))
            if not factory and not (isinstance(value, type) and self.is_model_class(value)):
                continue
            forward = getattr(value, "forward", None) if not factory and self.is_torch_class(value) else None
            if forward is not None and forward is self.torch.nn.Module.forward:
                continue  # a base class without a forward of its own
            if built >= MOST:
                self.emit("note", message=f"the file defines more models: only the first {MOST} were built")
                break
            made_up = (self.plan.get("class_sizes") or {}).get(name) if isinstance(value, type) else None
            if project:
                # built as another module of the project builds it, with the values it writes out
                # (the project's own, ahead of sizes the check would choose or make up)
                outcome = self.library_build(name, functools.partial(value, *project[0], **project[1]), line,
                                             f"`{name}(...)`", factory=factory, built=f"as {project[2]} builds it")
            elif sizes:
                outcome = self.library_sized(name, value, line, sizes)
            elif made_up:
                outcome = self.library_made_up(name, value, line, made_up)
            else:
                outcome = self.library_build(name, value, line, f"`{name}()`", factory=factory)
            built += outcome > 0
            ran = ran or outcome == RAN
        self.library_skips(ran)

    def is_torch_class(self, cls) -> bool:
        return self.torch is not None and issubclass(cls, self.torch.nn.Module)

    def is_model_class(self, cls) -> bool:
        if self.is_torch_class(cls):
            return not issubclass(cls, self.torch.nn.modules.loss._Loss)
        return self.keras is not None and issubclass(cls, self.keras.layers.Layer)

    def library_skip(self, name: str, line: int, reason: str, built: bool = False) -> None:
        """A definition not built (or built and not run, `built`), with the reason."""
        self.library_skipped.append((name, line, reason, built))

    def library_skips(self, any_ran: bool) -> None:
        """Why definitions were not built or run: a class that needs its arguments beside a model
        that ran is that model's part (a block of the network), so only what was built is said then."""
        for name, line, reason, built in self.library_skipped:
            if built or not any_ran:
                self.emit("call", id=self.new_id(), kind="forward", line=line, text=f"{name}()(<input>)", model=name,
                          status="skipped", reason=f"the file calls no model: {reason}", library=True)

    def library_build(self, name: str, maker, line: int, what: str, factory: bool = False, built: str = "") -> int:
        """RAN, BUILT (and not run) or 0 (not built). `built`: how the values `maker` is given were
        found (the project's own call), where they are not the file's defaults."""
        try:
            params = list(inspect.signature(maker).parameters.values())
        except (TypeError, ValueError):
            return 0
        needed = [p.name for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        if needed:
            self.library_skip(name, line, f"`{name}` needs {', '.join(f'`{n}`' for n in needed)}, which nothing in the file "
                              "gives, so the check does not build it")
            return 0
        self.phase("call", line)
        try:
            model = maker()
        except Exception as exc:  # noqa: BLE001 - what its defaults need may be missing here (weights to download)
            err = self.error_info(exc)
            if (not built or programs_kind(err)) and blame(exc, self.path, None)[0] == "user" and err["line"] is not None \
                    and not any(p.default is None for p in params):
                # its own defaults (or its project's own values) make a model the framework refuses
                # (a float channel count): no size was chosen by the check, so the error is the program's
                self.emit("note", message=f"the file calls no model: {what}, built {built or 'with its defaults'}, fails")
                self.emit("call", id=self.new_id(), kind="forward", line=line, text=f"{name}()", model=name,
                          status="error", error=err, library=True)
                return RAN
            self.library_skip(name, line, f"{what} (built {built or 'with its defaults'}) failed: {err['type']}: "
                              f"{err['summary']}")
            return 0
        if factory and not self.is_model(model):
            return 0
        self.called_models.add(id(model))
        specs, fixed, why = self.library_runnable(name, model, line, f"{what} builds {built or 'with its defaults'}")
        if specs is None:
            return BUILT
        records = []
        for spec in specs:
            records.append(self.library_run(name, model, line, spec, fixed))
            if built:
                records[-1]["built_with"] = built
            if records[-1]["status"] != "error":
                break  # one run without error already shows the sizes are not what fails
        return self.library_verdict(name, model, what, records, specs, fixed, why)

    def library_run(self, name: str, model, line: int, spec: dict, fixed: bool) -> dict:
        """One forward pass of a library model on the check's input of `spec`."""
        record = {"id": None, "kind": "forward", "line": line, "text": f"{name}()(<input>)", "model": name,
                  "model_type": type(model).__name__}
        x = self.make_input(spec)
        reached = self.reaches_first(model, x, fixed)
        if self.is_torch_module(model):
            self.torch_forward(record, model, [x], {})
        else:
            from .common import Scope
            self.keras_forward(record, model, [x], {}, Scope(self.top_ns, top=True))
            unread = self.unread_layers(model)
            if unread:
                record["unread"] = unread
        record["shape"] = list(spec["shape"])
        record["reached"] = reached()
        return record

    def library_sized(self, name: str, maker, line: int, sizes: dict) -> int:
        """A factory whose parameters without a default are sizes of its declared input (follow.py's
        input_sizes()): built once per run with sizes the check chooses (the free sides of a declared
        input, 64 then 96) and run on a batch of 2, then 3, so that an error counts only when both
        runs fail alike, as for a declared input's free sides."""
        what = f"`{name}({', '.join(sizes)})`"
        models, records, specs, failures = [], [], [], []
        for run, (batch, side) in enumerate(zip(BATCHES, SPATIAL[2])):
            values = {p: side if n == 1 else (SPATIAL[n][run],) * n for p, n in sizes.items()}
            self.phase("call", line)
            try:
                model = maker(**values)
            except Exception as exc:  # noqa: BLE001 - the sizes are the check's: a failure is the program's only
                # when the other sizes fail alike
                failures.append((self.error_info(exc), exc, values))
                continue
            if failures:
                break  # built with one choice of the sizes and not with the other: they decide
            if not self.is_model(model) or self.is_torch_module(model):
                return 0
            self.called_models.add(id(model))
            runs, fixed, why = self.library_inputs(name, model)
            if runs is None:
                self.library_skip(name, line, f"{what} builds with sizes the check chose, but {why}", True)
                return BUILT
            spec = dict(runs[0], shape=[batch, *runs[0]["shape"][1:]])
            models.append(model)
            specs.append(spec)
            records.append(self.library_run(name, model, line, spec, fixed))
            records[-1]["built_with"] = "with sizes the check chose"
            if records[-1]["status"] != "error":
                break
        if failures:
            return self.library_sized_failed(name, line, what, failures, len(failures) == 2 and not records)
        why = f"its declared input, whose {', '.join(f'`{p}`' for p in sizes)} the check chose"
        return self.library_verdict(name, models[0], what, records, specs, True, why)

    def library_sized_failed(self, name: str, line: int, what: str, failures: list, both: bool) -> int:
        """A sized factory that failed to build: the program's error when both choices of the sizes
        failed alike, at a line of the program, with an error of the kind the frameworks raise for
        shapes; else the check's choice is what failed, and it is said as a skip."""
        (err, exc, values), last = failures[0], failures[-1]
        pairs = set()
        for p in values if both else ():
            one, two = failures[0][2][p], last[2][p]
            pairs |= {(one, two)} if isinstance(one, int) else set(zip(one, two))
        if both and same_error(err, last[0], pairs) and err.get("line") is not None and programs_kind(err) \
                and blame(exc, self.path, None)[0] == "user":
            chosen_sizes = " and ".join(", ".join(f"{p}={v}" for p, v in f[2].items()) for f in failures)
            self.emit("note", message=f"the file calls no model: {what}, built with sizes the check chose ({chosen_sizes}), "
                      "fails the same way at the same line both times, so it does not depend on the sizes the check chose")
            self.emit("call", id=self.new_id(), kind="forward", line=line, text=f"{name}()", model=name,
                      status="error", error=err, library=True)
            return RAN
        self.library_skip(name, line, f"{what}, built with sizes the check chose "
                          f"({', '.join(f'{p}={v}' for p, v in values.items())}), failed: {err['type']}: {err['summary']}")
        return 0

    def library_made_up(self, name: str, cls, line: int, params: list) -> int:
        """A model class whose constructor parameters without a default are all sizes (ctor_sizes.py):
        built twice with sizes the check makes up (distinct multiples of 24, then twice those, so
        that head counts and groups up to 24 still divide them), each run on the input its first
        layers declare (with the batch and free sides chosen as for any library model), so that an
        error counts only when both builds fail alike at the same line. A build that fails is not
        the program's: the made-up sizes may be what the class refuses. A parameter that is only a
        key of a table the file defines gets the table's first key in both builds: the file fixes it."""
        objects = {p["name"]: p["fields"] for p in params if isinstance(p, dict) and "fields" in p}
        keys = [p for p in params if isinstance(p, dict) and "keys" in p]
        # the sizes made up: parameters, and fields of the objects read only for them (`params.vocab_size`)
        sizes = [p if isinstance(p, str) else f"{p['name']}.{f}" for p in params if isinstance(p, str) or "fields" in p
                 for f in ([None] if isinstance(p, str) else p["fields"])]
        if len(sizes) > MOST_SIZES:
            self.library_skip(name, line, f"`{name}` needs {len(sizes)} sizes, which nothing in the file gives")
            return 0
        made = [{p: base * (i + 1) for i, p in enumerate(sizes)} for base in MADE_UP]
        choices = [{**{p: v for p, v in values.items() if p in params},
                    **{o: SimpleNamespace(**{f: values[f"{o}.{f}"] for f in fields}) for o, fields in objects.items()},
                    **{k["name"]: k["keys"][0] for k in keys}} for values in made]
        told = [", ".join(f"{p}={v}" for p, v in values.items()) for values in made]
        given = ", ".join(f"{k['name']}={k['keys'][0]!r} (the first key of the file's `{k['table']}`)" for k in keys)
        said = "; ".join(part for part in (" and ".join(told) if sizes else "", given) if part)
        what = f"`{name}({', '.join(p if isinstance(p, str) else p['name'] for p in params)})`"
        models, records, specs = [], [], []
        for run, values in enumerate(choices):
            self.phase("call", line)
            try:
                model = cls(**values)
            except Exception as exc:  # noqa: BLE001 - the sizes are made up: the class may refuse them
                err = self.error_info(exc)
                self.library_skip(name, line, f"{what}, built with {'made-up sizes' if sizes else 'its arguments'} "
                                  f"({'; '.join(part for part in (told[run], given) if part)}), "
                                  f"failed: {err['type']}: {err['summary']}")
                return 0
            self.called_models.add(id(model))
            built = f"made-up sizes ({said})" if sizes else said
            runs, fixed, how = self.library_runnable(name, model, line, f"{what} builds with {built}")
            if runs is None:
                return BUILT
            first_how = first_how if models else how
            models.append(model)
            specs.append(runs[run])
            records.append(self.traced_run(name, model, line, runs[run], fixed))
            records[-1]["built_with"] = f"with {built}"
            if records[-1]["status"] != "error":
                break
        pairs = {(made[0][p], made[1][p]) for p in sizes}
        why = f"{first_how}, made-up sizes: {said}" if sizes else f"{first_how}, built with {said}"
        if len(records) == 2 and all(r["status"] == "error" for r in records) and fixed \
                and not same_error(records[0]["error"], records[1]["error"], chosen(specs) | pairs):
            found = self.other_sides(name, models, line, specs, records, pairs)
            if found is not None:
                opened = f"made-up sizes ({said}; " if sizes else f"{said} ("
                records[0]["built_with"] = (f"with {opened}the second run on images of side "
                                            f"{found[1]['shape'][-1]}: on side {specs[1]['shape'][-1]} it stops before "
                                            f"line {records[0]['error']['line']})")
                return self.library_verdict(name, models[0], what, [records[0], found[0]], [specs[0], found[1]], fixed,
                                            why, pairs)
        return self.library_verdict(name, models[0], what, records, specs, fixed, why, pairs)

    def other_sides(self, name: str, models: list, line: int, specs: list, records: list, pairs: set):
        """The two builds failed at different lines, on images of two sides: a model whose layers
        take one range of sides only (a classifier sized for the 2x2 maps of 64x64 images) fails
        earlier on the other. The second build is run on smaller sides (OTHER_SIDES); the first
        build's error stands when the second fails alike on one of them, and the runs that fail
        otherwise never ran its line (traced): what differs is where they stopped, not how that
        line fails. (run record, its spec) or None."""
        first = records[0]
        where = first["error"].get("line")
        nn = self.torch.nn if self.torch is not None else None
        if where is None or where not in first["ran"] or not self.is_torch_module(models[1]) \
                or not isinstance(self.first_sized_layer(models[1]), (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            return None
        done = list(records)
        for side in OTHER_SIDES:
            if side == specs[0]["shape"][-1]:
                continue
            spec = dict(specs[1], shape=[*specs[1]["shape"][:2], *[side] * (len(specs[1]["shape"]) - 2)])
            record = self.traced_run(name, models[1], line, spec, True)
            done.append(record)
            if record["status"] != "error":
                return None  # a side it runs on: the error depends on the side
            if same_error(first["error"], record["error"], chosen([specs[0], spec]) | pairs) \
                    and all(r is first or r is record or where not in r["ran"] for r in done):
                return record, spec
        return None

    def traced_run(self, name: str, model, line: int, spec: dict, fixed: bool) -> dict:
        """library_run(), with the lines of the program's file that ran kept in "ran"."""
        ran: set[int] = set()
        path = self.path

        def local(frame, event, arg):
            if event == "line":
                ran.add(frame.f_lineno)
            return local

        def enter(frame, event, arg):
            return local if frame.f_code.co_filename == path else None

        before = sys.gettrace()
        sys.settrace(enter)
        try:
            record = self.library_run(name, model, line, spec, fixed)
        finally:
            sys.settrace(before)
        record["ran"] = ran
        return record

    def library_runnable(self, name: str, model, line: int, built: str):
        """library_inputs() of a model built, or (None, False, why) once the reason it cannot run
        (a forward that takes more than one input, an input nothing fixes) is said."""
        needed = self.forward_inputs(model) if self.is_torch_module(model) else ["x"]
        if len(needed) != 1:
            self.library_skip(name, line, f"{built}, but its forward takes "
                              f"{', '.join(f'`{n}`' for n in needed) or 'no input'}, which nothing in the file gives", True)
            return None, False, "its forward's inputs"
        runs, fixed, how = self.library_inputs(name, model)
        if runs is None:
            self.library_skip(name, line, f"{built}, but {how}", True)
        return runs, fixed, how

    def forward_inputs(self, model) -> list[str]:
        """The parameters of a torch module's forward that need an argument."""
        try:
            params = list(inspect.signature(model.forward).parameters.values())
        except (TypeError, ValueError):
            return []
        return [p.name for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]

    def library_verdict(self, name: str, model, what: str, records: list, specs: list, fixed: bool, why: str,
                        pairs: set | None = None) -> int:
        """Emits the first run's call, an error of it counted as the program's only when every run
        failed alike (same_error, where the sizes in `pairs` and those of the inputs are the
        check's) on an input the program fixes."""
        shapes = " and ".join(str(r["shape"]) for r in records)
        first = records[0]
        first["id"] = self.new_id()
        first["library"] = True
        errors = [r.get("error") or {} for r in records]
        same = len(records) == len(specs) == 2 and all(r["status"] == "error" for r in records) and \
            same_error(errors[0], errors[1], chosen(specs) | (pairs or set()))
        located = all(e.get("line") is not None for e in errors) or not self.is_torch_module(model)
        if same and fixed and located and all(r["reached"] for r in records) and programs_kind(errors[0]) \
                and not self.holds_stub(model):
            self.emit("note", message=f"the file calls no model: {what} was built {first.get('built_with') or 'with its defaults'} "
                      f"and run on {shapes} "
                      f"({why} fixes the input; the check chose the other sizes, twice): the same error at the same line "
                      "both times, so it does not depend on the sizes the check chose")
        else:
            first["guessed_input"] = True
            first["synthesized_input"] = f"{shapes} from {why}" + ("" if fixed else ", the other sizes made up")
            if first["status"] == "error" and len(records) > 1 and not same:
                first["synthesized_input"] += ": it fails differently for each, so the sizes the check chose are the cause"
        self.emit("call", **{k: v for k, v in first.items() if k not in ("shape", "reached", "ran")})
        return RAN

    def holds_stub(self, model) -> bool:
        """The model keeps a value of a module the check could not import: what fails on it is the check's gap."""
        parts = model.modules() if self.is_torch_module(model) else [model, *self.keras_children(model)]
        return any(is_stub(v) for part in parts for v in list(vars(part).values()))

    def library_inputs(self, name: str, model):
        """([spec per run], whether the program fixes the input's rank and size, how) or (None, False, why)."""
        if self.is_torch_module(model):
            spec, how = self.guess_input(model)
            if spec is None:
                return None, False, how
            layer = self.first_sized_layer(model)
            nn = self.torch.nn
            if isinstance(layer, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
                dims = len(layer.kernel_size)
                return [{"shape": [b, layer.in_channels, *[s] * dims]} for b, s in zip(BATCHES, SPATIAL[dims])], True, how
            if isinstance(layer, (nn.RNN, nn.LSTM, nn.GRU)):
                return [{"shape": [b, t, layer.input_size] if layer.batch_first else [t, b, layer.input_size]}
                        for b, t in zip(BATCHES, STEPS)], True, how
            # a first Linear (or the like) fixes the feature size, not the rank: runs on it are guesses
            shape = spec["shape"]
            return [dict(spec, shape=[b, *shape[1:]]) for b in BATCHES], False, how
        inputs = getattr(model, "inputs", None)
        try:
            declared = [None if d is None else int(d) for d in inputs[0].shape] if inputs and len(inputs) == 1 else None
        except (TypeError, ValueError):
            declared = None
        if not declared:
            return None, False, "nothing in the file fixes its input's size (no `Input(shape=...)` or `input_shape=`)"
        runs = []
        for b, s in zip(BATCHES, SPATIAL[2]):
            runs.append({"shape": [b, *[s if d is None else d for d in declared[1:]]],
                         "dtype": getattr(inputs[0].dtype, "name", None) or str(inputs[0].dtype)})
        return runs, True, f"its declared input {tuple(declared[1:])}"

    def first_sized_layer(self, model):
        nn = self.torch.nn
        for layer in model.modules():
            if isinstance(layer, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Embedding, nn.RNN, nn.LSTM, nn.GRU,
                                  nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)):
                return layer
        return None

    def reaches_first(self, model, x, fixed: bool):
        """A function telling whether the layer that fixed the input's size got the check's input
        itself (not a view or a permutation of it): only then does the size fit what it fixed."""
        if not fixed or not self.is_torch_module(model):
            return lambda: True
        layer = self.first_sized_layer(model)
        seen = []

        def hook(mod, inputs):
            if not seen:  # the check's input itself, or the same on the device the check runs on
                seen.append(bool(inputs) and (inputs[0] is x or tuple(getattr(inputs[0], "shape", ())) == tuple(x.shape)))

        handle = layer.register_forward_pre_hook(hook)

        def done():
            handle.remove()
            return bool(seen and seen[0])
        return done
