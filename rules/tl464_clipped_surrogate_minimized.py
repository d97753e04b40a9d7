import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._training import parents as parents_of

_LIBRARIES = ("numpy.", "torch.", "tensorflow.", "keras.", "jax.numpy.")
_CLIPS = frozenset({"clip", "clamp", "clip_by_value"})
_SAME_SIGN = frozenset({"mean", "reduce_mean", "sum", "reduce_sum", "nanmean", "nansum"})
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_UNKNOWN, _PLUS, _MINUS = 0, 1, -1


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _last(func) -> str | None:
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else None


def _positional(call) -> list | None:
    if any(a.star or a.keyword is not None for a in call.args):
        return None
    return [a.value for a in call.args]


def _factors(node) -> list:
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.Multiply:
        return _factors(node.left) + _factors(node.right)
    return [node]


def _number(node) -> float | None:
    sign = 1
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        sign, node = -1, node.expression
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return sign * float(node.value)
        except ValueError:
            return None
    return None


class _Scope:
    """The names of one function (or of the module) and where each is bound and read."""

    def __init__(self, root):
        self.assigned: dict = {}  # name -> [value expressions]
        self.reads: dict = {}  # name -> [Name nodes read]
        self.defs: dict = {}  # name -> [FunctionDef]
        for n in self._own(root):
            t = type(n)
            if t is cst.Assign:
                for target in n.targets:
                    if type(target.target) is cst.Name:
                        self.assigned.setdefault(target.target.value, []).append(n.value)
                    else:
                        for m in _walk(target.target):
                            if type(m) is cst.Name:
                                self.assigned.setdefault(m.value, []).append(None)
            elif t in (cst.AugAssign, cst.AnnAssign):
                for m in _walk(n.target):
                    if type(m) is cst.Name:
                        self.assigned.setdefault(m.value, []).append(None)
            elif t is cst.FunctionDef:
                self.defs.setdefault(n.name.value, []).append(n)

    def _own(self, root):
        """The nodes of `root`'s own scope (nested definitions are entered only for their names)."""
        roots = root if isinstance(root, list) else list(root.body.body) if type(root) is cst.FunctionDef else [root]
        stack = list(reversed(roots))
        while stack:
            n = stack.pop()
            yield n
            if type(n) is cst.FunctionDef:
                continue
            if type(n) is cst.Name:
                self.reads.setdefault(n.value, []).append(n)
            stack.extend(reversed(n.children))

    def value(self, name: str):
        got = self.assigned.get(name, [])
        return got[0] if len(got) == 1 else None


