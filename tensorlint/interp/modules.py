"""Imports, and names imported from the project's own modules (see `tensorlint.project`).

`from model import Net` binds a `ProjectRef`; when the program calls or instantiates it (or a
class derived from it), or hands it to the framework, the module's tree is read (once per analysis: its imports,
definitions and plain assignments, muted) and the name stands for the definition found
there. The imported code then runs as if it were defined in this file, with its own module
names. What it reports at its own lines is brought back to the line of this file that
entered it, naming the other file's line, unless the imported code reports it on its own
(when its functions run with unknown arguments): that belongs to the other file's analysis.
"""
from __future__ import annotations

import os
import re

import libcst as cst

from .. import project
from ..frameworks import ref
from ..syntax import dotted
from ..values import UNKNOWN, ClassV, Func, Ref, Tensor, Value
from .frame import Frame, class_kind


_NOT_LOOKED = object()


class ProjectRef(Ref):
    """A name imported from a project module (`path`), resolved on use. `attr` is the name in
    the module, None for the module itself (`import model as m`). Until resolved, and when it
    cannot be, it is the plain reference it always was (`model.Net`)."""

    __slots__ = ()

    def __init__(self, qualname: str, path: str, attr: str | None, depth: int):
        super().__init__(qualname)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "attr", attr)
        object.__setattr__(self, "depth", depth)


