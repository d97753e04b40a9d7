import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from tensorlint.dataflow import descendants

from ._common import imported_qualname, module_names
from ._trees import per_chunk

_SPLITS = ("torch.utils.data.random_split", "torch.utils.data.dataset.random_split")
_SUBSETS = ("torch.utils.data.Subset", "torch.utils.data.dataset.Subset")
_TRANSFORMS = frozenset({"transform", "target_transform", "transforms"})

_DATA = (
    "import torch\nfrom torch.utils.data import Dataset, random_split\n\n"
    "class Digits(Dataset):\n    def __init__(self, transform=None):\n        self.x = torch.randn(100, 8)\n"
    "        self.transform = transform\n\n    def __len__(self):\n        return len(self.x)\n\n"
    "    def __getitem__(self, i):\n        x = self.x[i]\n        return self.transform(x) if self.transform else x\n\n"
    "augment = lambda x: x + 0.1 * torch.randn_like(x)\nfull = Digits(transform=augment)\n"
)


class SplitSharesTransform(Rule):
    """
    ## What it does
    Finds a transform set through `.dataset` on one part of a `random_split` (or a `Subset`):
    `valid_data.dataset.transform = test_transforms` after
    `train_data, valid_data = random_split(full, [n_train, n_valid])`.

    ## Why is this bad?
    The parts of a split are views of one dataset: `valid_data.dataset` is `full`, the same
    object as `train_data.dataset`. Setting its transform changes it for every part, so the
    training samples now load with the test transform too: the data augmentation is gone
    (or the validation data gets the training augmentation, when it is done the other way
    round). Nothing raises; the model just overfits sooner.

    ## Example
    ```python
    train_data, valid_data = random_split(full, [n_train, n_valid])
    valid_data.dataset.transform = test_transforms
    ```

    ## Use instead
    ```python
    train_data, valid_data = random_split(full, [n_train, n_valid])
    valid_data = copy.deepcopy(valid_data)
    valid_data.dataset.transform = test_transforms
    ```
    (or build two datasets over the same files, each with its transform, and split their
    indices).

    ## Fix safety
    There is no fix: deep-copying the part copies the whole dataset (its tensors, if it holds
    them in memory), which the author has to weigh.
    """

    code = "TL432"
    triggers = (".dataset.",)
    name = "split-shares-transform"
    severity = Severity.WARNING
    summary = "A transform set through one part of a random_split changes the shared dataset of every part."
    failing = (
        _DATA + "train_data, valid_data = random_split(full, [80, 20])\nvalid_data.dataset.transform = None  # TL432\n",
    )
    passing = (
        _DATA + "import copy\ntrain_data, valid_data = random_split(full, [80, 20])\nvalid_data = copy.deepcopy(valid_data)\n"
        "valid_data.dataset.transform = None\n",
    )
    lookalikes = (
        # a dataset of its own for validation
        _DATA + "valid_full = Digits()\nvalid_full.transform = None\ntrain_data = full\n",
        # setting it on a dataset that is not a part of a split
        "import torch\nfrom torch.utils.data import DataLoader\n\ndef loader(ds, tf):\n    ds.dataset.transform = tf\n"
        "    return DataLoader(ds, batch_size=8)\n",
    )

    def on_module(self, ctx, ev):
        if ".dataset." not in ctx.text:
            return
        env = module_names(ctx)
        binds = None
        for assigns in per_chunk(ctx, ("tl432 transform assigns",), _transform_assigns):
            for node in assigns:
                binds = binds or _Bindings(per_chunk(ctx, ("tl432 bindings",), lambda m: _bindings([m])))
                self._check(ctx, env, binds, node)

    def _check(self, ctx, env, binds, assign):
        target = assign.targets[0].target
        if not (isinstance(target, cst.Attribute) and target.attr.value in _TRANSFORMS
                and isinstance(target.value, cst.Attribute) and target.value.attr.value == "dataset"
                and isinstance(target.value.value, cst.Name)):
            return
        part = target.value.value.value
        made = binds.get(part) or []
        if not made or any(m is None for m in made):
            return
        calls = {id(call): (call, names) for call, names in made}
        if len(calls) != 1:
            return
        call, names = next(iter(calls.values()))
        q = imported_qualname(env, call.func)
        if q in _SPLITS:
            others = [n for n in names if n and n != part]
            what = "random_split"
        elif q in _SUBSETS and call.args:
            others = _other_subsets(env, binds, call, part)
            what = "Subset"
        else:
            return
        if not others:
            return
        base = ctx.source(call.args[0].value).strip() if call.args else "the dataset"
        value = ctx.source(assign.value).strip()
        listed = ", ".join(others[:3])
        message = (f"{part}.dataset is the dataset that the {what} at line {ctx.line(call)} divides ({base} there), "
                   f"shared by every part: setting its {target.attr.value} changes it for {listed} too, so they now also "
                   f"load with {value}. "
                   f"Deep-copy {part} (copy.deepcopy) before setting its {target.attr.value}, or give each part a "
                   f"dataset of its own")
        ctx.report(self, assign, message, related=[(call, f"{what} over {base}: its parts share it")])


