import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._arity import binding_counts, call_misfit
from ._trees import chunk_calls, per_chunk, per_chunk_reading, per_chunk_text, run_fact, text_matches

# a module-level `def` somewhere in the text: nothing to judge without one
_TOP_DEF = re.compile(r"^def [A-Za-z_]\w*\s*\(", re.M)
# text that binds names the syntax does not show
# (patterns that begin with a literal, the regex engine's fast case; see TL003's)
_DYNAMIC = tuple(re.compile(p) for p in (
    r"import\s+\*", r"globals(?<![\w.]globals)\s*\(", r"exec(?<![\w.]exec)(?:file)?\s*\(",
    r"setattr(?<![\w.]setattr)\s*\(", r"sys\.modules", r"__builtins__"))


class FunctionCallArity(Rule):
    """
    ## What it does
    Finds a call of a function of the file whose arguments its definition cannot take:
    `train(epoch)` for `def train():`, `evaluate(model, loader)` for `def evaluate(loader):`, a
    keyword the function has no parameter for, or a required parameter left out. The function
    is a plain `def` at the file's top level, without a decorator, and its name is bound nowhere
    else in the file (no second definition, assignment, import, parameter or method of that
    name, no `import *`, `globals()` or `exec`), so every call of the name runs that definition.

    ## Why is this bad?
    Python checks a call's arguments against the definition when the call runs: the call raises
    `TypeError` and the script stops, often after the data is loaded, the model built and the
    first epoch spent (a `train(epoch)` left from an earlier signature fails at the first epoch,
    an `evaluate` given one argument too many at the end of the first epoch).

    ## Example
    ```python
    def train():
        model.train()
        ...

    for epoch in range(1, 101):
        loss = train(epoch)
    ```

    ## Use instead
    ```python
    for epoch in range(1, 101):
        loss = train()
    ```

    ## Fix safety
    There is no automatic fix: whether the call or the definition is out of date is the program's.
    """

    code = "TL443"
    name = "function-call-arity"
    severity = Severity.ERROR
    summary = "A function of the file called with arguments its definition cannot take (an extra or missing argument, an unknown keyword)."
    failing = (
        "import torch\n\nmodel = torch.nn.Linear(4, 2)\n\ndef train():\n    model.train()\n    return 0.0\n\n"
        "for epoch in range(1, 11):\n    loss = train(epoch)  # TL443\n",
        "import torch\n\ndef evaluate(model, loader, *, device):\n    model.eval()\n    return [model(x.to(device)) for x in loader]\n\n"
        "def main():\n    net = torch.nn.Linear(4, 2)\n    evaluate(net, [], torch.device('cpu'))  # TL443\n"
        "    evaluate(net, [], devcie='cpu')  # TL443\n    evaluate(net)  # TL443\n",
    )
    passing = (
        "import torch\n\nmodel = torch.nn.Linear(4, 2)\n\ndef train():\n    model.train()\n    return 0.0\n\n"
        "for epoch in range(1, 11):\n    loss = train()\n",
    )
    lookalikes = (
        # defaults, *args and **kwargs, a star argument at the call
        "import torch\n\ndef train(epoch=0, *rest, **options):\n    return epoch\n\ndef test(loader, verbose=False):\n"
        "    return loader\n\nargs = (1, 2)\nprint(train(1, 2, 3, lr=0.1), test([], True), test(loader=[]), train(*args))\n",
        # the name bound again (a second definition, a parameter, a decorator, a method), a nested def
        "import torch\nimport functools\n\ndef train():\n    return 0\n\ndef train(epoch):\n    return epoch\n\n"
        "def step():\n    return 1\n\ndef run(step):\n    return step(3)\n\n@functools.lru_cache\ndef cached():\n    return 2\n\n"
        "class Net(torch.nn.Module):\n    def test(self, x):\n        return x\n\ndef test():\n    return 0\n\n"
        "print(train(1), run(print), cached(1), Net().test(1), test(2))\n",
    )

    def on_module(self, ctx, ev):
        if not text_matches(ctx, _TOP_DEF) or text_matches(ctx, _DYNAMIC):
            return
        if not run_fact(ctx, _functions):
            return
        for found in per_chunk_reading(ctx, ("TL443 misfits",), lambda i, read: _misfits(ctx, i, read)):
            for call, func, problem in found:
                ctx.report(self, call,
                           f"`{ctx.source(call).strip()}` calls {func.name.value}({ctx.source(func.params).strip()}), "
                           f"defined at line {ctx.line(func)}, which {problem}: the call raises TypeError when it runs",
                           related=[(func, f"{func.name.value} defined here")])


def _dynamic(text: str) -> bool:
    return any(p.search(text) is not None for p in _DYNAMIC)


def _functions(ctx) -> dict:
    """name -> the file's top-level undecorated `def` of that name, for the names defined once at
    the top level: their calls are judged, once `_bound_once` confirms no other binding."""
    out: dict = {}
    for defs in per_chunk(ctx, ("TL443 top-level defs",), _top_defs):
        for d in defs:
            out.setdefault(d.name.value, []).append(d)
    return {name: ds[0] for name, ds in out.items() if len(ds) == 1 and not ds[0].decorators}


def _top_defs(module) -> list:
    return [s for s in module.body if type(s) is cst.FunctionDef]


def _misfits(ctx, i, read) -> list:
    """(call, the function it calls, what does not fit) for chunk `i`'s calls of a plain name
    that is one of `_functions` and whose arguments that definition cannot take."""
    functions = None
    out = []
    for call in chunk_calls(ctx, i):
        if type(call.func) is not cst.Name:
            continue
        functions = functions if functions is not None else read(_functions)
        func = functions.get(call.func.value)
        if func is None or any(a.star for a in call.args):
            continue
        problem = call_misfit(func.params, call, skip_self=False, noun="argument")
        if problem is not None and read(_bound_once, call.func.value):
            out.append((call, func, problem))
    return out


def _bound_once(ctx, name: str) -> bool:
    """Whether `name` is bound exactly once in the whole file, every scope counted (its `def`),
    and no chunk's text binds names the syntax does not show."""
    if any(per_chunk_text(ctx, ("TL443 dynamic text",), _dynamic)):
        return False
    return sum(counts.get(name, 0) for counts in per_chunk(ctx, ("TL443 binding counts",), binding_counts)) == 1
