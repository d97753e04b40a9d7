import re

import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._reaching import call_argument, called_name, memo_bindings, nearest, scope_bindings
from ._training import parents
from ._trees import calls_where, calls_written

# the dropout APIs whose argument is the fraction of units dropped: qualified-name test -> (position, keyword)
_KERAS_CLASSES = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
                            "GaussianDropout"})
_TORCH_CLASSES = frozenset({"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"})
_TORCH_FUNCTIONS = frozenset({"dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"})
_CALLEE_NAMES = frozenset(n.lower() for n in (*_KERAS_CLASSES, *_TORCH_CLASSES, *_TORCH_FUNCTIONS))
# a name that says it holds a keep probability: keep_prob, keepProb, KEEP_PROBABILITY, dropout_keep_prob, keep_rate
_KEEP_NAME = re.compile(r"keep", re.I)
# a name that says it is a drop fraction: the program's own word wins over a comment
_DROP_NAME = re.compile(r"drop_?(?:rate|prob|frac|p\b)|p_?drop|\brate\b|_rate\b", re.I)
# a comment that relates the value to a keep probability without calling it one: `# == 1 - keep_prob`
_COMPLEMENT = re.compile(r"1(?:\.0*)?\s*-\s*keep|one\s+minus|complement", re.I)
# a comment that says so: "keep probability", "probability to keep units", "prob. of keeping a neuron"
_KEEP_COMMENT = re.compile(r"#[^\n]*(?:\bkeep(?:ing)?[ _-]*(?:prob|rate|ratio|fraction|percent)"
                           r"|\bprob\w*\.?\s+(?:to|of)\s+keep)", re.I)


def _rate_argument(qualname: str):
    """(position, keyword) of the drop fraction in a call of `qualname`; None when it is not a
    dropout API this rule knows. `tf.nn.dropout`'s second positional argument is `keep_prob` in
    TensorFlow 1 and `rate` in TensorFlow 2: only its `rate=` keyword counts."""
    head, _, last = qualname.rpartition(".")
    if head in ("torch.nn.functional",) and last in _TORCH_FUNCTIONS:
        return 1, "p"
    if head == "torch.nn" and last in _TORCH_CLASSES:
        return 0, "p"
    if head in ("tensorflow.nn", "tensorflow.compat.v1.nn", "tensorflow.compat.v2.nn") and last == "dropout":
        return -1, "rate"
    if head in ("tensorflow.layers", "tensorflow.compat.v1.layers") and last == "dropout":
        return 1, "rate"
    if (head.startswith(("keras", "tensorflow.keras", "tensorflow.python.keras")) and last in _KERAS_CLASSES
            and ".layers" in "." + head):
        return 0, "rate"
    return None


def _named_like_dropout(call) -> bool:
    f = call.func
    last = f.attr.value if type(f) is cst.Attribute else f.value if type(f) is cst.Name else ""
    return last.lower() in _CALLEE_NAMES


