"""Functions of a library file that nothing in the file calls, run on arguments the check makes
up, only to reach a line whose static finding says it raises whatever the values are.

A library file defines functions its caller gives tensors to (`def multihead_attention(queries,
keys, num_units=None)`); the file never calls them, so the check has none of the caller's values.
Most errors such a function could raise depend on those values, and a value the check makes up
must never be blamed on the program. A few do not: `x.get_shape().as_list[-1]` subscripts a
method, `len(x.get_shape)` takes the length of one (TL108), and Python raises TypeError there
for any tensor, of any shape or dtype. For such a finding the run adds what the static analysis
cannot know alone: that the line is reached with the file's own defaults and raises. So each
uncalled top-level function whose body holds such a finding's line is called once (child/
probe_calls.py), its parameters without a default given made-up tensors and those with one their
default; the error counts as the program's only when it is raised at the finding's own line, by
Python itself (the innermost frame is that line), with the message the finding predicts.
Anything else the run does is said as run on made-up arguments ("could not check").
"""
from __future__ import annotations

import ast

# static codes whose line raises whatever values reach it: code -> (error type, a pattern its
# message matches, the framework whose tensors the made-up arguments are)
VALUE_FREE = {
    "TL108": ("TypeError", "'method'", "tensorflow"),
    # an integer tensor the program makes asked for gradients: its dtype, not its values, raises
    "TL103": ("RuntimeError", "can require gradients", "torch"),
    # a call of a function of the file with more or fewer arguments than it takes (any framework)
    "TL443": ("TypeError", r"\(\) (?:takes|missing|got)", None),
}
MOST = 4  # functions probed per file


def probes(text: str, findings: list, built: set[str] = frozenset()) -> list[dict]:
    """[{"name", "line", "params", "lines", "code", "error", "words", "framework"}, with "cls" and
    "method" for a method] for the top-level functions nothing in the file calls, and the methods
    nothing calls of classes that build without arguments or that the project builds elsewhere with
    values written out (`built`, project_calls.py), whose own body (not a nested definition) holds
    the line of a finding in VALUE_FREE; the lines are those of the first finding's code."""
    marked: dict[int, str] = {}
    for f in findings:
        if getattr(f, "code", None) in VALUE_FREE:
            marked.setdefault(f.line, f.code)
    if not marked:
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    # a name read anywhere (called, passed on, stored) or an attribute of that name: its caller is in the file
    read = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store)}
    read |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name not in read:
            found = probe(node, marked)
            if found:
                out.append(found)
        elif isinstance(node, ast.ClassDef) and not node.decorator_list and (builds_bare(node) or node.name in built):
            # a method of a class its own constructor builds without arguments (a trainer, a loss
            # object), or as its project builds it: the instance is the project's own
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("__") and item.name not in read \
                        and item.args.args and item.args.args[0].arg == "self":
                    found = probe(item, marked, skip=1)
                    if found:
                        out.append(dict(found, name=f"{node.name}.{item.name}", cls=node.name, method=item.name))
        if len(out) >= MOST:
            break
    return out[:MOST]


def probe(func: ast.FunctionDef, marked: dict[int, str], skip: int = 0) -> dict | None:
    """The probe of `func` (its first `skip` parameters bound already), or None where its own body
    holds no marked line or it is decorated (what runs is then not the body as written)."""
    lines = sorted(ln for ln in own_lines(func) if ln in marked)
    if not lines or func.decorator_list:
        return None
    lines = [ln for ln in lines if marked[ln] == marked[lines[0]]]
    a = func.args
    positional = [*a.posonlyargs, *a.args]
    required = [p.arg for p in positional[:len(positional) - len(a.defaults)]][skip:]
    required += [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]
    code = marked[lines[0]]
    error, words, framework = VALUE_FREE[code]
    return {"name": func.name, "line": func.lineno, "params": required, "lines": lines, "code": code,
            "error": error, "words": words, "framework": framework}


def builds_bare(cls: ast.ClassDef) -> bool:
    """The class defines a constructor that needs no argument. (One it inherits is not seen here;
    the run tries it, and a class that does not build is not probed.)"""
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            a = item.args
            positional = [*a.posonlyargs, *a.args]
            return len(positional) - len(a.defaults) <= 1 and all(d is not None for d in a.kw_defaults)
    return True


def own_lines(func: ast.FunctionDef) -> set[int]:
    """The lines of the statements of `func` itself, not of the functions, lambdas and classes it defines."""
    lines: set[int] = set()

    def walk(node) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            if hasattr(child, "lineno"):
                lines.add(child.lineno)
            walk(child)

    walk(func)
    return lines
