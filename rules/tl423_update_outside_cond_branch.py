import libcst as cst

from tensorlint.dataflow import descendants, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import scope_roots
from ._graph_ops import tf_aliases
from ._training import parents
from ._module_nodes import module_nodes_by_name
from ._trees import per_chunk

# calls that make a graph op changing state when it runs
_UPDATES = frozenset({"apply", "assign", "assign_add", "assign_sub", "scatter_update", "scatter_add", "scatter_sub",
                      "minimize", "apply_gradients", "assign_moving_average"})
_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _cond_branches(call: cst.Call, aliases) -> list:
    """The branch expressions of `tf.cond(pred, true_fn, false_fn)` (also `control_flow_ops.cond`)."""
    path = dotted(call.func)
    head = path.split(".")[0]
    if not (path.endswith(".cond") or path == "cond") or not (head in aliases or head == "control_flow_ops"):
        return []
    out = [a.value for a in call.args[1:3] if a.keyword is None]
    out += [a.value for a in call.args if a.keyword is not None and a.keyword.value in ("true_fn", "false_fn", "fn1", "fn2")]
    return out


def _cond_calls(module) -> list:
    """The calls in the tree that may be a `cond` (`tf.cond`, `control_flow_ops.cond`, a bare
    `cond`), whichever names the file binds to TensorFlow."""
    out = []
    for call in descendants(module):
        if isinstance(call, cst.Call):
            path = dotted(call.func)
            if path.endswith(".cond") or path == "cond":
                out.append(call)
    return out


def _def_name(node) -> tuple:
    return (node.name.value,)


def _assigned_names(node) -> set:
    return {n for t in node.targets for n in store_names(t.target)}


def _update_call(value) -> cst.Call | None:
    if isinstance(value, cst.Call):
        name = value.func.attr.value if isinstance(value.func, cst.Attribute) else dotted(value.func)
        if name.rsplit(".", 1)[-1] in _UPDATES:
            return value
    return None


