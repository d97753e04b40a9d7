"""Module-level nodes of a file by name, and node lines, looked up once per run: facts several
rules read of the same module-level statements, each chunk's part kept with its tree."""
import libcst as cst

from ._trees import gathered_by_chunk, per_chunk, run_facts

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_ABSENT = object()


def module_nodes_by_name(ctx, kinds: tuple, name_of) -> list:
    """Per chunk: name -> the nodes of the concrete `kinds` types in the chunk's module-level
    code (bodies of functions, classes and lambdas excluded), in source order, under each name
    `name_of(node)` gives (an iterable of names)."""
    from tensorlint.cstwalk import nodes_by_scope

    def index(module):
        out: dict = {}
        for n in nodes_by_scope(module, _SCOPES, kinds)[id(module)]:
            for name in name_of(n):
                out.setdefault(name, []).append(n)
        return out

    return per_chunk(ctx, ("nodes by name", kinds, name_of), index)


def module_nodes_named(ctx, kinds: tuple, name_of, name) -> list:
    """The nodes `module_nodes_by_name` files under `name`, of every chunk in order; gathered
    once per name and run, from the last run's list for the chunks an edit did not change
    (`gathered_by_chunk`)."""
    run = run_facts(ctx)
    key = ("nodes named", kinds, name_of, name)
    got = run.get(key)
    if got is None:
        parts = module_nodes_by_name(ctx, kinds, name_of)
        got = run[key] = [n for _, found in gathered_by_chunk(ctx, ("nodes by name", kinds, name_of), parts, name)
                          for n in found]
    return got


def line_of(ctx, node):
    """`ctx.line(node)`, looked up once per node and run (a rule that compares the lines of
    the same module-level nodes for every use it checks)."""
    run = run_facts(ctx)
    lines = run.get("lines")
    if lines is None:
        lines = run["lines"] = {}
    got = lines.get(id(node), _ABSENT)
    if got is _ABSENT:
        got = lines[id(node)] = ctx.line(node)
    return got
