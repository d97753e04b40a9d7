import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from tensorlint.dataflow import descendants
from tensorlint.frameworks import registry
from tensorlint.syntax import dotted
from tensorlint.values import Ref

from ._arity import binding_counts, call_misfit
from ._bindings import torch_module_base, class_defs
from ._dataclass_init import generated_parameters, signature
from ._trees import chunk_calls, module_names, per_chunk, per_chunk_reading, per_chunk_text, run_fact, text_matches

# a module-level `def` somewhere in the text: nothing to judge without one
_TOP_DEF = re.compile(r"^def [A-Za-z_]\w*\s*\(", re.M)
_TOP_CLASS = re.compile(r"^class [A-Za-z_]\w*\s*[(:]", re.M)
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
    keyword the function has no parameter for, a required parameter left out, a positional-only
    parameter passed by keyword, or one argument given both by position and by keyword. The
    function is a plain `def` at the file's top level, without a decorator, and its name is
    bound nowhere else in the file (no second definition, assignment, import, parameter or
    method of that name, no `import *`, `globals()` or `exec`), so every call of the name runs
    that definition.

    A class of the file is judged the same way against its `__init__` (`Net(3, 4, 5)` for
    `def __init__(self, n_in, n_out)`) where building it runs that `__init__` with the call's
    arguments as they are: the class has no decorator and no metaclass, no class of its chain
    defines `__new__` or rebinds `__init__` otherwise than by one plain `def`, its bases are
    `object`, torch modules, Keras layers or models, or classes of the file judged alike, and
    an `__init__` it does not define is found through its single base of the file (never one
    of a framework).

    A dataclass of the file is judged against the `__init__` that `@dataclass` writes from its
    fields (`Config(512, 2, 0.1)` for two fields, `Config(n_head=8)` for a field it does not
    declare, `Config()` for a field without default): bases' fields first, a `field(init=False)`
    left out, an `InitVar` taken, keyword-only fields (`kw_only=True`, `KW_ONLY`) taken by
    keyword alone. Only where the syntax settles that `__init__`: `@dataclass` is the class's
    one decorator, its options and field flags are literal, its fields are declared at the top
    of the class body, its bases are `object` or dataclasses of the file judged alike, and no
    class of its chain defines `__init__` or `__new__`.

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
    summary = ("A function or class of the file called with arguments its definition (or `__init__`) cannot take (an extra or missing "
               "argument, an unknown keyword, one given twice).")
    failing = (
        "import torch\n\nmodel = torch.nn.Linear(4, 2)\n\ndef train():\n    model.train()\n    return 0.0\n\n"
        "for epoch in range(1, 11):\n    loss = train(epoch)  # TL443\n",
        "import torch\n\ndef evaluate(model, loader, *, device):\n    model.eval()\n    return [model(x.to(device)) for x in loader]\n\n"
        "def main():\n    net = torch.nn.Linear(4, 2)\n    evaluate(net, [], torch.device('cpu'))  # TL443\n"
        "    evaluate(net, [], devcie='cpu')  # TL443\n    evaluate(net)  # TL443\n",
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self, n_in, n_out):\n        super().__init__()\n"
        "        self.fc = nn.Linear(n_in, n_out)\n\nclass Deep(Net):\n    pass\n\n"
        "model = Net(3, 4, 5)  # TL443\nother = Deep(3, n_in=4)  # TL443\n",
        "from dataclasses import dataclass, field\nimport torch.nn as nn\n\n@dataclass\nclass Config:\n    d_model: int\n"
        "    dropout: float = 0.1\n    step: int = field(init=False, default=0)\n\n"
        "cfg = Config(512, 0.1, 0)  # TL443\nsmall = Config(d_model=64, n_head=4)  # TL443\nnone = Config()  # TL443\n"
        "net = nn.Linear(cfg.d_model, 2)\n",
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
        # classes built otherwise than through their own `__init__`: a decorator, a metaclass, an
        # unknown base, an `__init__` inherited from a framework
        "import abc\nfrom dataclasses import dataclass\nimport torch.nn as nn\nfrom lib import Base\n\n@dataclass\nclass A:\n"
        "    def __init__(self, a):\n        self.a = a\n\nclass B(metaclass=abc.ABCMeta):\n    def __init__(self, a):\n"
        "        self.a = a\n\nclass C(Base):\n    def __init__(self, a):\n        self.a = a\n\nclass D(nn.Module):\n    pass\n\n"
        "print(A(1, 2), B(1, 2), C(1, 2), D(1, 2))\n",
        # dataclasses: calls that fit (an InitVar, keyword-only fields by keyword), and one whose
        # `__init__` a base from elsewhere may change
        "from dataclasses import dataclass, InitVar, KW_ONLY\nfrom lib import Base\n\n@dataclass\nclass Config:\n"
        "    d_model: int\n    seed: InitVar[int] = 0\n    _: KW_ONLY\n    device: str = 'cpu'\n\n    def __post_init__(self, seed):\n"
        "        pass\n\n@dataclass\nclass Other(Base):\n    a: int\n\nprint(Config(8, 1, device='cuda'), Other(1, 2))\n",
    )

    def on_module(self, ctx, ev):
        if not (text_matches(ctx, _TOP_DEF) or text_matches(ctx, _TOP_CLASS)) or text_matches(ctx, _DYNAMIC):
            return
        if not run_fact(ctx, _functions) and not run_fact(ctx, _constructors) and not run_fact(ctx, _dataclasses):
            return
        for found in per_chunk_reading(ctx, ("TL443 misfits",), lambda i, read: _misfits(ctx, i, read)):
            for call, func, problem, cls, generated in found:
                if generated is not None:
                    ctx.report(self, call,
                               f"`{_one_line(ctx.source(call))}` builds the dataclass {cls.name.value}, whose generated "
                               f"__init__({generated}) (from its fields, line {ctx.line(cls)}) {problem}: the call raises "
                               f"TypeError when it runs", related=[(cls, f"{cls.name.value} defined here")])
                    continue
                what = f"calls {func.name.value}" if cls is None else f"builds {cls.name.value}, whose __init__"
                ctx.report(self, call,
                           f"`{_one_line(ctx.source(call))}` {what}({_one_line(ctx.source(func.params))}), defined at line "
                           f"{ctx.line(func)}, {'which ' if cls is None else ''}{problem}: the call raises TypeError when it runs",
                           related=[(func, f"{func.name.value} defined here")])


