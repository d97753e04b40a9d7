import libcst as cst

from tensorlint.cstwalk import statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._episodes import SCOPES, name_of, names_in, of_flags, scope_of, step_unpacks
from ._training import parents


class BootstrapIgnoresTerminalFlag(Rule):
    """
    ## What it does
    Finds a bootstrapped target, `r + gamma * q_target(s_next)`, built from a batch that a
    replay buffer's `sample` method returns, where the batch's terminal flag is unpacked and
    never read. The flag is known from the program's structure, not from its name: the loop
    that runs `env.step(...)` stores each transition with the buffer's storing method (`put`,
    `push`, `append`, ...), the terminal flag of `env.step` (or a value made from it) at one
    position of the stored tuple and the step's reward at another; the buffer's class, defined
    in the file, has both methods and its `sample` returns a tuple of as many values; the
    sampled batch is unpacked into as many names, and the name at the flag's position is read
    nowhere in the function that computes the target from the name at the reward's position.
    Targets masked by the flag (`* (1 - done)`, `* done_mask`, `torch.where(done, r, ...)`),
    buffers whose transitions hold no flag (continuing tasks), and buffers of imported classes
    stay silent.

    ## Why is this bad?
    At a transition that ended its episode there is no next state to bootstrap from: the target
    should be the reward alone. Adding `gamma * Q(s_next)` there credits the last action with the
    value of the state the environment was reset to, or of a terminal state the critic never
    learned to value at zero; the critic overestimates the states before failures and the
    policy does not learn to avoid them. (Where the flag only marks a time limit, bootstrapping
    is right, and the flag should then be kept apart from true terminations rather than stored
    and dropped.)

    ## Example
    ```python
    s, a, r, s_prime, done_mask = memory.sample(batch_size)
    target = r + gamma * q_target(s_prime, mu_target(s_prime))
    ```

    ## Use instead
    ```python
    s, a, r, s_prime, done_mask = memory.sample(batch_size)
    target = r + gamma * done_mask * q_target(s_prime, mu_target(s_prime))
    ```

    ## Fix safety
    There is no automatic fix: whether the stored flag is a mask (1 while the episode goes on) or
    the flag itself decides between `* mask` and `* (1 - done)`.
    """

    code = "TL458"
    triggers = (".sample(",)
    name = "bootstrap-ignores-terminal-flag"
    severity = Severity.WARNING
    summary = "A bootstrapped target from a sampled batch whose stored terminal flag is unpacked and never read."
    failing = (
        "import random\nimport torch\n\nclass ReplayBuffer:\n    def __init__(self):\n        self.buffer = []\n\n"
        "    def put(self, transition):\n        self.buffer.append(transition)\n\n    def sample(self, n):\n"
        "        batch = random.sample(self.buffer, n)\n        s, a, r, s2, d = map(list, zip(*batch))\n"
        "        return torch.tensor(s), torch.tensor(a), torch.tensor(r), torch.tensor(s2), torch.tensor(d)\n\n"
        "def train(q, q_target, memory, gamma=0.99):\n    s, a, r, s_prime, done = memory.sample(32)\n"
        "    target = r + gamma * q_target(s_prime).max(1)[0]  # TL458\n    return ((q(s).gather(1, a) - target) ** 2).mean()\n\n"
        "def main(env, q, q_target, policy):\n    memory = ReplayBuffer()\n    for ep in range(100):\n        s = env.reset()\n"
        "        done = False\n        while not done:\n            a = policy(s)\n            s2, r, done, _ = env.step(a)\n"
        "            memory.put((s, a, r / 100.0, s2, 0.0 if done else 1.0))\n            s = s2\n",
        "import numpy as np\nimport torch\n\nclass Buffer:\n    def __init__(self, size):\n        self.data = []\n\n"
        "    def push(self, state, action, reward, next_state, terminated):\n"
        "        self.data.append((state, action, reward, next_state, terminated))\n\n"
        "    def sample(self, batch_size):\n        idx = np.random.randint(len(self.data), size=batch_size)\n"
        "        cols = [torch.as_tensor(np.array(c)) for c in zip(*[self.data[i] for i in idx])]\n"
        "        return cols[0], cols[1], cols[2], cols[3], cols[4]\n\n"
        "class Agent:\n    def __init__(self, critic, critic_target, actor_target):\n        self.buffer = Buffer(10000)\n"
        "        self.critic, self.critic_target, self.actor_target = critic, critic_target, actor_target\n\n"
        "    def learn(self, gamma):\n        states, actions, rewards, next_states, terminals = self.buffer.sample(64)\n"
        "        with torch.no_grad():\n"
        "            y = rewards + gamma * self.critic_target(next_states, self.actor_target(next_states))  # TL458\n"
        "        return torch.nn.functional.mse_loss(self.critic(states, actions), y)\n\n"
        "def run(env, agent, act):\n    for episode in range(50):\n        obs, _ = env.reset()\n        for t in range(1000):\n"
        "            action = act(obs)\n            nxt, reward, terminated, truncated, _ = env.step(action)\n"
        "            agent.buffer.push(obs, action, reward, nxt, terminated)\n            obs = nxt\n"
        "            if terminated or truncated:\n                break\n",
    )
    passing = (
        "import random\nimport torch\n\nclass ReplayBuffer:\n    def __init__(self):\n        self.buffer = []\n\n"
        "    def put(self, transition):\n        self.buffer.append(transition)\n\n    def sample(self, n):\n"
        "        batch = random.sample(self.buffer, n)\n        s, a, r, s2, d = map(list, zip(*batch))\n"
        "        return torch.tensor(s), torch.tensor(a), torch.tensor(r), torch.tensor(s2), torch.tensor(d)\n\n"
        "def train(q, q_target, memory, gamma=0.99):\n    s, a, r, s_prime, done_mask = memory.sample(32)\n"
        "    target = r + gamma * q_target(s_prime).max(1)[0] * done_mask\n    return ((q(s).gather(1, a) - target) ** 2).mean()\n\n"
        "def main(env, q, q_target, policy):\n    memory = ReplayBuffer()\n    for ep in range(100):\n        s = env.reset()\n"
        "        done = False\n        while not done:\n            a = policy(s)\n            s2, r, done, _ = env.step(a)\n"
        "            memory.put((s, a, r / 100.0, s2, 0.0 if done else 1.0))\n            s = s2\n",
    )
    lookalikes = (
        # the flag folded into a mask before the target; torch.where on the flag
        "import random\nimport torch\n\nclass ReplayBuffer:\n    def __init__(self):\n        self.buffer = []\n\n"
        "    def put(self, transition):\n        self.buffer.append(transition)\n\n    def sample(self, n):\n"
        "        batch = random.sample(self.buffer, n)\n        s, a, r, s2, d = map(list, zip(*batch))\n"
        "        return torch.tensor(s), torch.tensor(a), torch.tensor(r), torch.tensor(s2), torch.tensor(d)\n\n"
        "def train(q, q_target, memory, gamma=0.99):\n    s, a, r, s_prime, done = memory.sample(32)\n"
        "    not_done = 1.0 - done.float()\n    target = r + gamma * q_target(s_prime).max(1)[0] * not_done\n\n"
        "def train2(q, q_target, memory, gamma=0.99):\n    s, a, r, s_prime, done = memory.sample(32)\n"
        "    target = torch.where(done.bool(), r, r + gamma * q_target(s_prime).max(1)[0])\n\n"
        "def main(env, q, q_target, policy):\n    memory = ReplayBuffer()\n    s = env.reset()\n    for t in range(10000):\n"
        "        s2, r, done, _ = env.step(policy(s))\n        memory.put((s, policy(s), r, s2, done))\n"
        "        s = env.reset() if done else s2\n",
        # a continuing task: the stored transition holds no flag; an imported buffer class
        "import torch\nfrom buffers import ReplayBuffer\n\nclass Ring:\n    def __init__(self):\n        self.items = []\n\n"
        "    def add(self, s, a, r, s2):\n        self.items.append((s, a, r, s2))\n\n"
        "    def sample(self, n):\n        return tuple(torch.tensor(c) for c in zip(*self.items[-n:]))\n\n"
        "def update(q, q_t, ring, gamma):\n    s, a, r, s2 = ring.sample(32)\n    return r + gamma * q_t(s2).max(1)[0]\n\n"
        "def learn(q, q_t, memory, gamma):\n    s, a, r, s2, done = memory.sample(32)\n    return r + gamma * q_t(s2).max(1)[0]\n\n"
        "def main(env, policy, q, q_t):\n    ring, memory = Ring(), ReplayBuffer()\n    s = env.reset()\n    for t in range(1000):\n"
        "        s2, r, done, _ = env.step(policy(s))\n        ring.add(s, policy(s), r, s2)\n"
        "        memory.push(s, policy(s), r, s2, done)\n        s = s2\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if ".sample(" not in text or ".step(" not in text:
            return
        trees = [c.module for c in ctx.chunks]
        p = parents(ctx)
        stores = list(_stores(p, trees))
        if not stores:
            return
        methods = _class_methods(trees)
        for tree in trees:
            for stmt in statements_of(tree, (cst.Assign,)):
                hit = _ignored_flag(p, stmt, stores, methods)
                if hit is None:
                    continue
                target, flag, step, step_flag = hit
                ctx.report(self, target,
                           f"The target bootstraps from the next state without reading `{flag}`, which the sampled batch "
                           f"holds where each stored transition holds `{step_flag}` of `env.step` (line {ctx.line(step)}): at the "
                           f"transitions that ended an episode the target still adds the discounted value of the state "
                           f"after the end. Mask the bootstrapped term with the flag (`* (1 - {flag})`, or `* {flag}` "
                           f"where it is stored as a not-done mask)")


def _stores(p, trees):
    """(method name, arity, reward positions, {flag position: flag name}, step statement) of each call
    in a step loop that stores a transition holding the step's reward and terminal flag."""
    for step, loop, reward, flags in step_unpacks(p, trees):
        for n in descendants(loop, prune=SCOPES):
            if not (isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)) or any(a.keyword or a.star for a in n.args):
                continue
            values = [a.value for a in n.args]
            if len(values) == 1 and isinstance(values[0], (cst.Tuple, cst.List)):
                values = [e.value for e in values[0].elements if isinstance(e, cst.Element)]
            if len(values) < 4:
                continue
            names = [names_in(v) for v in values]
            rewards = {i for i, s in enumerate(names) if reward in s}
            found = {i: sorted(s & flags)[0] for i, (s, v) in enumerate(zip(names, values)) if of_flags(v, flags)}
            if rewards and found:
                yield n.func.attr.value, len(values), rewards, found, step


def _class_methods(trees) -> dict:
    """Method name -> [(class, method)] for the file's classes."""
    out: dict = {}
    for tree in trees:
        for cls in statements_of(tree, (cst.ClassDef,)):
            body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
            for f in body:
                if isinstance(f, cst.FunctionDef):
                    out.setdefault(f.name.value, []).append((cls, f))
    return out


def _returns_tuple_of(func, n: int) -> bool:
    returns = [r for r in descendants(func, prune=SCOPES) if isinstance(r, cst.Return)]
    return bool(returns) and all(isinstance(r.value, cst.Tuple) and len(r.value.elements) == n
                                 and not any(isinstance(e, cst.StarredElement) for e in r.value.elements) for r in returns)


def _same_buffer_class(methods: dict, store: str, sample: str, n: int) -> bool:
    """A class of the file defines the storing method and a `sample` returning `n` values."""
    storers = {id(cls) for cls, _ in methods.get(store, ())}
    return any(id(cls) in storers and _returns_tuple_of(f, n) for cls, f in methods.get(sample, ()))


def _ignored_flag(p, stmt, stores, methods):
    call = stmt.value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "sample"
            and len(stmt.targets) == 1 and isinstance(stmt.targets[0].target, (cst.Tuple, cst.List))):
        return None
    names = [name_of(e.value) for e in stmt.targets[0].target.elements]
    func = scope_of(p, stmt)
    if len(names) < 4 or not isinstance(func, cst.FunctionDef):
        return None
    for method, n, rewards, flags, step in stores:
        if n != len(names) or not _same_buffer_class(methods, method, "sample", n):
            continue
        for position, step_flag in flags.items():
            flag = names[position]
            if flag is None or flag == "_" or _read(func, flag, stmt.targets[0].target):
                continue
            others = {x for i, x in enumerate(names) if x is not None and i != position and i not in rewards}
            for r in (names[i] for i in rewards):
                target = _bootstrap(func, r, others) if r is not None else None
                if target is not None:
                    return target, flag, step, step_flag
    return None


def _read(func, name: str, unpack) -> bool:
    skip = {id(n) for n in [unpack, *descendants(unpack)]}
    return any(isinstance(n, cst.Name) and n.value == name and id(n) not in skip for n in descendants(func))


def _bootstrap(func, r: str, others: set):
    """The statement of `func` holding `r + gamma * f(next)`, the product's other factor a
    value made by a call on one of `others` (the batch's other values)."""
    for n in descendants(func, prune=SCOPES):
        if not (isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Add)):
            continue
        for first, second in ((n.left, n.right), (n.right, n.left)):
            if name_of(first) == r and isinstance(second, cst.BinaryOperation) and isinstance(second.operator, cst.Multiply) \
                    and _bootstrapped(second, others):
                return n
    return None


def _bootstrapped(product, others: set) -> bool:
    factors = _factors(product)
    discounts = [f for f in factors if isinstance(f, (cst.Name, cst.Attribute, cst.Float))]
    calls = [f for f in factors if any(isinstance(c, cst.Call) and any(others & names_in(a.value) for a in c.args)
                                       for c in [f, *descendants(f)])]
    return bool(discounts) and bool(calls) and len(discounts) + len(calls) == len(factors)


def _factors(node) -> list:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
        return _factors(node.left) + _factors(node.right)
    return [node]
