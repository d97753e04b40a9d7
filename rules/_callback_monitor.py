"""Which way a monitored value is better, for the callbacks that keep a best epoch: Keras's
`EarlyStopping`, `ModelCheckpoint` and `ReduceLROnPlateau` (given `mode=`, monitoring a name
Keras logs), and Lightning's `ModelCheckpoint` and `EarlyStopping` (whose `mode` is 'min' unless
given, monitoring a name the program logs with `self.log`, judged from the value it logs)."""
from __future__ import annotations

import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._trees import calls_where, per_chunk

# what Keras logs under these names, and which way is better: the compiled loss, and its
# built-in metrics (a metric's name, or its class turned into snake case)
_LOWER = frozenset({"loss", "mse", "mae", "mape", "msle", "mean_squared_error", "mean_absolute_error",
                    "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "root_mean_squared_error",
                    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
                    "kl_divergence", "kullback_leibler_divergence", "poisson", "hinge", "squared_hinge",
                    "categorical_hinge", "logcosh", "log_cosh_error"})
_HIGHER = frozenset({"acc", "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                     "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "auc", "precision", "recall"})
# callback -> the position of `monitor` when given by position
_KERAS = {"keras.callbacks.EarlyStopping": 0, "keras.callbacks.ModelCheckpoint": 1,
          "keras.callbacks.ReduceLROnPlateau": 0}
_LIGHTNING = {"ModelCheckpoint": 2, "EarlyStopping": 0}
_LIGHTNING_HEADS = ("pytorch_lightning.", "lightning.pytorch.", "lightning.")
EFFECT = {"EarlyStopping": "stops training once the value has stopped getting worse (and `restore_best_weights` "
                           "restores the worst epoch)",
          "ModelCheckpoint": "keeps the epoch where the value is worst",
          "ReduceLROnPlateau": "cuts the learning rate while the value is still improving"}
# torchmetrics classes (without a Binary/Multiclass/Multilabel prefix) and functions, by the way
# their value is better
_METRICS_HIGHER = frozenset({"Accuracy", "F1Score", "F1", "FBetaScore", "AUROC", "AveragePrecision", "Precision",
                             "Recall", "JaccardIndex", "IoU", "MatthewsCorrCoef", "CohenKappa", "R2Score",
                             "Specificity", "accuracy", "f1_score", "f1", "auroc", "precision", "recall",
                             "average_precision", "jaccard_index", "r2_score"})
_METRICS_LOWER = frozenset({"MeanSquaredError", "MeanAbsoluteError", "MeanSquaredLogError",
                            "MeanAbsolutePercentageError", "HammingDistance", "mean_squared_error",
                            "mean_absolute_error", "hamming_distance"})
_WRAPPERS = frozenset({"item", "float", "mean", "compute", "detach", "cpu"})


def key_direction(key: str):
    """'min' / 'max' for a name Keras logs (`val_` prefix allowed), None when not one of its own."""
    name = key[4:] if key.startswith("val_") else key
    return "min" if name in _LOWER else "max" if name in _HIGHER else None


def string_value(node):
    if type(node) is cst.SimpleString:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _keyword(call, name):
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _monitor(call, position):
    monitor = _keyword(call, "monitor")
    positional = [a for a in call.args if a.keyword is None]
    if monitor is None and len(positional) > position:
        monitor = positional[position].value
    return monitor


def keras_misdirections(ctx) -> list:
    """(node to report at, callback, key, wanted, given) for the Keras callbacks given a `mode=`
    against the direction of the name they monitor."""
    env = module_names(ctx)
    out = []
    # a callback given no `mode=` keeps its default ('auto', which reads the name): only the calls
    # that pass one, filtered once per tree
    for call in calls_where(ctx, "TL318 calls given mode=", _given_mode):
        qualname = imported_qualname(env, call.func)
        if qualname not in _KERAS or any(a.star for a in call.args):
            continue
        mode, monitor = _keyword(call, "mode"), _monitor(call, _KERAS[qualname])
        key = "val_loss" if monitor is None else string_value(monitor)
        wanted = key_direction(key) if key is not None else None
        given = string_value(mode)
        if wanted is None or given not in ("min", "max") or given == wanted:
            continue
        out.append((mode, qualname.rpartition(".")[2], key, wanted, given))
    return out


def lightning_misdirections(ctx) -> list:
    """(node to report at, callback, key, wanted, given, what was logged, whether the mode is the
    default) for Lightning's
    callbacks whose mode (given, or the default 'min') is against the direction of the value
    the program logs under the monitored name."""
    env = module_names(ctx)
    out = []
    for call in calls_where(ctx, "TL318 lightning callbacks", _lightning_shaped):
        qualname = imported_qualname(env, call.func) or ""
        short = qualname.rpartition(".")[2]
        if short not in _LIGHTNING or not qualname.startswith(_LIGHTNING_HEADS) or any(a.star for a in call.args):
            continue
        monitor = _monitor(call, _LIGHTNING[short])
        key = string_value(monitor) if monitor is not None else None
        mode = _keyword(call, "mode")
        given = "min" if mode is None else string_value(mode)
        if key is None or given not in ("min", "max"):
            continue
        found = _logged_direction(ctx, env, key)
        if found is None or found[0] == given:
            continue
        out.append((mode if mode is not None else monitor, short, key, found[0], given, found[1], mode is None))
    return out