def _one_line(code: str) -> str:
    """A call or a parameter list written over several lines, as one line (the message quotes it)."""
    return " ".join(code.split())


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
        if functions is None:
            functions, constructors, dataclasses = read(_functions), read(_constructors), read(_dataclasses)
        func, cls, generated = functions.get(call.func.value), None, None
        if func is None:
            cls, func = constructors.get(call.func.value, (None, None))
        if func is None:
            cls, func, generated = dataclasses.get(call.func.value, (None, None, None))
        if func is None or any(a.star for a in call.args):
            continue
        problem = call_misfit(func.params, call, skip_self=cls is not None, noun="argument")
        if problem is not None and read(_bound_once, call.func.value):
            out.append((call, func, problem, cls, generated))
    return out


def _dataclasses(ctx) -> dict:
    """name -> (class, a `def __init__` with the parameters `@dataclass` writes, their text) for
    the file's top-level classes, each defined once, whose generated `__init__` the syntax
    settles (see `_dataclass_init`)."""
    defs = class_defs(ctx)
    env = module_names(ctx)
    classes = {name: ds[0] for name, ds in defs.items() if len(ds) == 1}
    out = {}
    for name, cls in classes.items():
        params = generated_parameters(env, classes, name)
        if params is None:
            continue
        text = signature(params)
        out[name] = (cls, cst.parse_statement(f"def __init__({text}):\n    pass\n"), text)
    return out


# the framework classes whose construction runs the subclass's own `__init__` with the call's
# arguments as they are (no metaclass or `__new__` that changes what is called)
_PLAIN_BASES = frozenset(("keras.Model", "keras.layers.Layer"))


