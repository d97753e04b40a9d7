"""Runs in the subprocess: replays a slice of the user's file, then each model call once.

    python driver.py PLAN.json EVENTS.jsonl

Only the standard library is imported at the top: torch and tensorflow are imported when the
plan says the file uses them. Nothing from tensorlint is imported (the parts in `child/` are
loaded by file path), so any interpreter that has the user's frameworks can run this file.
Every fact goes to EVENTS.jsonl as one JSON object per line, written and flushed as soon as it
is known, so that a crash or a timeout leaves behind everything that happened before it.
"""
from __future__ import annotations

import builtins
import faulthandler
import importlib.util
import json
import os
import sys

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child")
PACKAGE = "_tensorlint_shapecheck"
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def load_child():
    """The `child` package under a name no user module has; this folder leaves sys.path, so the
    checked program never imports the check's own modules by accident."""
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(PACKAGE, os.path.join(CHILD, "__init__.py"),
                                                      submodule_search_locations=[CHILD])
        module = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = module
        spec.loader.exec_module(module)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    return sys.modules[PACKAGE]


load_child()
from _tensorlint_shapecheck import blame as blame_module, broadcasts, gym_envs, keras2, layer_lines  # noqa: E402
from _tensorlint_shapecheck.common import Scope  # noqa: E402
from _tensorlint_shapecheck.data_files import DataFiles  # noqa: E402
from _tensorlint_shapecheck.frame_origins import FrameOrigins  # noqa: E402
from _tensorlint_shapecheck.inputs import Inputs  # noqa: E402
from _tensorlint_shapecheck.keras_side import KerasSide  # noqa: E402
from _tensorlint_shapecheck.keras_predict import KerasPredictions  # noqa: E402
from _tensorlint_shapecheck.library import Library  # noqa: E402
from _tensorlint_shapecheck.losses import Losses  # noqa: E402
from _tensorlint_shapecheck.offline import Synthesizer  # noqa: E402
from _tensorlint_shapecheck.probe_calls import ProbeCalls  # noqa: E402
from _tensorlint_shapecheck.replay import Replay  # noqa: E402
from _tensorlint_shapecheck.session import Sessions  # noqa: E402
from _tensorlint_shapecheck.stubs import StubFinder  # noqa: E402
from _tensorlint_shapecheck.torch_side import TorchSide, old_iterator_next, stay_on  # noqa: E402


