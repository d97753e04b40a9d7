"""Constructor calls of a library file's classes that its project writes elsewhere.

A library file defines a class whose constructor needs arguments (`WaveNetModel(batch_size,
dilations, ...)`) and never builds it: the values are its callers'. Where another module of the
same project builds it with values written out (`WaveNetModel(batch_size=1, dilations=[1, 2, 4],
filter_width=2, ...)` in a test, an example or a training script), those values are the
project's own, not the check's: the class may be built as that line builds it. Only values the
call's text fixes are taken: literals, lists, tuples and dicts of them, arithmetic on numbers,
and names its module binds once, at its top level, to such a value (`NUM_SPEAKERS = 3`). A call
with any other argument (a flag, a computed size, `*args`), or written inside a `with` block (a
test that expects it to fail: `with self.assertRaises(...)`), is not used.
"""
from __future__ import annotations

import ast
import os
import re

from .driver import PROJECT_MARKERS, package_of, project_roots

MOST_FILES = 400  # project modules read at most
MOST_BYTES = 400_000  # a module larger than this is not read
MOST_READ = 4_000_000  # characters read from the project's modules in all
SKIP_FOLDERS = frozenset({".git", ".venv", "venv", "env", "site-packages", "node_modules", "__pycache__", "build", "dist"})
NUMBERS = (int, float, complex, bool)
BIGGEST = 10 ** 9  # a computed number beyond this is not taken (`2 ** 10 ** 9`)