def _given_mode(call) -> bool:
    """A call of a name or an attribute with a `mode=` keyword argument."""
    return type(call.func) in (cst.Name, cst.Attribute) and any(
        a.keyword is not None and a.keyword.value == "mode" for a in call.args)


def _lightning_shaped(call) -> bool:
    return type(call.func) in (cst.Name, cst.Attribute) and dotted(call.func).rpartition(".")[2] in _LIGHTNING


def _self_log(call) -> bool:
    func = call.func
    return type(func) is cst.Attribute and func.attr.value == "log" and type(func.value) is cst.Name \
        and func.value.value == "self"


def _logged_direction(ctx, env, key):
    """('min' or 'max', the value's description) when every `self.log(key, value)` of the file
    logs a value the program makes a loss or a metric of one direction; None otherwise."""
    found = set()
    for call in calls_where(ctx, "TL318 self.log calls", _self_log):
        positional = [a.value for a in call.args if a.keyword is None]
        name = _keyword(call, "name") or (positional[0] if positional else None)
        if name is None or string_value(name) != key:
            continue
        value = _keyword(call, "value") or (positional[1] if len(positional) > 1 else None)
        if value is None:
            return None
        found.add(_direction(ctx, env, value, _function_of(ctx, call), 0))
    if len(found) != 1 or None in found:
        return None
    return found.pop()


def _function_of(ctx, node):
    from ._training import parents

    p = parents(ctx)
    return next((a for a in p.ancestors(node) if type(a) is cst.FunctionDef), None)


def _direction(ctx, env, expr, scope, depth):
    """('min' / 'max', what the value is) for a value the program makes a torchmetrics metric or
    a torch loss, None for anything else."""
    if depth > 4:
        return None
    kind = type(expr)
    if kind is cst.Name:
        if scope is None:
            return None
        values = [a.value for a in descendants(scope, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))
                  if type(a) is cst.Assign and len(a.targets) == 1 and type(a.targets[0].target) is cst.Name
                  and a.targets[0].target.value == expr.value]
        found = {_direction(ctx, env, v, scope, depth + 1) for v in values}
        return found.pop() if len(found) == 1 else None
    if kind is cst.Attribute and type(expr.value) is cst.Name and expr.value.value == "self":
        made = {_made(env, v) for v in _self_bindings(ctx).get(expr.attr.value, ())}
        return made.pop() if len(made) == 1 else None
    if kind is not cst.Call:
        return None
    func = expr.func
    if type(func) is cst.Attribute and func.attr.value in _WRAPPERS and not expr.args:
        return _direction(ctx, env, func.value, scope, depth + 1)
    if type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self":
        return _direction(ctx, env, func, scope, depth + 1)  # a metric object of the module, updated
    return _made(env, expr)


def _made(env, value):
    """The direction of what a call makes or computes: a torchmetrics metric or function, a
    torch loss function."""
    if type(value) is not cst.Call or type(value.func) not in (cst.Name, cst.Attribute):
        return None
    qualname = imported_qualname(env, value.func) or ""
    short = qualname.rpartition(".")[2]
    if qualname.startswith("torchmetrics."):
        for prefix in ("Multiclass", "Multilabel", "Binary", "binary_", "multiclass_", "multilabel_"):
            if short.startswith(prefix) and short != prefix:
                short = short[len(prefix):]
                break
        if short in _METRICS_HIGHER:
            return "max", f"a torchmetrics {short}"
        if short in _METRICS_LOWER:
            return "min", f"a torchmetrics {short}"
        return None
    if qualname.startswith("torch.nn.functional.") and short.endswith(("_loss", "cross_entropy")):
        return "min", f"the loss {short}"
    return None


def _self_bindings(ctx) -> dict:
    """`self.<attr>` -> the calls assigned to it anywhere in the file."""
    out: dict = {}
    for found in per_chunk(ctx, ("TL318 self attribute calls",), _self_calls):
        for attr, value in found:
            out.setdefault(attr, []).append(value)
    return out


def _self_calls(module) -> list:
    out = []
    for n in descendants(module):
        if type(n) is cst.Assign and type(n.value) is cst.Call:
            for t in n.targets:
                target = t.target
                if type(target) is cst.Attribute and type(target.value) is cst.Name and target.value.value == "self":
                    out.append((target.attr.value, n.value))
    return out
