import re

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._module_classes import module_classes

# text that reads attributes by a name the syntax does not show: a call of `getattr`, `vars` or
# `hasattr` (not a method or a longer name), `__dict__`, `__getattr__`. Each pattern begins with a
# literal, the regex engine's fast case (one with a class of characters first is tried at every
# position of the text); a call's name is told from a longer one by the look behind it
_DYNAMIC_WORDS = ("__dict__", "__getattr__")
_DYNAMIC = tuple(re.compile(p) for p in (
    r"getattr(?<![\w.]getattr)\s*\(", r"hasattr(?<![\w.]hasattr)\s*\(", r"vars(?<![\w.]vars)\s*\("))


def _dynamic(text: str) -> bool:
    return any(w in text for w in _DYNAMIC_WORDS) or any(p.search(text) is not None for p in _DYNAMIC)


class StoredParameterBypassed(Rule):
    """
    ## What it does
    Finds a class whose `__init__` stores a parameter on the instance (`self.weight_init =
    weight_init`) and never reads it again, while a method of the class calls the parameter's
    default directly (`xavier_init(...)` where `weight_init=xavier_init`): the stored attribute
    is read nowhere in the file (no `.weight_init` other than the store, no `getattr`, `vars`
    or `__dict__`), and the parameter is read only by that store.

    ## Why is this bad?
    The class offers a choice (an initializer, an activation, a loss) and remembers it, but
    builds with the default every time: a caller who passes another initializer trains with
    Xavier's all the same, and an experiment that varies it compares identical models. Nothing
    raises.

    ## Example
    ```python
    class DenseLayer(tf.Module):
        def __init__(self, out_dim, weight_init=xavier_init):
            self.weight_init = weight_init
            ...

        def __call__(self, x):
            self.w = tf.Variable(xavier_init(shape=(x.shape[-1], self.out_dim)))
    ```

    ## Use instead
    ```python
            self.w = tf.Variable(self.weight_init(shape=(x.shape[-1], self.out_dim)))
    ```

    ## Fix safety
    There is no automatic fix: the call may be meant to stay the default.
    """

    code = "TL447"
    triggers = ("__init__",)
    name = "stored-parameter-bypassed"
    severity = Severity.WARNING
    summary = "A parameter stored on the instance is never read; the class calls the parameter's default instead."
    failing = (
        "import tensorflow as tf\n\n\ndef xavier_init(shape):\n    return tf.random.normal(shape)\n\n\n"
        "class DenseLayer(tf.Module):\n    def __init__(self, out_dim, weight_init=xavier_init):\n"
        "        self.out_dim = out_dim\n        self.weight_init = weight_init\n\n    def __call__(self, x):\n"
        "        self.w = tf.Variable(xavier_init(shape=(x.shape[-1], self.out_dim)))  # TL447\n"
        "        return tf.matmul(x, self.w)\n",
    )
    passing = (
        "import tensorflow as tf\n\n\ndef xavier_init(shape):\n    return tf.random.normal(shape)\n\n\n"
        "class DenseLayer(tf.Module):\n    def __init__(self, out_dim, weight_init=xavier_init):\n"
        "        self.out_dim = out_dim\n        self.weight_init = weight_init\n\n    def __call__(self, x):\n"
        "        self.w = tf.Variable(self.weight_init(shape=(x.shape[-1], self.out_dim)))\n"
        "        return tf.matmul(x, self.w)\n",
    )
    lookalikes = (
        # the stored value read elsewhere (a config), the parameter used directly as well
        "import torch.nn as nn\n\n\nclass Block(nn.Module):\n    def __init__(self, n, act=nn.ReLU, norm=nn.BatchNorm1d):\n"
        "        super().__init__()\n        self.act = act\n        self.norm = norm\n        self.layer = norm(n)\n"
        "        self.out = nn.Sequential(nn.Linear(n, n), nn.ReLU())\n\n    def config(self):\n"
        "        return {'act': self.act}\n\n    def reset(self):\n        return nn.BatchNorm1d(4), nn.ReLU()\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "__init__" not in text or _dynamic(text):
            return
        for cls in module_classes(ctx):
            self._check_class(ctx, cls, text)

    def _check_class(self, ctx, cls, text):
        if not isinstance(cls.body, cst.IndentedBlock):
            return
        methods = [s for s in cls.body.body if type(s) is cst.FunctionDef]
        init = next((m for m in methods if m.name.value == "__init__"), None)
        if init is None or not init.params.params or not isinstance(init.body, cst.IndentedBlock):
            return
        me = init.params.params[0].name.value
        for param, default, attr in _stored_defaults(init, me):
            if re.search(r"\." + re.escape(attr) + r"\b(?!\s*=(?!=))", text):
                continue  # the attribute is read somewhere
            for method in methods:
                for call in descendants(method.body, prune=(cst.ClassDef,)):
                    if type(call) is cst.Call and dotted(call.func) == default:
                        ctx.report(self, call,
                                   f"`{ctx.source(call.func).strip()}(...)` is the default of `{param}`, which "
                                   f"__init__ stores as `{me}.{attr}` and nothing reads: the value a caller passes "
                                   f"for `{param}` is ignored; call `{me}.{attr}(...)`",
                                   related=[(init, f"{param}={default} stored as {me}.{attr} here")])


def _stored_defaults(init, me) -> list:
    """(parameter, its default's dotted text, attribute) for each parameter of `init` with a name or
    attribute as default that its body reads once, storing it as `me.<attribute>`."""
    params = init.params
    defaults = {p.name.value: dotted(p.default) for p in list(params.params) + list(params.kwonly_params)
                if p.default is not None and dotted(p.default) and dotted(p.default) not in ("None", "True", "False")}
    shared = list(defaults.values())
    # a default that several parameters share (`mel_load_fn=np.load, f0_load_fn=np.load`) is a
    # general helper: a call of it cannot be attributed to one of them
    defaults = {p: d for p, d in defaults.items() if shared.count(d) == 1}
    if not defaults:
        return []
    reads: dict = {}
    nodes = list(descendants(init.body, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)))
    not_reads = {id(n.attr) for n in nodes if type(n) is cst.Attribute}
    not_reads |= {id(n.keyword) for n in nodes if type(n) is cst.Arg and n.keyword is not None}
    for n in nodes:
        if type(n) is cst.Name and n.value in defaults and id(n) not in not_reads:
            reads[n.value] = reads.get(n.value, 0) + 1
    out = []
    for stmt in init.body.body:
        if type(stmt) is not cst.SimpleStatementLine:
            continue
        for small in stmt.body:
            if type(small) is not cst.Assign or len(small.targets) != 1 or type(small.value) is not cst.Name:
                continue
            target, name = small.targets[0].target, small.value.value
            if (type(target) is cst.Attribute and dotted(target.value) == me and name in defaults
                    and reads.get(name) == 1):
                out.append((name, defaults[name], target.attr.value))
    return out
