import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, module_names
from ._sign_flow import PLUS, Scope, factors, last_name, minimized, number, owner_of, positional, resolve
from ._training import parents as parents_of
from ._trees import calls_named

_LIBRARIES = ("numpy.", "torch.", "tensorflow.", "keras.", "jax.numpy.")
_CLIPS = frozenset({"clip", "clamp", "clip_by_value"})


class ClippedSurrogateMinimized(Rule):
    """
    ## What it does
    Finds PPO's clipped surrogate objective, `min(r * A, clip(r, 1 - eps, 1 + eps) * A)`,
    handed to the optimizer without a negation: its mean (or itself) reaches `backward()`,
    `minimize(...)`, `tape.gradient(...)`, the result of a function compiled as a Keras loss
    (directly or as the closure a function returns), or the output of a Keras model compiled
    with a loss that returns the prediction as it is (`lambda y_true, y_pred: y_pred`), where
    a `Lambda` layer computes the objective. The objective is followed through names bound
    once, `self.` attributes bound once in a class, means, sums, additions, subtractions and
    products with numbers; a use whose sign is not known (a product with another tensor, a
    function the value is handed to) is no sink, and one negated path to a sink leaves the
    objective alone.

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
        if "maximize=True" in text.replace(" ", ""):
            return  # a torch optimizer that ascends: which values it steps is not followed here
        env = module_names(ctx)
        par = module_scope = None  # the parent links made for the first framework `min` (most files have none)
        for call in calls_named(ctx, ("min", "minimum")):
            q = imported_qualname(env, call.func)
            if q is None or not q.startswith(_LIBRARIES) or q.rpartition(".")[2] not in ("min", "minimum"):
                continue
            par = par or parents_of(ctx)
            owner = owner_of(par, call)
            if owner is None:
                module_scope = module_scope or Scope([c.module for c in ctx.chunks])
                scope = module_scope
            else:
                scope = Scope(owner)
            if not _surrogate(ctx, env, scope, call):
                continue
            how = minimized(ctx, env, par, scope, owner, call, PLUS, 0)
            if how is not None:
                ctx.report(self, call,
                           f"`{ctx.source(call.func)}(r * A, clip(r, 1 - eps, 1 + eps) * A)` is PPO's clipped surrogate "
                           f"objective, which training must maximize, but it reaches {how} with its sign unchanged: "
                           f"the optimizer minimizes it and lowers the probability of the actions with a positive "
                           f"advantage; negate it in the loss (`-min(...).mean()`)")


def _clip_bounds_around_one(ctx, call) -> bool:
    """`clip(r, 1 - eps, 1 + eps)`, or literal bounds below and above 1 (`clip(r, 0.8, 1.2)`)."""
    args = positional(call)
    if args is None or len(args) != 3:
        return False
    lo, hi = args[1], args[2]
    a, b = number(lo), number(hi)
    if a is not None and b is not None:
        return 0 < a < 1 < b
    if type(lo) is cst.BinaryOperation and type(hi) is cst.BinaryOperation \
            and type(lo.operator) is cst.Subtract and type(hi.operator) is cst.Add:
        return number(lo.left) == 1 and number(hi.left) == 1 and ctx.source(lo.right) == ctx.source(hi.right)
    return False


def _surrogate(ctx, env, scope, call) -> bool:
    """`min(r * A, clip(r, lo, hi) * A)` (either order, each product possibly held in a name)."""
    args = positional(call)
    if args is None or len(args) != 2:
        return False
    products = [factors(resolve(scope, a)) for a in args]
    if any(len(p) != 2 for p in products):
        return False
    for plain, clipped in (products, products[::-1]):
        for k, f in enumerate(clipped):
            if type(f) is not cst.Call or last_name(f.func) not in _CLIPS or not _clip_bounds_around_one(ctx, f):
                continue
            q = imported_qualname(env, f.func)
            if q is not None and not q.startswith(_LIBRARIES):
                continue
            ratio, adv = ctx.source(f.args[0].value), ctx.source(clipped[1 - k])
            texts = sorted(ctx.source(p) for p in plain)
            if texts == sorted((ratio, adv)) and ratio != adv:
                return True
    return False
