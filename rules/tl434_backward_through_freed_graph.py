import libcst as cst

from tensorlint.cstwalk import code_children
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import function_defs, scope_calls, scope_roots
from ._reaching import bindings, call_argument, called_name, nearest
from ._training import is_model, parents

# reads that leave the graph behind: detached copies, numbers, sizes, integer results, fresh tensors
_CUTS = frozenset({"detach", "detach_", "item", "numpy", "tolist", "size", "dim", "numel", "argmax", "argmin",
                   "ones_like", "zeros_like", "full_like", "empty_like", "rand_like", "randn_like", "randint_like",
                   "new_ones", "new_zeros", "new_full", "new_empty", "new_tensor", "eq", "ne", "gt", "lt", "ge", "le",
                   "len", "int", "float", "bool", "str", "print", "isinstance", "type"})
_NO_GRAPH_ATTRS = frozenset({"data", "grad", "shape", "ndim", "dtype", "device", "requires_grad", "is_cuda"})
_NO_GRAD = ("no_grad", "inference_mode")


def _retains(call: cst.Call) -> bool:
    """Whether a `backward(...)` keeps its graph (`retain_graph=`, `create_graph=` or the old
    `retain_variables=`: anything but a literal False or None)."""
    for index, keyword in ((1, "retain_graph"), (2, "create_graph"), (-1, "retain_variables")):  # (the last: PyTorch < 0.2)
        kept = call_argument(call, index, keyword)
        if kept is not None and not (isinstance(kept, cst.Name) and kept.value in ("False", "None")):
            return True
    return False


def _under_no_grad(p, node) -> bool:
    for a in p.ancestors(node):
        if isinstance(a, cst.With) and any(isinstance(i.item, cst.Call) and called_name(i.item) in _NO_GRAD for i in a.items):
            return True
        if isinstance(a, (cst.FunctionDef, cst.Lambda)):
            return False
    return False


class _Graphs:
    """Which outputs of model calls (made with gradient) an expression reads, through names."""

    def __init__(self, ctx, p, binds, model_calls):
        self.ctx, self.p, self.binds, self.model_calls = ctx, p, binds, model_calls

    def sources(self, node, use) -> set:
        """{(name, binding statement)} of the names bound to an expression holding a model call
        that `node`, read at `use`, depends on through a path that keeps the graph."""
        out: set = set()
        self._walk(node, use, 0, out, [])
        return out

    def _walk(self, node, use, depth, out, found):
        if isinstance(node, cst.Call):
            if called_name(node) in _CUTS:
                return
            if id(node) in self.model_calls:
                found.append(node)
            # the callee is code, not data: only a method's receiver (`out.view(...)`) carries a graph
            if isinstance(node.func, cst.Attribute) and id(node) not in self.model_calls:
                self._walk(node.func.value, use, depth, out, found)
            for arg in node.args:
                self._walk(arg.value, use, depth, out, found)
            return
        if isinstance(node, cst.Comparison):
            return
        if isinstance(node, cst.Attribute):
            if node.attr.value not in _NO_GRAPH_ATTRS:
                self._walk(node.value, use, depth, out, found)
            return
        if isinstance(node, cst.Name):
            if depth > 6:
                return
            at = nearest(self.ctx, self.binds, node.value, use)
            if not isinstance(at, cst.Assign) or _under_no_grad(self.p, at):
                return
            made: list = []
            self._walk(at.value, at, depth + 1, out, made)
            if made:
                out.add((node.value, at))
            return
        if isinstance(node, (cst.Lambda, cst.BaseComp)):
            return
        for child in code_children(node):
            self._walk(child, use, depth, out, found)