def needs_arguments(tree: ast.Module) -> dict[str, list[str]]:
    """{name: the parameters it needs} for the file's top-level classes whose own `__init__` needs
    an argument, and its top-level functions that need one and that nothing in the file names (a
    model factory: `DenseNetFCN(input_shape)`)."""
    named = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Store)}
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and (node.name in named or node.decorator_list
                                                  or not builds_a_model(node, classes)):
            continue
        init = node if isinstance(node, ast.FunctionDef) else next(
            (item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None) \
            if isinstance(node, ast.ClassDef) else None
        if init is None:
            continue
        a = init.args
        positional = [*a.posonlyargs, *a.args][0 if init is node else 1:]
        required = [p.arg for p in positional[:len(positional) - len(a.defaults)]]
        required += [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]
        if required:
            out[node.name] = required
    return out


# what a model factory calls (`Model(inputs, x)`, `Sequential([...])`), and what one never does:
# a function that trains, fits or loads data is not built to get a model
MODEL_MAKERS = frozenset({"Model", "Sequential", "Functional"})
NOT_A_FACTORY = frozenset({"fit", "fit_generator", "train_on_batch", "backward", "step", "load_data", "download",
                           "DataLoader", "urlretrieve", "open"})


def builds_a_model(func: ast.FunctionDef, classes: set[str]) -> bool:
    """The function returns a value and makes a model (`Model(...)`, `Sequential(...)`, a class of
    the file), and neither trains nor reads data."""
    called = {(c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", None))
              for c in ast.walk(func) if isinstance(c, ast.Call)}
    returns = any(isinstance(r, ast.Return) and r.value is not None for r in ast.walk(func))
    return returns and bool(called & (MODEL_MAKERS | classes)) and not called & NOT_A_FACTORY


def project_constructors(path: str, text: str) -> dict[str, dict]:
    """{class: {"args": [repr], "kwargs": {name: repr}, "where": "relative/path.py:line"}} for the
    file's classes whose constructor needs arguments and which another module of its project builds
    with values its text fixes (the first such call, in the order of the modules' paths)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    wanted = needs_arguments(tree)
    if not wanted:
        return {}
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    package, _root = package_of(folder)
    words = [os.path.splitext(os.path.basename(path))[0], *([package.rsplit(".", 1)[-1]] if package else [])]
    top = project_top(folder)
    found: dict[str, dict] = {}
    read = 0
    for other in project_modules(top, path):
        if read > MOST_READ:
            break
        try:
            with open(other, encoding="utf-8") as f:
                source = f.read(MOST_BYTES + 1)
        except (OSError, UnicodeDecodeError):
            continue
        read += len(source)
        # a module that names neither the file's module nor its package cannot import its classes
        if len(source) > MOST_BYTES or not any(word in source for word in words) \
                or not any(re.search(rf"\b{name}\s*\(", source) for name in wanted if name not in found):
            continue
        try:
            module = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            continue
        for name, call in calls_of(module, set(wanted) - set(found), path, package, other):
            values = call_values(call, module_constants(module))
            if values is not None and covers(values, wanted[name]):
                found[name] = dict(values, where=f"{os.path.relpath(other, top)}:{call.lineno}")
        if len(found) == len(wanted):
            break
    return found


def project_top(folder: str) -> str:
    """The project's root: the nearest folder above (or at) `folder` that marks one, else the
    topmost package folder's parent, else `folder` itself."""
    roots = project_roots(folder)
    if roots:
        return roots[-1]
    if any(os.path.exists(os.path.join(folder, m)) for m in PROJECT_MARKERS):
        return folder
    _package, root = package_of(folder)
    return root or folder


def project_modules(top: str, path: str) -> list[str]:
    """The project's Python modules other than `path`, in the order of their paths, at most MOST_FILES."""
    out = []
    for here, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS and not d.startswith("."))
        for f in sorted(files):
            full = os.path.join(here, f)
            if f.endswith(".py") and os.path.abspath(full) != path:
                out.append(full)
                if len(out) >= MOST_FILES:
                    return out
    return out


def calls_of(module: ast.Module, names: set[str], path: str, package: str | None, where: str):
    """(class, call) for each call in `module` of one of `names` as the file at `path` defines it:
    imported from its module (`from wavenet.model import WaveNetModel`, `from .model import ...`,
    `import model as m` ... `m.WaveNetModel(...)`), or from its package, whose `__init__` names it;
    the import resolved to that file, not to another module of the same name."""
    base = os.path.splitext(os.path.abspath(path))[0]
    folder = os.path.dirname(base)
    exported = package_exports(folder) if package else ""
    bound: dict[str, str] = {}  # local name -> class
    modules: set[str] = set()  # local names of the file's module
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom):
            target = imported(node.module, node.level, where)
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name in names and (same(target, base) or (exported and same(target, folder)
                                                                   and alias.name in exported)):
                    bound[local] = alias.name
                elif target is not None and same(os.path.join(target, alias.name), base):
                    modules.add(local)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if same(imported(alias.name, 0, where), base):
                    modules.add(alias.asname or alias.name)
    if not bound and not modules:
        return
    for node in ast.walk(module):
        if not isinstance(node, ast.Call) or id(node) in expected_to_fail(module):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in bound:
            yield bound[f.id], node
        elif isinstance(f, ast.Attribute) and f.attr in names and isinstance(f.value, (ast.Name, ast.Attribute)) \
                and ast.unparse(f.value) in modules:
            yield f.attr, node


def imported(name: str | None, level: int, where: str) -> str | None:
    """The path (without `.py`) an import names: relative to the importing module's folder for a
    relative import, else the dotted name as a path suffix (`wavenet/model`)."""
    parts = (name or "").split(".") if name else []
    if level:
        here = os.path.dirname(os.path.abspath(where))
        for _ in range(level - 1):
            here = os.path.dirname(here)
        return os.path.join(here, *parts)
    return os.path.join(*parts) if parts else None


def same(target: str | None, base: str) -> bool:
    """`target` (an absolute path, or a relative suffix from an absolute import) names `base`."""
    if not target:
        return False
    if os.path.isabs(target):
        return os.path.normpath(target) == base
    return base == target or base.endswith(os.sep + os.path.normpath(target))


EXPECTS_FAILURE = ("raises", "Raises", "RaisesRegex", "RaisesRegexp", "warns", "Warns")