class ModulesMixin:
    def _modules_init(self) -> None:
        self.foreign: dict = {}  # path -> the module's frame (None: not followed)
        self.foreign_info: dict = {}  # id(module frame) -> its `project`: (path, depth, project.Module)
        self.resolved: dict = {}  # (path, name) -> value
        self.entries: list = []  # calls of this file that entered project code, outermost first
        self.entered: dict = {}  # id(function node) -> (Func, the call of this file that entered it)
        self.pending: list = []  # (finding key, finding, code, foreign node, entered Func)
        self.probe: set | None = None  # while set, reports are collected here, not made
        self.probe_skip: set | None = None  # (code, id(node)) the project code reports on its own
        self.dependencies: set = set()  # paths of the project modules read
        self.project_stars: list = []  # `from model import *` of project modules, in order
        self.project_functions: dict = {}  # id(function node) -> Func, for the functions of project modules
        # where each module an import statement names is found, once per analysis: an import in a
        # function body runs again with every run of the function (and of each function calling
        # it), and the file system is read as it is when the analysis starts
        self.found_modules: dict = {}
        self.import_roots = None
        # modules this file imports itself: `MAX_MODULES` keeps a place for each of them, so that
        # the modules a model module imports (its layers) cannot use up the places of the
        # functions this file calls (`from utils.fit import fit_one_epoch`)
        self.direct_modules: set = set()

    # -- imports ------------------------------------------------------------------------------

    def _module_of(self, frame: Frame) -> Frame:
        return frame if frame.module is None else frame.module

    def in_project_module(self, frame: Frame) -> bool:
        return self._module_of(frame).project is not None

    def _importer(self, frame: Frame):
        """(path, depth) of the module running `frame`: this file is depth 0."""
        info = self._module_of(frame).project
        if info is not None:
            return info[0], info[1]
        if not self.config.follow_imports or not self.path or self.path.startswith("<"):
            return None, 0
        return self.path, 0

    def exec_import(self, small: cst.Import, frame: Frame) -> None:
        importer, depth = self._importer(frame)
        for alias in small.names:
            full = dotted(alias.name)
            local = alias.asname.name.value if alias.asname is not None else full.split(".", 1)[0]
            bound = full if alias.asname is not None else local
            value = self._project_ref(bound, 0, importer, depth, None) if importer and depth < project.MAX_DEPTH else None
            self._note_direct(value)
            self.bind(frame, local, value if value is not None else ref(bound))

    def exec_import_from(self, small: cst.ImportFrom, frame: Frame) -> None:
        importer, depth = self._importer(frame)
        level = len(small.relative)
        mod = dotted(small.module) if small.module is not None else ""
        path = None
        if importer and depth < project.MAX_DEPTH:
            path = self.find_module(mod, level, importer)
        if isinstance(small.names, cst.ImportStar):
            if frame.project is not None or frame.module is not None and frame.module.project is not None:
                return  # in a project module: its names stay its own
            if path is not None:
                self.project_stars.append(ProjectRef("." * level + mod, path, None, depth + 1))
            elif not level and mod and mod not in self.star_modules:
                self.star_modules.append(mod)  # `from keras.layers import *`: names resolved on use
            return
        for alias in small.names:
            name = dotted(alias.name)
            local = alias.asname.name.value if alias.asname else name
            qual = "." * level + (mod + "." if mod else "") + name
            if path is not None:
                sub = self.submodule(path, name)
                value = ProjectRef(qual, sub, None, depth + 1) if sub else ProjectRef(qual, path, name, depth + 1)
                self._note_direct(value)
            elif level or small.module is None:
                value = UNKNOWN
            else:
                value = ref(mod + "." + name)
            self.bind(frame, local, value)

    def _note_direct(self, value) -> None:
        if isinstance(value, ProjectRef) and value.depth == 1:
            self.direct_modules.add(value.path)

    def find_module(self, name: str, level: int, importer: str) -> str | None:
        """`project.find_module` under the configured source roots, worked out once per analysis."""
        key = (name, level, importer)
        found = self.found_modules.get(key, _NOT_LOOKED)
        if found is _NOT_LOOKED:
            if self.import_roots is None:
                self.import_roots = project.source_roots(self.config)
            found = self.found_modules[key] = project.find_module(name, level, importer, self.import_roots)
        return found

    def submodule(self, package_file: str, name: str) -> str | None:
        """`project.submodule`, worked out once per analysis."""
        key = (package_file, name)
        found = self.found_modules.get(key, _NOT_LOOKED)
        if found is _NOT_LOOKED:
            found = self.found_modules[key] = project.submodule(package_file, name)
        return found

    def _project_ref(self, name: str, level: int, importer: str, depth: int, attr):
        path = self.find_module(name, level, importer)
        return ProjectRef(name, path, attr, depth + 1) if path else None

    def project_star_name(self, name: str) -> Value:
        """A name no assignment made, from a project module imported with `*` (the last one
        defining it), read as any imported name is."""
        if name.startswith("_"):
            return UNKNOWN
        for star in reversed(self.project_stars):
            if self.uncalled and star.path not in self.foreign:
                continue
            frame = self._project_frame(star.path, star.depth)
            if frame is not None and name in frame.env:
                value = frame.env[name]
                return self.resolve_project(value) if isinstance(value, ProjectRef) else value
        return UNKNOWN

    # -- resolution -----------------------------------------------------------------------------

    def project_attribute(self, obj: ProjectRef, attr: str) -> Value:
        """`m.Net` for `import model as m`: a reference to the name, resolved when used."""
        if obj.attr is None:
            sub = self.submodule(obj.path, attr)
            if sub is not None:
                return ProjectRef(obj.qualname + "." + attr, sub, None, obj.depth)
            return ProjectRef(obj.qualname + "." + attr, obj.path, attr, obj.depth)
        value = self.resolve_project(obj)
        if isinstance(value, ProjectRef) or value is UNKNOWN:
            return UNKNOWN
        return self.get_attr(value, attr, None)

    def settle_bases(self, cls: ClassV, depth: int = 0) -> None:
        """Read the project base classes of `cls` (and of its bases), before it is used."""
        if getattr(cls, "settled", False) or depth > 8:
            return
        bases, left = [], False
        for b in cls.bases:
            if isinstance(b, ProjectRef):
                b = self.resolve_project(b)
                if b is cls or isinstance(b, ClassV) and self._derives(b, cls):
                    b = UNKNOWN  # bases in a cycle (two modules importing each other)
                left = left or isinstance(b, ProjectRef)
            if isinstance(b, ClassV):
                self.settle_bases(b, depth + 1)
                left = left or not getattr(b, "settled", False)
            bases.append(b)
        cls.bases, cls.kind = tuple(bases), class_kind(bases) or cls.kind
        cls.settled = not left  # what the policy refused now (a function nobody calls) may be read later

    def _derives(self, cls: ClassV, base: ClassV, depth: int = 0) -> bool:
        return depth < 16 and any(b is base or isinstance(b, ClassV) and self._derives(b, base, depth + 1) for b in cls.bases)

    def resolve_arguments(self, func: Value, call) -> None:
        """Project names handed to the framework (`compile(loss=smooth)`, `fit(callbacks=...)`)
        are what the framework will use: read them, as a call of them would."""
        from ..api import BoundBuiltin
        from ..frameworks import CALLS, LAYERS, LOSSES

        if not isinstance(func, BoundBuiltin) and not (isinstance(func, Ref) and (
                func.qualname in CALLS or func.qualname in LAYERS or func.qualname in LOSSES)):
            return
        for i, v in enumerate(call.args):
            if isinstance(v, ProjectRef) and v.attr is not None:
                call.args[i] = self.resolve_project(v)
        for k, v in list(call.kwargs.items()):
            if isinstance(v, ProjectRef) and v.attr is not None:
                call.kwargs[k] = self.resolve_project(v)

    def resolve_project(self, pref: ProjectRef, called: bool = False) -> Value:
        """The definition `pref` names, or what the name was before projects were followed
        (a plain reference; unknown for a relative import) when it cannot be read. `called`: the
        name is called (a class built, a function run)."""
        fallback = UNKNOWN if pref.qualname.startswith(".") else Ref(pref.qualname)
        if pref.attr is None:
            return fallback
        key = (pref.path, pref.attr)
        if key in self.resolved:
            return self.resolved[key]
        if self.uncalled and pref.path not in self.foreign and not (called and pref.depth == 1
                                                                     and _defines_class(pref.path, pref.attr)):
            # a function nobody calls (a library's methods, run with unknown arguments) reads only
            # modules that the program's own run read, and the data set classes that the checked
            # file imports itself and builds (`MNIST(root, transform=...)` in a `get_loader(args)`):
            # following every import of every function of a library is what would make following
            # cost more than the analysis itself
            return fallback
        self.resolved[key] = fallback  # a module that imports itself back sees the plain name
        frame = self._project_frame(pref.path, pref.depth)
        value = frame.env.get(pref.attr) if frame is not None else None
        if isinstance(value, ProjectRef):  # re-exported: `from .model import Net` in __init__.py
            value = self.resolve_project(value) if value.attr is not None else None
        if value is None or value is UNKNOWN:
            value = fallback
        self.resolved[key] = value
        return value

    def _project_frame(self, path: str, depth: int) -> Frame | None:
        if path in self.foreign:
            return self.foreign[path]
        self.foreign[path] = None
        held = len(self.foreign_info)
        if path not in self.direct_modules:
            held += sum(1 for p in self.direct_modules if p not in self.foreign)  # places kept for this file's own
        if held >= project.MAX_MODULES:
            return None
        module = project.load(path)
        if module is None:
            return None
        self.dependencies.add(os.path.abspath(path))
        if module.tree is None:
            return None
        frame = Frame(0, {}, None, chunk=-1, project=(path, depth, module))
        self.foreign_info[id(frame)] = frame.project
        saved = self.unit
        self.muted += 1
        try:
            for stmt in module.tree.body:
                self._exec_definition(stmt, frame)
        finally:
            self.muted -= 1
            self.unit = saved
        self.foreign[path] = frame
        return frame

    def _exec_definition(self, stmt, frame: Frame) -> None:
        """A project module's top level, without running its program: imports, definitions,
        assignments that call nothing of its own (`HIDDEN = 128`, `act = nn.ReLU()`)."""
        t = type(stmt)
        try:
            if t is cst.SimpleStatementLine:
                for small in stmt.body:
                    kind = type(small)
                    if kind in (cst.Import, cst.ImportFrom):
                        self.exec_small(small, frame)
                    elif kind in (cst.Assign, cst.AnnAssign) and small.value is not None and self._plain(small.value, frame):
                        self.exec_small(small, frame)
                    elif kind is cst.Expr and self._tensor_in_place(small.value, frame):
                        self.exec_small(small, frame)
            elif t in (cst.FunctionDef, cst.ClassDef):
                self.exec_stmt(stmt, frame)
            elif t is cst.Try:  # `try: import x / except ImportError: ...`
                for inner in stmt.body.body:
                    self._exec_definition(inner, frame)
        except RecursionError:
            pass

    def _tensor_in_place(self, expr, frame: Frame) -> bool:
        """`w.requires_grad_()`, `w.mul_(0.1)`: a method of a tensor the module's top level bound,
        called for its effect with plain arguments. Left out, the name would keep what it held
        before the call (a tensor that does not require gradients)."""
        if type(expr) is not cst.Call or type(expr.func) is not cst.Attribute or type(expr.func.value) is not cst.Name:
            return False
        if not isinstance(frame.env.get(expr.func.value.value), Tensor):
            return False
        return all(self._plain(a.value, frame) for a in expr.args)

    def _plain(self, expr, frame: Frame) -> bool:
        """No call in `expr` other than of a library's names (`nn.Linear(...)`)."""
        from ..dataflow import descendants

        for node in (expr, *descendants(expr, prune=(cst.Lambda,))):
            if type(node) is cst.Call:
                root = node.func
                while isinstance(root, (cst.Attribute, cst.Call, cst.Subscript)):
                    root = root.value if not isinstance(root, cst.Call) else root.func
                if not isinstance(root, cst.Name):
                    return False
                bound = frame.env.get(root.value)
                if not isinstance(bound, Ref) or isinstance(bound, ProjectRef):
                    return False
        return True

    # -- findings made in project code -----------------------------------------------------------

    def foreign_where(self, node) -> str | None:
        """`model.py:12` for a node of a project module read by this analysis."""
        for path, _depth, module in self.foreign_info.values():
            line = module.line_of(node)
            if line is not None:
                here = os.path.dirname(os.path.abspath(self.path))
                name = os.path.relpath(path, here) if os.path.abspath(path).startswith(here) else os.path.basename(path)
                return f"{name}:{line}"
        return None

    def enter_project(self, func: Func, node, frame: Frame) -> bool:
        """A call of this file into a function of a project module: remembered, so that what
        is found inside is reported here."""
        if func.module is None:
            return False
        if id(func.module) not in self.foreign_info:  # read by an earlier run (the editor's incremental analysis)
            self.foreign_info[id(func.module)] = func.module.project
            self.dependencies.add(os.path.abspath(func.module.project[0]))
        if self.in_project_module(frame):
            return False
        self.entries.append((node, func))
        self.entered.setdefault(id(func.node), (func, node, self.unit))
        return True

    def used_from_project(self, node, site) -> None:
        """A project module's function used here without a call (`compile(loss=smooth)`): it is
        checked as this file uses it, and what is found is reported at `site`."""
        func = self.project_functions.get(id(node))
        if func is not None and self.span(site) is not None:
            self.entered.setdefault(id(node), (func, site, self.unit))

    def finish_project(self) -> None:
        """Run after the program: the pending findings of project code that its own analysis
        would not make, and the function events of the project functions this file entered
        (a class used here as a loss is checked as one)."""
        intrinsic: dict = {}
        for key, finding, code, node, func in self.pending:
            own = intrinsic.get(id(func.node))
            if own is None:
                own = intrinsic[id(func.node)] = self._probe(lambda f=func: self.run_uncalled(f))
            if (code, id(node)) not in own and key not in self.findings:
                self.findings[key] = finding
                self.units[key] = key[3]
                self.phases[key] = self.phase
        self.pending = []
        if "function" not in self.handlers:
            return
        for func, node, unit in list(self.entered.values()):
            self.unit = unit
            use = self.loss_uses.pop(id(func.node), None)
            own = self._probe(lambda f=func: self.emit("function", self.function_event(f)))
            if use is not None:
                self.loss_uses[id(func.node)] = use
            self.entries = [(node, func)]
            self.probe_skip = own
            try:
                self.emit("function", self.function_event(func))
            finally:
                self.entries, self.probe_skip = [], None
        for key, finding, code, node, func in self.pending:
            if key not in self.findings:
                self.findings[key] = finding
                self.units[key] = key[3]
                self.phases[key] = self.phase
        self.pending = []

    def _probe(self, run) -> set:
        saved = self.probe, self.entries, self.pending
        self.probe, self.entries, self.pending = set(), [], []
        try:
            run()
        except RecursionError:
            pass
        finally:
            found = self.probe
            self.probe, self.entries, self.pending = saved
        return found


