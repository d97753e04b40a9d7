from tensorlint.findings import Severity
from tensorlint.frameworks.keras import loss_kind
from tensorlint.frameworks.shapes import known_int
from tensorlint.rule import Rule
from tensorlint.values import ANY, Container, Layer, Tensor, is_int_dtype, shape_list

from ._losses import clashing_difference, compiled_loss, loss_spec, pred_label, pred_target
from ._shape import keras_trace, known_shape, model_output, shape_of
from .tl205_silent_broadcast_in_loss import broadcast_shape

_N = "N"


def _dims(shape) -> tuple:
    return tuple(_N if isinstance(d, str) else d for d in shape)


def _text(shape) -> str:
    return shape_list(_dims(shape))


def _keras_same_rank(out: tuple, y: tuple):
    """What Keras 3 compares for an elementwise loss: a trailing axis of 1 on the side with one
    more axis is dropped (or, for a rank-1 target, one is added to it)."""
    if len(out) == len(y) + 1 and out[-1] == 1:
        return (out, y + (1,)) if len(y) == 1 else (out[:-1], y)
    if len(y) == len(out) + 1 and y[-1] == 1:
        return (out + (1,), y) if len(out) == 1 else (out, y[:-1])
    return out, y


def keras_problem(kind: str, out: Tensor, y: Tensor, fit: bool = True):
    """Why a Keras loss of `kind` cannot pair the model output `out` with the targets `y`, or None
    (they match, the shapes are not all known, or another rule owns the case). `fit`: the pair
    comes from `fit`/`evaluate`, where Keras 2 first expands rank-1 targets against rank-2 outputs."""
    per_row = _one_hot_width(y)
    if per_row is not None:
        return _one_hot_problem(kind, out, per_row)
    if not known_shape(out) or not known_shape(y) or out.rank < 2 or y.rank < 1:
        return None
    o, t = tuple(out.shape[1:]), tuple(y.shape[1:])
    if not all(known_int(d) for d in o + t) or o == t:
        return None
    if kind == "sparse_categorical":
        if o[-1] == 1 or t in (o[:-1], o[:-1] + (1,)) or t == o:  # TL306 / fine / TL303
            return None
        return f"sparse categorical cross-entropy wants `y` of shape {_text(('N',) + o[:-1])} (one class index per output row)"
    if kind == "categorical":
        if o[-1] == 1 or is_int_dtype(y.dtype) or t == o[:-1]:  # TL306 / TL302 (integer class labels)
            return None
        return f"categorical cross-entropy wants `y` of the output's shape {_text(('N',) + o)}"
    if kind in ("regression", "binary"):
        a, b = _keras_same_rank(tuple(out.shape[:1]) + o, tuple(out.shape[:1]) + t)
        if a == b:
            return None
        if kind == "binary":
            return f"binary cross-entropy needs `y` of the output's shape {_text(tuple(out.shape))} (a trailing axis of 1 aside)"
        if not t and len(o) == 1:
            # the Keras versions disagree here, and neither trains what was meant
            subtract = (f"subtracts [batch] from [batch, {o[0]}], which fails unless the batch has {o[0]} rows (and then "
                        f"pairs each output with another row's target)")
            if not fit:
                return f"the loss {subtract}"
            return f"Keras 3 {subtract}; Keras 2 expands `y` to [N, 1] and trains all {o[0]} outputs toward the same target"
        both = broadcast_shape(a, b)
        if both is None:
            return "the loss cannot broadcast them against each other"
        if both == a and len(o) == len(t):
            return None  # a target of size 1 on an axis is compared with every output on it: may be meant
        return f"the loss broadcasts them to {_text(both)}, so outputs are compared with targets they do not belong to"
    return None


def _one_hot_width(y: Tensor):
    """The number of classes of a one-hot encoding whose other axes are not known (labels of
    unknown shape through `to_categorical(y, n)` / `tf.one_hot(y, n)`), else None."""
    s = y.shape
    if y.onehot and s is not None and len(s) == 2 and s[0] is ANY and known_int(s[1]):
        return s[1]
    return None


