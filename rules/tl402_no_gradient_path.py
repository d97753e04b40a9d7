import re

import libcst as cst

from tensorlint.dataflow import gradient_dependence, is_stub, result_dependence
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.lineage import cut_on_the_way, reaches
from tensorlint.values import Tensor, exact_items

from ._common import function_label
from .tl405_gradient_tape_misuse import gradient_sources, unwatched_constant

LEAF_FACTORIES = ("torch.tensor", "torch.as_tensor")
CUTS = "no_grad/inference_mode, .detach(), .item(), .data, .numpy(), argmax, round or a comparison"


LOSS_NAME = re.compile(r"loss|criterion|objective|cost", re.I)
PRED_NAMES = ("y_pred", "ypred", "pred", "preds", "prediction", "predictions", "output", "outputs", "logits", "input", "inputs", "y_hat", "yhat")


def _prediction_param(ev):
    """The parameter of a loss function or loss class that receives the model's prediction:
    the second of a Keras loss (`y_true, y_pred`), the first of a PyTorch loss module's forward."""
    params = ev.params
    if len(params) < 2:
        return None
    node = ev.node
    fname = node.name.value if isinstance(node, cst.FunctionDef) else ""
    if ev.used_as_loss == "keras" or (ev.owner_kind == "keras.loss" and fname == "call"):
        return params[1]  # Keras calls a loss as loss(y_true, y_pred)
    # PyTorch losses have no fixed signature: only (prediction, target), or a parameter named so
    named = [p for p in params[:2] if p.lower() in PRED_NAMES]
    if named:
        return named[0]
    if ev.used_as_loss == "torch" and len(params) == 2:
        return params[0]
    return None


def _is_loss(ev) -> bool:
    node = ev.node
    fname = node.name.value if isinstance(node, cst.FunctionDef) else ""
    if ev.used_as_loss is not None:
        return True
    if ev.owner_kind == "keras.loss" and fname == "call":
        return True
    owner = ev.func.owner
    return ev.owner_kind == "torch.module" and fname == "forward" and owner is not None and bool(LOSS_NAME.search(owner.name))


def _literal(node) -> bool:
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.UnaryOperation):
        return _literal(node.expression)
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(_literal(e.value) for e in node.elements)
    return False