def _constructors(ctx) -> dict:
    """name -> (class, the `__init__` that building it runs) for the file's top-level classes,
    each defined once, whose construction Python checks against that `__init__` alone: no
    decorator (which may replace the class or its `__init__`), no keyword in the class header (a
    metaclass), no `__new__`, `__signature__` or `__call__` rebinding in any class of the chain;
    `__init__` is a plain `def` of the class or, for a class without one, of its single base of
    the file, found through the file's own classes only. Every other base is `object`, a torch
    module or a Keras layer or model; a base the file cannot name leaves the class out."""
    defs = class_defs(ctx)
    env = module_names(ctx)
    classes = {name: ds[0] for name, ds in defs.items() if len(ds) == 1}
    memo: dict = {}
    out = {}
    for name, cls in classes.items():
        if not _plain(name, classes, env, memo):
            continue
        at = cls
        while True:
            init = _own_init(at)
            if init is not None or len(at.bases) != 1:
                break
            base = at.bases[0].value
            at = classes.get(base.value) if type(base) is cst.Name else None
            if at is None:
                break
        if init is not None and init is not False:
            out[name] = (cls, init)
    return out


def _plain(name, classes, env, memo, seen=()) -> bool:
    """Whether building class `name` (and every class of the file above it) is plain (a
    module-level function, not a closure calling itself: such a closure is a reference cycle
    that keeps the file's class trees alive until the garbage collector finds it)."""
    if name in memo:
        return memo[name]
    memo[name] = False  # (a cycle of bases: not plain)
    cls = classes.get(name)
    ok = cls is not None and name not in seen and not cls.decorators and not cls.keywords \
        and not any(_special(s) for s in cls.body.body if not isinstance(cls.body, cst.SimpleStatementSuite)) \
        and not isinstance(cls.body, cst.SimpleStatementSuite) \
        and all(_plain_base(env, b, lambda n: _plain(n, classes, env, memo, (*seen, name))) for b in cls.bases)
    memo[name] = ok
    return ok


def _plain_base(env, base: cst.Arg, own) -> bool:
    if base.keyword is not None or base.star:
        return False
    head = dotted(base.value)
    if not head:
        return False
    if type(base.value) is cst.Name and (head == "object" and "object" not in env or own(head)):
        return True
    return torch_module_base(env, head) or _keras_class(env, head)


def _keras_class(env, head: str) -> bool:
    first, _, rest = head.partition(".")
    v = env.get(first)
    return isinstance(v, Ref) and registry.canonical(v.qualname + ("." + rest if rest else "")) in _PLAIN_BASES


_SPECIAL = frozenset(("__new__", "__signature__", "__call__", "__init__"))


def _special(stmt) -> bool:
    """A statement of a class body that binds `__new__`/`__signature__`, or binds `__init__`
    other than by one plain `def` (an assignment, a decorated def)."""
    if type(stmt) is cst.FunctionDef:
        name = stmt.name.value
        return name in ("__new__", "__signature__") or name == "__init__" and bool(stmt.decorators)
    if type(stmt) is cst.SimpleStatementLine:
        for small in stmt.body:
            targets = [t.target for t in small.targets] if type(small) is cst.Assign else \
                [small.target] if type(small) in (cst.AnnAssign, cst.AugAssign) else []
            if any(type(t) is cst.Name and t.value in _SPECIAL for t in targets):
                return True
        return False
    # an `if`/`try` block that may bind them: not read
    return type(stmt) is not cst.ClassDef and any(
        type(n) is cst.Name and n.value in _SPECIAL for n in descendants(stmt))


def _own_init(cls):
    """The class's own plain `def __init__` (None: none; False: more than one)."""
    inits = [s for s in cls.body.body if type(s) is cst.FunctionDef and s.name.value == "__init__"]
    return inits[0] if len(inits) == 1 else None if not inits else False


def _bound_once(ctx, name: str) -> bool:
    """Whether `name` is bound exactly once in the whole file, every scope counted (its `def`),
    and no chunk's text binds names the syntax does not show."""
    if any(per_chunk_text(ctx, ("TL443 dynamic text",), _dynamic)):
        return False
    return sum(counts.get(name, 0) for counts in per_chunk(ctx, ("TL443 binding counts",), binding_counts)) == 1