def _one_hot_problem(kind: str, out: Tensor, width: int):
    """Categorical and binary cross-entropy in Keras require `y` of the output's shape: one-hot
    targets of `width` classes cannot match an output whose last axis holds another number of
    units, whatever the targets' other axes are (a last axis of 1 is TL306's, or a binary
    target read as is)."""
    if out.shape is None or out.rank is None or out.rank < 2 or not known_int(out.shape[-1]):
        return None
    units = out.shape[-1]
    if units == width or kind not in ("categorical", "binary") or units == 1 and kind == "categorical" or width == 1:
        return None
    loss = "categorical" if kind == "categorical" else "binary"
    return (f"{loss} cross-entropy needs `y` of the output's shape, and the one-hot targets have {width} classes "
            f"where the output has {units} units")


TF_SPARSE = "tensorflow.nn.sparse_softmax_cross_entropy_with_logits"


def _tf_sparse_problem(logits: Tensor, labels: Tensor):
    """`tf.nn.sparse_softmax_cross_entropy_with_logits` takes one class index per row of logits:
    labels of exactly one axis less (TensorFlow raises "Rank mismatch" otherwise; unlike Keras'
    sparse loss it does not drop a trailing axis of 1). One-hot float labels are TL303's."""
    if logits.rank is None or labels.rank is None or not logits.rank or labels.rank == logits.rank - 1:
        return None
    if (labels.onehot or not is_int_dtype(labels.dtype)) and labels.rank == logits.rank:
        return None  # labels that are not known class ids, shaped like the logits: one-hot (TL303)
    return (f"the labels must have one axis less than the logits (one class index per row: rank {logits.rank - 1}), "
            f"not rank {labels.rank}")


def _sizes_differ(p: tuple, t: tuple) -> bool:
    """Two shapes of known rank are known to differ beyond the batch axis: the ranks differ, or an
    axis after the first has two known, different sizes. Sizes that are not known match anything."""
    return len(p) != len(t) or any(known_int(x) and known_int(y) and x != y for x, y in zip(p[1:], t[1:]))


def _least_rank(t: Tensor):
    """The rank of `t`, or the fewest dims it can have where only its last dims are known
    (`[..., ?, ?]`, a join along dim 1: 2); None where nothing is known."""
    s = t.shape
    if s is None:
        return None
    return len(s) - 1 if s[:1] == (ANY,) else len(s)


def _rank_bound_problem(spec, pred: Tensor, target: Tensor):
    """Why the loss rejects the pair where one side's rank is only bounded below: `BCELoss` needs
    equal ranks, so a side with fewer dims than the other must have fails; a batched
    `CrossEntropyLoss` input takes targets of its rank or one less."""
    least_p, least_t = _least_rank(pred), _least_rank(target)
    if least_p is None or least_t is None:
        return None
    if spec.kind == "binary" and (pred.rank is not None and least_t > pred.rank or target.rank is not None and least_p > target.rank):
        return "it needs a target of the input's exact shape"
    if spec.kind in ("categorical", "nll") and target.rank is not None and pred.rank is None and target.rank < least_p - 1:
        return f"it takes class indices one dim short of the input's at least {least_p} dims, or class probabilities of its shape"
    return None


