import bisect
import re

import libcst as cst

from tensorlint.cstwalk import code_children, walk_code
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Instance

from ._common import function_defs, scope_calls
from ._freed_graph_scope import Scope
from ._reaching import call_argument, called_name
from ._training import is_model
from ._trees import per_chunk_index, texts_of

# reads that leave the graph behind: detached copies, numbers, sizes, integer results, fresh tensors
_CUTS = frozenset({"detach", "detach_", "item", "numpy", "tolist", "size", "dim", "numel", "argmax", "argmin",
                   "ones_like", "zeros_like", "full_like", "empty_like", "rand_like", "randn_like", "randint_like",
                   "new_ones", "new_zeros", "new_full", "new_empty", "new_tensor", "eq", "ne", "gt", "lt", "ge", "le",
                   "len", "int", "float", "bool", "str", "print", "isinstance", "type",
                   "Variable"})  # (`Variable(t, requires_grad=True)` is a detached leaf of t's data)
_NO_GRAPH_ATTRS = frozenset({"data", "grad", "shape", "ndim", "dtype", "device", "requires_grad", "is_cuda"})
_LOSS_CLASS = re.compile(r"loss|criterion|objective|cost", re.I)  # a module that computes losses from its inputs


def _retains(call: cst.Call) -> bool:
    """Whether a `backward(...)` keeps its graph (`retain_graph=`, `create_graph=` or the old
    `retain_variables=`: anything but a literal False or None)."""
    for index, keyword in ((1, "retain_graph"), (2, "create_graph"), (-1, "retain_variables")):  # (the last: PyTorch < 0.2)
        kept = call_argument(call, index, keyword)
        if kept is not None and not (isinstance(kept, cst.Name) and kept.value in ("False", "None")):
            return True
    return False


def _items_read(expr) -> dict:
    """name -> the items of it that `expr` reads along paths that keep the graph (`d["loss"]`,
    `out.aux` give {"['loss']"}, {".aux"}), or None for a name read whole."""
    out: dict = {}

    def item(node):
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index) and isinstance(index.value, (cst.SimpleString, cst.Integer)):
                return node.value.value, f"[{index.value.value}]"
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.attr.value not in _NO_GRAPH_ATTRS:
            return node.value.value, "." + node.attr.value
        return None

    def walk(node):
        if isinstance(node, cst.Call):
            if called_name(node) in _CUTS:
                return
            if isinstance(node.func, cst.Attribute):
                walk(node.func.value)
            for arg in node.args:
                walk(arg.value)
            return
        if isinstance(node, (cst.Comparison, cst.Lambda, cst.BaseComp)):
            return
        got = item(node)
        if got is not None:
            keys = out.setdefault(got[0], set())
            if keys is not None:
                keys.add(got[1])
            return
        if isinstance(node, cst.Attribute):
            if node.attr.value not in _NO_GRAPH_ATTRS:
                walk(node.value)
            return
        if isinstance(node, cst.Name):
            out[node.value] = None
            return
        for child in code_children(node):
            walk(child)

    walk(expr)
    return out


def _backs_by_scope(ctx, i) -> dict:
    """id(scope) -> the `x.backward(...)` calls of its own code in source order, for the scopes
    of chunk `i`'s tree (its module-level code, every function) that have any."""
    from tensorlint.cstwalk import statements

    module = ctx.chunks[i].module
    out = {}
    for scope in [module, *(s for s in statements(module) if type(s) is cst.FunctionDef)]:
        backs = [c for c in scope_calls(ctx, i, scope) if called_name(c) == "backward" and isinstance(c.func, cst.Attribute)]
        if backs:
            out[id(scope)] = backs
    return out


