import re

import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names, scope_calls
from ._trees import per_chunk, text_matches

# framework bases whose constructors take no positional argument, or a size where `self` lands
_FRAMEWORK_PREFIXES = ("keras.", "torch.nn.")
# `super(...).__init__(name` with a name as the first argument, across lines and comments: the
# text every finding needs (led by a literal, searched per chunk text)
_SUPER_INIT_WITH_ARGUMENT = re.compile(r"super\s*\((?:[^()]|\([^()]*\))*\)(?:\s|#[^\n]*)*\.(?:\s|#[^\n]*)*__init__"
                                       r"(?:\s|#[^\n]*)*\((?:\s|#[^\n]*)*[A-Za-z_]\w*(?:\s|#[^\n]*)*[,)]")


class SuperInitGivenSelf(Rule):
    """
    ## What it does
    Finds `super().__init__(self, ...)` (or `super(Cls, self).__init__(self, ...)`) in the
    `__init__` of a class that derives from a Keras layer or model or a `torch.nn` module:
    `super()` already binds the instance, so `self` is passed a second time, as the parent
    constructor's first real argument. The base may be reached through classes of the file that
    define no `__init__` of their own; a class of the file whose `__init__` comes first is left
    alone (it may take the instance as an argument).

    ## Why is this bad?
    Keras 3's `Layer`/`Model` constructors take keyword arguments only and raise `TypeError:
    Layer.__init__() takes 1 positional argument but 2 were given`; torch's `nn.Module` raises
    `TypeError` for a positional argument too; a concrete layer (`Dense`, `nn.Linear`) takes the
    instance as its size. tf.keras 2 silently ignored the extra argument, so the line breaks when
    the program moves to a current release.

    ## Example
    ```python
    class MyModel(tf.keras.Model):
        def __init__(self):
            super().__init__(self)
    ```

    ## Use instead
    ```python
    class MyModel(tf.keras.Model):
        def __init__(self):
            super().__init__()
    ```

    ## Fix safety
    Removing the argument is safe: no framework constructor wants the instance again.
    """

    code = "TL005"
    triggers = ("super",)
    name = "super-init-given-self"
    severity = Severity.ERROR
    fix = Applicability.SAFE
    summary = "super().__init__(self, ...) in a Keras layer/model or torch module: the instance is passed twice."
    failing = (
        "import tensorflow as tf\n\n\nclass MyModel(tf.keras.Model):\n    def __init__(self):\n"
        "        super().__init__(self)  # TL005\n        self.dense = tf.keras.layers.Dense(1)\n",
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self, n):\n"
        "        super(Net, self).__init__(self)  # TL005\n        self.fc = nn.Linear(n, 1)\n",
    )
    passing = (
        "import tensorflow as tf\n\n\nclass MyModel(tf.keras.Model):\n    def __init__(self):\n"
        "        super().__init__()\n        self.dense = tf.keras.layers.Dense(1)\n",
    )
    lookalikes = (
        # the unbound call names the class, which does take the instance; a class of no framework
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        nn.Module.__init__(self)\n\n\n"
        "class Plain(object):\n    def __init__(self, owner=None):\n        self.owner = owner\n\n\n"
        "class Child(Plain):\n    def __init__(self):\n        super().__init__(self)\n",
    )

    def on_module(self, ctx, ev):
        if "super" not in ctx.text or not text_matches(ctx, _SUPER_INIT_WITH_ARGUMENT):
            return
        # every class of the file (one in a function nobody calls too), found once per chunk tree
        classes = [c for found in per_chunk(ctx, ("TL005 classes",), _classes) for c in found]
        by_name: dict = {}
        for cls in classes:
            by_name.setdefault(cls.name.value, []).append(cls)
        env = module_names(ctx)
        for cls in classes:
            if not _derives_framework(cls, by_name, env, set()):
                continue
            for init in _inits_of(cls):
                if init.params.params:
                    self._check_init(ctx, init, init.params.params[0].name.value)

    def _check_init(self, ctx, init, me):
        for node in scope_calls(ctx, None, init):
            func = node.func
            if not (type(func) is cst.Attribute and func.attr.value == "__init__" and type(func.value) is cst.Call
                    and type(func.value.func) is cst.Name and func.value.func.value == "super"):
                continue
            if not node.args or node.args[0].keyword is not None or node.args[0].star:
                continue
            first = node.args[0].value
            if type(first) is not cst.Name or first.value != me:
                continue
            fix = None
            span = ctx.span(node)
            if span is not None:
                rest = ", ".join(ctx.source(a).strip().rstrip(",") for a in node.args[1:])
                fix = Fix("Remove the second self", (Edit(span, f"{ctx.source(func).strip()}({rest})"),),
                          Applicability.SAFE)
            ctx.report(self, node,
                       f"`{ctx.source(node).strip()}` passes `{me}` again: super() already binds it, so the parent "
                       f"constructor gets the instance as its first argument and raises TypeError (Keras 3, torch)",
                       fix=fix)


def _classes(module) -> list:
    return statements_of(module, (cst.ClassDef,))


def _inits_of(cls) -> list:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return [stmt for stmt in body if type(stmt) is cst.FunctionDef and stmt.name.value == "__init__"]


def _derives_framework(cls, by_name: dict, env, seen: set) -> bool:
    """A base of `cls` is a Keras layer or model or a torch module, directly or through classes
    of the file (bound once) that define no `__init__` of their own, so that `super().__init__`
    reaches the framework's constructor."""
    seen.add(id(cls))
    for b in cls.bases:
        if (imported_qualname(env, b.value) or "").startswith(_FRAMEWORK_PREFIXES):
            return True
        found = by_name.get(b.value.value, ()) if type(b.value) is cst.Name else ()
        if (len(found) == 1 and id(found[0]) not in seen and not _inits_of(found[0])
                and _derives_framework(found[0], by_name, env, seen)):
            return True
    return False