class _LooseGraphs(_Graphs):
    """`_Graphs` read without positions: a name stands for every plain assignment to it in the
    scope, not only the nearest one above the read. What it finds holds all that `_Graphs`
    finds (and more): when no two backward() calls share a source here, they share none."""

    def __init__(self, p, assigns, model_calls):
        self.p, self.assigns, self.model_calls = p, assigns, model_calls
        self.seen: set = set()

    def _walk(self, node, use, depth, out, found):
        if not isinstance(node, cst.Name):
            return super()._walk(node, use, depth, out, found)
        for at in self.assigns.get(node.value, ()):
            key = (node.value, id(at))
            if key in self.seen:
                if key in self.made:
                    out.add((node.value, at))
                continue
            self.seen.add(key)
            if _under_no_grad(self.p, at):
                continue
            made: list = []
            self._walk(at.value, at, depth + 1, out, made)
            if made:
                self.made.add(key)
                out.add((node.value, at))

    def sources(self, node, use) -> set:
        self.seen, self.made = set(), set()
        return super().sources(node, use)


def _assigns(ctx, scope) -> dict:
    """name -> the plain assignments that bind it in `scope`'s own code (what `bindings` holds
    of them, without their lines)."""
    out: dict = {}
    roots = scope_roots(ctx, scope) if isinstance(scope, cst.Module) else [scope]
    for root in roots:
        for n in descendants(root, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            if isinstance(n, cst.Assign):
                for t in n.targets:
                    for m in [t.target, *descendants(t.target)]:
                        if isinstance(m, cst.Name):
                            out.setdefault(m.value, []).append(n)
    return out


def _may_share(graphs, backs) -> bool:
    """Whether a backward() that frees its graph and another one can read the same source."""
    srcs = [graphs.sources(b.func.value, b) for b in backs]
    return any(a & b for i, a in enumerate(srcs) if not _retains(backs[i]) for j, b in enumerate(srcs) if i != j)


def _ordered(p, first, second) -> bool:
    """Whether `second` runs after `first` whenever both run: not in two branches of one
    `if`/`try`, and no `continue`/`break`/`return`/`raise` after `first` in a block it sits in
    below the statement that holds both (the module, when they are in chunks of their own)."""
    below = first
    for a in p.ancestors(first):
        if any(x is a for x in p.ancestors(second)):
            return not isinstance(a, (cst.If, cst.Else, cst.Try, cst.ExceptHandler, cst.IfExp))
        if isinstance(a, cst.IndentedBlock):
            after = list(a.body)
            at = next((i for i, st in enumerate(after) if st is below), None)
            if at is not None and any(_leaves(st) for st in after[at + 1:]):
                return False
        below = a
    # no statement holds both: two top-level statements in chunks of their own, which run in order
    return isinstance(below, cst.Module) and not any(x is below for x in p.ancestors(second))


def _leaves(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Continue, cst.Break, cst.Return, cst.Raise)) for s in stmt.body)


