import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._training import parents
from ._untouched import names_by_value
from ._trees import calls_where, per_chunk, per_chunk_statements, texts_of

_ITERTOOLS = frozenset({"itertools.chain", "itertools.chain.from_iterable", "itertools.islice",
                        "itertools.filterfalse", "itertools.starmap", "itertools.zip_longest"})
_ITERTOOL_NAMES = frozenset(q.rsplit(".", 1)[-1] for q in _ITERTOOLS)
_BUILTIN_ITERATORS = frozenset({"map", "filter", "zip", "iter", "reversed", "enumerate"})
# torch.nn.Module methods that return generators
_GENERATOR_METHODS = frozenset({"parameters", "named_parameters", "buffers", "named_buffers", "children",
                                "named_children", "modules", "named_modules"})
# builtins that run through an iterable they are given
_CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "sum", "min", "max", "any", "all", "dict"})
_WRAPPERS = frozenset({"zip", "enumerate"})  # consume their arguments when the loop over them runs
_TORCH_CONSUMERS = frozenset({"torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_value_",
                              "torch.nn.utils.clip_grad.clip_grad_norm_", "torch.nn.utils.parameters_to_vector"})
_TEXT = ("chain", "parameters()", "map(", "filter(", "zip(", "iter(", "reversed(", "enumerate(", "islice(",
         "children()", "modules()", "buffers()")