class KeepProbabilityAsDropRate(Rule):
    """
    ## What it does
    Finds a keep probability given where a dropout API takes the fraction of units to drop:
    `keep_prob` passed as `rate=` of `tf.nn.dropout`, `tf.layers.dropout` or Keras `Dropout`,
    or as `p` of PyTorch's `nn.Dropout` / `F.dropout`. The program says the value is a keep
    probability by its name (`keep_prob`, `dropout_keep_prob`) or by the comment on its
    assignment (`dropout = 0.75  # probability to keep units`), directly or through the
    parameter of a function that every call in the file gives such a value.

    ## Why is this bad?
    TensorFlow 1's `tf.nn.dropout(x, keep_prob)` took the probability of keeping a unit; every
    later API (`tf.nn.dropout(x, rate=...)` since TensorFlow 1.13, `tf.layers.dropout`, Keras'
    `Dropout`, PyTorch's `nn.Dropout(p)`) takes the probability of dropping it. A keep
    probability of 0.75 given as a rate drops three units in four instead of one in four: the
    network trains, only worse, and nothing reports it. A keep probability of 1.0 (evaluation)
    given as a rate drops every unit.

    ## Example
    ```python
    dropout = 0.75  # probability to keep units
    fc1 = tf.layers.dropout(fc1, rate=dropout, training=is_training)
    ```

    ## Use instead
    ```python
    dropout = 0.25  # probability to drop a unit
    fc1 = tf.layers.dropout(fc1, rate=dropout, training=is_training)
    ```

    ## Fix safety
    The fix passes `1 - keep_prob`. It is unsafe: the name or the comment may be the part that is
    wrong, and the value the one that was meant.
    """

    code = "TL113"
    triggers = ("ropout",)
    name = "keep-probability-as-drop-rate"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "A keep probability is passed where a dropout API takes the fraction of units to drop."
    failing = (
        "import tensorflow as tf\nkeep_prob = tf.compat.v1.placeholder(tf.float32)\nx = tf.random.normal([8, 32])\n"
        "h = tf.nn.dropout(x, rate=keep_prob)  # TL113\n",
        "import torch.nn as nn\n\nKEEP_PROB = 0.8\nnet = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Dropout(KEEP_PROB), nn.Linear(10, 2))  # TL113\n",
        "import tensorflow as tf\n\ndropout = 0.75  # Dropout, probability to keep units\n\n\ndef conv_net(x, dropout, is_training):\n"
        "    x = tf.layers.dense(x, 64)\n    return tf.layers.dropout(x, rate=dropout, training=is_training)  # TL113\n\n\n"
        "out = conv_net(tf.zeros([4, 8]), dropout, True)\n",
    )
    passing = (
        "import tensorflow as tf\nkeep_prob = tf.compat.v1.placeholder(tf.float32)\nx = tf.random.normal([8, 32])\n"
        "h = tf.nn.dropout(x, rate=1 - keep_prob)\n",
        "import torch.nn as nn\n\nDROP_PROB = 0.2\nnet = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Dropout(DROP_PROB), nn.Linear(10, 2))\n",
    )
    lookalikes = (
        # TensorFlow 1's own keep_prob argument, positional or by name
        "import tensorflow as tf\nkeep_prob = tf.compat.v1.placeholder(tf.float32)\nx = tf.random.normal([8, 32])\n"
        "a = tf.nn.dropout(x, keep_prob)\nb = tf.nn.dropout(x, keep_prob=keep_prob)\n",
        # a comment that says something else about keeping
        "import torch.nn as nn\n\nrate = 0.1  # keep it small: the model is tiny\nlayer = nn.Dropout(rate)\n",
        # a function whose callers do not all give a keep probability
        "import torch.nn as nn\n\nkeep_prob = 0.9\n\n\ndef block(p):\n    return nn.Dropout(p)\n\n\n"
        "a = block(keep_prob)\nb = block(0.1)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "keep" not in text.lower() or "ropout" not in text:
            return
        env = module_names(ctx)
        p = None
        for call in calls_where(ctx, "TL113 a dropout's name", _named_like_dropout):  # kept per chunk tree
            callee = dotted(call.func)
            if not callee:
                continue
            where = _rate_argument(imported_qualname(env, call.func) or "")
            if where is None:
                continue
            arg = call_argument(call, *where)
            if not isinstance(arg, (cst.Name, cst.Attribute, cst.Subscript)):
                continue
            p = p or parents(ctx)
            said = _says_keep(ctx, p, arg, 0)
            if said is None:
                continue
            self._report(ctx, call, arg, where[1], callee, said)

    def _report(self, ctx, call, arg, keyword, callee, said):
        why, node, value = said
        text = ctx.source(arg).strip()
        numbers = ""
        if value is not None and 0 < value <= 1:
            numbers = (f" With {value:g}, {1 - value:.0%} of the units were meant to be dropped and {value:.0%} are"
                       if value < 1 else " With 1.0, every unit is dropped")
            numbers += "." if value == 1 else " dropped."
        message = (f"`{text}` is a keep probability ({why}), but {keyword}= of {callee} is the fraction of units to "
                   f"drop.{numbers} Pass `1 - {text}`, or the drop rate itself")
        span = ctx.span(arg)
        fix = Fix(f"Pass 1 - {text}", (Edit(span, f"1 - {text}"),), Applicability.UNSAFE) if span is not None else None
        related = [(node, "it is made a keep probability here")] if node is not None and node is not arg else []
        ctx.report(self, arg, message, fix=fix, related=related)


def _says_keep(ctx, p, expr, depth):
    """(why, the node that says it, the value when a literal) when the program says `expr` holds
    a keep probability: its name (a variable, an attribute, a string key: `cfg["keep_prob"]`),
    the comment of the assignment that binds it, or, for a parameter, what every call of its
    function in the file gives it. None otherwise."""
    last = _last_name(expr)
    if last is None:
        return None
    if _KEEP_NAME.search(last):
        at = _binding(ctx, p, expr)[1] if isinstance(expr, cst.Name) else None
        return f"its name says so: `{last}`", None, _number(at.value) if isinstance(at, cst.Assign) else None
    if not isinstance(expr, cst.Name) or depth > 1:
        return None
    scope, at = _binding(ctx, p, expr)
    if isinstance(at, cst.Assign):
        line = ctx.line(at)
        said = _line(ctx, line) if line else ""
        if _KEEP_COMMENT.search(said) and not _COMPLEMENT.search(said) and not _DROP_NAME.search(expr.value):
            comment = said.split("#", 1)[1].strip()
            return f"line {line} says `# {comment}`", at, _number(at.value)
        return None
    if isinstance(at, cst.Param) and isinstance(scope, cst.FunctionDef):
        return _every_caller_says_keep(ctx, p, scope, at, depth)
    return None


def _last_name(expr):
    """`keep_prob` of `keep_prob`, `self.keep_prob`, `cfg["keep_prob"]`; None otherwise."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        key = expr.slice[0].slice.value
        if isinstance(key, cst.SimpleString):
            return key.evaluated_value if isinstance(key.evaluated_value, str) else None
    return None


def _binding(ctx, p, name: cst.Name):
    """(scope, the binding of `name` nearest above it: an assignment, a parameter, or the one
    module-level binding a function reads), or (scope, None)."""
    scope, binds = scope_bindings(ctx, p, name)
    if binds is None:
        return scope, None
    at = nearest(ctx, binds, name.value, name)
    if at is None and not isinstance(scope, cst.Module) and name.value not in binds:
        at = _global_binding(ctx, name.value)  # a function reading a module-level name
    return scope, at


def _every_caller_says_keep(ctx, p, func: cst.FunctionDef, param: cst.Param, depth):
    params = list(func.params.params)
    if param not in params or any(isinstance(a, cst.Decorator) for a in func.decorators):
        return None
    index = params.index(param)
    calls = [c for c in calls_written(ctx, (func.name.value,)) if isinstance(c.func, cst.Name)]
    if not calls:
        return None
    found = None
    for c in calls:
        given = call_argument(c, index, param.name.value)
        said = _says_keep(ctx, p, given, depth + 1) if given is not None else None
        if said is None:
            return None
        found = found or said
    return found


def _global_binding(ctx, name: str):
    """The one module-level binding of `name` (None when the module binds it more than once)."""
    if not ctx.chunks:
        return None
    found = memo_bindings(ctx, ctx.chunks[0].module).get(name) or []
    return found[0][2] if len(found) == 1 else None


def _number(node):
    if isinstance(node, (cst.Float, cst.Integer)):
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return None
    return None


def _line(ctx, line: int) -> str:
    lines = ctx.text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""
