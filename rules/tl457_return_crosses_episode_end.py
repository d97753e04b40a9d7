import libcst as cst

from tensorlint.cstwalk import children, statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._episode_masks import unmasked_recursions
from ._episodes import LOOPS, SCOPES, bindings, loop_of, name_of, names_in, scope_of, step_unpacks
from ._training import parents

_EMPTYING = ("clear", "pop", "popleft", "remove", "reset")


class ReturnCrossesEpisodeEnd(Rule):
    """
    ## What it does
    Finds a discounted return accumulated backwards over a buffer of rewards, `G = r + gamma * G`
    in `for r in reversed(memory.rewards):`, that is never reset inside the loop, where the file
    shows that the buffer holds more than one episode: the rewards are appended by an episode
    loop that ends on the `done` flag of `env.step(...)`, and the function computing the returns
    (or the loop itself) runs inside that episode loop under a condition that does not read the
    flag (`if timestep % update_timestep == 0:`), with nothing clearing the buffer between
    episodes. Loops that reset the running return (`if is_terminal: G = 0`), mask it
    (`G = r + gamma * G * (1 - d)`), returns computed after each episode, and buffers cleared
    at an episode's start stay silent.

    Also finds the step of a backward loop over a rollout's time steps (`for t in
    reversed(range(n)):`) that computes `returns[t]` from `returns[t + 1]` (or a running `gae`
    from itself) and masks the bootstrapped value of the same computation by a terminal mask,
    `nextnonterminal = 1.0 - dones[t + 1]` with `dones` stored from `env.step`'s flags, but not
    the recursive term: a Q(lambda) return whose `returns[t + 1]` escapes the mask, a GAE whose
    `delta` alone is masked. Steps that multiply the whole bootstrapped part by the mask (or by
    a product of it) stay silent.

    ## Why is this bad?
    The buffer holds the end of one episode followed by the start of the next. A running return
    that is never reset carries the discounted rewards of the later episode into every step of
    the earlier one: the last steps of an episode, which led to its end, are credited with
    rewards that came after a reset and that no action of theirs caused. The value targets and
    advantages are biased toward whatever follows the episode, and the policy learns from them
    without any error.

    ## Example
    ```python
    for reward in reversed(memory.rewards):
        discounted_reward = reward + gamma * discounted_reward
        returns.insert(0, discounted_reward)
    ```

    ## Use instead
    ```python
    for reward, is_terminal in zip(reversed(memory.rewards), reversed(memory.is_terminals)):
        if is_terminal:
            discounted_reward = 0
        discounted_reward = reward + gamma * discounted_reward
        returns.insert(0, discounted_reward)
    ```

    ## Fix safety
    There is no automatic fix: the buffer has to store the terminal flags next to the rewards.
    """

    code = "TL457"
    triggers = ("reversed(", "[::-1]", "-1)")
    name = "return-crosses-episode-end"
    severity = Severity.WARNING
    summary = "A discounted return summed backwards runs past an episode's end: never reset over a buffer that spans episodes, or its recursive term left out of the terminal mask."
    failing = (
        "import torch\n\nclass Memory:\n    def __init__(self):\n        self.rewards = []\n\n"
        "def update(memory, gamma=0.99):\n    returns = []\n    g = 0\n    for r in reversed(memory.rewards):\n"
        "        g = r + gamma * g  # TL457\n        returns.insert(0, g)\n    return torch.tensor(returns)\n\n"
        "def main(env, policy):\n    memory = Memory()\n    timestep = 0\n    for episode in range(1000):\n"
        "        state = env.reset()\n        for t in range(300):\n            timestep += 1\n"
        "            state, reward, done, _ = env.step(policy(state))\n            memory.rewards.append(reward)\n"
        "            if timestep % 2000 == 0:\n                update(memory)\n                memory.rewards.clear()\n"
        "            if done:\n                break\n",
        "import torch\n\ndef main(env, policy, gamma):\n    rewards = []\n    for episode in range(100):\n"
        "        obs = env.reset()\n        done = False\n        while not done:\n"
        "            obs, rew, terminated, truncated, info = env.step(policy(obs))\n            done = terminated or truncated\n"
        "            rewards.append(float(rew))\n            if len(rewards) == 512:\n                ret, out = 0.0, []\n"
        "                for x in rewards[::-1]:\n                    ret = x + ret * gamma  # TL457\n"
        "                    out.append(ret)\n                rewards = []\n",
        "import torch\n\ndef advantages(env, policy, value_fn, n, gamma=0.99, lam=0.95):\n"
        "    rewards, dones, values = [], [], []\n    s = env.reset()\n    for i in range(n):\n"
        "        s, r, done, _ = env.step(policy(s))\n        rewards.append(r)\n        dones.append(float(done))\n"
        "        values.append(value_fn(s))\n    values.append(0.0)\n    gae, out = 0.0, []\n"
        "    for t in reversed(range(n)):\n        nonterminal = 1.0 - dones[t]\n"
        "        delta = rewards[t] + gamma * values[t + 1] * nonterminal - values[t]\n"
        "        gae = delta + gamma * lam * gae  # TL457\n        out.insert(0, gae)\n    return out\n",
    )
    passing = (
        "import torch\n\nclass Memory:\n    def __init__(self):\n        self.rewards = []\n        self.is_terminals = []\n\n"
        "def update(memory, gamma=0.99):\n    returns = []\n    g = 0\n"
        "    for r, term in zip(reversed(memory.rewards), reversed(memory.is_terminals)):\n        if term:\n            g = 0\n"
        "        g = r + gamma * g\n        returns.insert(0, g)\n    return torch.tensor(returns)\n\n"
        "def main(env, policy):\n    memory = Memory()\n    timestep = 0\n    for episode in range(1000):\n"
        "        state = env.reset()\n        for t in range(300):\n            timestep += 1\n"
        "            state, reward, done, _ = env.step(policy(state))\n            memory.rewards.append(reward)\n"
        "            memory.is_terminals.append(done)\n"
        "            if timestep % 2000 == 0:\n                update(memory)\n            if done:\n                break\n",
    )
    lookalikes = (
        # the returns computed after each episode (REINFORCE); a return masked by the flag
        "import torch\n\nclass Agent:\n    def __init__(self):\n        self.data = []\n\n"
        "    def train_net(self, gamma=0.98):\n        R = 0\n        for r in self.data[::-1]:\n            R = r + gamma * R\n"
        "        self.data = []\n\n"
        "def main(env, agent):\n    for n_epi in range(100):\n        s = env.reset()\n        done = False\n"
        "        while not done:\n            s, r, done, _ = env.step(0)\n            agent.data.append(r)\n"
        "        agent.train_net()\n",
        "import torch\n\ndef main(env, gamma):\n    rewards, dones = [], []\n    for episode in range(100):\n"
        "        obs = env.reset()\n        for t in range(200):\n            obs, rew, done, _ = env.step(0)\n"
        "            rewards.append(rew)\n            dones.append(done)\n            if len(rewards) == 64:\n"
        "                g = 0\n                for x, d in zip(rewards[::-1], dones[::-1]):\n"
        "                    g = x + gamma * g * (1 - d)\n                rewards, dones = [], []\n"
        "            if done:\n                break\n",
        # updated only when the episode ends; the buffer cleared at each episode's start
        "import torch\n\ndef update(buf, gamma=0.99):\n    g = 0\n    for r in reversed(buf.rewards):\n        g = r + gamma * g\n\n"
        "def main(env, buf):\n    for ep in range(10):\n        buf.rewards.clear()\n        s = env.reset()\n"
        "        for t in range(100):\n            s, r, done, _ = env.step(0)\n            buf.rewards.append(r)\n"
        "            if t % 50 == 0:\n                update(buf)\n            if done:\n                update(buf)\n                break\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if ".step(" not in text or ("reversed(" not in text and "[::-1]" not in text and "-1)" not in text):
            return
        p = parents(ctx)
        trees = [c.module for c in ctx.chunks]
        for term, target, mask in unmasked_recursions(trees, p):
            ctx.report(self, term,
                       f"`{ctx.source(term).strip()}` carries the return of the later steps into `{target}` without "
                       f"the terminal mask `{mask}` that the same computation applies to the bootstrapped value: where "
                       f"an episode ended, the next episode's return still flows into this one. Multiply the whole "
                       f"bootstrapped part, `{ctx.source(term).strip()}` included, by `{mask}`")
        for tree in trees:
            for loop in statements_of(tree, (cst.For,)):
                found = _return_loop(loop)
                if found is None:
                    continue
                hit = _crossing(ctx, p, trees, loop, *found)
                if hit is None:
                    continue
                stmt, g, seq, episode, site, flag = hit
                ctx.report(self, stmt,
                           f"`{g}` sums the rewards of `{seq}` backwards and is never reset in the loop, but `{seq}` is "
                           f"filled by the episode loop at line {ctx.line(episode)}, which ends on `{flag}`, and the "
                           f"returns are computed at line {ctx.line(site)} under a condition that does not read it: the "
                           f"buffer spans episodes, and each step's return takes in the discounted rewards of the episodes "
                           f"after it. Store `{flag}` beside each reward and set `{g}` back to 0 at the steps that end an "
                           f"episode")


def _key(n):
    """(base name, attribute or None) of `name` or `name.attr`."""
    if isinstance(n, cst.Name):
        return (n.value, None)
    if isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name):
        return (n.value.value, n.attr.value)
    return None


def _reversed_sequence(it):
    """The sequence `reversed(seq)` or `seq[::-1]` walks."""
    if isinstance(it, cst.Call) and name_of(it.func) == "reversed" and len(it.args) == 1:
        return it.args[0].value
    if isinstance(it, cst.Subscript) and len(it.slice) == 1 and isinstance(it.slice[0].slice, cst.Slice):
        s = it.slice[0].slice
        step = s.step
        if s.lower is None and s.upper is None and isinstance(step, cst.UnaryOperation) \
                and isinstance(step.operator, cst.Minus) and isinstance(step.expression, cst.Integer) \
                and step.expression.value == "1":
            return it.value
    return None


def _is_running_sum(value, r: str, g: str) -> bool:
    """`r + gamma * g` (either order of either operation), gamma a name, attribute or number."""
    if not (isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add)):
        return False
    for first, second in ((value.left, value.right), (value.right, value.left)):
        if name_of(first) != r or not isinstance(second, cst.BinaryOperation) or not isinstance(second.operator, cst.Multiply):
            continue
        for a, b in ((second.left, second.right), (second.right, second.left)):
            if name_of(a) == g and isinstance(b, (cst.Name, cst.Attribute, cst.Float)) and not (names_in(b) & {r, g}):
                return True
    return False