class _Graphs:
    """Which outputs of model calls (made with gradient) an expression reads, through names:
    {(name, binding statement)} of the names, read at a place, whose nearest binding above it
    is a plain assignment (not under no_grad) of an expression holding a model call, followed
    six names deep along paths that keep the graph. Each assignment's expression is read once
    per run, and what it leads to once per depth."""

    def __init__(self, scope, binds, model_calls, helpers=None):
        self.scope, self.binds, self.model_calls = scope, binds, model_calls
        self.helpers = helpers or {}  # name -> (chunk, def) of the file's module-level functions
        self.passing: dict = {}  # name -> the parameters its return values read, None if not known
        self.reads: dict = {}  # id(expression) -> (names it reads on graph paths, holds a model call)
        self.memo: dict = {}  # (id(assignment), depth) -> sources of its value

    def of_backward(self, i, call) -> set:
        return self._names(call.func.value, self.scope.key(i, call), 0)

    def _names(self, expr, at, depth) -> set:
        out: set = set()
        if depth > 6:
            return out
        for name in self._read(expr)[0]:
            entries = self.binds.get(name)
            if not entries:
                continue
            k = bisect.bisect_left(entries[0], at) - 1
            if k < 0:
                continue
            node, i = entries[1][k]
            if not isinstance(node, cst.Assign) or self.scope.under_no_grad(i, node):
                continue
            got = self.memo.get((id(node), depth + 1))
            if got is None:
                got = self.memo[(id(node), depth + 1)] = self._names(node.value, entries[0][k], depth + 1)
            out |= got
            if self._read(node.value)[1]:
                out.add((name, node, i))
        return out

    def _read(self, expr):
        got = self.reads.get(id(expr))
        if got is None:
            names: set = set()
            found: list = []
            self._walk(expr, names, found)
            got = self.reads[id(expr)] = (names, bool(found))
        return got

    def _walk(self, node, names, found):
        if isinstance(node, cst.Call):
            if called_name(node) in _CUTS:
                return
            if id(node) in self.model_calls:
                found.append(node)
            # the callee is code, not data: only a method's receiver (`out.view(...)`) carries a graph
            elif isinstance(node.func, cst.Attribute):
                self._walk(node.func.value, names, found)
            for arg in self._arguments_passed(node):
                self._walk(arg.value, names, found)
            return
        if isinstance(node, cst.Comparison):
            return
        if isinstance(node, cst.Attribute):
            if node.attr.value not in _NO_GRAPH_ATTRS:
                self._walk(node.value, names, found)
            return
        if isinstance(node, cst.Name):
            names.add(node.value)
            return
        if isinstance(node, (cst.Lambda, cst.BaseComp)):
            return
        for child in code_children(node):
            self._walk(child, names, found)


    def _arguments_passed(self, call):
        """The arguments of `call` whose graph its result may carry: those of the parameters a
        function of the file returns values computed from (a gradient penalty that takes the
        fake samples but scores a detached `Variable` of them returns no graph of theirs); every
        argument of any other call."""
        fn = self.helpers.get(call.func.value) if isinstance(call.func, cst.Name) else None
        if fn is None:
            return call.args
        name = call.func.value
        if name not in self.passing:
            self.passing[name] = _returned_params(self.scope.ctx, *fn)
        passing = self.passing[name]
        if passing is None:
            return call.args
        positional = [p.name.value for p in (*fn[1].params.posonly_params, *fn[1].params.params)]
        out = []
        for k, arg in enumerate(call.args):
            if arg.star:
                return call.args
            param = arg.keyword.value if arg.keyword is not None else positional[k] if k < len(positional) else None
            if param is None or param in passing:
                out.append(arg)
        return out


def _helpers(ctx) -> dict:
    """name -> (chunk, def) of the functions defined once at a module's top level."""
    out: dict = {}
    for i, chunk in enumerate(ctx.chunks):
        for st in chunk.module.body:
            if type(st) is cst.FunctionDef:
                name = st.name.value
                out[name] = None if name in out else (i, st)
    return {k: v for k, v in out.items() if v is not None}


def _returned_params(ctx, i, fn):
    """The parameters of `fn` whose values its `return` statements may carry along paths that
    keep the graph, followed through assignments of its body's top level (straight-line code: the
    nearest one above is the value); None when that is not known (a name bound in a branch, a
    loop, an augmented assignment; `*args`)."""
    if isinstance(fn.params.star_arg, cst.Param) or fn.params.star_kwarg is not None:
        return None
    scope = Scope(ctx, [(i, fn)])
    binds = scope.bindings()
    reader = _Graphs(scope, binds, frozenset())
    returns = [n for n in walk_code(fn.body) if type(n) is cst.Return]
    if not returns:
        return None
    out: set = set()

    def reach(expr, at, depth) -> bool:
        for name in reader._read(expr)[0]:
            entries = binds.get(name)
            if not entries:
                continue  # a global: no parameter
            k = bisect.bisect_left(entries[0], at) - 1
            if k < 0:
                continue
            node, j = entries[1][k]
            if isinstance(node, cst.Param):
                out.add(name)
                continue
            up = scope.ancestors(j, node)
            if not isinstance(node, cst.Assign) or depth > 8 or len(up) < 3 or up[2] is not fn:
                return False
            if not reach(node.value, entries[0][k], depth + 1):
                return False
        return True

    for ret in returns:
        if ret.value is not None and not reach(ret.value, scope.key(i, ret), 0):
            return None
    return out


def _ordered(scope, first, second) -> bool:
    """Whether `second` runs after `first` whenever both run (each a (chunk, node)): not in two
    branches of one `if`/`try`, and no `continue`/`break`/`return`/`raise` after `first` in a
    block it sits in below the statement that holds both (the module, when they are in chunks
    of their own)."""
    around = {id(a) for a in scope.ancestors(*second)}
    below = first[1]
    for a in scope.ancestors(*first):
        if id(a) in around:
            return not isinstance(a, (cst.If, cst.Else, cst.Try, cst.ExceptHandler, cst.IfExp))
        if isinstance(a, cst.IndentedBlock):
            after = list(a.body)
            at = next((i for i, st in enumerate(after) if st is below), None)
            if at is not None and any(_leaves(st) for st in after[at + 1:]):
                return False
        below = a
    # no statement holds both: two top-level statements in chunks of their own, which run in order
    return isinstance(below, cst.Module) and id(below) not in around