def torch_problem(spec, pred: Tensor, target: Tensor):
    """Why a PyTorch loss rejects the (input, target) pair, or None. Differences in the batch axis
    alone are TL204's; broadcasts to a larger shape TL205's."""
    if pred.rank is None or target.rank is None:
        return _rank_bound_problem(spec, pred, target)
    if spec.kind == "binary" and pred.rank is not None and target.rank is not None and not (known_shape(pred) and known_shape(target)):
        # BCELoss / BCEWithLogitsLoss raise on any size difference: the ranks alone can decide
        if _sizes_differ(pred.shape, target.shape):
            return "it needs a target of the input's exact shape"
        return None
    if spec.kind in ("categorical", "nll") and pred.rank is not None and pred.rank >= 2 and target.rank is not None \
            and target.rank not in (pred.rank - 1, pred.rank) and not (known_shape(pred) and known_shape(target)):
        # a batched input takes indices one rank lower or probabilities of its own rank: the
        # ranks alone decide (`(N, C)` against a 0-d `target[i]`)
        p = pred.shape
        return f"it takes class indices of shape {_text(p[:1] + p[2:])} or class probabilities of shape {_text(p)}"
    if not known_shape(pred) or not known_shape(target):
        return None
    p, t = pred.shape, target.shape
    same = lambda a, b: len(a) == len(b) and all(x == y or (isinstance(x, str) and isinstance(y, str)) or  # noqa: E731
                                                 (not known_int(x) and not known_int(y)) for x, y in zip(a, b))
    if spec.kind in ("categorical", "nll"):
        if pred.rank == 0 or (pred.rank == 1 and len(t) == 1 and t[0] == 1):
            return None  # an unbatched `[C]` input takes a 0-d index or a target of size one
        indices = (p[:1] + p[2:]) if pred.rank >= 2 else ()
        if same(t, indices) or same(t, p):
            return None
        if pred.rank >= 2 and ((len(t) == len(indices) and same(t[1:], indices[1:])) or (len(t) == len(p) and same(t[1:], p[1:]))):
            return None  # only the batch sizes differ: TL204
        return f"it takes class indices of shape {_text(indices)} or class probabilities of shape {_text(p)}"
    if spec.kind == "binary":
        if same(p, t) or (len(p) == len(t) and same(p[1:], t[1:])):
            return None
        return "it needs a target of the input's exact shape"
    if spec.kind == "regression":
        if len(p) == len(t) and same(p[1:], t[1:]):
            return None
        if not all(known_int(d) for d in p + t) or broadcast_shape(p, t) is not None:
            return None
        return "the shapes cannot be broadcast against each other"
    return None


def _origin_of_shape(ctx, steps, out):
    """" (rank 3 since `LSTM` at line 12 with return_sequences=True)": the last layer of a Keras
    Sequential model that changed the rank of the values or kept a recurrent layer's time axis."""
    last = None
    for i, (layer, x) in enumerate(steps):
        nxt = steps[i + 1][1] if i + 1 < len(steps) else out
        if not isinstance(layer, Layer) or not isinstance(x, Tensor) or not isinstance(nxt, Tensor):
            continue
        if layer.facts.get("return_sequences") is True or (x.rank is not None and nxt.rank is not None and x.rank != nxt.rank):
            last = layer
    if last is None:
        first = steps[0][1] if steps and isinstance(steps[0][1], Tensor) else None
        return f" (no layer reduces the rank-{first.rank} input)" if first is not None and first.rank == out.rank else ""
    line = ctx.line(last.node)
    seq = " with return_sequences=True" if last.facts.get("return_sequences") is True else ""
    return f" (rank {out.rank} since {last.short}" + (f" at line {line}" if line else "") + f"{seq})"


