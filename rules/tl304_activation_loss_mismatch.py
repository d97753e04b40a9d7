import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Tensor

from ._losses import keras_output, keyword_arg, loss_spec, pred_label, pred_target, rename_fix

PROBABILITIES = ("softmax", "sigmoid")
# a known activation whose output is not confined to [0, 1]
UNBOUNDED = ("linear", "relu", "leakyrelu", "elu", "gelu", "silu", "selu", "tanh", "softplus", "mish", "relu6", "prelu", "hardtanh", "hardswish", "log_softmax", "swish")
TO_LOGITS = {"BCELoss": "BCEWithLogitsLoss", "binary_cross_entropy": "binary_cross_entropy_with_logits",
             "NLLLoss": "CrossEntropyLoss", "nll_loss": "cross_entropy"}
TO_PROBS = {"BCEWithLogitsLoss": "BCELoss", "binary_cross_entropy_with_logits": "binary_cross_entropy"}


def from_logits_fix(ctx, loss_node, value: str):
    """Set `from_logits=<value>` in the loss constructor."""
    kw = keyword_arg(loss_node, "from_logits")
    if kw is None:
        return None
    span = ctx.span(kw.value)
    if span is None:
        return None
    return Fix(f"Set `from_logits={value}`", (Edit(span, value),), Applicability.UNSAFE)


