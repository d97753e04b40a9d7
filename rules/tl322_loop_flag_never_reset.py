import re

import libcst as cst

from tensorlint.cstwalk import children, statements_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._training import parents
from ._trees import per_chunk

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_WHILE = re.compile(r"^[ \t]*while[ \t(]+([^\n#]*?):[ \t]*(?:#[^\n]*)?$", re.M)
_BARE = re.compile(r"^\(?\s*(?:not\s+)?(?!True\b|False\b)[A-Za-z_]\w*\s*\)?$")


def _flag_test_in(text: str) -> bool:
    """Whether some `while` test of the text holds a bare name, alone, negated or as an
    operand of `and` (read from the text before any tree is walked)."""
    return any(any(_BARE.match(part.strip()) for part in m.group(1).split(" and ")) for m in _WHILE.finditer(text))


class LoopFlagNeverReset(Rule):
    """
    ## What it does
    Finds a `while not done:` (or `while running:`) loop inside another loop, where the flag is
    set inside the `while` loop and before the outer loop, and nowhere else: `done = False`
    written once above `for episode in range(n):`, the `while not done:` episode loop setting it
    from `env.step(...)`. Loops that leave by `break`, flags that the outer loop or any
    `global` / `nonlocal` declaration also sets, and flags the outer loop's header reads stay
    silent.

    ## Why is this bad?
    The inner loop stops when the flag flips, and nothing flips it back: on every later pass of
    the outer loop the `while` test is already false and its body never runs. The first
    episode trains, and every one after it is skipped without an error: no step is taken, the
    update runs on no data, and the scores printed stay those of the first pass.

    ## Example
    ```python
    done = False
    for n_epi in range(10000):
        s = env.reset()
        while not done:
            s, r, done, info = env.step(policy(s))
    ```

    ## Use instead
    ```python
    for n_epi in range(10000):
        s = env.reset()
        done = False
        while not done:
            s, r, done, info = env.step(policy(s))
    ```

    ## Fix safety
    There is no automatic fix: where the flag should be reset depends on the outer loop.
    """

    code = "TL322"
    triggers = ("while",)
    name = "loop-flag-never-reset"
    severity = Severity.ERROR
    summary = "A while-loop flag set inside the loop and once before an outer loop: every pass after the first skips the inner loop."
    failing = (
        "import torch\n\ndef main(env, pi):\n    done = False\n    for n_epi in range(10000):\n        s = env.reset()\n"
        "        while not done:  # TL322\n            prob = pi(torch.from_numpy(s).float())\n"
        "            s, r, done, info = env.step(prob.argmax().item())\n",
        "import torch\n\nrunning = True\nfor epoch in range(10):\n    step = 0\n    while running and step < 100:  # TL322\n"
        "        step += 1\n        if step % 7 == 0:\n            running = False\n",
    )
    passing = (
        "import torch\n\ndef main(env, pi):\n    for n_epi in range(10000):\n        s = env.reset()\n        done = False\n"
        "        while not done:\n            prob = pi(torch.from_numpy(s).float())\n"
        "            s, r, done, info = env.step(prob.argmax().item())\n",
    )
    lookalikes = (
        # the flag reset at the end of the outer loop's body; a while loop that leaves by break
        "import torch\n\ndef main(env):\n    done = False\n    for ep in range(10):\n        while not done:\n"
        "            s, r, done, _ = env.step(0)\n        done = False\n\n"
        "def other(env):\n    done = False\n    for ep in range(10):\n        while not done:\n"
        "            s, r, d, _ = env.step(0)\n            if d:\n                break\n            done = r > 100\n",
        # a flag set by a function that declares it global; a single while loop; the outer loop reads it
        "import torch\n\nfinished = False\n\ndef reset():\n    global finished\n    finished = False\n\n"
        "for ep in range(3):\n    reset()\n    while not finished:\n        finished = True\n\n"
        "stop = False\nwhile not stop:\n    stop = True\n"
        "flag = False\nwhile not flag:\n    for i in range(3):\n        pass\n    while not flag:\n        flag = True\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "while" not in text or not _flag_test_in(text):
            return
        p = None
        for loops in per_chunk(ctx, ("tl322 while loops",), _while_loops):
            for w in loops:
                flag = _flag(w.test)
                if flag is None:
                    continue
                p = p or parents(ctx)
                outer = _outer_loop(p, w)
                if outer is None or not self._never_reset(ctx, p, w, outer, flag):
                    continue
                ctx.report(self, w,
                           f"`{ctx.source(w.test).strip()}` tests `{flag}`, which only this loop and the code before the "
                           f"loop at line {ctx.line(outer)} set: once a pass ends with the flag flipped, every later pass of "
                           f"the outer loop skips this loop entirely and its body never runs again. Set `{flag}` back at the "
                           f"start of each pass of the outer loop")

    @staticmethod
    def _never_reset(ctx, p, w, outer, flag: str) -> bool:
        if f"global {flag}" in ctx.text or f"nonlocal {flag}" in ctx.text or "global" in ctx.text and flag in _globals(ctx):
            return False
        if not _binds(w.body, flag) or _has_break(w):
            return False
        header = outer.iter if isinstance(outer, cst.For) else outer.test
        if any(isinstance(n, cst.Name) and n.value == flag for n in [header, *descendants(header)]):
            return False
        if isinstance(outer, cst.For) and _binds(outer.target, flag, target=True):
            return False
        # every binding of the flag in the outer loop's body is inside `w`
        for stmt in _own(outer.body):
            if stmt is not w and _binds(stmt, flag, skip=w):
                return False
        if outer.orelse is not None and _binds(outer.orelse, flag):
            return False
        # the flag has a value before the outer loop: a binding in the same scope above it
        scope = p.scope(outer)
        start = ctx.line(outer)
        roots = [c.module for c in ctx.chunks] if isinstance(scope, cst.Module) else [scope]
        return any(_binding_line(ctx, n, flag) is not None and _binding_line(ctx, n, flag) < start
                   for root in roots for n in descendants(root, prune=_SCOPES))


def _while_loops(module) -> list:
    return statements_of(module, (cst.While,))


def _flag(test) -> str | None:
    """The flag a `while` test needs: `not name`, `name`, or either among the operands of `and`."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and isinstance(test.expression, cst.Name):
        return test.expression.value
    if isinstance(test, cst.Name) and test.value not in ("True", "False"):
        return test.value
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _flag(test.left) or _flag(test.right)
    return None


def _outer_loop(p, w):
    """The loop of the same function that holds `w`, or None."""
    for a in p.ancestors(w):
        if isinstance(a, (cst.For, cst.While)):
            return a
        if isinstance(a, _SCOPES):
            return None
    return None


def _own(block) -> list:
    return list(block.body) if isinstance(block, cst.IndentedBlock) else [block]


def _has_break(w) -> bool:
    """Whether a `break` of `w` itself (not of a loop nested in it) leaves it."""
    stack = list(_own(w.body))
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Break):
            return True
        if isinstance(n, (cst.For, cst.While, *_SCOPES)):
            continue
        stack.extend(children(n))
    return False


def _binds(node, name: str, skip=None, target: bool = False) -> bool:
    """Whether `node` binds `name` (outside the node `skip`, nested definitions left out)."""
    if target:
        return any(isinstance(n, cst.Name) and n.value == name for n in [node, *descendants(node)])
    stack = [node]
    while stack:
        n = stack.pop()
        if n is skip:
            continue
        if _binding_line(None, n, name) is not None:
            return True
        if isinstance(n, _SCOPES):
            continue
        stack.extend(children(n))
    return False


def _binding_line(ctx, n, name: str):
    """The line of `n` (True without `ctx`) when `n` is a statement part that binds `name`."""
    targets = ()
    if isinstance(n, cst.Assign):
        targets = [t.target for t in n.targets]
    elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr)):
        targets = [n.target]
    elif isinstance(n, (cst.For, cst.CompFor)):
        targets = [n.target]
    elif isinstance(n, cst.AsName):
        targets = [n.name]
    for t in targets:
        if any(isinstance(m, cst.Name) and m.value == name for m in [t, *descendants(t)]):
            return ctx.line(n) if ctx is not None else True
    return None


def _globals(ctx) -> frozenset:
    """The names `global` and `nonlocal` statements of the file declare (each chunk's kept with
    its tree, so an edit walks the trees it changed)."""
    return frozenset().union(*per_chunk(ctx, ("tl322 globals",), _declared))


def _declared(module) -> frozenset:
    return frozenset(item.name.value for n in statements_of(module, (cst.Global, cst.Nonlocal)) for item in n.names)
