import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.rule import Rule
from tensorlint.values import Seq, Tensor

from ._common import keyword_arg, module_calls
from ._losses import keras_output, loss_spec, pred_label, pred_target, rename_fix
from ._project_returns import importer_logits_uses
from ._training import parents
from ._trees import calls_written

PROBABILITIES = ("softmax", "sigmoid")
# a known activation whose output is not confined to [0, 1]
UNBOUNDED = ("linear", "relu", "leakyrelu", "elu", "gelu", "silu", "selu", "tanh", "softplus", "mish", "relu6", "prelu", "hardtanh", "hardswish", "log_softmax", "swish")
# unbounded above and never negative: as "probabilities" they exceed 1 and hit exactly 0 (log 0);
# as logits every negative class score is clipped to 0
RECTIFIED = ("relu", "relu6", "softplus")
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


def head_problem(kind, logits, units, act) -> str | None:
    """Why an output layer of `units` units with activation `act` does not suit a cross-entropy of
    this kind, beyond the linear/softmax/sigmoid cases: a rectified head, or several independent
    sigmoids read as one class distribution."""
    if logits and act in RECTIFIED:
        return (f"the model's output layer applies {act} and the loss treats its outputs as logits (`from_logits=True`): "
                f"every negative class score is clipped to 0, so those classes cannot be told apart")
    if not logits and act in RECTIFIED and kind in ("categorical", "sparse_categorical", "binary"):
        return (f"the model's output layer applies {act}, whose outputs are not probabilities (they exceed 1 and are "
                f"often exactly 0, where the log is -inf); the loss expects probabilities: use "
                f"{'sigmoid' if kind == 'binary' else 'softmax'}")
    if not logits and act == "sigmoid" and kind in ("categorical", "sparse_categorical") and isinstance(units, int) and units > 1:
        name = "sparse categorical" if kind == "sparse_categorical" else "categorical"
        return (f"the model's output layer applies sigmoid to {units} units: independent yes/no scores that do not "
                f"sum to 1, read by {name} cross-entropy as one class distribution; use softmax")
    return None



_TRAINS = ("fit", "fit_generator", "train_on_batch")
_PREDICTS = ("predict", "predict_on_batch")


def _only_predicted(ctx, compile_call) -> bool:
    """`m.compile(...)` at a notebook's or module's top level, where the file calls `m.predict`
    and never trains `m` (`fit`, `fit_generator`, `train_on_batch`) nor hands `m` to a function: a
    feature extractor compiled only so that it can predict (older Keras asked for it), whose
    loss never meets its outputs."""
    func = compile_call.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
        return False
    name = func.value.value
    if any(isinstance(a, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) for a in parents(ctx).ancestors(compile_call)):
        return False

    def on_model(calls) -> bool:
        return any(isinstance(c.func, cst.Attribute) and isinstance(c.func.value, cst.Name) and c.func.value.value == name
                   for c in calls)

    if not on_model(calls_written(ctx, _PREDICTS)) or on_model(calls_written(ctx, _TRAINS)):
        return False
    return not any(isinstance(a.value, cst.Name) and a.value.value == name for c in module_calls(ctx) for a in c.args)

