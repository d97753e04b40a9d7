import libcst as cst

from tensorlint.findings import Applicability, Edit, Fix, Severity
from tensorlint.rule import Rule

from tensorlint.cstwalk import code_children
from tensorlint.dataflow import descendants

from ._common import imported_qualname, module_calls, module_names
from ._training import parents
from ._trees import per_chunk

_SUBSET_SAMPLERS = ("SubsetRandomSampler",)
# calls that hand a loader's batches on unchanged: `for i, (x, y) in enumerate(loader)`
_WRAPPERS = frozenset({"enumerate", "tqdm", "iter", "zip", "trange", "track"})

_DATA = (
    "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
    "from torch.utils.data.sampler import SubsetRandomSampler\n\n"
    "data = TensorDataset(torch.randn(100, 4), torch.randint(0, 2, (100,)))\n"
    "idx = torch.randperm(100).tolist()\n"
    "train_loader = DataLoader(data, batch_size=10, sampler=SubsetRandomSampler(idx[20:]))\n"
    "valid_loader = DataLoader(data, batch_size=10, sampler=SubsetRandomSampler(idx[:20]))\n"
    "model = torch.nn.Linear(4, 2)\ncriterion = torch.nn.CrossEntropyLoss()\n"
)


class MeanOverWholeDataset(Rule):
    """
    ## What it does
    Finds a sum taken over the batches of a PyTorch `DataLoader` that draws a subset of its
    dataset (`sampler=SubsetRandomSampler(indices)`, the usual train/validation split of one
    dataset) and then divided by `len(loader.dataset)`, the size of the whole dataset:
    `valid_loss / len(valid_loader.dataset)`, `100 * correct / len(loader.dataset)`.

    ## Why is this bad?
    The loader yields only the samples of its indices, but the sum is divided by the number of
    samples in the whole dataset. The average loss or accuracy comes out too small by the share
    of the subset (five times too small for a 20 % validation split), the training and
    validation curves are not comparable, and nothing raises.

    ## Example
    ```python
    valid_loader = DataLoader(train_data, batch_size=20, sampler=SubsetRandomSampler(valid_idx))
    valid_loss = 0.0
    for data, target in valid_loader:
        valid_loss += criterion(model(data), target).item() * data.size(0)
    valid_loss = valid_loss / len(valid_loader.dataset)
    ```

    ## Use instead
    ```python
    valid_loss = valid_loss / len(valid_loader.sampler)
    ```

    ## Fix safety
    The fix divides by `len(loader.sampler)`, the number of samples the loader draws. It is
    unsafe: the sum must hold one term per sample (a per-batch mean summed once per batch is
    averaged by the number of batches, `len(loader)`).
    """

    code = "TL430"
    triggers = ("sampler",)
    name = "mean-over-whole-dataset"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE
    summary = "A sum over a subset loader's batches is divided by the size of the whole dataset."
    failing = (
        _DATA + "valid_loss = 0.0\nfor x, y in valid_loader:\n    valid_loss += criterion(model(x), y).item() * x.size(0)\n"
        "valid_loss = valid_loss / len(valid_loader.dataset)  # TL430\n",
        _DATA + "def accuracy(loader):\n    correct = 0\n    for i, (x, y) in enumerate(loader):\n"
        "        correct += (model(x).argmax(1) == y).sum().item()\n    return 100.0 * correct / len(loader.dataset)\n\n"
        "def report():\n    correct = 0\n    for x, y in train_loader:\n        correct += (model(x).argmax(1) == y).sum().item()\n"
        "    print(correct / len(train_loader.dataset))  # TL430\n",
    )
    passing = (
        _DATA + "valid_loss = 0.0\nfor x, y in valid_loader:\n    valid_loss += criterion(model(x), y).item() * x.size(0)\n"
        "valid_loss = valid_loss / len(valid_loader.sampler)\n",
    )
    lookalikes = (
        # a loader with no sampler yields the whole dataset
        _DATA + "test_loader = DataLoader(data, batch_size=10)\ntest_loss = 0.0\nfor x, y in test_loader:\n"
        "    test_loss += criterion(model(x), y).item() * x.size(0)\ntest_loss /= len(test_loader.dataset)\n",
        # the share of the dataset a loader draws, not an average over its batches
        _DATA + "print(len(train_loader.sampler) / len(train_loader.dataset))\n",
        # the sum runs over another loader
        _DATA + "full_loader = DataLoader(data, batch_size=10)\nn = 0\nfor x, y in full_loader:\n    n += x.size(0)\n"
        "print(n / len(train_loader.dataset))\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "sampler" not in text or ".dataset" not in text or not any(s in text for s in _SUBSET_SAMPLERS):
            return
        found = [(node, loader) for node in module_calls(ctx) if (loader := _len_of_dataset(node)) is not None]
        if not found:
            return
        binds = _FileBindings(per_chunk(ctx, "TL430 bindings", _bindings))
        env = module_names(ctx)
        p = None
        for node, loader in found:
            sampler = _subset_sampler(env, binds, loader)
            if sampler is None:
                continue
            if p is None:
                p = parents(ctx)
            division = _division(p, node)
            if division is None:
                continue
            dividend, names = division
            sums = _sums_over(per_chunk(ctx, "TL430 loop sums", _loop_sums), p, node, loader, names)
            if sums:
                self._report(ctx, node, loader, sampler, sums[0])

    def _report(self, ctx, len_call, loader, sampler, aug):
        total = aug.target.value
        message = (f"{total} sums over the batches of {loader}, whose sampler draws only the indices given to "
                   f"SubsetRandomSampler (line {ctx.line(sampler)}), but is divided by len({loader}.dataset), the "
                   f"size of the whole dataset: the average comes out too small by the share of the subset. "
                   f"Divide by len({loader}.sampler)")
        attr = len_call.args[0].value
        fix = None
        span = ctx.span(attr.attr)
        if span is not None:
            fix = Fix(f"Divide by len({loader}.sampler)", (Edit(span, "sampler"),), Applicability.UNSAFE)
        related = [(sampler, "draws a subset of the dataset"), (aug, "summed over the loader's batches here")]
        ctx.report(self, len_call, message, fix=fix, related=related)


class _FileBindings:
    """Name -> the values assigned to it anywhere in the file, in source order, from the
    `_bindings` of each chunk (joined for the names asked about alone)."""

    def __init__(self, per_chunk_bindings: list):
        self._chunks = per_chunk_bindings

    def get(self, name, default=None):
        out = [v for chunk in self._chunks for v in chunk.get(name, ())]
        return out or default


def _bindings(root) -> dict:
    """Name -> the values assigned to it in `root` (None for a binding that is not a plain
    `name = value`: a tuple target, a loop variable, a parameter, an augmented assignment)."""
    out: dict = {}
    for node in descendants(root):
        if isinstance(node, cst.Assign):
            for t in node.targets:
                if isinstance(t.target, cst.Name):
                    out.setdefault(t.target.value, []).append(node.value if len(node.targets) == 1 else None)
                else:
                    for n in descendants(t.target):
                        if isinstance(n, cst.Name):
                            out.setdefault(n.value, []).append(None)
        elif isinstance(node, (cst.For, cst.AugAssign, cst.AnnAssign)):
            target = node.target
            for n in [target, *descendants(target)]:
                if isinstance(n, cst.Name):
                    out.setdefault(n.value, []).append(None)
        elif isinstance(node, cst.Param):
            out.setdefault(node.name.value, []).append(None)
    return out


def _len_of_dataset(call: cst.Call):
    """`L` for `len(L.dataset)` with `L` a plain name."""
    if not (isinstance(call.func, cst.Name) and call.func.value == "len" and len(call.args) == 1):
        return None
    arg = call.args[0].value
    if isinstance(arg, cst.Attribute) and arg.attr.value == "dataset" and isinstance(arg.value, cst.Name):
        return arg.value.value
    return None




def _subset_sampler(env, binds, loader: str):
    """The `SubsetRandomSampler(...)` call given as `sampler=` to the torch DataLoader that every
    binding of `loader` in the file builds, or None."""
    values = binds.get(loader) or []
    found = None
    for v in values:
        if not isinstance(v, cst.Call) or not (imported_qualname(env, v.func) or "").startswith("torch.utils.data") \
                or not (imported_qualname(env, v.func) or "").endswith("DataLoader"):
            return None
        arg = next((a.value for a in v.args if a.keyword is not None and a.keyword.value == "sampler"), None)
        if isinstance(arg, cst.Name):
            given = binds.get(arg.value) or []
            arg = given[0] if len(given) == 1 else None
        if not isinstance(arg, cst.Call):
            return None
        q = imported_qualname(env, arg.func) or ""
        if not (q.startswith("torch.utils.data") and q.rsplit(".", 1)[-1] in _SUBSET_SAMPLERS):
            return None
        if arg.args and _every_index(binds, arg.args[0].value):
            return None  # a shuffle of the whole dataset
        found = found or arg
    return found


def _every_index(binds, expr, depth: int = 0) -> bool:
    """`range(len(data))`, `list(range(n_samples))` where `n_samples = len(data)`,
    `torch.randperm(len(data))`, `np.random.permutation(len(data))`: all the indices."""
    if depth > 3:
        return False
    if isinstance(expr, cst.Name):
        given = binds.get(expr.value) or []
        return len(given) == 1 and given[0] is not None and _every_index(binds, given[0], depth + 1)
    if not isinstance(expr, cst.Call) or not expr.args:
        return False
    func = expr.func.value if isinstance(expr.func, cst.Name) else expr.func.attr.value if isinstance(expr.func, cst.Attribute) else ""
    first = expr.args[0].value
    if func == "len":
        return True
    if func in ("list", "tuple", "sorted"):
        return _every_index(binds, first, depth + 1)
    return func in ("range", "arange", "randperm", "permutation") and len(expr.args) == 1 and _every_index(binds, first, depth + 1)


def _division(p, len_call):
    """(the dividend, the names it reads) when `len_call` is the divisor of `a / len(...)` or
    `a /= len(...)`."""
    parent = p.parent.get(len_call)
    if isinstance(parent, cst.BinaryOperation) and parent.right is len_call and isinstance(parent.operator, cst.Divide):
        left = parent.left
    elif isinstance(parent, cst.AugAssign) and parent.value is len_call and isinstance(parent.operator, cst.DivideAssign):
        left = parent.target
    else:
        return None
    names = {n.value for n in [left, *descendants(left)] if isinstance(n, cst.Name)}
    return left, names


def _sums_over(loops, p, node, loader: str, names: set) -> list:
    """`name += ...` statements, for a name among `names`, in the body of a loop over `loader`
    in the scope that holds `node` (`loops`: `_loop_sums` of each chunk)."""
    scope = p.scope(node)
    at_top = isinstance(scope, cst.Module)  # each chunk has a module: the file's top level is all of them
    return [n for chunk in loops for s, loop, sums in chunk
            if (s is scope or at_top and isinstance(s, cst.Module)) and _iterates(loop.iter, loader)
            for n in sums if n.target.value in names]


def _loop_sums(root) -> list:
    """(scope, loop, the `name += ...` statements of the scope in the loop's body) for every
    `for` loop in `root`, in source order; a scope is the function, lambda or module holding
    the node."""
    out: list = []
    stack = [(root, root, ())]
    while stack:
        node, scope, loops = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and node is not root:
            scope, loops = node, ()
        if (isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign)
                and isinstance(node.target, cst.Name)):
            for entry in loops:
                entry[2].append(node)
        children = code_children(node)
        if isinstance(node, cst.For):
            entry = (scope, node, [])
            out.append(entry)
            inner = (*loops, entry)
            stack.extend((c, scope, inner if c is node.body else loops) for c in reversed(children))
        else:
            stack.extend((c, scope, loops) for c in reversed(children))
    return out


def _iterates(expr, loader: str) -> bool:
    if isinstance(expr, cst.Name):
        return expr.value == loader
    if isinstance(expr, cst.Call) and isinstance(expr.func, (cst.Name, cst.Attribute)):
        name = expr.func.value if isinstance(expr.func, cst.Name) else expr.func.attr.value
        return name in _WRAPPERS and bool(expr.args) and _iterates(expr.args[0].value, loader)
    return False