class IteratorConsumedTwice(Rule):
    """
    ## What it does
    Finds a one-shot iterator bound to a name and run through twice: `q_params =
    itertools.chain(q1.parameters(), q2.parameters())` handed to `Adam(q_params)` and looped over
    later (`for p in q_params: p.requires_grad = False`); `params = model.parameters()` given to
    the optimizer and then to `clip_grad_norm_`; a `zip(...)`, `map(...)` or `filter(...)`
    looped over twice. The name must have that one binding in its function (or
    module), and the first use must run before the second on every path: an earlier statement
    of a block that holds the second use, or a function defined after it that reads the name.

    ## Why is this bad?
    A generator, `itertools.chain`, `map`, `filter` and `zip` yield their items once; the
    second pass finds the iterator exhausted and runs over nothing, without an error. An
    optimizer reads every parameter of the iterator it is given, so a later loop that freezes
    those parameters during the policy update freezes none (and the update trains the critic
    too), a gradient clip clips nothing, and a second epoch over a `zip` of the data sees no
    batch.

    ## Example
    ```python
    q_params = itertools.chain(ac.q1.parameters(), ac.q2.parameters())
    q_optimizer = Adam(q_params, lr=lr)
    ...
    for p in q_params:
        p.requires_grad = False
    ```

    ## Use instead
    ```python
    q_params = list(itertools.chain(ac.q1.parameters(), ac.q2.parameters()))
    ```

    ## Fix safety
    The fix makes the iterator a list where it is bound. It is unsafe only where the program
    relies on the iterator running out (nothing reads it then).
    """

    code = "TL317"
    triggers = _TEXT
    name = "iterator-consumed-twice"
    severity = Severity.ERROR
    python3_only = True  # map, filter and zip are lists in Python 2
    fix = Applicability.UNSAFE
    summary = "A one-shot iterator (chain, parameters(), zip, map) run through a second time: the second pass sees nothing."
    failing = (
        "import itertools\nimport torch\nfrom torch.optim import Adam\n\n"
        "def sac(ac, lr=1e-3):\n    q_params = itertools.chain(ac.q1.parameters(), ac.q2.parameters())\n"
        "    q_optimizer = Adam(q_params, lr=lr)\n\n    def update(data):\n"
        "        for p in q_params:  # TL317\n            p.requires_grad = False\n        ac.pi(data).sum().backward()\n"
        "        for p in q_params:  # TL317\n            p.requires_grad = True\n    return update\n",
        "import torch\n\nmodel = torch.nn.Linear(4, 2)\nparams = model.parameters()\nopt = torch.optim.SGD(params, lr=0.1)\n"
        "for x in torch.randn(8, 2, 4):\n    loss = model(x).sum()\n    opt.zero_grad()\n    loss.backward()\n"
        "    torch.nn.utils.clip_grad_norm_(params, 1.0)  # TL317\n    opt.step()\n",
        "import torch\n\ndef fit(xs, ys, model, opt):\n    batches = zip(xs, ys)\n"
        "    n = sum(1 for _ in batches)\n    for x, y in batches:  # TL317\n        opt.zero_grad()\n"
        "        ((model(x) - y) ** 2).mean().backward()\n        opt.step()\n    return n\n",
    )
    passing = (
        "import itertools\nimport torch\nfrom torch.optim import Adam\n\n"
        "def sac(ac, lr=1e-3):\n    q_params = list(itertools.chain(ac.q1.parameters(), ac.q2.parameters()))\n"
        "    q_optimizer = Adam(q_params, lr=lr)\n\n    def update(data):\n"
        "        for p in q_params:\n            p.requires_grad = False\n    return update\n",
    )
    lookalikes = (
        # the iterator used once on each of two exclusive paths; made again before the second use
        "import torch\n\ndef make(model, kind):\n    params = model.parameters()\n    if kind == 'adam':\n"
        "        opt = torch.optim.Adam(params)\n    else:\n        opt = torch.optim.SGD(params, lr=0.1)\n    return opt\n\n"
        "def clip(model):\n    opt = torch.optim.SGD(model.parameters(), lr=0.1)\n    params = model.parameters()\n"
        "    torch.nn.utils.clip_grad_norm_(params, 1.0)\n    return opt\n",
        # a function defined before the first use (it may run before it), a name bound twice, a list
        "import torch\n\ndef setup(model):\n    params = model.parameters()\n    def freeze():\n        for p in params:\n"
        "            p.requires_grad = False\n    freeze()\n    opt = torch.optim.SGD(params, lr=0.1)\n    return opt\n\n"
        "def twice(model):\n    ps = model.parameters()\n    opt = torch.optim.SGD(ps, lr=0.1)\n    ps = model.parameters()\n"
        "    for p in ps:\n        p.requires_grad = False\n    names = list(map(str, range(3)))\n    a = list(names)\n"
        "    b = sorted(names)\n    return opt, a, b\n",
        # a class of the file with its own parameters() method
        "import torch\n\nclass Bag:\n    def parameters(self):\n        return [torch.zeros(2)]\n\n"
        "bag = Bag()\nps = bag.parameters()\nopt = torch.optim.SGD(ps, lr=0.1)\nfor p in ps:\n    p.requires_grad = False\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if not any(t in text for t in _TEXT):
            return
        env = module_names(ctx)
        own_methods = "def " in text and any(f"def {m}(" in text for m in _GENERATOR_METHODS)
        torch = []  # whether the file imports torch, read once per run on first need
        p = assigned = None
        for call in calls_where(ctx, "tl317 iterator makers", _maker):
            if not self._one_shot(env, call, own_methods, torch):
                continue
            if assigned is None:  # (the file's parent links are built only for a call bound to a name)
                assigned = {k: a for index in per_chunk_statements(ctx, ("tl317 calls bound to a name",), _calls_bound) for k, a in index.items()}
            assign = assigned.get(id(call))
            if assign is None:
                continue
            name = assign.targets[0].target.value
            if _mentions(ctx, name) < 3:  # the binding and two uses at least
                continue
            p = p or parents(ctx)
            self._check(ctx, env, p, assign, name)

    @staticmethod
    def _one_shot(env, call, own_methods: bool, torch: list) -> bool:
        func = call.func
        if isinstance(func, cst.Name) and func.value in _BUILTIN_ITERATORS:
            return func.value not in env
        if isinstance(func, cst.Attribute) and func.attr.value in _GENERATOR_METHODS and not call.args:
            if own_methods:
                return False
            if not torch:
                torch.append("torch" in {getattr(v, "qualname", "").partition(".")[0] for v in env.values()})
            return torch[0]
        return imported_qualname(env, func) in _ITERTOOLS

    def _check(self, ctx, env, p, assign, name: str):
        scope = p.scope(assign)
        if scope is None:
            return
        if isinstance(scope, cst.Module):
            found = per_chunk(ctx, ("tl317 binding counts",), _binding_counts)
        else:
            found = [_binding_counts(scope)]
        if sum(counts.get(name, 0) for counts in found) != 1:
            return
        if isinstance(scope, cst.Module):  # every chunk's, from an index kept with each tree
            uses = [n for index in per_chunk(ctx, ("names by value",), names_by_value) for n in index.get(name, ())]
        else:
            uses = [n for n in descendants(scope) if isinstance(n, cst.Name) and n.value == name]
        consumed = [(u, c) for u in uses for c in [_consumer(env, p, u)] if c is not None and _reads_binding(p, u, scope, name)]
        if len(consumed) < 2:
            return
        first, how = consumed[0]
        s1 = p.statement(first)
        block = p.parent.get(s1)
        end = _last_line(ctx, s1)
        for later, _ in consumed[1:]:
            line = ctx.line(later)
            if line is None or end is None or line <= end or not _after_on_every_path(ctx, p, later, s1, block, scope):
                continue
            self._report(ctx, assign, name, first, how, later)

    def _report(self, ctx, assign, name, first, how, later):
        value = ctx.source(assign.value).strip()
        span = ctx.span(assign.value)
        fix = Fix("Make it a list", (Edit(span, f"list({value})"),), Applicability.UNSAFE) if span else None
        ctx.report(self, later,
                   f"`{name}` is a one-shot iterator (`{_short(value)}`, line {ctx.line(assign)}) that {how} at line "
                   f"{ctx.line(first)} already ran through: this second pass over it sees no item and does nothing, "
                   f"without an error. Bind it to a list (`{name} = list(...)`) to go through it more than once",
                   fix=fix, related=[(assign, "iterator bound here"), (first, "first pass")])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _maker(call) -> bool:
    """Whether the callee's own syntax may make a one-shot iterator (resolved later)."""
    func = call.func
    kind = type(func)  # (exact types: libcst's are ABCs, slow under isinstance)
    last = func.value if kind is cst.Name else func.attr.value if kind is cst.Attribute else ""
    return last in _BUILTIN_ITERATORS or last in _GENERATOR_METHODS or last in _ITERTOOL_NAMES


def _calls_bound(found) -> dict:
    """id(call) -> its assignment, for every `name = call(...)` among a tree's statements
    (`found`: one name, nothing else on the left)."""
    out = {}
    for node in found:
        if type(node) is cst.Assign and type(node.value) is cst.Call and len(node.targets) == 1 \
                and isinstance(node.targets[0].target, cst.Name):
            out[id(node.value)] = node
    return out


def _mentions(ctx, name: str) -> int:
    """How many times the file's text holds `name` as a whole word (each chunk's text counted
    once per tree: `texts_of`)."""
    word = re.escape(name)
    pattern = re.compile(rf"{word}(?<=\b{word})\b")  # (led by the name: a leading `\b` tries every position)
    return sum(texts_of(ctx, ("tl317 mentions", name), lambda t: len(pattern.findall(t))))


def _binding_counts(scope) -> dict:
    """How many times each name is bound in the own code of `scope` (a function, its parameters
    included, or a chunk's module; nested definitions count by their name only): assignment
    targets, loop targets, `with ... as`, imports, definitions, `global`/`nonlocal`, `del`."""
    counts: dict = {}

    def add(node):
        for m in [node, *descendants(node)]:
            if isinstance(m, cst.Name):
                counts[m.value] = counts.get(m.value, 0) + 1

    if isinstance(scope, cst.FunctionDef):
        for prm in [*scope.params.params, *scope.params.kwonly_params, *scope.params.posonly_params]:
            add(prm.name)
        for star in (scope.params.star_arg, scope.params.star_kwarg):
            if isinstance(star, cst.Param):
                add(star.name)
    for n in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                add(t.target)
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign)):
            add(n.target)
        elif isinstance(n, (cst.For, cst.CompFor)):
            add(n.target)
        elif isinstance(n, cst.AsName):
            add(n.name)
        elif isinstance(n, (cst.Global, cst.Nonlocal)):
            for item in n.names:
                add(item.name)
        elif isinstance(n, cst.Del):
            add(n.target)
        elif isinstance(n, cst.NamedExpr):
            add(n.target)
        elif isinstance(n, cst.ImportAlias) and n.asname is None:
            add(cst.Name(dotted_head(n.name)))
        elif isinstance(n, (cst.FunctionDef, cst.ClassDef)):
            counts[n.name.value] = counts.get(n.name.value, 0) + 1
    return counts


