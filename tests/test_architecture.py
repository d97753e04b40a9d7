"""The engine's layering: no import cycle among the project's modules, and no private name
(a leading underscore) imported from one module into another.

Read from the syntax alone (nothing is imported): every `import` and `from ... import`, at
module level or inside a function, of the packages `tensorlint`, `server` and `rules`.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tensorlint", "server", "rules")


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


# installed names of the packages whose folders are named otherwise (pyproject.toml's package-dir)
INSTALLED_AS = {"tensorlint.server": "server", "tensorlint.rules": "rules"}


def _local(dotted: str) -> str:
    for installed, folder in INSTALLED_AS.items():
        if dotted == installed or dotted.startswith(installed + "."):
            return folder + dotted[len(installed):]
    return dotted


def imports_of(name: str, path: Path, modules: dict) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for each project import in the file.
    `from pkg import sub` counts as importing the module `pkg.sub` when `sub` is a module."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _local(alias.name)
                if target in modules:
                    out.append((target, None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            target = _local(target)
            if target.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                sub = _local(f"{target}.{alias.name}")
                if sub in modules:
                    out.append((sub, None, node.lineno))
                elif target in modules:
                    out.append((target, alias.name, node.lineno))
    return out


def import_graph(root: Path = ROOT) -> tuple[dict, list]:
    """The module graph, and the private names imported across modules as
    (importer, line, module, name)."""
    modules = module_files(root)
    graph: dict[str, set] = {m: set() for m in modules}
    private = []
    for name, path in modules.items():
        for target, imported, line in imports_of(name, path, modules):
            if target != name:
                graph[name].add(target)
            if imported and imported.startswith("_") and not imported.startswith("__"):
                private.append((name, line, target, imported))
    return graph, private


def cycles(graph: dict) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    found = []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_no_private_name_imported_across_modules():
    _, private = import_graph()
    assert [f"{importer}:{line} imports {name} from {module}" for importer, line, module, name in private] == []


@pytest.mark.parametrize("source, expected", [
    ({"a.py": "from . import b\n", "b.py": "def f():\n    from .a import g\n"}, [["tensorlint.a", "tensorlint.b"]]),
    ({"a.py": "from .b import f\n", "b.py": "X = 1\n"}, []),
])
def test_cycles_are_found_in_function_level_imports_too(tmp_path, source, expected):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for name, text in source.items():
        (tmp_path / "tensorlint" / name).write_text(text)
    graph, _ = import_graph(tmp_path)
    assert cycles(graph) == expected


def test_a_private_name_imported_from_another_module_is_named(tmp_path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "tensorlint" / "a.py").write_text("def _helper():\n    pass\n")
    (tmp_path / "rules" / "r.py").write_text("def f():\n    from tensorlint.a import _helper\n")
    _, private = import_graph(tmp_path)
    assert private == [("rules.r", 2, "tensorlint.a", "_helper")]
