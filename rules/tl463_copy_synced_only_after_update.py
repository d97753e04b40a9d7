import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._bindings import MOVES, bound_call, torch_module_made
from ._common import imported_qualname, module_names
from ._training import parents
from ._trees import calls_named

# methods of a module that neither compute with its weights nor change them
_NO_USE = MOVES | {"state_dict", "named_modules", "modules", "children", "zero_grad", "summary", "compile", "save",
                   "save_weights", "get_weights", "get_config", "count_params"}
# what sets the copy's weights or hands them to other code, which may set them (an optimizer, a soft update)
_WEIGHTS = ("parameters", "named_parameters", "load_state_dict", "apply", "set_weights", "load_weights", "weights",
            "trainable_weights", "variables", "trainable_variables")
# Keras's training calls on the network itself
_KERAS_STEPS = ("fit", "train_on_batch", "fit_generator")


def _attr_or_name(node) -> str | None:
    """"self.x" for `self.x`, "n" for a name `n`; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return dotted(node)
    return None


def _text(ctx, node) -> str:
    return "".join((ctx.source(node) or "").split())


# copy.<set>(source.<get>()): torch's state dicts, Keras's weight lists
_SYNCS = {"load_state_dict": "state_dict", "set_weights": "get_weights"}


def _sync_pair(call):
    """(copy, source) expressions of `copy.load_state_dict(source.state_dict())` or
    `copy.set_weights(source.get_weights())`, else None."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in _SYNCS or len(call.args) != 1:
        return None
    arg = call.args[0]
    inner = arg.value
    if arg.keyword is not None or arg.star or not isinstance(inner, cst.Call) or inner.args:
        return None
    if not isinstance(inner.func, cst.Attribute) or inner.func.attr.value != _SYNCS[func.attr.value]:
        return None
    copy, source = func.value, inner.func.value
    a, b = _attr_or_name(copy), _attr_or_name(source)
    if a is None or b is None or a == b or a.startswith("self.") != b.startswith("self."):
        return None
    return copy, source


def _refs(modules, text: str, sync) -> list:
    """The other reads of the copy `text` ("self.x" or a name) in the file: for an attribute,
    any `<obj>.x` (the object may be the class's instance held by another name)."""
    attr = text[len("self."):] if text.startswith("self.") else None
    found = []
    for module in modules:
        for n in descendants(module):
            if attr is not None and type(n) is cst.Attribute and n.attr.value == attr:
                found.append(n)
            elif attr is None and type(n) is cst.Name and n.value == text:
                found.append(n)
    return [n for n in found if n is not sync.func.value]


