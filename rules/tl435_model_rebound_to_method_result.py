import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Container, Instance

from ._common import module_calls
from ._trees import per_chunk_text, texts_of
from ._training import parents

# `name = name.method(`: the only texts this rule reads further (the method found first, then
# the text before it on its line: a backreference over the whole file would be slow)
_METHOD = re.compile(r"\.\s*(load_weights|load_state_dict|compile|fit)\s*\(")
_SAME_NAME = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\s*=\s*\1\s*$")
# what each method returns instead of the object
_RETURNS = {
    "load_weights": "None (or a checkpoint's load status)",
    "load_state_dict": "the missing and unexpected keys (torch modules) or None (optimizers, schedulers)",
    "compile": "None",
    "fit": "a History object",
}
# methods whose receiver only a framework object has (a Keras model, a torch module or optimizer)
_LOADERS = ("load_weights", "load_state_dict")


def _rebinds(text: str) -> frozenset:
    found = set()
    for m in _METHOD.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if m.group(1) not in found and _SAME_NAME.search(text, start, m.start()):
            found.add(m.group(1))
    return frozenset(found)


_DEFINES_LOADER = re.compile(r"\bdef\s+(" + "|".join(_LOADERS) + r")\b")


def _defined_loaders(text: str) -> frozenset:
    return frozenset(m.group(1) for m in _DEFINES_LOADER.finditer(text))


class ModelReboundToMethodResult(Rule):
    """
    ## What it does
    Finds a model or optimizer rebound to what one of its own methods returns, when that
    method works in place and returns something else: `vae = vae.load_weights(path)`,
    `net = net.load_state_dict(torch.load(path))`, `model = model.compile(...)` on a Keras model,
    `model = model.fit(X, y)` on a Keras model.

    ## Why is this bad?
    These methods change the object and return something that is not it: `load_weights` and
    `compile` return None, torch's `load_state_dict` returns the lists of missing and
    unexpected keys, Keras's `fit` returns a `History`. After the assignment the name no
    longer refers to the model: the next `predict`, `evaluate`, `save` or forward call fails
    with an `AttributeError` (or a `TypeError`), and the loaded or trained model is lost.
    (scikit-learn's `fit` returns the estimator itself; it is not what this rule reads.)

    ## Example
    ```python
    model.load_state_dict(torch.load("best.pt"))
    model = model.load_state_dict(torch.load("best.pt"))
    ```

    ## Use instead
    ```python
    model.load_state_dict(torch.load("best.pt"))
    ```

    ## Fix safety
    There is no automatic fix: the call stays, the assignment goes, and a later use of the
    returned value (a `History`) needs a name of its own.
    """

    code = "TL435"
    name = "model-rebound-to-method-result"
    severity = Severity.ERROR
    summary = "A model or optimizer rebound to the result of its own in-place method (load_weights, load_state_dict, compile, fit)."
    failing = (
        "import keras\nvae = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])\n"
        "vae.compile(optimizer='adam', loss='mse')\nvae = vae.load_weights('vae.weights.h5')  # TL435\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(4, 2)\nnet = net.load_state_dict(torch.load('net.pt'))  # TL435\n"
        "out = net(torch.randn(1, 4))\n",
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
        "model = model.compile(optimizer='sgd', loss='mse')  # TL435\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(4, 2)\nnet.load_state_dict(torch.load('net.pt'))\n"
        "out = net(torch.randn(1, 4))\n",
    )
    lookalikes = (
        # scikit-learn's fit returns the estimator; a History kept under its own name
        "from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\nclf = clf.fit([[0.0], [1.0]], [0, 1])\n",
        "import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='sgd', loss='mse')\nhistory = model.fit(np.zeros((4, 3)), np.zeros(4))\n",
        # a class of the file's own whose load_weights returns self
        "class Wrapper:\n    def load_weights(self, path):\n        self.path = path\n        return self\n\n"
        "w = Wrapper()\nw = w.load_weights('x.h5')\n",
        # a statsmodels-style fit on an object the file does not show to be a Keras model
        "def forecast(model):\n    model = model.fit()\n    return model.forecast(7)\n",
    )

    def _report(self, ctx, call, target: str, method: str):
        ctx.report(self, call,
                   f"`{target}.{method}(...)` changes `{target}` in place and returns {_RETURNS[method]}, not the object: "
                   f"after this line `{target}` no longer refers to it; call `{target}.{method}(...)` without assigning the result")

    def _rebound(self, ctx, call) -> str | None:
        """The receiver's text when `call` (`a.b.method(...)`) is the whole value of `a.b = ...`."""
        if type(call.func) is not cst.Attribute:
            return None
        stmt = parents(ctx).parent.get(call)
        if type(stmt) is not cst.Assign or len(stmt.targets) != 1:
            return None
        target = dotted(stmt.targets[0].target)
        return target if target and target == dotted(call.func.value) else None

    def _methods(self, ctx) -> frozenset:
        return frozenset().union(*per_chunk_text(ctx, "TL435 rebinds", _rebinds))

    def _keras_model_call(self, ctx, ev, method: str):
        if ev.node is None or not isinstance(ev.model, (Container, Instance)) or method not in self._methods(ctx):
            return
        if isinstance(ev.model, Container) and ev.model.fw != "keras":
            return
        if isinstance(ev.model, Instance) and ev.model.cls.kind not in ("keras.model", "keras.layer"):
            return
        if type(ev.node) is cst.Call and type(ev.node.func) is cst.Attribute and ev.node.func.attr.value == method:
            target = self._rebound(ctx, ev.node)
            if target is not None:
                self._report(ctx, ev.node, target, method)

    def on_compile(self, ctx, ev):
        self._keras_model_call(ctx, ev, "compile")

    def on_fit(self, ctx, ev):
        if ev.method == "fit":
            self._keras_model_call(ctx, ev, "fit")

    def on_module(self, ctx, ev):
        methods = self._methods(ctx) & frozenset(_LOADERS)
        if not methods:
            return
        # loaders the file defines itself (a class of its own with that method)
        methods -= frozenset().union(*texts_of(ctx, "TL435 own loaders", _defined_loaders))
        for call in module_calls(ctx):
            if type(call.func) is cst.Attribute and call.func.attr.value in methods:
                target = self._rebound(ctx, call)
                if target is not None:
                    self._report(ctx, call, target, call.func.attr.value)