def _return_loop(loop):
    """(statement, running return's name, reward name, walked sequence) of a loop that sums
    its rewards backwards into a running return bound nowhere else in the loop."""
    seq = _reversed_sequence(loop.iter)
    r = name_of(loop.target)
    if seq is None or r is None or _key(seq) is None:
        return None
    for small in _small_statements(loop.body):
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            g = name_of(small.targets[0].target)
            if g is not None and g != r and _is_running_sum(small.value, r, g) and bindings(loop.body, g) == 1 \
                    and loop.orelse is None and not _has_break(loop):
                return small, g, r, seq
    return None




def _small_statements(block) -> list:
    """The small statements a block runs itself (not those of its nested compound statements)."""
    if isinstance(block, cst.SimpleStatementSuite):
        return list(block.body)
    lines = block.body if isinstance(block, cst.IndentedBlock) else ()
    return [s for line in lines if isinstance(line, cst.SimpleStatementLine) for s in line.body]


def _has_break(loop) -> bool:
    stack = list(children(loop.body))
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Break):
            return True
        if isinstance(n, (*LOOPS, *SCOPES)):
            continue
        stack.extend(children(n))
    return False


def _crossing(ctx, p, trees, loop, stmt, g, r, seq):
    func = scope_of(p, loop)
    seq_key = _key(seq)
    params = _params(func) if isinstance(func, cst.FunctionDef) else []
    for episode, reward, flags in _episode_loops(p, trees):
        outer = loop_of(p, episode)
        if outer is None:
            continue
        for site, buffer_key in _sites(p, trees, loop, func, params, seq_key, episode):
            if not _fills(episode, buffer_key, reward):
                continue
            guard = _guard(p, site, episode, flags)
            if guard is None or _cleared(outer, guard, buffer_key):
                continue
            flag = next(iter(sorted(flags & names_in(episode.test)))) if isinstance(episode, cst.While) \
                and flags & names_in(episode.test) else _break_flag(episode, flags)
            return stmt, g, ctx.source(seq).strip(), episode, site, flag
    return None