class CopySyncedOnlyAfterUpdate(Rule):
    """
    ## What it does
    Finds a second network built like the one it copies (`policy_old = ActorCritic(...)` beside
    `policy = ActorCritic(...)`, a target network beside an online one, a Keras
    `clone_model(model)`) that receives the other's weights only at the end of the update:
    `copy.load_state_dict(net.state_dict())` after the torch optimizer step that trains `net`,
    or Keras's `copy.set_weights(net.get_weights())` after `net.fit(...)`, `train_on_batch` or
    an `apply_gradients` of its variables, in a method or function of its own that runs it on
    every call. The two are built by the same call with the same arguments. Where they are
    built, nothing gives the copy those weights (no `load_state_dict` or `set_weights`, no helper
    given the copy), and the program runs the copy somewhere. The copy is then an independently
    initialised network until the first update has run: the rollouts it collects, the old
    log-probabilities of a PPO ratio or the targets it computes all come from random weights
    that have nothing to do with the trained network.

    Silent where the copy is synchronised, loaded from a file or handed to a helper where it is
    built; where the only synchronisation runs under a condition (`if step % C == 0:`, which a
    counter starting at 0 may satisfy on the first call) or comes before the training step of
    its function; where the copy's weights are read anywhere else (an optimizer of its own, a
    soft-update loop); and where the two networks are built by different calls.

    ## Why is this bad?
    The copy is meant to hold the trained network's weights as of the last update. PPO's ratio
    `exp(log_prob - old_log_prob)` compares the current policy with the one that collected the
    data: with an unrelated old policy the first update's ratios are far from 1 and clipped
    almost everywhere, and the data it learns from was collected by a different random policy.
    A target network that starts from other weights than the online one gives targets of an
    unrelated network until its first synchronisation. The algorithms initialise the copy from
    the network (θ_old ← θ, θ⁻ ← θ).

    ## Example
    ```python
    self.policy = ActorCritic(state_dim, action_dim)
    self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=lr)
    self.policy_old = ActorCritic(state_dim, action_dim)
    ...
    def update(self, memory):
        ...
        self.optimizer.step()
        self.policy_old.load_state_dict(self.policy.state_dict())
    ```

    ## Use instead
    ```python
    self.policy_old = ActorCritic(state_dim, action_dim)
    self.policy_old.load_state_dict(self.policy.state_dict())
    ```

    ## Fix safety
    No fix is offered: where the copy's weights should come from (the network, a checkpoint)
    is the program's to say.
    """

    code = "TL463"
    name = "copy-synced-only-after-update"
    severity = Severity.WARNING
    summary = ("A network that receives another's weights only after each update is built with weights of its "
               "own: until the first update it is an unrelated random network.")
    triggers = ("load_state_dict(", "set_weights(")
    failing = (
        "import torch\nimport torch.nn as nn\n\n"
        "class ActorCritic(nn.Module):\n    def __init__(self, n, k):\n        super().__init__()\n"
        "        self.pi = nn.Linear(n, k)\n\n    def act(self, s):\n        return torch.distributions.Categorical(logits=self.pi(s)).sample()\n\n"
        "class PPO:\n    def __init__(self, n, k, lr):\n        self.policy = ActorCritic(n, k)\n"
        "        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=lr)\n"
        "        self.policy_old = ActorCritic(n, k)  # TL463\n\n"
        "    def select_action(self, s):\n        return self.policy_old.act(s)\n\n"
        "    def update(self, loss):\n        for _ in range(4):\n            self.optimizer.zero_grad()\n"
        "            loss.backward()\n            self.optimizer.step()\n"
        "        self.policy_old.load_state_dict(self.policy.state_dict())\n",
        "import torch\nimport torch.nn as nn\n\n"
        "def make():\n    return nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))\n\n"
        "q = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))\n"
        "target = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))  # TL463\n"
        "opt = torch.optim.SGD(q.parameters(), lr=0.01)\n\n"
        "def learn(s, a, r, s2):\n    y = r + 0.99 * target(s2).max(1)[0].detach()\n"
        "    loss = ((q(s).gather(1, a) - y) ** 2).mean()\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\n"
        "    target.load_state_dict(q.state_dict())\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\n\n"
        "class ActorCritic(nn.Module):\n    def __init__(self, n, k):\n        super().__init__()\n"
        "        self.pi = nn.Linear(n, k)\n\n"
        "class PPO:\n    def __init__(self, n, k, lr):\n        self.policy = ActorCritic(n, k)\n"
        "        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=lr)\n"
        "        self.policy_old = ActorCritic(n, k)\n"
        "        self.policy_old.load_state_dict(self.policy.state_dict())\n\n"
        "    def select_action(self, s):\n        return self.policy_old(s)\n\n"
        "    def update(self, loss):\n        self.optimizer.zero_grad()\n        loss.backward()\n        self.optimizer.step()\n"
        "        self.policy_old.load_state_dict(self.policy.state_dict())\n",
    )
    lookalikes = (
        # synchronised by a method that the constructor calls
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self):\n"
        "        self.online = nn.Linear(4, 2)\n        self.target = nn.Linear(4, 2)\n"
        "        self.opt = torch.optim.Adam(self.online.parameters())\n        self.sync()\n\n"
        "    def sync(self):\n        self.target.load_state_dict(self.online.state_dict())\n\n"
        "    def learn(self, loss, s):\n        y = self.target(s)\n        self.opt.step()\n"
        "        self.target.load_state_dict(self.online.state_dict())\n",
        # the synchronisation comes before the optimizer step (the first call copies first)
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self):\n"
        "        self.eval_net = nn.Linear(4, 2)\n        self.target_net = nn.Linear(4, 2)\n"
        "        self.opt = torch.optim.Adam(self.eval_net.parameters())\n\n"
        "    def learn(self, loss, s):\n        self.target_net.load_state_dict(self.eval_net.state_dict())\n"
        "        y = self.target_net(s)\n        self.opt.step()\n",
        # a periodic synchronisation under a condition
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self):\n"
        "        self.net = nn.Linear(4, 2)\n        self.tgt = nn.Linear(4, 2)\n        self.steps = 0\n"
        "        self.opt = torch.optim.Adam(self.net.parameters())\n\n"
        "    def learn(self, s):\n        y = self.tgt(s)\n        self.opt.step()\n        self.steps += 1\n"
        "        if self.steps % 100 == 0:\n            self.tgt.load_state_dict(self.net.state_dict())\n",
        # the copy's parameters are set by a soft update that runs before it is used
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self):\n"
        "        self.net = nn.Linear(4, 2)\n        self.tgt = nn.Linear(4, 2)\n"
        "        for t, p in zip(self.tgt.parameters(), self.net.parameters()):\n            t.data.copy_(p.data)\n"
        "        self.opt = torch.optim.Adam(self.net.parameters())\n\n"
        "    def learn(self, s):\n        y = self.tgt(s)\n        self.opt.step()\n"
        "        self.tgt.load_state_dict(self.net.state_dict())\n",
        # loaded from a checkpoint where it is built
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self, path):\n"
        "        self.net = nn.Linear(4, 2)\n        self.old = nn.Linear(4, 2)\n"
        "        self.old.load_state_dict(torch.load(path))\n        self.opt = torch.optim.Adam(self.net.parameters())\n\n"
        "    def act(self, s):\n        return self.old(s)\n\n"
        "    def learn(self):\n        self.opt.step()\n        self.old.load_state_dict(self.net.state_dict())\n",
        # built by different calls: the copy is not the same network
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self):\n"
        "        self.net = nn.Linear(4, 2)\n        self.old = nn.Linear(4, 3)\n"
        "        self.opt = torch.optim.Adam(self.net.parameters())\n\n"
        "    def act(self, s):\n        return self.old(s)\n\n"
        "    def learn(self):\n        self.opt.step()\n        self.old.load_state_dict(self.net.state_dict())\n",
        # the copy is never run: a snapshot kept for saving
        "import torch\nimport torch.nn as nn\n\nclass Agent:\n    def __init__(self):\n"
        "        self.net = nn.Linear(4, 2)\n        self.best = nn.Linear(4, 2)\n"
        "        self.opt = torch.optim.Adam(self.net.parameters())\n\n"
        "    def learn(self):\n        self.opt.step()\n        self.best.load_state_dict(self.net.state_dict())\n"
        "        torch.save(self.best.state_dict(), 'best.pt')\n",
    )

    failing += (
        "from tensorflow import keras\n\n"
        "def build():\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(32, activation='relu'), keras.layers.Dense(2)])\n\n"
        "class DQN:\n    def __init__(self):\n        self.model = build()\n        self.model.compile(optimizer='adam', loss='mse')\n"
        "        self.target_model = build()  # TL463\n\n"
        "    def replay(self, states, rewards, next_states):\n        q_next = self.target_model.predict(next_states)\n"
        "        y = rewards + 0.99 * q_next.max(axis=1)\n        self.model.fit(states, y, verbose=0)\n"
        "        self.target_model.set_weights(self.model.get_weights())\n",
        "import tensorflow as tf\n\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation='tanh'), tf.keras.layers.Dense(3)])\n"
        "old = tf.keras.models.clone_model(model)  # TL463\n"
        "opt = tf.keras.optimizers.Adam(1e-3)\n\n"
        "def update(states, advantages):\n    with tf.GradientTape() as tape:\n"
        "        ratio = tf.exp(tf.nn.log_softmax(model(states)) - tf.nn.log_softmax(old(states)))\n"
        "        loss = -tf.reduce_mean(ratio * advantages)\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    opt.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    old.set_weights(model.get_weights())\n",
    )
    lookalikes += (
        # Keras: the target copies the network where it is built
        "from tensorflow import keras\n\n"
        "def build():\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n\n"
        "class DQN:\n    def __init__(self):\n        self.model = build()\n        self.target_model = build()\n"
        "        self.target_model.set_weights(self.model.get_weights())\n\n"
        "    def replay(self, s, y, s2):\n        q = self.target_model.predict(s2)\n        self.model.fit(s, y)\n"
        "        self.target_model.set_weights(self.model.get_weights())\n",
        # Keras: a soft update of the copy's weights before it is used
        "from tensorflow import keras\n\n"
        "def build():\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n\n"
        "class DQN:\n    def __init__(self):\n        self.model = build()\n        self.target_model = build()\n\n"
        "    def soften(self, tau):\n        self.target_model.set_weights([tau * w + (1 - tau) * t for w, t in "
        "zip(self.model.get_weights(), self.target_model.get_weights())])\n\n"
        "    def replay(self, s, y, s2):\n        q = self.target_model.predict(s2)\n        self.model.fit(s, y)\n"
        "        self.target_model.set_weights(self.model.get_weights())\n",
    )

    def on_module(self, ctx, ev):
        if not any(word in ctx.text for word in self.triggers):
            return
        calls = calls_named(ctx, tuple(_SYNCS))
        if not calls:
            return
        env = module_names(ctx)
        p = parents(ctx)
        modules = [c.module for c in ctx.chunks]
        reported = set()
        for call in calls:
            pair = _sync_pair(call)
            if pair is None:
                continue
            copy, source = pair
            found = self._check(ctx, env, p, modules, call, copy, source)
            if found is not None and id(found[0]) not in reported:
                reported.add(id(found[0]))
                self._report(ctx, call, copy, source, *found)

    def _check(self, ctx, env, p, modules, call, copy, source):
        func = p.scope(call)
        if not isinstance(func, cst.FunctionDef) or p.conditional_between(call, None):
            return None
        made = bound_call(ctx, p, copy, moves=True)
        other = bound_call(ctx, p, source, moves=True)
        if made is None or other is None or made is other or not dotted(made.func):
            return None
        if _text(ctx, made) != _text(ctx, other) and not self._clone_of(ctx, env, made, source):
            return None
        torch = call.func.attr.value == "load_state_dict"
        if (torch and torch_module_made(ctx, env, made) is None) or p.scope(made) is func:
            return None
        step = self._step_before(ctx, env, p, func, call, source, torch)
        if step is None:
            return None
        use = None
        for ref in _refs(modules, dotted(copy), call):
            parent = p.parent.get(ref)
            if isinstance(parent, cst.Arg):  # handed to other code, which may set its weights
                return None
            if isinstance(parent, cst.Call) and parent.func is ref:
                use = use or ref
                continue
            if isinstance(parent, cst.Attribute) and parent.value is ref:
                name = parent.attr.value
                if name in _WEIGHTS:
                    return None
                holder = p.parent.get(parent)
                if name not in _NO_USE and isinstance(holder, cst.Call) and holder.func is parent:
                    use = use or ref
        if use is None:
            return None
        return made, step, use

    @staticmethod
    def _clone_of(ctx, env, made, source) -> bool:
        """`made` is Keras's `clone_model(source)`: the same layers with new weights."""
        q = imported_qualname(env, made.func) or ""
        return (q.startswith(("keras.", "tensorflow.keras.", "tf_keras.")) and q.endswith(".clone_model")
                and len(made.args) >= 1 and _text(ctx, made.args[0].value) == _text(ctx, source))

    def _step_before(self, ctx, env, p, func, call, source, torch):
        """The optimizer step on `source`'s weights that `func` runs before `call`: a torch
        optimizer's `step()`, Keras's `fit`/`train_on_batch` of the network, an
        `apply_gradients` of its variables."""
        line = ctx.line(call) or 0
        want = dotted(source) + "."
        for n in descendants(func):
            if type(n) is not cst.Call or not isinstance(n.func, cst.Attribute):
                continue
            if (ctx.line(n) or 0) >= line:
                break
            name = n.func.attr.value
            if torch and name == "step":
                opt = bound_call(ctx, p, n.func.value, moves=True)
                q = (imported_qualname(env, opt.func) or "") if opt is not None else ""
                if q.startswith("torch.optim.") and ".lr_scheduler" not in q and want in ctx.source(opt):
                    return n
            elif not torch and (name in _KERAS_STEPS and dotted(n.func.value) == dotted(source)
                                or name == "apply_gradients" and want in ctx.source(n)):
                return n
        return None

    def _report(self, ctx, call, copy, source, made, step, use):
        a, b = dotted(copy), dotted(source)
        setter, getter = call.func.attr.value, _SYNCS[call.func.attr.value]
        ctx.report(
            self, made,
            f"`{a}` is built by `{dotted(made.func)}(...)` like `{b}`, with weights of its own, and receives "
            f"`{b}`'s weights only at line {ctx.line(call)}, after the training step of line {ctx.line(step)}: until "
            f"the first update it is an unrelated random network (it is run at line {ctx.line(use)}). Copy the weights "
            f"where it is built: `{a}.{setter}({b}.{getter}())`",
            related=[(call, "the only synchronisation, after the update"), (use, "the copy is run here")],
        )
