from tensorlint.findings import Severity
from tensorlint.lineage import reaches, reads_variable
from tensorlint.rule import Rule
from tensorlint.syntax import dotted
from tensorlint.values import Tensor


# the training ops met as the program runs: var_list-less minimize() calls and chained
# tf.gradients calls, each noted as (lineage of the loss or ys, node)
_MINIMIZE = "TL444 minimize"
_CHAINED = "TL444 chained"


class StepTrainsOtherNetwork(Rule):
    """
    ## What it does
    Finds a TF1 `optimizer.minimize(loss)` without `var_list` whose loss reads, with a gradient
    path, the output of another network that the program updates on its own with chained
    gradients: `tf.gradients(ys=a, xs=actor_params, grad_ys=dq_da)`, as the actor of DDPG is
    trained. The analysis records what each graph tensor is computed from; the finding rests on
    a path it has seen from the loss to that output, with no `tf.stop_gradient` on the way.

    ## Why is this bad?
    Without `var_list`, `minimize` trains every trainable variable the loss depends on. The
    critic's TD loss then also moves the actor's weights, in the direction that fits the
    critic's target instead of the one the policy gradient asks for; the two updates fight and
    the policy does not learn what the program means it to.

    ## Example
    ```python
    q = critic(S, actor_out)            # the critic reads the actor's output
    loss = tf.reduce_mean(tf.squared_difference(target_q, q))
    critic_train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    policy_grads = tf.gradients(actor_out, actor_params, grad_ys=tf.gradients(q, actor_out)[0])
    ```

    ## Use instead
    ```python
    critic_train = tf.train.AdamOptimizer(1e-3).minimize(loss, var_list=critic_params)
    # or read the action by value only: q = critic(S, tf.stop_gradient(actor_out))
    ```

    ## Fix safety
    There is no automatic fix: which variables a step should train is the program's choice.
    """

    code = "TL444"
    name = "step-trains-other-network"
    severity = Severity.WARNING
    summary = ("A TF1 `minimize(loss)` without `var_list` whose loss reads the output of another network that is updated "
               "with its own chained gradients (`tf.gradients(out, params, grad_ys=...)`): the step moves that network too.")
    failing = (
        "import tensorflow.compat.v1 as tf\nS = tf.placeholder(tf.float32, [None, 3])\nR = tf.placeholder(tf.float32, [None, 1])\n"
        "a = tf.layers.dense(S, 2, activation=tf.nn.tanh)\n"
        "q = tf.layers.dense(tf.concat([S, a], axis=1), 1)\nloss = tf.reduce_mean(tf.square(R - q))\n"
        "train_c = tf.train.AdamOptimizer(1e-3).minimize(loss)  # TL444\n"
        "a_grads = tf.gradients(q, a)[0]\npolicy_grads = tf.gradients(a, tf.trainable_variables(), grad_ys=-a_grads)\n",
    )
    passing = (
        "import tensorflow.compat.v1 as tf\nS = tf.placeholder(tf.float32, [None, 3])\nR = tf.placeholder(tf.float32, [None, 1])\n"
        "a = tf.layers.dense(S, 2, activation=tf.nn.tanh)\n"
        "q = tf.layers.dense(tf.concat([S, tf.stop_gradient(a)], axis=1), 1)\nloss = tf.reduce_mean(tf.square(R - q))\n"
        "train_c = tf.train.AdamOptimizer(1e-3).minimize(loss)\n",
    )
    lookalikes = (
        # the critic's step names its variables
        "import tensorflow.compat.v1 as tf\nS = tf.placeholder(tf.float32, [None, 3])\nR = tf.placeholder(tf.float32, [None, 1])\n"
        "a = tf.layers.dense(S, 2, activation=tf.nn.tanh)\n"
        "q = tf.layers.dense(tf.concat([S, a], axis=1), 1)\nloss = tf.reduce_mean(tf.square(R - q))\n"
        "critic_vars = tf.trainable_variables()[2:]\n"
        "train_c = tf.train.AdamOptimizer(1e-3).minimize(loss, var_list=critic_vars)\n"
        "a_grads = tf.gradients(q, a)[0]\npolicy_grads = tf.gradients(a, tf.trainable_variables()[:2], grad_ys=-a_grads)\n",
        # gradients clipped by hand: tf.gradients of a loss without grad_ys, and a joint loss minimized
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32, [None, 3])\ny = tf.placeholder(tf.float32, [None, 1])\n"
        "h = tf.layers.dense(x, 8)\nrecon = tf.reduce_mean(tf.square(tf.layers.dense(h, 3) - x))\n"
        "pred = tf.reduce_mean(tf.square(tf.layers.dense(h, 1) - y))\n"
        "grads = tf.gradients(recon, tf.trainable_variables())\ntrain = tf.train.AdamOptimizer().minimize(recon + pred)\n",
    )

    # Both kinds of training op are noted as the program runs and paired once it is done: a note
    # goes with the chunk that made it, so after an edit the notes of the chunks that do not run
    # again are kept, and a pair whose minimize() is gone is not reported again.
    def on_graph_minimize(self, ctx, ev):
        if not ev.var_list:
            ctx.mark(_MINIMIZE, (ev.loss.lineage, ev.node))

    def on_graph_gradients(self, ctx, ev):
        ys = ev.target
        if ev.chained and isinstance(ys, Tensor) and ys.lineage is not None and reads_variable(ys.lineage):
            ctx.mark(_CHAINED, (ys.lineage, ev.node))

    def on_module(self, ctx, ev):
        chained = ctx.marked(_CHAINED)
        if not chained:
            return
        for loss, node in ctx.marked(_MINIMIZE):
            for out, gradients_node in chained:
                self._check(ctx, loss, node, out, gradients_node)

    def _check(self, ctx, loss, minimize_node, out, gradients_node):
        if loss is out or reaches(loss, out, False) is not True or reaches(out, loss, True) is True:
            return
        written = next((a.value for a in gradients_node.args if a.keyword is None or a.keyword.value == "ys"), None)
        name = dotted(written) if written is not None else ""
        what = f"`{name}`" if name else "the output"
        line = ctx.line(gradients_node)
        ctx.report(self, minimize_node,
                   f"minimize() without var_list trains every variable its loss reaches, and this loss reads {what} with a "
                   f"gradient path, a network the program updates with its own chained gradients (tf.gradients with grad_ys"
                   f"{f' at line {line}' if line else ''}): this step moves that network's variables too; pass var_list=, or "
                   f"read tf.stop_gradient({name or '...'})",
                   related=[(gradients_node, "that network's own update")])