class BackwardThroughFreedGraph(Rule):
    """
    ## What it does
    Finds a second `backward()` through the graph of a model output that an earlier
    `backward()` (without `retain_graph=True`) already went through: the generated images of a
    GAN scored by the discriminator's loss without `.detach()` and then again by the
    generator's loss, or a model output computed once before a loop whose losses are
    backpropagated at every pass.

    ## Why is this bad?
    `backward()` frees the buffers that the graph saved for the gradient as soon as it has
    used them. The second pass through the same part of the graph raises `RuntimeError: Trying
    to backward through the graph a second time (or directly access saved tensors after they
    have already been freed)`. The usual "fix", `retain_graph=True`, silences the error and
    often hides the real problem: the discriminator step should not reach the generator at all
    (`D(fake.detach())`), or the output should be recomputed for each step.

    ## Example
    ```python
    fake = generator(z)
    d_loss = criterion(discriminator(fake), zeros)
    d_loss.backward()
    g_loss = criterion(discriminator(fake), ones)
    g_loss.backward()
    ```

    ## Use instead
    ```python
    d_loss = criterion(discriminator(fake.detach()), zeros)
    ```

    ## Fix safety
    There is no automatic fix: detaching, recomputing or retaining the graph are different programs.
    """

    code = "TL434"
    name = "backward-through-freed-graph"
    severity = Severity.ERROR
    summary = "A second backward() through the graph of a model output that an earlier backward() already freed."
    failing = (
        "import torch\nimport torch.nn as nn\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\nopt_g = torch.optim.Adam(G.parameters())\n"
        "opt_d = torch.optim.Adam(D.parameters())\nbce = nn.BCEWithLogitsLoss()\nfor step in range(100):\n"
        "    z = torch.randn(16, 4)\n    fake = G(z)\n    opt_d.zero_grad()\n    d_loss = bce(D(fake), torch.zeros(16, 1))\n"
        "    d_loss.backward()\n    opt_d.step()\n    opt_g.zero_grad()\n    g_loss = bce(D(fake), torch.ones(16, 1))\n"
        "    g_loss.backward()  # TL434\n    opt_g.step()\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\nopt_g = torch.optim.Adam(G.parameters())\n"
        "opt_d = torch.optim.Adam(D.parameters())\nbce = nn.BCEWithLogitsLoss()\nfor step in range(100):\n"
        "    z = torch.randn(16, 4)\n    fake = G(z)\n    opt_d.zero_grad()\n    d_loss = bce(D(fake.detach()), torch.zeros(16, 1))\n"
        "    d_loss.backward()\n    opt_d.step()\n    opt_g.zero_grad()\n    g_loss = bce(D(fake), torch.ones(16, 1))\n"
        "    g_loss.backward()\n    opt_g.step()\n",
    )
    lookalikes = (
        # the first backward keeps the graph; the output is recomputed before the second
        "import torch\nimport torch.nn as nn\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\nz = torch.randn(16, 4)\n"
        "fake = G(z)\nD(fake).mean().backward(retain_graph=True)\n(-D(fake).mean()).backward()\n"
        "fake = G(z)\nD(fake).mean().backward()\nfake = G(z)\n(-D(fake).mean()).backward()\n",
    )

    def on_layer_call(self, ctx, ev):
        if not ctx.no_grad and is_model(ev.layer):
            ctx.mark("TL434 model calls", id(ev.node))

    def on_module(self, ctx, ev):
        calls = set(ctx.marked("TL434 model calls"))
        if not calls or ".backward(" not in ctx.text:
            return
        p = None
        # the module's top level is one scope, whichever chunks its statements fall in (the
        # language server may make each top-level statement a chunk of its own)
        top = [call for i, chunk in enumerate(ctx.chunks) for call in scope_calls(ctx, i, chunk.module)]
        scopes = [(top, ctx.chunks[0].module if ctx.chunks else None)]
        scopes += [(scope_calls(ctx, chunk, scope), scope) for chunk, scope in function_defs(ctx)]
        for found, scope in scopes:
            backs = [c for c in found if called_name(c) == "backward" and isinstance(c.func, cst.Attribute)]
            if len(backs) < 2 or all(_retains(b) for b in backs):
                continue  # no pair of a backward() that frees the graph and a later one
            p = p or parents(ctx)
            if not _may_share(_LooseGraphs(p, _assigns(ctx, scope), calls), backs):
                continue  # decided without positions (which cost a code generation of the chunk)
            self._check(ctx, p, _Graphs(ctx, p, bindings(ctx, scope), calls), backs)

    def _check(self, ctx, p, graphs, backs):
        done = set()
        srcs = {id(b): graphs.sources(b.func.value, b) for b in backs}
        for second in backs:
            for first in backs:
                if first is second or _retains(first) or id(second) in done:
                    continue
                if (ctx.line(first) or 0) >= (ctx.line(second) or 0) or not _ordered(p, first, second):
                    continue
                shared = [s for s in srcs[id(first)] & srcs[id(second)] if (ctx.line(s[1]) or 0) < (ctx.line(first) or 0)]
                if not shared:
                    continue
                name, made = sorted(shared, key=lambda s: ctx.line(s[1]) or 0)[0]
                done.add(id(second))
                ctx.report(self, second,
                           f"this backward() goes again through the graph of {name} (made at line {ctx.line(made)}), "
                           f"which the backward() at line {ctx.line(first)} already went through and freed: it raises "
                           f"RuntimeError ('Trying to backward through the graph a second time'); detach {name} where "
                           f"the first loss reads it, or recompute it",
                           related=[(first, "the first backward() frees the graph here"), (made, f"{name} is made here")])