class Driver(Replay, DataFiles, Inputs, Library, ProbeCalls, TorchSide, KerasSide, KerasPredictions, Losses, Sessions,
             FrameOrigins):
    def __init__(self, plan: dict, events) -> None:
        self.plan = plan
        self.path = plan["path"]
        self.events = events
        self.torch = None
        self.tf = None
        self.keras = None
        self.device = None  # torch device string
        self.tf_device = None
        self.next_id = 0
        self.called_models: set[int] = set()
        self.keras_layers_made: list = []  # each Keras layer (or model) a line of the program made
        self.forward_leaves: dict[int, tuple] = {}  # id of a Keras forward -> its leaf layers' shapes, its inputs'
        self.built_by_guess: dict[int, int] = {}  # id of a Keras model -> line where a made-up input built it
        self.moved: set[int] = set()
        self.overrides = plan.get("inputs") or {}
        self.binders: dict[str, int] = {}  # global name -> line of the statement that bound it
        self.stopped = False
        self.synthesized_count = 0  # synthetic data sets handed out (offline.py)
        self.last_synthetic: dict = {}
        self.current_line: int | None = None  # the line being replayed
        self.stand_ins: set[str] = set()  # missing packages replaced by stand-ins (offline.py)
        self.tf1 = None  # the TF1 facade `tf` is bound to in a TF1 graph program (tf1.py)
        self.tf1_steps: dict[int, dict] = {}  # id of a train op -> what its minimize() showed
        self.tf1_variable_lines: dict[str, int] = {}  # variable name -> line that created it
        self.tf1_applied: set[tuple] = set()  # (graph id, name) of each variable an apply_gradients() updates
        self.tf1_own_updates: dict[tuple, int] = {}  # the same, of the program's own apply_gradients() -> its line
        self.tf1_dropouts: list[dict] = []  # each graph dropout the program made: its line, input and output
        self.tf1_gradient_ops: set[tuple] = set()  # (graph id, name) of each op gradient machinery built
        self.tf1_initialized: set[int] = set()
        self.graph_broken: dict | None = None  # the first TF1 graph-building line that could not run
        self.loops_run: list[tuple] = []  # (loop unit, its scope) of each loop replayed, for collect.py
        self.trained_models: dict[int, tuple] = {}  # id of a Keras model trained -> (its first such call, the model)

    # -- main ------------------------------------------------------------------------------------

    def note_once(self, key: str, message: str) -> None:
        if key not in self.stand_ins:
            self.stand_ins.add(key)
            self.emit("note", message=message)

    def stubbed(self, name: str, line: int | None) -> None:
        """A module the program imports was given a stub (stubs.py): said once per package."""
        top = name.split(".")[0]
        if f"stub:{top}" not in self.stand_ins:
            self.stand_ins.add(f"stub:{top}")
            self.emit("stub", module=name, line=line or self.current_line)

    def install_offline_data(self) -> None:
        try:
            synth = Synthesizer(self)
            if self.tf is not None:
                synth.install_keras(self.tf)
                self.remember_compile_lines()
                keras2.install(self)
            synth.install_stand_ins(tf_present=self.tf is not None)
            gym_envs.install(self)
        except Exception as exc:  # noqa: BLE001 - without them the program runs as it would have
            self.emit("note", message=f"the offline data sets could not be installed: {type(exc).__name__}: {exc}")

    def run(self) -> None:
        self.emit("start", python=sys.executable, pid=os.getpid())
        if not self.import_frameworks() or not self.choose_device():
            return
        if self.tf is not None and self.plan.get("tf1"):
            try:
                self.start_tf1()
            except Exception as exc:  # noqa: BLE001
                self.emit("note", message=f"TF1 graph mode could not be set up: {type(exc).__name__}: {exc}")
        self.install_offline_data()
        sys.meta_path.append(StubFinder(self.path, self.stubbed))
        folder = os.path.dirname(os.path.abspath(self.path))
        # the program sees what `python FILE ARGS` would give it: its own argv, its folder and
        # its project's root on sys.path (for project-local imports)
        sys.argv = [self.path, *self.plan.get("argv", [])]
        blame_module.PLACEHOLDERS[:] = self.plan.get("placeholders") or []
        for where in reversed([folder, *project_roots(folder)]):
            if where not in sys.path:
                sys.path.insert(0, where)
        if self.tf1 is not None:
            self.tf1_project_imports([folder, *project_roots(folder)])
        if self.torch is not None:
            old_iterator_next(self.torch)
            broadcasts.install()
            layer_lines.install(self.torch, self.path)
        if self.torch is not None and self.device != "cuda":
            stay_on(self.torch, self.device, lambda: self.note_once(
                "cuda", f"the program asks for CUDA, which the check does not use here: its tensors stayed on {self.device}"))
        self.top_ns = {"__name__": "__tensorlint_shapecheck__", "__file__": self.path, "__builtins__": builtins}
        package, root = package_of(folder)
        if package:
            # a module of a package (`from .ops import conv`) runs as `python -m package.module` would
            # (the package's root ahead of the file's folder, so that a module beside the file
            # named as the package, `models/models.py`, does not hide the package `models`)
            self.top_ns["__package__"] = package
            if root in sys.path:
                sys.path.remove(root)
            sys.path.insert(0, root)
        scope = Scope(self.top_ns, top=True)
        for test in self.plan.get("self_tests") or []:
            self.emit("note", message=f"the file calls no model: `{test['name']}()` (line {test['line']}), which makes its "
                      "model and its input itself and which nothing in the file calls, was run as the file's self-test")
        if self.torch is not None and self.device == "meta":
            with self.torch.device("meta"):
                self.run_units(self.plan["units"], scope)
                self.models_not_called()
        else:
            self.run_units(self.plan["units"], scope)
            self.models_not_called()
        if self.tf1_steps:
            self.tf1_report()
        for call, model in self.trained_models.values():
            layers = self.never_called(model)
            if layers:
                self.emit("never_called", call=call, layers=layers)
        scope.close()
        self.emit("done")

    def models_not_called(self) -> None:
        """The models the file makes and never calls; in a file that makes none (a library of
        models), those its definitions make with their defaults."""
        if self.stopped or not self.plan.get("guess_inputs", True):
            return
        self.uncalled_models()
        if self.plan.get("library") and not self.called_models and not self.stopped:
            self.library_models()
        if self.plan.get("library") and self.plan.get("probes") and not self.stopped:
            self.library_probes()


def package_of(folder: str) -> tuple[str | None, str | None]:
    """("a.b", root) when `folder` is the package a.b (each folder up to root's child has an
    __init__.py); (None, None) for a folder that is no package."""
    parts, here = [], folder
    while os.path.isfile(os.path.join(here, "__init__.py")) and os.path.basename(here).isidentifier():
        parts.append(os.path.basename(here))
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return (".".join(reversed(parts)), here) if parts else (None, None)


def project_roots(folder: str) -> list[str]:
    """The folders above `folder` up to the nearest one that marks a project's root."""
    out, here = [], folder
    for _ in range(6):
        parent = os.path.dirname(here)
        if parent == here or any(os.path.exists(os.path.join(here, m)) for m in PROJECT_MARKERS):
            break
        out.append(parent)
        here = parent
    return out if os.path.exists(here) and any(os.path.exists(os.path.join(here, m)) for m in PROJECT_MARKERS) else []


def apply_limits(plan: dict) -> None:
    try:
        import resource
    except ImportError:  # not on POSIX: the parent's timeout still applies
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    mb = plan.get("memory_mb")
    if mb:
        limit = int(mb) * 1024 * 1024
        for name in ("RLIMIT_DATA", "RLIMIT_AS") if plan.get("limit_address_space") else ("RLIMIT_DATA",):
            which = getattr(resource, name, None)
            if which is None:
                continue
            try:
                soft, hard = resource.getrlimit(which)
                if hard != resource.RLIM_INFINITY:
                    limit = min(limit, hard)
                resource.setrlimit(which, (limit, hard))
            except (ValueError, OSError):
                pass


def main(argv: list[str]) -> int:
    plan_path, events_path = argv[1], argv[2]
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    apply_limits(plan)
    crash_log = open(plan["crash_log"], "w")  # noqa: SIM115 - stays open for faulthandler
    faulthandler.enable(file=crash_log, all_threads=False)
    if plan.get("watchdog_s"):
        faulthandler.dump_traceback_later(plan["watchdog_s"], exit=True, file=crash_log)
    with open(events_path, "a", encoding="utf-8") as events:
        driver = Driver(plan, events)
        try:
            driver.run()
        except MemoryError:
            driver.emit("fatal", message="out of memory (the memory limit was reached)")
            return 4
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