def dotted_head(node) -> str:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""


def _consumer(env, p, use) -> str | None:
    """How `use` (a Name) is run through, in words, or None when it is not: a loop over it, a
    builtin that reads it whole, an optimizer or a gradient clip given it, `zip`/`enumerate` of
    it looped over."""
    parent = p.parent.get(use)
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is use:
        return "a loop"
    if not isinstance(parent, cst.Arg) or parent.star:
        return None
    call = p.parent.get(parent)
    if not isinstance(call, cst.Call):
        return None
    func = call.func
    first = call.args[0] is parent and parent.keyword is None
    if isinstance(func, cst.Name) and func.value not in env:
        if func.value in _CONSUMERS and first:
            return f"`{func.value}(...)`"
        if func.value in _WRAPPERS and parent.keyword is None:
            loop = p.parent.get(call)
            if isinstance(loop, (cst.For, cst.CompFor)) and loop.iter is call:
                return f"a loop over `{func.value}(...)`"
        return None
    q = imported_qualname(env, func) or ""
    if q.startswith("torch.optim.") and q.rsplit(".", 1)[-1][:1].isupper() and (
            first or parent.keyword is not None and parent.keyword.value == "params"):
        return f"the optimizer `{q.rsplit('.', 1)[-1]}(...)`"
    if q in _TORCH_CONSUMERS and first:
        return f"`{q.rsplit('.', 1)[-1]}(...)`"
    return None