class ClippedSurrogateMinimized(Rule):
    """
    ## What it does
    Finds PPO's clipped surrogate objective, `min(r * A, clip(r, 1 - eps, 1 + eps) * A)`,
    handed to the optimizer without a negation: its mean (or itself) reaches `backward()`,
    `minimize(...)`, or the output of a Keras model compiled with a loss that returns the
    prediction as it is (`lambda y_true, y_pred: y_pred`), where a `Lambda` layer computes
    the objective. The objective is followed through names, means, sums, additions and
    products with numbers; anything else (a product with another tensor, a function the
    value is handed to) leaves it alone.

    ## Why is this bad?
    The clipped surrogate is an objective to maximize: the probability ratio of the actions
    whose advantage is positive should grow. An optimizer minimizes, so the loss must be its
    negation. Minimized as it is, every update lowers the probability of the good actions and
    raises that of the bad ones; the policy trains in the wrong direction while the loss
    curve looks like it is learning.

    ## Example
    ```python
    ratio = torch.exp(logp - old_logp)
    loss = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv).mean()
    loss.backward()
    ```

    ## Use instead
    ```python
    loss = -torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv).mean()
    loss.backward()
    ```

    ## Fix safety
    There is no automatic fix: the sign may be meant to be given elsewhere.
    """

    code = "TL464"
    triggers = ("clip", "clamp")
    name = "clipped-surrogate-minimized"
    severity = Severity.WARNING
    summary = "PPO's clipped surrogate objective is minimized without a negation: the policy is trained away from the actions with a positive advantage."
    failing = (
        "import torch\n\ndef update(policy, opt, obs, act, old_logp, adv, eps=0.2):\n"
        "    ratio = torch.exp(policy.log_prob(obs, act) - old_logp)\n"
        "    surr1 = ratio * adv\n    surr2 = torch.clamp(ratio, 1 - eps, 1 + eps) * adv\n"
        "    loss = torch.min(surr1, surr2).mean()  # TL464\n"
        "    opt.zero_grad()\n    loss.backward()\n    opt.step()\n",
        "import tensorflow as tf\n\ndef train_step(model, opt, obs, act, old_p, adv, clip=0.2):\n"
        "    with tf.GradientTape() as tape:\n        p = tf.reduce_sum(model(obs) * act, axis=1)\n"
        "        r = p / old_p\n"
        "        obj = tf.reduce_mean(tf.minimum(r * adv, tf.clip_by_value(r, 1 - clip, 1 + clip) * adv))  # TL464\n"
        "        loss = obj + 0.01 * tf.reduce_mean(tf.square(p))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    opt.apply_gradients(zip(grads, model.trainable_variables))\n",
        "from keras import backend as K\nfrom keras.layers import Input, Dense, Lambda\nfrom keras.models import Model\n\n"
        "state = Input(shape=(4,))\nadvantage = Input(shape=(1,))\nold_prob = Input(shape=(1,))\n"
        "prob = Dense(1, activation='sigmoid')(state)\n\n"
        "def clipped(args):\n    p, old, adv = args\n    ratio = p / old\n"
        "    return K.minimum(ratio * adv, K.clip(ratio, 0.8, 1.2) * adv)\n\n"
        "def clipped_eps(args, eps=0.2):\n    p, old, adv = args\n    ratio = p / old\n"
        "    return K.minimum(ratio * adv, K.clip(ratio, 1 - eps, 1 + eps) * adv)  # TL464\n\n"
        "out = Lambda(clipped_eps)([prob, old_prob, advantage])\n"
        "model = Model(inputs=[state, old_prob, advantage], outputs=out)\n"
        "model.compile(optimizer='adam', loss=[lambda y_true, y_pred: y_pred])\n",
    )
    passing = (
        "import torch\n\ndef update(policy, opt, obs, act, old_logp, adv, eps=0.2):\n"
        "    ratio = torch.exp(policy.log_prob(obs, act) - old_logp)\n"
        "    surr1 = ratio * adv\n    surr2 = torch.clamp(ratio, 1 - eps, 1 + eps) * adv\n"
        "    loss = -torch.min(surr1, surr2).mean()\n"
        "    opt.zero_grad()\n    loss.backward()\n    opt.step()\n",
    )
    lookalikes = (
        # negated at the loss, subtracted from a value loss, or negated in the Keras loss
        "import tensorflow as tf\nfrom keras import backend as K\nfrom keras.layers import Input, Dense, Lambda\n"
        "from keras.models import Model\n\n"
        "def step(model, opt, r, adv, v_loss, eps=0.2):\n"
        "    with tf.GradientTape() as tape:\n"
        "        surrogate = tf.minimum(r * adv, tf.clip_by_value(r, 1 - eps, 1 + eps) * adv)\n"
        "        loss = v_loss - tf.reduce_mean(surrogate)\n"
        "    return tape.gradient(loss, model.trainable_variables)\n\n"
        "def torch_step(torch, ratio, adv, opt, eps=0.1):\n"
        "    pi_loss = -(torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv)).mean()\n"
        "    pi_loss.backward()\n\n"
        "state = Input(shape=(4,))\nadvantage = Input(shape=(1,))\nold_prob = Input(shape=(1,))\n"
        "prob = Dense(1, activation='sigmoid')(state)\n\n"
        "def clipped(args, eps=0.2):\n    p, old, adv = args\n    ratio = p / old\n"
        "    return K.minimum(ratio * adv, K.clip(ratio, 1 - eps, 1 + eps) * adv)\n\n"
        "out = Lambda(clipped)([prob, old_prob, advantage])\n"
        "model = Model(inputs=[state, old_prob, advantage], outputs=out)\n"
        "model.compile(optimizer='adam', loss=lambda y_true, y_pred: -K.mean(y_pred))\n",
        # the advantage negated inside the products: the maximum of the negated terms is minimized
        "import torch\n\ndef step(ratio, adv, eps=0.2):\n"
        "    l1 = -adv * ratio\n    l2 = -adv * torch.clamp(ratio, 1 - eps, 1 + eps)\n"
        "    loss = torch.max(l1, l2).mean()\n    loss.backward()\n",
        # the objective handed to a function, or scaled by a tensor: its sign there is not known
        "import torch\n\ndef step(ratio, adv, weight, log, eps=0.2):\n"
        "    obj = torch.min(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv)\n"
        "    log(obj.mean())\n    (weight * obj).mean().backward()\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "min" not in text or ("clip" not in text and "clamp" not in text):
            return
        env = module_names(ctx)
        par = parents_of(ctx)
        module_scope = None
        for call in _min_calls(ctx):
            q = imported_qualname(env, call.func)
            if q is None or not q.startswith(_LIBRARIES) or q.rpartition(".")[2] not in ("min", "minimum"):
                continue
            owner = _owner(par, call)
            if owner is None:
                module_scope = module_scope or _Scope([c.module for c in ctx.chunks])
                scope = module_scope
            else:
                scope = _Scope(owner)
            if not _surrogate(ctx, env, scope, call):
                continue
            how = _minimized(ctx, env, par, scope, owner, call, _PLUS, 0)
            if how is not None:
                ctx.report(self, call,
                           f"`{ctx.source(call.func)}(r * A, clip(r, 1 - eps, 1 + eps) * A)` is PPO's clipped surrogate "
                           f"objective, which training must maximize, but it reaches {how} with its sign unchanged: "
                           f"the optimizer minimizes it and lowers the probability of the actions with a positive "
                           f"advantage; negate it in the loss (`-min(...).mean()`)")


def _min_calls(ctx):
    from ._trees import calls_named

    return calls_named(ctx, ("min", "minimum"))


def _owner(par, node):
    for a in par.ancestors(node):
        if type(a) is cst.FunctionDef:
            return a
        if type(a) in (cst.Lambda, cst.ClassDef):
            return None
    return None


def _resolve(scope, node):
    if type(node) is cst.Name:
        v = scope.value(node.value)
        return v if v is not None else node
    return node


def _clip_bounds_around_one(ctx, call) -> bool:
    """`clip(r, 1 - eps, 1 + eps)`, or literal bounds below and above 1 (`clip(r, 0.8, 1.2)`)."""
    args = _positional(call)
    if args is None or len(args) != 3:
        return False
    lo, hi = args[1], args[2]
    a, b = _number(lo), _number(hi)
    if a is not None and b is not None:
        return 0 < a < 1 < b
    if type(lo) is cst.BinaryOperation and type(hi) is cst.BinaryOperation \
            and type(lo.operator) is cst.Subtract and type(hi.operator) is cst.Add:
        return _number(lo.left) == 1 and _number(hi.left) == 1 and ctx.source(lo.right) == ctx.source(hi.right)
    return False


def _surrogate(ctx, env, scope, call) -> bool:
    """`min(r * A, clip(r, lo, hi) * A)` (either order, each product possibly held in a name)."""
    args = _positional(call)
    if args is None or len(args) != 2:
        return False
    products = [_factors(_resolve(scope, a)) for a in args]
    if any(len(p) != 2 for p in products):
        return False
    for plain, clipped in (products, products[::-1]):
        for k, f in enumerate(clipped):
            if type(f) is not cst.Call or _last(f.func) not in _CLIPS or not _clip_bounds_around_one(ctx, f):
                continue
            q = imported_qualname(env, f.func)
            if q is not None and not q.startswith(_LIBRARIES):
                continue
            ratio, adv = ctx.source(f.args[0].value), ctx.source(clipped[1 - k])
            texts = sorted(ctx.source(p) for p in plain)
            if texts == sorted((ratio, adv)) and ratio != adv:
                return True
    return False


def _minimized(ctx, env, par, scope, owner, node, sign, depth):
    """What minimizes `node`'s value with `sign` (+1: as it is): a description of the sink, or
    None where no sink is reached with a known sign, or a negated path reaches one too. A use
    whose effect on the sign is not known (a logging call, a product with a tensor) is no sink."""
    if depth > 12:
        return None
    found = []
    for sink, s in _sinks(ctx, env, par, scope, owner, node, sign, depth):
        if s == _MINUS:
            return None  # minimized negated on one path: the sign is the program's choice
        if s == _PLUS:
            found.append(sink)
    return found[0] if found else None


def _sinks(ctx, env, par, scope, owner, node, sign, depth):
    """(sink description, sign) for each minimization `node`'s value reaches; a sign of 0 where
    the value goes somewhere whose effect on the sign is not known."""
    while True:
        up = par.parent.get(node)
        t = type(up)
        if t is cst.UnaryOperation and type(up.operator) is cst.Minus:
            sign = -sign
        elif t is cst.UnaryOperation and type(up.operator) is cst.Plus:
            pass
        elif t is cst.BinaryOperation:
            op = type(up.operator)
            other = up.right if up.left is node else up.left
            if op is cst.Add:
                pass
            elif op is cst.Subtract:
                if up.right is node:
                    sign = -sign
            elif op in (cst.Multiply, cst.Divide) and _number(other) is not None and (op is cst.Multiply or up.left is node):
                n = _number(other)
                if n == 0:
                    return
                if n < 0:
                    sign = -sign
            else:
                yield None, _UNKNOWN
                return
        elif t is cst.Arg:
            call = par.parent.get(up)
            if type(call) is not cst.Call:
                yield None, _UNKNOWN
                return
            if _last(call.func) in _SAME_SIGN and call.args and call.args[0] is up:
                up = call
            elif _last(call.func) == "minimize" and call.args and call.args[0] is up:
                yield f"`{ctx.source(call.func)}`", sign
                return
            elif _last(call.func) == "gradient" and call.args and call.args[0] is up:
                yield f"`{ctx.source(call.func)}`", sign
                return
            else:
                yield None, _UNKNOWN
                return
        elif t is cst.Attribute and up.value is node:
            call = par.parent.get(up)
            if type(call) is not cst.Call or call.func is not up:
                yield None, _UNKNOWN
                return
            if up.attr.value in _SAME_SIGN:
                up = call
            elif up.attr.value == "backward" and not call.args:
                yield "`backward()`", sign
                return
            else:
                yield None, _UNKNOWN
                return
        elif t is cst.Assign and len(up.targets) == 1 and type(up.targets[0].target) is cst.Name:
            name = up.targets[0].target.value
            if len(scope.assigned.get(name, [])) != 1:
                yield None, _UNKNOWN
                return
            for use in scope.reads.get(name, []):
                if use is up.targets[0].target:
                    continue
                yield from _sinks(ctx, env, par, scope, owner, use, sign, depth + 1)
            return
        elif t is cst.Return and owner is not None:
            yield from _through_lambda_layer(ctx, env, par, owner, sign, depth)
            return
        elif t in (cst.Expr, cst.IndentedBlock, cst.SimpleStatementLine):
            return
        else:
            yield None, _UNKNOWN
            return
        node = up


def _through_lambda_layer(ctx, env, par, func, sign, depth):
    """A function returning the value, used as a Keras `Lambda` layer whose output is the output of
    a model compiled with a loss that returns the prediction as it is."""
    name = func.name.value
    holder = _owner(par, func)
    scope = _Scope(holder) if holder is not None else _Scope([c.module for c in ctx.chunks])
    uses = [n for n in scope.reads.get(name, []) if n is not func.name]
    if not uses:
        return
    for use in uses:
        arg = par.parent.get(use)
        layer = par.parent.get(arg)
        q = imported_qualname(env, layer.func) if type(layer) is cst.Call else None
        if type(arg) is not cst.Arg or q is None or not q.endswith("layers.Lambda") or layer.args[0] is not arg:
            yield None, _UNKNOWN
            return
        applied = par.parent.get(layer)
        stmt = par.parent.get(applied)
        if type(applied) is not cst.Call or applied.func is not layer or type(stmt) is not cst.Assign \
                or len(stmt.targets) != 1 or type(stmt.targets[0].target) is not cst.Name:
            yield None, _UNKNOWN
            return
        out = stmt.targets[0].target.value
        found = False
        for read in scope.reads.get(out, []):
            sink = _identity_loss_model(ctx, env, par, scope, read)
            if sink is None:
                continue
            found = True
            yield sink, sign
        if not found:
            yield None, _UNKNOWN
            return


def _identity_loss_model(ctx, env, par, scope, read):
    """`Model(..., outputs=read)` bound to a name whose `compile(loss=...)` returns y_pred itself."""
    arg = par.parent.get(read)
    model_call = par.parent.get(arg)
    if type(arg) is not cst.Arg or type(model_call) is not cst.Call or arg.keyword is None \
            or arg.keyword.value not in ("outputs", "output"):
        return None
    q = imported_qualname(env, model_call.func)
    if q is None or not q.endswith("Model"):
        return None
    stmt = par.parent.get(model_call)
    if type(stmt) is not cst.Assign or len(stmt.targets) != 1 or type(stmt.targets[0].target) is not cst.Name:
        return None
    model = stmt.targets[0].target.value
    for use in scope.reads.get(model, []):
        attr = par.parent.get(use)
        call = par.parent.get(attr)
        if type(attr) is not cst.Attribute or attr.attr.value != "compile" or type(call) is not cst.Call:
            continue
        loss = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "loss"), None)
        loss = _resolve(scope, loss) if loss is not None else None
        if type(loss) in (cst.List, cst.Tuple) and len(loss.elements) == 1:
            loss = _resolve(scope, loss.elements[0].value)
        if type(loss) is cst.Lambda and len(loss.params.params) == 2 and type(loss.body) is cst.Name \
                and loss.body.value == loss.params.params[1].name.value:
            return f"the loss `{ctx.source(loss)}` of the model compiled at line {ctx.line(call)}"
    return None