class PredictionTargetShapeMismatch(Rule):
    """
    ## What it does
    Compares the shape of what a model predicts with the shape of the targets it is trained
    against, for the loss in use. Keras: `fit`/`evaluate`/`train_on_batch` of a `Sequential` or
    functional model compiled with a loss, where the model's output for `x` (traced through its
    layers) and `y` disagree beyond the batch axis (sparse categorical cross-entropy wants `y` with
    one axis less than the output, categorical cross-entropy the output's shape, MSE/MAE/binary
    cross-entropy the output's shape up to a trailing axis of 1), and Keras loss objects called on
    `(y_true, y_pred)`. PyTorch: a loss call whose input and target shapes the loss rejects
    (`CrossEntropyLoss`/`NLLLoss`: `(N, C)` against `(N,)` or `(N, C)`; `BCELoss`/
    `BCEWithLogitsLoss`: equal shapes; `MSELoss`/`L1Loss`: shapes that broadcast), TensorFlow's
    `tf.nn.sparse_softmax_cross_entropy_with_logits` (labels of exactly one axis less than the
    logits: an `[N, 1]` label column, or the two arguments swapped, raises), and hand-written
    losses (`((pred - y) ** 2).mean()`, `tf.reduce_mean(tf.square(pred - y))`) whose difference
    cannot be broadcast. Only fully known shapes are compared, except for one-hot Keras targets
    (`to_categorical(y, n)`, `tf.one_hot(y, n)` of labels whose shape is not known), whose
    last axis of n classes decides against an output of another number of units under
    categorical or binary cross-entropy, and for `BCELoss`/
    `BCEWithLogitsLoss`, which reject any difference: there ranks that differ (an `(N, 1)` output
    against an `(N,)` label, whatever N is) or two known sizes that differ after the batch axis
    decide. Where a side's rank is only bounded below (`torch.cat(parts, dim=1)` has at least
    two dims, whatever its parts), the bound decides: a `BCELoss` target with fewer dims than
    the input must have, a `CrossEntropyLoss` target more than one dim short of it. Batch sizes
    that differ are TL204; shapes that broadcast to a larger shape in an explicit or
    hand-written loss are TL205.

    ## Why is this bad?
    Either training stops with an error (`ValueError: Arguments target and output must have the
    same shape`, `RuntimeError: 0D or 1D target tensor expected, multi-target not supported`), or,
    worse, the loss broadcasts: an LSTM with `return_sequences=True` followed by `Dense(1)` outputs
    `(N, 45, 1)`; trained against `y` of `(N, 1)` with MSE, every time step is pulled toward the
    sequence's single target and the model never learns the mapping. A `Dense` layer on a 4-D
    feature map (no `Flatten`) gives the same kind of output.

    ## Example
    ```python
    model = keras.Sequential([
        keras.layers.LSTM(64, return_sequences=True, input_shape=(45, 8)),
        keras.layers.Dense(1),
    ])
    model.compile(loss="mse", optimizer="adam")
    model.fit(x, y)  # x: (N, 45, 8), y: (N, 1)
    ```

    ## Use instead
    ```python
    model = keras.Sequential([
        keras.layers.LSTM(64, input_shape=(45, 8)),
        keras.layers.Dense(1),
    ])
    ```

    ## Fix safety
    There is no automatic fix: the model's last layers or the targets have the wrong shape.
    """

    code = "TL208"
    name = "prediction-target-shape-mismatch"
    severity = Severity.ERROR
    summary = "The model's output and its targets have shapes the loss cannot pair."
    failing = (
        "import numpy as np\nfrom tensorflow import keras\nx = np.random.rand(64, 45, 8)\ny = np.random.rand(64, 1)\nmodel = keras.Sequential([\n"
        "    keras.layers.LSTM(16, return_sequences=True, input_shape=(45, 8)),\n    keras.layers.Dense(1),\n])\n"
        "model.compile(loss='mean_squared_error', optimizer='adam')\nmodel.fit(x, y, epochs=2)  # TL208\n",
        "import numpy as np\nimport keras\nfrom keras import layers\nimages = np.random.rand(32, 32, 32, 3)\nlabels = keras.utils.to_categorical(np.random.randint(0, 2, 32), 2)\n"
        "inputs = keras.Input((32, 32, 3))\nh = layers.Conv2D(8, 3, padding='same', activation='relu')(inputs)\noutputs = layers.Dense(2, activation='softmax')(h)\n"
        "model = keras.Model(inputs, outputs)\nmodel.compile(loss='categorical_crossentropy', optimizer='adam')\nmodel.fit(images, labels)  # TL208\n",
        "import torch\nimport torch.nn as nn\nnet = nn.Linear(20, 5)\nx = torch.randn(16, 20)\ny = torch.randint(0, 5, (16, 1))\nloss = nn.CrossEntropyLoss()(net(x), y)  # TL208\n",
        # the batch size is not known, the ranks are: BCELoss raises whatever it is
        "import random\nimport torch\nimport torch.nn as nn\nrows = list(range(random.randint(2, 9)))\nnet = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\nx = torch.randn(len(rows), 4)\n"
        "label = torch.ones(len(rows))\nloss = nn.BCELoss()(net(x), label)  # TL208\n",
    )
    passing = (
        "import numpy as np\nfrom tensorflow import keras\nx = np.random.rand(64, 45, 8)\ny = np.random.rand(64, 1)\nmodel = keras.Sequential([\n"
        "    keras.layers.LSTM(16, input_shape=(45, 8)),\n    keras.layers.Dense(1),\n])\n"
        "model.compile(loss='mean_squared_error', optimizer='adam')\nmodel.fit(x, y, epochs=2)\n",
    )
    lookalikes = (
        # Keras drops the trailing axis of 1: (N, 1) outputs against (N,) targets are fine
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])\nmodel.compile(loss='mse')\nmodel.fit(np.random.rand(10, 4), np.random.rand(10))\n",
        # sequence labelling: (N, T) class indices for an (N, T, C) output
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.LSTM(8, return_sequences=True, input_shape=(12, 4)), keras.layers.Dense(5, activation='softmax')])\n"
        "model.compile(loss='sparse_categorical_crossentropy')\nmodel.fit(np.random.rand(10, 12, 4), np.random.randint(0, 5, (10, 12)))\n",
        # PyTorch cross-entropy over a sequence: (N, C, T) scores, (N, T) targets
        "import torch\nimport torch.nn.functional as F\nscores = torch.randn(4, 7, 12, requires_grad=True)\nloss = F.cross_entropy(scores, torch.randint(0, 7, (4, 12)))\n",
        # a target of size 1 on an axis is compared with every output along it (Keras broadcasts it)
        "import numpy as np\nfrom tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])\nmodel.compile(loss='mse')\nmodel.fit(np.random.rand(10, 4), np.random.rand(10, 1))\n",
        # the output loses its column before the loss
        "import random\nimport torch\nimport torch.nn as nn\nrows = list(range(random.randint(2, 9)))\nnet = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\nx = torch.randn(len(rows), 4)\n"
        "label = torch.ones(len(rows))\nloss = nn.BCELoss()(net(x).squeeze(1), label)\n",
    )

    def on_fit(self, ctx, ev):
        if ev.y is None or ev.method in ("predict", "predict_on_batch", "__call__") or not isinstance(ev.y, Tensor):
            return
        model = ev.model
        kind, _ = loss_kind(compiled_loss(model))
        if kind is None:
            return
        traced, compile_node = None, getattr(model, "compile_node", None)
        if not isinstance(model, Container):
            out = model_output(ctx, model, ev.x)
        elif model.kind == "keras.Sequential":
            steps, out = keras_trace(ctx, model, ev.x)
            if isinstance(out, Tensor) and out.shape is not None:
                traced = steps  # where the shape comes from is read only when reporting (it needs positions)
        elif model.kind == "keras.Model" and isinstance(model.outputs, Tensor) and isinstance(ev.x, Tensor):
            out = model.outputs
            if out.shape is None or out.rank is None:
                return
            batch = ev.x.dim(0) if ev.x.rank else None
            out = out.with_(shape=(batch if known_int(batch) else "B",) + tuple(out.shape[1:]))
        else:
            return
        if not isinstance(out, Tensor):
            return
        problem = keras_problem(kind, out, ev.y)
        if problem is None:
            return
        where = _origin_of_shape(ctx, traced, out) if traced is not None else ""
        ctx.report(
            self, ev.node,
            f"the model outputs {_text(out.shape)}{where}; the targets {shape_of(ctx, ev.y)}: {problem}",
            related=[(n, m) for n, m in ((compile_node, "compiled here"), (ev.y.origin, "the targets are made here")) if n is not None],
        )

    def on_loss_call(self, ctx, ev):
        pred, target = pred_target(ev)
        if not isinstance(pred, Tensor) or not isinstance(target, Tensor):
            return
        if ev.fw == "torch":
            spec = loss_spec(ev.loss)
            problem = torch_problem(spec, pred, target) if spec is not None else None
        elif ev.loss.kind == TF_SPARSE:
            problem = _tf_sparse_problem(pred, target)
        else:
            kind, _ = loss_kind(ev.loss)
            problem = keras_problem(kind, pred, target, fit=False) if kind is not None and pred.rank and target.rank and \
                not (pred.dim(0) != target.dim(0) and known_int(pred.dim(0)) and known_int(target.dim(0))) else None
        if problem is None:
            return
        ctx.report(
            self, ev.node,
            f"{ev.loss.short}: the prediction is {shape_of(ctx, pred)}, the target {shape_of(ctx, target)}; {problem}",
            related=[(t.origin, "made here") for t in (pred, target) if t.origin is not None],
        )

    def on_reduce(self, ctx, ev):
        """A hand-written loss, `((pred - y) ** 2).mean()`, whose difference cannot be broadcast."""
        if ev.op not in ("mean", "sum"):
            return
        found = clashing_difference(ev.value)
        if found is None:
            return
        a, b, node = found
        ctx.report(
            self, node,
            f"the hand-written loss subtracts {pred_label(ctx, b)} of shape {_text(b.shape)} from {pred_label(ctx, a)} of shape "
            f"{_text(a.shape)}; the shapes cannot be broadcast against each other",
            related=[(t.origin, "made here") for t in (a, b) if t.origin is not None],
        )