def _reads_binding(p, use, scope, name: str) -> bool:
    """Whether `use` reads the binding of `scope`: it is in `scope` itself or in a function
    nested in it that neither binds nor declares the name."""
    for a in p.ancestors(use):
        if a is scope:
            return True
        if isinstance(a, cst.Lambda):
            if name in [prm.name.value for prm in a.params.params]:
                return False
        elif isinstance(a, cst.FunctionDef):
            if _binding_counts(a).get(name):
                return False
        elif isinstance(a, cst.Module) and isinstance(scope, cst.Module):
            return True
    return False


def _after_on_every_path(ctx, p, later, s1, block, scope) -> bool:
    """Whether `later` runs only after the statement `s1`: it is inside `s1`'s block (or, for a
    statement of the module, anywhere at or below the module's level), and every function
    between it and `scope` is defined after `s1`."""
    end = _last_line(ctx, s1)
    inside = isinstance(block, cst.Module) and isinstance(scope, cst.Module)
    for a in p.ancestors(later):
        if a is block:
            inside = True
            break
        if isinstance(a, (cst.FunctionDef, cst.Lambda)):
            line = ctx.line(a)
            if line is None or line <= end:
                return False
        if a is scope:
            break
    return inside


def _last_line(ctx, stmt) -> int | None:
    """The last line of a statement (of its whole body, for a compound statement)."""
    span = ctx.span(stmt)
    return span.end.line if span is not None else None