def _params(func) -> list:
    return [prm.name.value for prm in func.params.params]


def _episode_loops(p, trees):
    """(loop, reward name, terminal flag names) for each loop that unpacks `env.step(...)` and
    ends on its terminal flag (`while not done:`, `if done: break`)."""
    for _, episode, reward, flags in step_unpacks(p, trees):
        if _ends_on(episode, flags):
            yield episode, reward, flags


def _ends_on(episode, flags: set) -> bool:
    if isinstance(episode, cst.While) and flags & names_in(episode.test):
        return True
    return _break_flag(episode, flags) is not None


def _break_flag(episode, flags: set):
    for stmt in statements_of(episode, (cst.If,)):
        named = flags & names_in(stmt.test)
        if named and any(isinstance(s, cst.Break) for s in _small_statements(stmt.body)):
            return sorted(named)[0]
    return None


def _sites(p, trees, loop, func, params, seq_key, episode):
    """(statement that runs the returns inside `episode`, key of the buffer there): the return
    loop itself, or a call of its function passing the buffer."""
    if p.inside(loop, episode):
        yield loop, seq_key
        return
    if not isinstance(func, cst.FunctionDef) or seq_key[0] not in params:
        return
    index = params.index(seq_key[0])
    method = isinstance(scope_of(p, func), cst.ClassDef)
    for n in descendants(episode, prune=SCOPES):
        if not isinstance(n, cst.Call):
            continue
        callee = n.func
        if isinstance(callee, cst.Name) and callee.value == func.name.value and not method:
            position = index
        elif isinstance(callee, cst.Attribute) and callee.attr.value == func.name.value and method \
                and params[:1] == ["self"] and _receiver_of_class(p, trees, callee.value, scope_of(p, func)):
            position = index - 1
        else:
            continue
        arg = _argument(n, position, seq_key[0])
        if arg is not None and name_of(arg) is not None:
            yield n, (arg.value, seq_key[1])