def expected_to_fail(module: ast.Module) -> set[int]:
    """The nodes inside a block that expects an error (`with self.assertRaises(...)`,
    `with pytest.raises(...)`, the body of a `try`): a call there may be built to fail."""
    cached = getattr(module, "_tensorlint_expected", None)
    if cached is not None:
        return cached
    out: set[int] = set()
    for node in ast.walk(module):
        blocks = []
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                isinstance(i.context_expr, ast.Call) and ast.unparse(i.context_expr.func).endswith(EXPECTS_FAILURE)
                for i in node.items):
            blocks = node.body
        elif isinstance(node, ast.Try):
            blocks = node.body
        out |= {id(n) for b in blocks for n in ast.walk(b)}
    module._tensorlint_expected = out
    return out


def package_exports(folder: str) -> str:
    """The text of the package's `__init__.py` (where it re-exports the file's classes)."""
    try:
        with open(os.path.join(folder, "__init__.py"), encoding="utf-8") as f:
            return f.read(MOST_BYTES)
    except (OSError, UnicodeDecodeError):
        return ""


def module_constants(module: ast.Module) -> dict[str, object]:
    """The names the module binds once, at its top level, to a value its text fixes."""
    counts: dict[str, int] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
    out: dict[str, object] = {}
    for node in module.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        # `ROWS = 32`, and `ROWS, COLS = 32, 32` name by name
        pairs = [(target, value)] if isinstance(target, ast.Name) else list(zip(target.elts, value.elts)) \
            if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts) else []
        for name, part in pairs:
            if isinstance(name, ast.Name) and counts.get(name.id) == 1:
                try:
                    out[name.id] = fixed(part, out)
                except ValueError:
                    pass
    return out


def call_values(call: ast.Call, constants: dict) -> dict | None:
    """{"args": [repr], "kwargs": {name: repr}} when every argument is a value the text fixes."""
    try:
        args = [repr(fixed(a, constants)) for a in call.args if not isinstance(a, ast.Starred) or fail()]
        kwargs = {k.arg: repr(fixed(k.value, constants)) for k in call.keywords if k.arg is not None or fail()}
    except ValueError:
        return None
    return {"args": args, "kwargs": kwargs}


def covers(values: dict, required: list[str]) -> bool:
    """The call gives every parameter the constructor needs (positionally or by name)."""
    return all(i < len(values["args"]) or p in values["kwargs"] for i, p in enumerate(required))


def fail():
    raise ValueError("not a value the text fixes")


def fixed(node, constants: dict):
    """The value of an expression its text fixes, or ValueError."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (*NUMBERS, str, bytes, type(None))):
        return node.value
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [fixed(e, constants) for e in node.elts if not isinstance(e, ast.Starred) or fail()]
        return items if isinstance(node, ast.List) else tuple(items) if isinstance(node, ast.Tuple) else fail()
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            fail()
        try:
            return {fixed(k, constants): fixed(v, constants) for k, v in zip(node.keys, node.values)}
        except TypeError:  # a key that cannot be one (`{[1]: 2}`)
            fail()
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = fixed(node.operand, constants)
        if isinstance(value, NUMBERS):
            return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Pow)):
        left, right = fixed(node.left, constants), fixed(node.right, constants)
        if isinstance(left, NUMBERS) and isinstance(right, NUMBERS) and not isinstance(left, bool) \
                and not isinstance(right, bool):
            if isinstance(node.op, ast.Pow) and (abs(right) > 64 or abs(left) > BIGGEST):
                fail()
            try:
                value = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right, ast.Mult: lambda: left * right,
                         ast.Div: lambda: left / right, ast.FloorDiv: lambda: left // right,
                         ast.Pow: lambda: left ** right}[type(node.op)]()
            except (ArithmeticError, TypeError):
                fail()
            if isinstance(value, (int, float)) and abs(value) <= BIGGEST:
                return value
    fail()