class ActivationLossMismatch(Rule):
    """
    ## What it does
    Finds probabilities fed to a loss that expects logits, and logits fed to a loss that
    expects probabilities:
    - a softmax/sigmoid output with `from_logits=True` (Keras losses,
      `tf.nn.softmax_cross_entropy_with_logits`);
    - `nn.Softmax`/`F.softmax` output into `CrossEntropyLoss`, `nn.Sigmoid`/`torch.sigmoid`
      output into `BCEWithLogitsLoss`;
    - an unbounded output (a `Linear`/`Dense` layer, ReLU, ...) into `BCELoss`, or a Keras
      model with a linear output compiled with a probability-space cross-entropy;
    - anything but `log_softmax` output into `NLLLoss`.

    ## Why is this bad?
    A logits loss applies softmax/sigmoid itself: applied twice, the outputs are squashed into
    a narrow range, gradients shrink and training stalls at a poor loss. A probability loss
    given logits takes the log of negative numbers: `BCELoss` raises "all elements of input
    should be between 0 and 1", Keras clips the values and learns nothing from half of them,
    and `NLLLoss` on raw scores is minimized by making the scores huge, not right.

    ## Example
    ```python
    model = nn.Sequential(nn.Linear(20, 5), nn.Softmax(dim=1))
    loss = nn.CrossEntropyLoss()(model(x), y)
    ```

    ## Use instead
    ```python
    model = nn.Sequential(nn.Linear(20, 5))
    loss = nn.CrossEntropyLoss()(model(x), y)
    ```

    ## Fix safety
    Switching the loss (`BCELoss` <-> `BCEWithLogitsLoss`, `NLLLoss` -> `CrossEntropyLoss`,
    `from_logits=True` -> `False`) is unsafe: removing the activation from the model may be the
    better repair, and predictions made elsewhere may rely on it.
    """

    code = "TL304"
    name = "activation-loss-mismatch"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "Probabilities into a loss that expects logits, or logits into a loss that expects probabilities."
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 5), nn.Softmax(dim=1))\nx, y = torch.randn(8, 20), torch.randint(0, 5, (8,))\nloss = nn.CrossEntropyLoss()(model(x), y)  # TL304\n",
        "import torch\nimport torch.nn as nn\nhead = nn.Linear(16, 1)\nbce = nn.BCELoss()\nloss = bce(head(torch.randn(4, 16)), torch.rand(4, 1))  # TL304\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((784,)), tf.keras.layers.Dense(10, activation='softmax')])\nmodel.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))  # TL304\n",
        "import torch\nimport torch.nn as nn\nclassifier = nn.Linear(16, 3)\nloss = nn.NLLLoss()(classifier(torch.randn(4, 16)), torch.randint(0, 3, (4,)))  # TL304\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 5))\nx, y = torch.randn(8, 20), torch.randint(0, 5, (8,))\nloss = nn.CrossEntropyLoss()(model(x), y)\n",
        "import torch\nimport torch.nn as nn\nhead = nn.Linear(16, 1)\nbce = nn.BCELoss()\nloss = bce(torch.sigmoid(head(torch.randn(4, 16))), torch.rand(4, 1))\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((784,)), tf.keras.layers.Dense(10)])\nmodel.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n",
    )
    lookalikes = (
        # log_softmax into CrossEntropyLoss is redundant but exact; log_softmax into NLLLoss is the idiom
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nlogits = nn.Linear(16, 3)(torch.randn(4, 16))\ny = torch.randint(0, 3, (4,))\nl1 = nn.NLLLoss()(F.log_softmax(logits, dim=1), y)\nl2 = nn.CrossEntropyLoss()(F.log_softmax(logits, dim=1), y)\n",
        # a sigmoid output into a regression loss is fine
        "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\nloss = nn.MSELoss()(model(torch.randn(8, 4)), torch.rand(8, 1))\n",
        "from tensorflow import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='binary_crossentropy')\n",
    )

    def on_loss_call(self, ctx, ev):
        pred, _ = pred_target(ev)
        if not isinstance(pred, Tensor) or pred.activation is None:
            return
        act = pred.activation
        spec = loss_spec(ev.loss)
        if spec is None:
            return
        short = ev.loss.short
        fix = None
        if ev.fw == "torch":
            kind = ev.loss.kind
            if kind == "torch.nn.CrossEntropyLoss" and act == "softmax":
                problem = "applies log_softmax itself; this input already went through softmax"
            elif kind == "torch.nn.BCEWithLogitsLoss" and act == "sigmoid":
                problem = "applies the sigmoid itself; this input already went through sigmoid"
                fix = rename_fix(ctx, ev.loss.node, TO_PROBS, "Use `{new}`")
            elif kind == "torch.nn.BCELoss" and act in UNBOUNDED:
                problem = f"wants probabilities in [0, 1]; this input is the unbounded output of a {act} layer"
                fix = rename_fix(ctx, ev.loss.node, TO_LOGITS, "Use `{new}`")
            elif kind == "torch.nn.NLLLoss" and act != "log_softmax" and (act in UNBOUNDED or act in PROBABILITIES):
                problem = f"wants log-probabilities (log_softmax); this input is {'a ' + act + ' output' if act != 'linear' else 'raw scores (logits)'}"
                if act in UNBOUNDED:
                    fix = rename_fix(ctx, ev.loss.node, TO_LOGITS, "Use `{new}`")
            else:
                return
        else:
            kind, logits = loss_kind(ev.loss)
            if kind not in ("categorical", "sparse_categorical", "binary") or logits is not True or act not in PROBABILITIES:
                return
            problem = f"is built with `from_logits=True`; this prediction already went through {act}"
            if isinstance(ev.loss.node, cst.Call):
                fix = from_logits_fix(ctx, ev.loss.node, "False")
        ctx.report(self, ev.node, f"{short} {problem} ({pred_label(ctx, pred)})", fix=fix,
                   related=[(pred.origin, f"the {act} output is made here")] if pred.origin is not None else [])

    def on_compile(self, ctx, ev):
        kind, logits = loss_kind(ev.loss)
        if kind not in ("categorical", "sparse_categorical", "binary") or logits is None:
            return
        out = keras_output(ev.model)
        if out is None:
            return
        units, act, layer_node = out
        if logits and act in PROBABILITIES:
            message = f"the model's output layer applies {act} and the loss is built with `from_logits=True`: {act} is applied twice"
            fix = from_logits_fix(ctx, getattr(ev.loss, "node", None), "False")
        elif not logits and act == "linear" and units is not None:
            message = "the model's output layer is linear (logits) and the loss expects probabilities (`from_logits=False`)"
            fix = from_logits_fix(ctx, getattr(ev.loss, "node", None), "True")
        else:
            return
        ctx.report(self, ev.loss_node or ev.node, message, fix=fix,
                   related=[(layer_node, "output layer")] if layer_node is not None else [])