def _transform_assigns(module) -> list:
    """The assignments `part.dataset.<transform> = ...` of the tree (nested code included)."""
    out = []
    for node in descendants(module):
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
            if (isinstance(target, cst.Attribute) and target.attr.value in _TRANSFORMS
                    and isinstance(target.value, cst.Attribute) and target.value.attr.value == "dataset"
                    and isinstance(target.value.value, cst.Name)):
                out.append(node)
    return out


class _Bindings:
    """`_bindings` of the whole file from those of each chunk tree: `get` looks a name up in
    each; `items` merges them on first need."""

    def __init__(self, per_tree: list):
        self.per_tree = per_tree
        self.merged: dict | None = None

    def get(self, name: str):
        out = [m for found in self.per_tree for m in found.get(name, ())]
        return out or None

    def items(self):
        if self.merged is None:
            self.merged = {}
            for found in self.per_tree:
                for name, made in found.items():
                    self.merged.setdefault(name, []).extend(made)
        return self.merged.items()


def _bindings(roots) -> dict:
    """Name -> [(the call, the names bound by that statement)] for every binding of the name in
    the file; None for a binding that is not `a, b = call(...)` or `a = call(...)`."""
    out: dict = {}
    for root in roots:
        for node in descendants(root):
            if isinstance(node, cst.Assign):
                for t in node.targets:
                    if isinstance(t.target, (cst.Attribute, cst.Subscript)):
                        continue  # sets a part of an object, binds no name
                    names = _names(t.target)
                    good = isinstance(node.value, cst.Call) and len(node.targets) == 1 and names is not None
                    for n in names or [m.value for m in descendants(t.target) if isinstance(m, cst.Name)]:
                        if n:
                            out.setdefault(n, []).append((node.value, names) if good else None)
            elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem)):
                target = getattr(node, "target", None) or getattr(node, "asname", None)
                if target is not None:
                    for m in [target, *descendants(target)]:
                        if isinstance(m, cst.Name):
                            out.setdefault(m.value, []).append(None)
            elif isinstance(node, cst.Param):
                out.setdefault(node.name.value, []).append(None)
    return out


def _names(target):
    """The names of `a` or `a, b` (a list with "" for a part that is not a plain name); None
    for other targets."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [e.value.value if isinstance(e.value, cst.Name) else "" for e in target.elements]
    return None


def _other_subsets(env, binds, call, part: str) -> list:
    """Names bound to another `Subset` of the same dataset expression."""
    base = dotted(call.args[0].value)
    if not base:
        return []
    out = []
    for name, made in binds.items():
        if name == part or not made or any(m is None for m in made):
            continue
        for other, _ in made:
            if (other is not call and imported_qualname(env, other.func) in _SUBSETS and other.args
                    and dotted(other.args[0].value) == base):
                out.append(name)
                break
    return sorted(out)