def _written(call: cst.Call, index: int, keyword: str, default: str) -> str:
    """How the call writes an argument that is a name or an attribute chain (`self.q`), quoted."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    node = arg.value if arg is not None else positional[index].value if index < len(positional) else None
    text = dotted(node) if isinstance(node, (cst.Name, cst.Attribute)) else ""
    return f"`{text}`" if text else default


class NoGradientPath(Rule):
    """
    ## What it does
    Finds a `.backward()` call or a `tape.gradient(...)` whose target does not depend
    differentiably on the model: it was computed under `torch.no_grad()` or
    `torch.inference_mode()`, or went through `.detach()`, `.item()`, `.data`, `.numpy()`,
    `float()`, a re-wrapping `torch.tensor(value)`, `argmax`, `round`, or a comparison cast to
    float. In TensorFlow, `tf.round`, `tf.argmax`, comparisons and integer casts have no
    gradient either. In a TF1 graph, also `tf.gradients(ys, x)` where `ys` reads `x` only
    through `tf.stop_gradient` (or another op without a gradient): the analysis records what
    each graph tensor is computed from, and reports only where every op on the way is known.
    A function that a caller runs under `no_grad` and that backpropagates only on a test the
    program's values do not decide (`if model.training:` in one epoch function for training and
    validation) is left alone: whether that branch runs there is not known.

    ## Why is this bad?
    In PyTorch, `backward()` on a tensor without autograd history raises `RuntimeError:
    element 0 of tensors does not require grad and does not have a grad_fn`. The usual "fix"
    of wrapping the number again in `torch.tensor(loss, requires_grad=True)` silences the
    error and makes it worse: the new tensor is a leaf, no gradient reaches the model and the
    weights never change. In TensorFlow, `tape.gradient` returns `None` for every variable and
    `apply_gradients` fails with "No gradients provided for any variable".

    ## Example
    ```python
    with torch.no_grad():
        logits = model(inputs)
    loss = loss_fn(logits, labels)
    loss.backward()
    ```

    ## Use instead
    ```python
    logits = model(inputs)
    loss = loss_fn(logits, labels)
    loss.backward()
    ```
    Keep `.item()` for logging only, and optimize a differentiable surrogate (cross-entropy)
    instead of accuracy-like values made with `round` or `argmax`.

    ## Fix safety
    There is no automatic fix: where the graph was cut is a design decision.
    """

    code = "TL402"
    name = "no-gradient-path"
    severity = Severity.ERROR
    summary = ("`backward()` / `tape.gradient` / `tf.gradients` on a value that does not depend differentiably on the "
               "model or on the source.")
    failing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx, y = torch.randn(8, 4), torch.randint(0, 2, (8,))\n"
        "with torch.no_grad():\n    logits = model(x)\nloss = nn.functional.cross_entropy(logits, y)\nloss.backward()  # TL402\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 1)\nx, y = torch.randn(8, 4), torch.randn(8, 1)\n"
        "value = nn.functional.mse_loss(model(x), y).item()\nloss = torch.tensor(value, requires_grad=True)\nloss.backward()  # TL402\n",
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 3)\nx, y = torch.randn(8, 4), torch.randint(0, 3, (8,))\n"
        "acc = (model(x).argmax(1) == y).float().mean()\n(1 - acc).backward()  # TL402\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "x = tf.random.normal((16, 5))\ny = tf.random.normal((16, 1))\nwith tf.GradientTape() as tape:\n"
        "    wrong = tf.cast(tf.not_equal(tf.round(model(x)), y), tf.float32)\n    loss = tf.reduce_mean(wrong)\n"
        "grads = tape.gradient(loss, model.trainable_variables)  # TL402\n",
        # a custom loss built from accuracy-like operations: nothing to differentiate
        "import tensorflow as tf\nfrom tensorflow import keras\n\ndef accuracy_loss(y_true, y_pred):  # TL402\n"
        "    correct = tf.cast(tf.equal(tf.argmax(y_pred, axis=1), tf.argmax(y_true, axis=1)), tf.float32)\n"
        "    return 1.0 - tf.reduce_mean(correct)\n\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss=accuracy_loss)\n",
        "import torch\nimport torch.nn as nn\n\nclass HammingLoss(nn.Module):\n    def forward(self, logits, target):  # TL402\n"
        "        return (torch.sigmoid(logits).round() != target).float().mean()\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(3)])\n"
        "x, y = tf.random.normal((16, 5)), tf.constant([0, 1, 2, 0] * 4)\nwith tf.GradientTape() as tape:\n"
        "    hits = tf.cast(tf.argmax(model(x), axis=1), tf.int32) == y\n    loss = 1.0 - tf.reduce_mean(tf.cast(hits, tf.float32))\n"
        "grads = tape.gradient(loss, model.trainable_variables)  # TL402\n",
        # TF1: the critic reads the action only through tf.stop_gradient; its gradient is None
        "import tensorflow.compat.v1 as tf\ns = tf.placeholder(tf.float32, [None, 3])\n"
        "a = tf.layers.dense(s, 2, activation=tf.nn.tanh)\nh = tf.concat([s, tf.stop_gradient(a)], axis=1)\n"
        "q = tf.layers.dense(h, 1)\na_grads = tf.gradients(q, a)[0]  # TL402\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx, y = torch.randn(8, 4), torch.randint(0, 2, (8,))\n"
        "logits = model(x)\nloss = nn.functional.cross_entropy(logits, y)\nloss.backward()\nprint(loss.item())\n",
        "import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "x = tf.random.normal((16, 5))\ny = tf.random.normal((16, 1))\nwith tf.GradientTape() as tape:\n"
        "    loss = tf.reduce_mean(tf.keras.losses.binary_crossentropy(y, model(x)))\n"
        "grads = tape.gradient(loss, model.trainable_variables)\n",
    )
    lookalikes = (
        # validation under no_grad, no backward
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx, y = torch.randn(8, 4), torch.randint(0, 2, (8,))\n"
        "with torch.no_grad():\n    val = nn.functional.cross_entropy(model(x), y)\nprint(val.item())\n",
        # frozen backbone under no_grad, trainable head outside
        "import torch\nimport torch.nn as nn\nbackbone, head = nn.Linear(4, 8), nn.Linear(8, 2)\nx, y = torch.randn(8, 4), torch.randint(0, 2, (8,))\n"
        "with torch.no_grad():\n    feats = backbone(x)\nloss = nn.functional.cross_entropy(head(feats), y)\nloss.backward()\n",
        # gradient with respect to the input: requires_grad switched on afterwards
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx = torch.randn(1, 4)\nx.requires_grad = True\n"
        "score = model(x)[0, 1]\nscore.backward()\nsaliency = x.grad.abs()\n",
        "import torch\nx = torch.zeros(3)\nx.requires_grad_()\n(x ** 2).sum().backward()\n",
        # from-scratch weights switched on through a loop over the list that holds them
        "import torch\nW, b = torch.randn(4, 2), torch.zeros(2)\nparameters = [W, b]\nfor p in parameters:\n    p.requires_grad = True\n"
        "loss = (torch.randn(8, 4) @ W + b).pow(2).mean()\nloss.backward()\n",
        # straight-through rounding keeps a differentiable path
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nh = model(torch.randn(8, 4))\n"
        "q = h + (h.round() - h).detach()\nq.sum().backward()\n",
        # a tensor filled by assignment in a loop
        "import torch\nimport torch.nn as nn\ncell = nn.Linear(4, 4)\nout = torch.zeros(5, 4)\nh = torch.randn(4)\n"
        "for t in range(5):\n    h = cell(h)\n    out[t] = h\nout.sum().backward()\n",
        # one epoch function for training and validation, backpropagating only in training mode
        "import torch\nimport torch.nn as nn\n\ndef run_epoch(model, opt, x, y):\n    loss = nn.functional.mse_loss(model(x), y)\n"
        "    if model.training:\n        opt.zero_grad()\n        loss.backward()\n        opt.step()\n    return loss.item()\n\n"
        "model = nn.Linear(4, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nx, y = torch.randn(8, 4), torch.randn(8, 1)\n"
        "model.train()\nrun_epoch(model, opt, x, y)\nwith torch.no_grad():\n    model.eval()\n    run_epoch(model, opt, x, y)\n",
        # enable_grad inside no_grad
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nwith torch.no_grad():\n    with torch.enable_grad():\n"
        "        loss = model(torch.randn(2, 4)).sum()\n    loss.backward()\n",
        # a metric with argmax (not a loss), a loss that indexes with argmax but keeps the prediction's gradient
        "import keras\nimport keras.backend as K\n\ndef accuracy(y_true, y_pred):\n    return K.mean(K.equal(K.argmax(y_true), K.argmax(y_pred)))\n\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=[accuracy])\n",
        "import torch\nimport torch.nn as nn\n\nclass PickedLoss(nn.Module):\n    def forward(self, pred, target):\n"
        "        idx = target.argmax(dim=1, keepdim=True)\n        return -pred.log_softmax(1).gather(1, idx).mean()\n",
        # TensorFlow: tape.watch on a constant, gradient of a function of it
        "import tensorflow as tf\nimport numpy as np\nx = tf.constant(np.ones(3, dtype='float32'))\n"
        "with tf.GradientTape() as tape:\n    tape.watch(x)\n    y = tf.reduce_sum(x * x)\ng = tape.gradient(y, x)\n",
        # TF1: the gradient with respect to the stopped tensor itself; a stop_gradient only on the target
        "import tensorflow.compat.v1 as tf\ns = tf.placeholder(tf.float32, [None, 3])\n"
        "a = tf.stop_gradient(tf.layers.dense(s, 2))\nq = tf.layers.dense(tf.concat([s, a], axis=1), 1)\n"
        "a_grads = tf.gradients(q, a)[0]\n",
        "import tensorflow.compat.v1 as tf\ns = tf.placeholder(tf.float32, [None, 3])\nr = tf.placeholder(tf.float32, [None, 1])\n"
        "q = tf.layers.dense(s, 1)\nloss = tf.reduce_mean(tf.square(tf.stop_gradient(r + 0.9 * q) - q))\n"
        "g = tf.gradients(loss, s)\n",
    )

    def on_function(self, ctx, ev):
        node = ev.node
        if not _is_loss(ev) or is_stub(node):
            return
        pred = _prediction_param(ev)
        if pred is None:
            return
        where = ev.func.chunk
        values = ctx.tree_fact(where, ("depends", id(node), pred), lambda: result_dependence(node, pred))
        if values != 2:
            return
        grads = ctx.tree_fact(where, ("grad-depends", id(node), pred), lambda: gradient_dependence(node, pred))
        if grads != 1:
            return
        name = function_label(ev)
        keras = ev.used_as_loss == "keras" or ev.owner_kind == "keras.loss"
        effect = ("Keras stops with 'No gradients provided for any variable'" if keras
                  else "backward() raises 'element 0 of tensors does not require grad'")
        ctx.report(self, node.name if isinstance(node, cst.FunctionDef) else node,
                   f"loss {name} depends on the prediction `{pred}` only through operations without a gradient (argmax, "
                   f"round, a comparison, an integer cast, .numpy()/.item()/.detach()): no gradient reaches the model; "
                   f"{effect}")

    def on_tensor_created(self, ctx, ev):
        t = ev.tensor
        if ev.qualname not in LEAF_FACTORIES or not isinstance(t, Tensor) or t.requires_grad is not True:
            return
        node = ev.node
        data = node.args[0].value if node.args and node.args[0].keyword is None else None
        if data is None or _literal(data):
            return
        ctx.mark("TL402 leaves", (id(t.origin), ev.qualname))  # (kept for the chunks an edit does not run again)

    def on_method_call(self, ctx, ev):
        t = ev.receiver
        if ev.method == "numpy" and isinstance(t, Tensor) and t.fw == "tf" and t.requires_grad and ctx.tapes:
            for tape in ctx.tapes:  # (ids of the tapes) TL405 reports these
                ctx.mark("TL402 numpy tapes", (tape, True))
            return
        if ev.method != "backward" or not isinstance(t, Tensor) or t.fw != "torch":
            return
        if ev.args or "gradient" in ev.kwargs or "inputs" in ev.kwargs:
            return
        name = f"`{t.name}`" if t.name else "this value"
        related = [(t.origin, "the value comes from here")] if t.origin is not None else []
        if t.requires_grad is False:
            if ctx.no_grad > 0 and ctx.undecided_at > ctx.no_grad_at:
                # a function called under no_grad that backpropagates only on a test the program's
                # values do not decide (`if model.training:`, one epoch loop for training and
                # validation): whether that branch runs under the caller's no_grad is not known
                return
            ctx.report(self, ev.node,
                       f"backward() on {name}, which carries no gradient: its graph was cut on the way from the model "
                       f"({CUTS}); this raises 'element 0 of tensors does not require grad'",
                       related=related)
            return
        leaves = ctx.marked_map("TL402 leaves")
        if t.requires_grad and leaves and t.origin is not None and t.node is t.origin and id(t.origin) in leaves:
            ctx.report(self, ev.node,
                       f"backward() on {name}, a new leaf made by {leaves[id(t.origin)].rsplit('.', 1)[-1]}(...) from a plain "
                       f"value: it has no history, so no gradient reaches the model and the weights never change",
                       related=related)

    def on_graph_gradients(self, ctx, ev):
        """`tf.gradients(ys, xs)` of a TF1 graph where ys reads a source only by value: the
        recorded graph says that every path from that source to ys goes through an op without a
        gradient (and that no other path exists), so its gradient is None."""
        ys = ev.target
        if not isinstance(ys, Tensor) or ys.lineage is None:
            return
        sources = [ev.sources] if isinstance(ev.sources, Tensor) else list(exact_items(ev.sources) or ())
        for x in sources:
            if not isinstance(x, Tensor) or x.lineage is None or reaches(ys.lineage, x.lineage, False) is not False:
                continue
            cut = cut_on_the_way(ys.lineage, x.lineage)
            if cut is None:
                continue
            y_name = _written(ev.node, 0, "ys", "the target")
            x_name = _written(ev.node, 1, "xs", "a source") if isinstance(ev.sources, Tensor) else "one of the sources"
            line = ctx.line(cut)
            ctx.report(self, ev.node,
                       f"tf.gradients of {y_name} with respect to {x_name}: {y_name} reads {x_name} only through an op "
                       f"without a gradient{f' (line {line})' if line else ''}, so this gradient is None; differentiate "
                       f"with respect to that op's output, or remove the cut if a gradient should flow",
                       related=[(cut, "the gradient path is cut here")])
            return

    def on_tape_gradient(self, ctx, ev):
        t = ev.target
        if not isinstance(t, Tensor) or t.fw != "tf" or t.requires_grad is not False:
            return
        tape = ev.tape
        if tape.__dict__.get("watched") or id(tape) in ctx.marked_map("TL402 numpy tapes"):
            return
        sources = list(gradient_sources(ev.sources))
        if sources and all(unwatched_constant(s) for s in sources):
            return  # gradients with respect to constants the tape does not watch: TL405
        line = ctx.line(tape.node)
        where = f" (the tape at line {line})" if line else ""
        ctx.report(self, ev.node,
                   f"tape.gradient of {f'`{t.name}`' if t.name else 'a target'} that does not depend differentiably on any "
                   f"trainable variable{where}: it went through an op without a gradient (tf.round, tf.argmax, a comparison, "
                   f"an integer cast, tf.stop_gradient); every gradient is None",
                   related=[(t.origin, "the value comes from here")] if t.origin is not None else [])
