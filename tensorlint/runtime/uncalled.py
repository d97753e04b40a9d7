"""The top-level functions of a file that nothing in it calls and that need no argument, and
among them the factories a library file makes its models with (`def ResNet18(): return
ResNet(...)`), with the input sizes their parameters stand for."""
from __future__ import annotations

import libcst as cst

from .input_sizes import input_sizes
from .syntax import small_statements


def uncalled_functions(module: cst.Module, sized: bool = False) -> list[cst.FunctionDef]:
    """The module's top-level functions that nothing in the file names and that need no argument
    (each parameter has a default; with `sized`, also those whose parameters without one
    input_sizes() accounts for)."""
    named: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            named.add(node.value)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
                stmt.visit(self)
            for dec in node.decorators:
                dec.visit(self)
            return False

    module.visit(Names())
    out = []
    for stmt in module.body:
        if not isinstance(stmt, cst.FunctionDef) or stmt.name.value in named or stmt.decorators \
                or stmt.asynchronous is not None or not isinstance(stmt.body, cst.IndentedBlock):
            continue
        p = stmt.params
        if any(param.default is None for param in [*p.posonly_params, *p.params, *p.kwonly_params]) \
                and not (sized and input_sizes(stmt)):
            continue
        if isinstance(p.star_arg, cst.Param) or p.star_kwarg is not None:
            continue
        out.append(stmt)
    return out


def factories(module: cst.Module) -> list[str]:
    """The functions a library file defines to make its models (`def ResNet18(): return
    ResNet(BasicBlock, [2, 2, 2, 2])`): nothing in the file calls them, they need no argument
    and they return a value."""
    return [f.name.value for f in uncalled_functions(module) if returns_a_value(f.body)]


def sized_factories(module: cst.Module) -> dict[str, dict[str, int]]:
    """The factories of a library file whose parameters without a default are sizes of the input
    the function declares, and nothing else: `def fcn_8s(image_size, ch_in=3): inputs =
    Input(shape=(*image_size, ch_in))`. For each, {parameter: how many sizes it stands for}
    (input_sizes()); the check chooses them as it chooses the free sides of a declared input."""
    out = {}
    for f in uncalled_functions(module, sized=True):
        sizes = input_sizes(f)
        if sizes and returns_a_value(f.body):
            out[f.name.value] = sizes
    return out


def returns_a_value(body) -> bool:
    """`return <value>` in a function's own body (not in a function or class nested in it)."""
    return any(isinstance(s, cst.Return) and s.value is not None for s in small_statements(body))