def _other_items(source, first, second, loss_calls) -> bool:
    """Whether two backward() calls read different items of the losses a loss module returned
    (`losses["total"]`, then `losses["stop"]`): which of its inputs each item was computed
    from is not shown at the call, so the container links the two graphs no more than two
    separate losses would; what they share is looked for in the inputs."""
    name, made = source[0], source[1]
    if not (isinstance(made.value, cst.Call) and id(made.value) in loss_calls):
        return False
    a, b = _items_read(first.func.value).get(name), _items_read(second.func.value).get(name)
    return bool(a) and bool(b) and not (a & b)


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
    backpropagated at every pass. A function of the file carries the graph of the arguments its
    returned value is computed from (a gradient penalty that scores a detached `Variable` of the
    samples carries none of theirs); two items of the dict a loss module returns
    (`losses["total"]`, then `losses["stop"]`) are linked only through what the module was given.

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
        # the gradient penalty scores a detached `Variable` of the samples: its graph is its own
        "import torch\nimport torch.nn as nn\nfrom torch.autograd import Variable\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\n\n"
        "def penalty(netD, real, fake):\n    mixed = Variable(0.5 * real + 0.5 * fake, requires_grad=True)\n"
        "    grad = torch.autograd.grad(netD(mixed).sum(), mixed, create_graph=True)[0]\n"
        "    return ((grad.norm(2, dim=1) - 1) ** 2).mean()\n\n"
        "fake = G(torch.randn(16, 4))\nreal = torch.randn(16, 8)\nD(fake).mean().backward()\n"
        "penalty(D, real, fake).backward()\n",
    )

    def on_layer_call(self, ctx, ev):
        if not ctx.no_grad and is_model(ev.layer):
            ctx.mark("TL434 model calls", id(ev.node))
            if isinstance(ev.layer, Instance) and _LOSS_CLASS.search(ev.layer.cls.name or ""):
                ctx.mark("TL434 loss calls", id(ev.node))

    def on_module(self, ctx, ev):
        calls = set(ctx.marked("TL434 model calls"))
        if not calls or sum(texts_of(ctx, ("TL434 backward count",), lambda t: t.count(".backward("))) < 2:
            return  # a second backward() is what goes through a freed graph
        # the module's top level is one scope, whichever chunks its statements fall in (the
        # language server may make each top-level statement a chunk of its own)
        # each tree's backward() calls by scope, kept with the tree: an edit reads again the
        # trees it changed, and only scopes with two calls are looked at
        by_scope = per_chunk_index(ctx, ("TL434 backs by scope",), lambda i: _backs_by_scope(ctx, i))
        scopes = [(Scope(ctx, [(i, chunk.module) for i, chunk in enumerate(ctx.chunks)]),
                   [(i, c) for i, chunk in enumerate(ctx.chunks) for c in by_scope[i].get(id(chunk.module), ())])]
        scopes += [(Scope(ctx, [(chunk, scope)]), [(chunk, c) for c in by_scope[chunk][id(scope)]])
                   for chunk, scope in function_defs(ctx) if len(by_scope[chunk].get(id(scope), ())) > 1]
        for scope, backs in scopes:
            if len(backs) < 2 or all(_retains(b) for _, b in backs):
                continue  # no pair of a backward() that frees the graph and a later one
            self._check(ctx, scope, _Graphs(scope, scope.bindings(), calls, _helpers(ctx)), backs,
                        set(ctx.marked("TL434 loss calls")))

    def _check(self, ctx, scope, graphs, backs, loss_calls=frozenset()):
        srcs = {id(b): graphs.of_backward(i, b) for i, b in backs}
        keys = {id(b): scope.key(i, b) for i, b in backs}
        # the backward() calls that free their graph, by the model outputs they go through: a
        # second backward() is paired with those sharing an output with it, not with every call
        # (a file of hundreds of training loops has hundreds at module level)
        freeing: dict = {}
        for k, (_, b) in enumerate(backs):
            if not _retains(b):
                for s in srcs[id(b)]:
                    freeing.setdefault(s, []).append(k)
        for second in backs:
            mine = srcs[id(second[1])]
            for first in [backs[k] for k in sorted({k for s in mine for k in freeing.get(s, ())})]:
                if first is second:
                    continue
                at = keys[id(first[1])]
                if at >= keys[id(second[1])]:
                    continue
                shared = [s for s in srcs[id(first[1])] & mine if scope.key(s[2], s[1]) < at
                          and not _other_items(s, first[1], second[1], loss_calls)]
                if not shared or not _ordered(scope, first, second):
                    continue
                name, made, i = min(shared, key=lambda s: (scope.key(s[2], s[1]), s[0]))
                ctx.report(self, second[1],
                           f"this backward() goes again through the graph of {name} (made at line {scope.line(i, made)}), "
                           f"which the backward() at line {scope.line(*first)} already went through and freed: it raises "
                           f"RuntimeError ('Trying to backward through the graph a second time'); detach {name} where "
                           f"the first loss reads it, or recompute it",
                           related=[(first[1], "the first backward() frees the graph here"), (made, f"{name} is made here")])
                break  # (the earliest first backward() is the one named)
