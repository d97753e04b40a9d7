"""The classes a module's own code defines, chunk by chunk, kept with each chunk's tree."""
import libcst as cst

from tensorlint.cstwalk import children

from ._trees import per_chunk


def module_classes(ctx) -> list:
    """The classes the module's own code defines (at the top, or in the blocks of its `if`,
    `try`, `with` and loop statements; not in functions or classes), chunk by chunk in source
    order: what `module_nodes_by_name` finds of ClassDef, from a walk of statements alone (a
    class is a statement), kept per tree."""
    return [c for found in per_chunk(ctx, ("module classes",), _classes_in) for c in found]


_BLOCKS = (cst.BaseSuite, cst.BaseCompoundStatement, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally,
           cst.MatchCase)


def _classes_in(module) -> list:
    out = []
    stack = list(reversed(module.body))
    while stack:
        n = stack.pop()
        kind = type(n)
        if kind is cst.ClassDef:
            out.append(n)
        elif kind is cst.FunctionDef or kind is cst.SimpleStatementLine:
            continue
        elif isinstance(n, cst.BaseSuite):
            stack.extend(reversed(n.body))
        elif isinstance(n, _BLOCKS):
            stack.extend(reversed([c for c in children(n) if isinstance(c, _BLOCKS)]))
    return out