def _defines_class(path: str, name: str) -> bool:
    """The module at `path` defines a data set class `name` at its top level (one with its own
    `__getitem__`). Models are not followed from here: the engine's facts on a project's model
    classes run with unknown arguments are not yet precise enough (a precision run found false
    channel, feature and freed-graph findings once they were)."""
    if not _may_define_class(path, name):
        return False  # read, not parsed: most names a library function builds are no such class
    module = project.load(path)
    body = module.tree.body if module is not None and module.tree is not None else ()
    return any(type(stmt) is cst.ClassDef and stmt.name.value == name and any(
        type(item) is cst.FunctionDef and item.name.value == "__getitem__" for item in stmt.body.body) for stmt in body)


# (path, name) -> (the module's stamp, whether its text holds `__getitem__` and `class <name>`):
# a library's uncalled functions ask this of the same few modules again and again
_CLASS_WORDING: dict = {}
_WORD_CHAR = re.compile(r"\w")


def _may_define_class(path: str, name: str) -> bool:
    """The text of the module at `path` holds `__getitem__` and `class <name>` as words (a cheap
    test before its tree is read), answered once while its content is unchanged."""
    key = (os.path.abspath(path), name)
    stamp = project.stamp_of(path)
    hit = _CLASS_WORDING.get(key)
    if hit is not None and stamp is not None and hit[0] == stamp:
        return hit[1]
    text = project.current_text(path)
    found = "__getitem__" in text and class_statement_in(text, name)
    if stamp is not None:
        if len(_CLASS_WORDING) >= 4_096:
            _CLASS_WORDING.clear()
        _CLASS_WORDING[key] = (stamp, found)
    return found


def class_statement_in(text: str, name: str) -> bool:
    """`re.search(rf"\\bclass\\s+{name}\\b", text)`: the pattern begins with its literal `class`
    so that the regular expression engine finds its candidates by a plain substring search (a
    leading `\\b` makes it try every position, a hundred times slower on a long module); the
    word boundary before `class` is tested on each candidate."""
    for m in re.finditer(rf"class\s+{re.escape(name)}\b", text):
        start = m.start()
        if start == 0 or not _WORD_CHAR.match(text, start - 1):
            return True
    return False