class ActivationLossMismatch(Rule):
    """
    ## What it does
    Finds probabilities fed to a loss that expects logits, and logits fed to a loss that
    expects probabilities:
    - a softmax/sigmoid output with `from_logits=True` (Keras losses,
      `tf.nn.softmax_cross_entropy_with_logits`), also where the output is made in another
      file of the project: a top-level function of the checked file returns it, and a file
      beside it (or in the folder above its package) imports the function and passes that
      returned value as `logits=` to a `tf.nn.*_cross_entropy_with_logits` or TF1
      `tf.losses.*_cross_entropy`, or returns a Keras model whose output layer applies one
      and that file compiles it, unchanged, with a cross-entropy built with
      `from_logits=True` (reported in the checked file, at the returned value);
    - `nn.Softmax`/`F.softmax` output into `CrossEntropyLoss`, `nn.Sigmoid`/`torch.sigmoid`
      output into `BCEWithLogitsLoss`;
    - an unbounded output (a `Linear`/`Dense` layer, ReLU, ...) into `BCELoss`, or a Keras
      model with a linear output compiled with a probability-space cross-entropy;
    - anything but `log_softmax` output into `NLLLoss`;
    - a rectified output (ReLU, ReLU6, softplus) where probabilities are expected (a Keras model
      whose last layer applies `relu` compiled with a cross-entropy) or where logits are expected
      (`log_softmax`, `CrossEntropyLoss`, `BCEWithLogitsLoss`, `from_logits=True`);
    - several sigmoid units read as one class distribution by (sparse) categorical cross-entropy;
    - in a hand-written cross-entropy, `log_softmax` of a softmax output (softmax twice).
    - a Wasserstein critic loss (the mean of a network's output on one input minus its mean on
      another, `-mean(D(real)) + mean(D(fake))`) where that output is a sigmoid: the critic
      score must be unbounded.

    A model chosen by a setting (`if args.model == "transformer": model = A(...) else: model =
    B(...)`) that the file tests again where it calls the model is judged for each answer of the
    setting, every test of it taken the same way; the finding says which answer it holds on
    ("where `args.model == 'transformer'` is false"). Only a setting the file never changes is
    tied: a name bound once at its top level, no function binding it, no assignment of the
    tested attribute, no `setattr`.

    ## Why is this bad?
    A logits loss applies softmax/sigmoid itself: applied twice, the outputs are squashed into
    a narrow range, gradients shrink and training stalls at a poor loss. A probability loss
    given logits takes the log of negative numbers: `BCELoss` raises "all elements of input
    should be between 0 and 1", Keras clips the values and learns nothing from half of them,
    and `NLLLoss` on raw scores is minimized by making the scores huge, not right. A ReLU output
    is 0 for every negative score: as a "probability" its log is `-inf`, and as a logit the
    classes whose scores are clipped all look the same, with zero gradient to tell them apart.

    A Keras model compiled at the top level of a script or notebook that the file only predicts
    with (it never trains it, nor hands it to a function) is not reported: a feature extractor
    cut from a trained network, compiled so that older Keras lets it predict.

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
        "import torch\nimport torch.nn as nn\ncritic = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\nreal, fake = torch.randn(4, 8), torch.randn(4, 8)\n"
        "d_loss = torch.mean(critic(fake)) - torch.mean(critic(real))  # TL304\n",
        "import torch\nimport torch.nn as nn\nclassifier = nn.Linear(16, 3)\nloss = nn.NLLLoss()(classifier(torch.randn(4, 16)), torch.randint(0, 3, (4,)))  # TL304\n",
        # a rectified head: outputs are neither probabilities nor usable logits
        "from keras.models import Sequential\nfrom keras.layers import Dense, Input\nmodel = Sequential()\nmodel.add(Input((34,)))\n"
        "model.add(Dense(64, activation='relu'))\nmodel.add(Dense(9, activation='relu'))\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')  # TL304\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1, activation='relu')])\n"
        "model.compile(optimizer='rmsprop', loss=tf.keras.losses.BinaryCrossentropy())  # TL304\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(5, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')  # TL304\n",
        # two sigmoid units read as the class distribution of a sparse cross-entropy
        "from keras.models import Sequential\nfrom keras.layers import Activation, Dense, Input\nmodel = Sequential([Input((6,)), Dense(2)])\n"
        "model.add(Activation('sigmoid'))\nmodel.compile(optimizer='sgd', loss='sparse_categorical_crossentropy')  # TL304\n",
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc1 = nn.Linear(20, 50)\n        self.fc2 = nn.Linear(50, 10)\n\n    def forward(self, x):\n"
        "        x = F.relu(self.fc1(x))\n        x = F.relu(self.fc2(x))\n        return F.log_softmax(x, dim=1)  # TL304\n\n"
        "net = Net()\nloss = F.nll_loss(net(torch.randn(4, 20)), torch.randint(0, 10, (4,)))\n",
        "import torch\nimport torch.nn.functional as F\nlogits = torch.nn.Linear(8, 4)(torch.randn(16, 8))\nonehot = torch.eye(4)[torch.randint(0, 4, (16,))]\n"
        "probs = F.softmax(logits, dim=1)\nce = -(onehot * F.log_softmax(probs, dim=1)).sum(1).mean()  # TL304\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Sequential(nn.Linear(20, 10), nn.ReLU())\n"
        "loss = nn.CrossEntropyLoss()(net(torch.randn(4, 20)), torch.randint(0, 10, (4,)))  # TL304\n",
        # one of two models chosen by a setting, the setting tested again where the model is called
        "import argparse\nimport torch\nimport torch.nn as nn\nargs = argparse.ArgumentParser().parse_args()\n"
        "if args.model == 'rnn':\n    model = nn.Linear(8, 5)\nelse:\n    model = nn.Sequential(nn.Linear(8, 5), nn.LogSoftmax(dim=1))\n\n\n"
        "def train(x, y):\n    if args.model == 'rnn':\n        out = model(x)\n    else:\n        out = model(x)\n"
        "    return nn.NLLLoss()(out, y)  # TL304\n",
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
        # ReLU in hidden layers, a softmax / linear head: right
        "from tensorflow import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation='relu'), keras.layers.Dense(3, activation='softmax')])\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')\n",
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nh = F.relu(nn.Linear(20, 50)(torch.randn(4, 20)))\nlogp = F.log_softmax(nn.Linear(50, 10)(h), dim=1)\n",
        # a ReLU head for a non-negative regression target, several sigmoids under binary cross-entropy
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1, activation='relu')])\nmodel.compile(optimizer='adam', loss='mse')\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(5, activation='sigmoid')])\nmodel.compile(optimizer='adam', loss='binary_crossentropy')\n",
        # the same, tested in a function whose parameter has the setting's name: not the module's setting
        "import argparse\nimport torch\nimport torch.nn as nn\nargs = argparse.ArgumentParser().parse_args()\n"
        "if args.model == 'rnn':\n    model = nn.Linear(8, 5)\nelse:\n    model = nn.Sequential(nn.Linear(8, 5), nn.LogSoftmax(dim=1))\n\n\n"
        "def train(args, x, y):\n    if args.model == 'rnn':\n        out = model(x)\n    else:\n        out = model(x)\n"
        "    return nn.NLLLoss()(out, y)\n",
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
            elif kind in ("torch.nn.CrossEntropyLoss", "torch.nn.BCEWithLogitsLoss") and act in RECTIFIED:
                problem = (f"takes logits; this input went through {act}, so every negative score is clipped to 0 and "
                           f"those classes cannot be told apart")
            elif kind == "torch.nn.NLLLoss" and act != "log_softmax" and (act in UNBOUNDED or act in PROBABILITIES):
                problem = f"wants log-probabilities (log_softmax); this input is {'a ' + act + ' output' if act != 'linear' else 'raw scores (logits)'}"
                if act in UNBOUNDED:
                    fix = rename_fix(ctx, ev.loss.node, TO_LOGITS, "Use `{new}`")
            else:
                return
        else:
            kind, logits = loss_kind(ev.loss)
            if kind not in ("categorical", "sparse_categorical", "binary") or logits is not True:
                return
            if act in RECTIFIED:
                problem = (f"is built with `from_logits=True`; this prediction went through {act}, so every negative "
                           f"score is clipped to 0")
            elif act not in PROBABILITIES:
                return
            else:
                problem = f"is built with `from_logits=True`; this prediction already went through {act}"
                if isinstance(ev.loss.node, cst.Call):
                    fix = from_logits_fix(ctx, ev.loss.node, "False")
        ctx.report(self, ev.node, f"{short} {problem} ({pred_label(ctx, pred)})", fix=fix,
                   related=[(pred.origin, f"the {act} output is made here")] if pred.origin is not None else [])

    def on_function(self, ctx, ev):
        """A top-level function of this file that returns a softmax/sigmoid output which a file of
        its project, importing the function, feeds as `logits=` to a TensorFlow cross-entropy."""
        if type(ev.node) is not cst.FunctionDef or ev.func.owner is not None or ev.func.module is not None:
            return
        result = ctx.uncalled_results.get(id(ev.node))
        items = result.items if isinstance(result, Seq) else (result,)
        if not any(_probabilities(v) for v in items):
            return
        if parents(ctx).parent.get(ev.node) is not ctx.chunks[ev.func.chunk].module:
            return  # a nested or conditional definition: not what the other file imports
        returns = _own_returns(ev.node)
        if len(returns) != 1:
            return  # (several exits: which one the other file gets is not known)
        written = returns[0].value
        for where, index, use in importer_logits_uses(ctx, ev.node.name.value):
            if index is None:
                value, node = result, written
            elif isinstance(result, Seq) and index < len(result.items) and isinstance(written, cst.Tuple) \
                    and len(written.elements) == len(result.items) \
                    and not any(isinstance(e, cst.StarredElement) for e in written.elements):
                value, node = result.items[index], written.elements[index].value
            else:
                continue
            act = _probabilities(value)
            if act is None or (isinstance(value, Tensor) != use.startswith("passes")):
                continue
            what = f"a {act} output" if isinstance(value, Tensor) else f"a model whose output layer applies {act}"
            origin = value.origin if isinstance(value, Tensor) else keras_output(value)[2]
            ctx.report(self, node,
                       f"`{ev.node.name.value}` returns {what} here, and {where} {use}, which applies "
                       f"{'the sigmoid' if 'igmoid' in use or 'Binary' in use else 'softmax'} itself: {act} is applied "
                       f"twice; " + (f"return the logits (the layer before the {act}) for the loss" if isinstance(value, Tensor)
                                     else "leave the output layer linear, or build the loss with `from_logits=False`"),
                       related=[(origin, f"the {act} output is made here")] if origin is not None else [])
            return

    def on_method_call(self, ctx, ev):
        """`log_softmax` of class scores that are not logits: a hand-written cross-entropy's input."""
        r = ev.receiver
        if ev.method != "log_softmax" or not isinstance(r, Tensor) or r.fw != "torch":
            return
        what = f"`{r.name}`" if r.name else f"a {r.activation} output"
        if r.activation in RECTIFIED:
            problem = (f"the class scores went through {r.activation}, so every negative score is clipped to 0 and those "
                       f"classes cannot be told apart; leave the output layer linear")
        elif r.activation == "softmax":
            problem = "these are already probabilities: softmax is applied twice and the outputs are squashed together"
        else:
            return
        ctx.report(self, ev.node, f"log_softmax of {what}: {problem}",
                   related=[(r.node, f"{r.activation} applied here")] if r.node is not None and r.node is not ev.node else [])

    def on_compile(self, ctx, ev):
        if _only_predicted(ctx, ev.node):
            return
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
            message = head_problem(kind, logits, units, act)
            if message is None:
                return
            fix = None
        ctx.report(self, ev.loss_node or ev.node, message, fix=fix,
                   related=[(layer_node, "output layer")] if layer_node is not None else [])

    def on_reduce(self, ctx, ev):
        """A Wasserstein critic loss on probabilities: `mean(D(fake)) - mean(D(real))` (or
        `-mean(D(real))` beside `mean(D(fake))`) where both are outputs of the same sigmoid."""
        v = ev.value
        if ev.op != "mean" or not isinstance(v, Tensor) or v.activation != "sigmoid" or v.requires_grad is False \
                or v.node is None or not isinstance(ev.node, cst.Call):
            return
        par = parents(ctx)
        if par.conditional_between(ev.node, None) or par.conditional_between(v.node, None):
            return  # a sigmoid or a critic loss chosen by a flag: the two may never meet
        up = par.parent.get(ev.node)
        if isinstance(up, cst.UnaryOperation) and isinstance(up.operator, cst.Minus):
            sign = -1
        elif isinstance(up, cst.BinaryOperation) and isinstance(up.operator, cst.Subtract) and up.right is ev.node \
                and isinstance(up.left, cst.Call):
            sign = -1
        else:
            sign = 1
        seen = ctx.__dict__.setdefault("_tl304_critic", {}).setdefault(id(par.scope(ev.node)), [])
        done = ctx.__dict__.setdefault("_tl304_critic_done", set())
        if id(ev.node) in done:
            return
        mine = (sign, v.models, id(v.node), ev.node)
        # one network on two inputs: the same sigmoid op (a graph function called twice) or the same model
        other = next((e for e in seen if e[0] != sign and e[3] is not ev.node
                      and (e[2] == mine[2] or (e[1] and e[1] == mine[1]))), None)
        if all(e[3] is not ev.node for e in seen):
            seen.append(mine)
        if other is None:
            return
        neg, pos = (ev.node, other[3]) if sign < 0 else (other[3], ev.node)
        if id(neg) in done:
            return
        done.update((id(neg), id(pos)))
        a, b = ctx.line(neg), ctx.line(pos)
        where = f"line {a}" if a == b else f"lines {a} and {b}"
        ctx.report(self, neg,
                   f"a Wasserstein-style critic loss (the mean on one input minus the mean on another, {where}) on the "
                   f"output of a sigmoid: the critic's score is bounded to "
                   f"(0, 1) and its gradient vanishes as the sigmoid saturates; use the linear output (the logits)",
                   related=[(v.node, "the sigmoid output is made here"), (pos, "the other mean")])


def _own_returns(func: cst.FunctionDef) -> list:
    """The `return <value>` statements of the function's own body (not of nested definitions)."""
    out, todo = [], [func.body]
    while todo:
        node = todo.pop()
        if isinstance(node, cst.Return):
            if node.value is not None:
                out.append(node)
            continue
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        todo.extend(node.children)
    return out


def _probabilities(value) -> str | None:
    """"softmax"/"sigmoid" for a tensor made by one, or a Keras model whose output layer applies one."""
    if isinstance(value, Tensor):
        return value.activation if value.activation in PROBABILITIES else None
    out = keras_output(value)
    return out[1] if out is not None and out[1] in PROBABILITIES else None