class UpdateOutsideCondBranch(Rule):
    """
    ## What it does
    Finds a TF1 `tf.cond` branch that runs an update under `tf.control_dependencies([op])` when
    `op` (a moving-average `ema.apply(...)`, a `tf.assign`, an optimizer step) was created
    outside the branch function, in the code around the `cond`.

    ## Why is this bad?
    In graph mode an op created outside a `cond` branch is not part of the branch: when the
    branch depends on it, TensorFlow runs it whichever branch is taken ("any ops created outside
    of `true_fn` and `false_fn` will be executed regardless of which branch is selected"). The
    batch-norm statistics are then updated at test time too, with test batches, and the
    moving averages drift away from the training data.

    ## Example
    ```python
    ema_apply_op = ema.apply([batch_mean, batch_var])

    def mean_var_with_update():
        with tf.control_dependencies([ema_apply_op]):
            return tf.identity(batch_mean), tf.identity(batch_var)

    mean, var = tf.cond(phase_train, mean_var_with_update, lambda: (ema_mean, ema_var))
    ```

    ## Use instead
    ```python
    def mean_var_with_update():
        ema_apply_op = ema.apply([batch_mean, batch_var])
        with tf.control_dependencies([ema_apply_op]):
            return tf.identity(batch_mean), tf.identity(batch_var)
    ```

    ## Fix safety
    There is no automatic fix: the update must move into the branch.
    """

    code = "TL423"
    triggers = ("control_dependencies",)
    name = "update-outside-cond-branch"
    severity = Severity.WARNING
    summary = "A tf.cond branch depends on an update op created outside it: the update runs whichever branch is taken."
    failing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\ntrain = tf.placeholder(tf.bool)\n"
        "mean, var = tf.nn.moments(x, [0])\nema = tf.train.ExponentialMovingAverage(decay=0.9)\n"
        "update = ema.apply([mean, var])  # TL423\n\n\ndef with_update():\n"
        "    with tf.control_dependencies([update]):\n        return tf.identity(mean), tf.identity(var)\n\n\n"
        "m, v = tf.cond(train, with_update, lambda: (ema.average(mean), ema.average(var)))\n",
    )
    passing = (
        "import tensorflow as tf\n\nx = tf.placeholder(tf.float32, [None, 4])\ntrain = tf.placeholder(tf.bool)\n"
        "mean, var = tf.nn.moments(x, [0])\nema = tf.train.ExponentialMovingAverage(decay=0.9)\n\n\ndef with_update():\n"
        "    update = ema.apply([mean, var])\n    with tf.control_dependencies([update]):\n"
        "        return tf.identity(mean), tf.identity(var)\n\n\n"
        "m, v = tf.cond(train, with_update, lambda: (ema.average(mean), ema.average(var)))\n",
    )
    lookalikes = (
        # an update outside any cond: run on every step, as meant
        "import tensorflow as tf\n\nx = tf.Variable(0.0)\nstep = tf.assign_add(x, 1.0)\n"
        "with tf.control_dependencies([step]):\n    y = tf.identity(x)\n",
    )

    def on_module(self, ctx, ev):
        aliases = tf_aliases(ctx)
        if not aliases or "cond" not in ctx.text or "control_dependencies" not in ctx.text:
            return
        p = None
        for calls in per_chunk(ctx, ("tl423 cond calls",), _cond_calls):
            for call in calls:
                for branch in _cond_branches(call, aliases):
                    if not isinstance(branch, cst.Name):
                        continue
                    p = p or parents(ctx)
                    scope = p.scope(call)
                    if scope is None or isinstance(scope, cst.Lambda):
                        continue
                    # the code that holds the cond: the function's body, or every chunk of the module
                    if isinstance(scope, cst.FunctionDef):
                        bodies = [scope.body]
                        defs = [n for n in descendants(scope.body, prune=_OWN)
                                if isinstance(n, cst.FunctionDef) and n.name.value == branch.value]
                    else:
                        bodies = scope_roots(ctx, scope)
                        defs = [n for index in module_nodes_by_name(ctx, (cst.FunctionDef,), _def_name)
                                for n in index.get(branch.value, ())]
                    if len(defs) == 1:
                        self._check_branch(ctx, bodies, defs[0], call)

    def _check_branch(self, ctx, bodies, func, cond):
        local = set()
        for node in descendants(func, prune=_OWN):
            if isinstance(node, cst.Assign):
                for t in node.targets:
                    local.update(store_names(t.target))
        for item in descendants(func, prune=_OWN):
            if not (isinstance(item, cst.Call) and dotted(item.func).endswith("control_dependencies") and item.args):
                continue
            deps = item.args[0].value
            names = [e.value.value for e in getattr(deps, "elements", ()) if isinstance(e.value, cst.Name)]
            for name in names:
                made = None if name in local else self._made_outside(ctx, bodies, name)
                if made is not None:
                    ctx.report(self, made,
                               f"`{ctx.source(made.func)}(...)` is created outside the `tf.cond` branch "
                               f"`{func.name.value}` that depends on it: an op made outside a branch runs whichever "
                               f"branch is taken, so this update also runs when the condition is false (at test "
                               f"time); create it inside `{func.name.value}`",
                               related=[(item, "the branch's control dependency"), (cond, "the cond")])

    @staticmethod
    def _made_outside(ctx, bodies, name):
        """The update call assigned to `name` exactly once in the code that holds the branch function."""
        if bodies and isinstance(bodies[0], cst.Module):
            found = [n for index in module_nodes_by_name(ctx, (cst.Assign,), _assigned_names) for n in index.get(name, ())]
        else:
            found = [node for body in bodies for node in descendants(body, prune=_OWN)
                     if isinstance(node, cst.Assign) and any(name in store_names(t.target) for t in node.targets)]
        return _update_call(found[0].value) if len(found) == 1 else None