def _receiver_of_class(p, trees, receiver, cls) -> bool:
    """Whether `receiver` is a name the file binds to an instance of `cls` (`ppo = PPO(...)`)."""
    name = name_of(receiver)
    if name is None:
        return False
    for tree in trees:
        for stmt in statements_of(tree, (cst.Assign,)):
            if any(name_of(t.target) == name for t in stmt.targets) and isinstance(stmt.value, cst.Call) \
                    and name_of(stmt.value.func) == cls.name.value:
                return True
    return False


def _argument(call, position: int, keyword: str):
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return a.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if any(a.star for a in call.args) or not 0 <= position < len(positional):
        return None
    return positional[position].value


def _fills(episode, key, reward: str) -> bool:
    """Whether the loop appends a value made from the step's reward to the buffer `key`."""
    for n in descendants(episode, prune=SCOPES):
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "append" \
                and _key(n.func.value) == key and len(n.args) == 1 and reward in names_in(n.args[0].value):
            return True
    return False


def _guard(p, site, episode, flags: set):
    """The outermost statement between `site` and the episode loop, when no `if` or loop
    between them reads a terminal flag; None otherwise."""
    top = site
    for a in p.ancestors(site):
        if a is episode:
            return top
        if isinstance(a, (cst.If, cst.While)) and flags & names_in(a.test):
            return None
        if isinstance(a, SCOPES):
            return None
        if isinstance(a, (cst.If, cst.For, cst.While, cst.SimpleStatementLine, cst.Try, cst.With)):
            top = a
    return None


def _cleared(outer, guard, key) -> bool:
    """Whether the outer loop empties or rebinds the buffer anywhere outside `guard`."""
    base, attr = key
    inside = {id(n) for n in [guard, *descendants(guard)]}
    for n in descendants(outer, prune=SCOPES):
        if id(n) in inside:
            continue
        if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.Del)):
            targets = [t.target for t in n.targets] if isinstance(n, cst.Assign) else [n.target]
            for t in targets:
                for part in [t, *descendants(t)]:
                    k = _key(part) if not isinstance(part, cst.Subscript) else _key(part.value)
                    if k is not None and k[0] == base and (k[1] is None or k[1] == attr):
                        return True
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute):
            k = _key(n.func.value)
            if (attr is not None and k == (base, None)) or (k == key and n.func.attr.value in _EMPTYING):
                return True
    return False
