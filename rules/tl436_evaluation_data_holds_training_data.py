import ast

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._trees import per_chunk

# calls that draw new data each time: two of them spelled alike need not hold the same examples
_DRAWS = frozenset({"normal", "normal_", "uniform", "uniform_", "permutation", "choice", "choices", "shuffle", "sample",
                    "next", "pop", "train_test_split", "multinomial", "bernoulli", "poisson", "integers"})
_SUBSETS = frozenset({"Subset", "random_split", "SubsetRandomSampler"})
_LOADER = "DataLoader"

_HEAD = (
    "import torch\nimport torch.nn as nn\nfrom torch.utils.data import DataLoader, Subset\n"
    "from torchvision import datasets, transforms\n\n"
    "model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))\n"
    "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
)
_TRAIN = (
    "for x, y in train_loader:\n    opt.zero_grad()\n    loss = nn.functional.cross_entropy(model(x), y)\n"
    "    loss.backward()\n    opt.step()\n"
)
_EVAL = "correct = 0\nwith torch.no_grad():\n    for x, y in test_loader:\n        correct += (model(x).argmax(1) == y).sum().item()\n"


class EvaluationDataHoldsTrainingData(Rule):
    """
    ## What it does
    Finds a PyTorch model evaluated on a `DataLoader` (in a loop with no backward pass, or in a
    function of the file given the loader and the model) whose dataset is built by exactly the
    same expression as the dataset the model trains on, under another name: the training
    loader's dataset itself, or the dataset it takes a part of (`Subset(full, idx)`, a part of
    `random_split(full, ...)`, a `SubsetRandomSampler`). The evaluation loader reads the whole
    dataset (no sampler). Both expressions must read the same names, bound once, and draw
    nothing at random.

    ## Why is this bad?
    The program builds the evaluation set apart from the training set, so it was meant to hold
    other examples; but the same expression evaluated twice reads the same rows (typically
    `datasets.MNIST(root, train=True, ...)` copied for the test set without changing
    `train=True`). The model is scored on examples it was trained on: the test accuracy is a
    training accuracy and says nothing about unseen data. Nothing raises.

    ## Example
    ```python
    full = datasets.MNIST("data", train=True, transform=transforms.ToTensor())
    test_set = datasets.MNIST("data", train=True, transform=transforms.ToTensor())
    train_loader = DataLoader(Subset(full, range(50000)), batch_size=64, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=256)
    ```

    ## Use instead
    ```python
    test_set = datasets.MNIST("data", train=False, transform=transforms.ToTensor())
    ```

    ## Fix safety
    There is no automatic fix: which data the evaluation should read is the author's choice.
    """

    code = "TL436"
    triggers = (".backward(",)
    name = "evaluation-data-holds-training-data"
    severity = Severity.WARNING
    summary = ("A model is evaluated on a dataset built by the same expression as the dataset it trains on "
               "(or takes its training part from), so the evaluation reads training examples.")
    failing = (
        _HEAD + "full = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
        "test_set = datasets.MNIST('data', train=True,  # TL436\n"
        "                          transform=transforms.ToTensor())\n"
        "train_loader = DataLoader(Subset(full, range(50000)), batch_size=64, shuffle=True)\n"
        "test_loader = DataLoader(test_set, batch_size=256)\n" + _TRAIN + _EVAL,
        _HEAD + "tf = transforms.ToTensor()\ntrain_set = datasets.FashionMNIST('data', train=True, transform=tf)\n"
        "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\n"
        "test_loader = DataLoader(datasets.FashionMNIST('data', train=True, transform=tf), batch_size=256)  # TL436\n"
        "\n\ndef accuracy(net, loader):\n    hits = 0\n    for x, y in loader:\n        hits += (net(x).argmax(1) == y).sum().item()\n"
        "    return hits\n\n\n" + _TRAIN + "print(accuracy(model, test_loader))\n",
    )
    passing = (
        _HEAD + "full = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
        "test_set = datasets.MNIST('data', train=False, transform=transforms.ToTensor())\n"
        "train_loader = DataLoader(Subset(full, range(50000)), batch_size=64, shuffle=True)\n"
        "test_loader = DataLoader(test_set, batch_size=256)\n" + _TRAIN + _EVAL,
    )
    lookalikes = (
        # the other part of the same dataset: disjoint from the training part
        _HEAD + "full = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
        "train_loader = DataLoader(Subset(full, range(50000)), batch_size=64, shuffle=True)\n"
        "test_loader = DataLoader(Subset(full, range(50000, 60000)), batch_size=256)\n" + _TRAIN + _EVAL,
        # a second copy read through a sampler of held-out indices
        _HEAD + "a = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
        "b = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
        "train_loader = DataLoader(a, sampler=torch.utils.data.SubsetRandomSampler(range(50000)))\n"
        "test_loader = DataLoader(b, sampler=torch.utils.data.SubsetRandomSampler(range(50000, 60000)))\n" + _TRAIN + _EVAL,
        # the training accuracy, openly: the same dataset object
        _HEAD + "train_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
        "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\n"
        "test_loader = DataLoader(train_set, batch_size=256)\n" + _TRAIN + _EVAL,
        # random tensors drawn twice are different examples
        _HEAD + "train_loader = DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 784), torch.randint(0, 10, (64,))))\n"
        "test_loader = DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 784), torch.randint(0, 10, (64,))))\n"
        + _TRAIN + _EVAL,
        # other transforms: a loader for looking at the images, not scoring the model
        _HEAD + "train_loader = DataLoader(datasets.MNIST('data', train=True, transform=transforms.ToTensor()))\n"
        "test_loader = DataLoader(datasets.MNIST('data', train=True, transform=transforms.ToTensor()))\n"
        + _TRAIN + "for x, y in test_loader:\n    print(x.shape)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if text.count(_LOADER + "(") < 2 or ".backward(" not in text:
            return  # two loaders, one of them trained on
        facts = per_chunk(ctx, ("TL436 facts",), _chunk_facts)
        binds: dict = {}
        loops, defs, calls = [], {}, []
        for f in facts:
            for name, stmt, expr, part in f["binds"]:
                binds.setdefault(name, []).append((stmt, expr, part))
            loops += f["loops"]
            calls += f["calls"]
            for name, d in f["defs"].items():
                defs[name] = None if name in defs else d
        _Check(self, ctx, binds, loops, defs, calls).run()


class _Check:
    def __init__(self, rule, ctx, binds, loops, defs, calls):
        self.rule, self.ctx, self.binds, self.loops, self.defs, self.calls = rule, ctx, binds, loops, defs, calls
        self.memo: dict = {}

    def run(self):
        trains = [(name, called, node) for name, trains, called, node in self.loops if trains]
        if not trains:
            return
        # what the training loop calls that the file builds once (`model = Net()`): not print, len, range
        models = {m for _, called, _ in trains for m in called
                  if (b := self.one(m)) is not None and b[2] is None and isinstance(b[1], cst.Call)}
        evals = [(name, node) for name, trains, called, node in self.loops if not trains and called & models]
        for fname, call, args in self.calls:
            d = self.defs.get(fname)
            if not d:
                continue
            params, found = d
            bound = {p: args.get(p, args.get(i)) for i, p in enumerate(params)}
            for param, trains_p, called in found:
                loader = bound.get(param)
                if not trains_p and loader and any(bound.get(q) in models for q in called):
                    evals.append((loader, call))
        done = set()
        for tname, _, tnode in trains:
            sources = self.sources(tname)
            for ename, enode in evals:
                if ename == tname:
                    continue
                got = self.whole(ename)
                if got is None:
                    continue
                ebind, key = got
                for sbind, skey, whole in sources:
                    if ebind is not sbind and key == skey and ebind not in done:
                        done.add(ebind)
                        self.report(ebind, sbind, whole, (tname, tnode), (ename, enode))

    def one(self, name):
        got = self.binds.get(name)
        return got[0] if got and len(got) == 1 and (got[0][1] is not None or got[0][2] is not None) else None

    def loader_dataset(self, name):
        """(dataset expression, its keywords) of the loader bound once to `DataLoader(...)`."""
        b = self.one(name)
        if b is None or b[2] is not None or not isinstance(b[1], cst.Call) or _last(b[1].func) != _LOADER:
            return None
        call = b[1]
        ds = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "dataset"), None)
        if ds is None and call.args and call.args[0].keyword is None and not call.args[0].star:
            ds = call.args[0].value
        kws = {a.keyword.value for a in call.args if a.keyword is not None}
        return (ds, kws) if ds is not None else None

    def sources(self, loader):
        """(binding node, canonical text) of the training data's dataset and of what it is a part of."""
        got = self.loader_dataset(loader)
        if got is None:
            return []
        ds, _ = got
        out = []
        node, expr, part = self.resolve(ds)
        for cand, whole in ((expr, got[1] & {"sampler", "batch_sampler"}), (part, True)):
            if cand is not None:
                key = self.canon(cand)
                if key is not None:
                    out.append((self.owner(cand, node), key, bool(whole)))
        if isinstance(expr, cst.Call) and _last(expr.func) == "Subset" and expr.args:
            inner = expr.args[0].value
            n2, e2, _ = self.resolve(inner)
            key = self.canon(e2) if e2 is not None else None
            if key is not None:
                out.append((self.owner(e2, n2), key, True))
        return out

    def whole(self, loader):
        """(binding node, canonical text) of an evaluation loader's dataset read whole."""
        got = self.loader_dataset(loader)
        if got is None or got[1] & {"sampler", "batch_sampler"}:
            return None
        node, expr, part = self.resolve(got[0])
        if expr is None or part is not None or isinstance(expr, cst.Call) and _last(expr.func) in _SUBSETS:
            return None
        key = self.canon(expr)
        return (self.owner(expr, node), key) if key is not None else None

    def resolve(self, expr):
        """(binding statement or None, expression, whole dataset it is a part of or None)."""
        if isinstance(expr, cst.Name):
            b = self.one(expr.value)
            if b is None:
                return None, None, None
            return b[0], (b[1] if b[2] is None else None), b[2]
        return None, expr, None

    @staticmethod
    def owner(expr, stmt):
        return stmt if stmt is not None else expr

    def canon(self, expr):
        if id(expr) in self.memo:
            return self.memo[id(expr)]
        self.memo[id(expr)] = None
        try:
            tree = ast.parse("(" + self.ctx.source(expr).strip() + "\n)", mode="eval").body
        except (SyntaxError, ValueError):
            return None
        out = self._ser(tree, 0)
        self.memo[id(expr)] = out if out is not None and len(out) <= 4000 else None
        return self.memo[id(expr)]

    def _ser(self, node, depth):
        if depth > 30:
            return None
        if isinstance(node, ast.Name):
            got = self.binds.get(node.id)
            if not got:
                return node.id + "@free"
            if len(got) != 1:
                return None
            stmt, expr, part = got[0]
            if expr is None or part is not None:
                return node.id + "@" + str(id(stmt)) if expr is None and part is None else None
            inner = self.canon(expr)
            return None if inner is None else "<" + inner + ">"
        if isinstance(node, ast.Call):
            last = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if _drawing(last):
                return None
        if isinstance(node, ast.AST):
            parts = []
            for f in node._fields:
                if f == "ctx":
                    continue
                p = self._ser(getattr(node, f), depth + 1)
                if p is None:
                    return None
                parts.append(p)
            return type(node).__name__ + "(" + ",".join(parts) + ")"
        if isinstance(node, list):
            parts = [self._ser(n, depth + 1) for n in node]
            return None if None in parts else "[" + ",".join(parts) + "]"
        return repr(node)

    def report(self, ebind, sbind, whole, train, evaluation):
        ctx = self.ctx
        (tname, tnode), (ename, enode) = train, evaluation
        shown = " ".join(ctx.source(sbind if not isinstance(sbind, cst.SimpleStatementLine) else sbind.body[0]).split())
        if len(shown) > 80:
            shown = shown[:77] + "..."
        what = (f"the dataset that the training data of {tname} is a part of" if whole
                else f"the training data of {tname}")
        message = (f"the data {ename} evaluates the model on is built exactly as {what} "
                   f"(line {ctx.line(sbind)}: {shown}), over the same names: the model is scored on examples it "
                   f"trained on, and the score says nothing about unseen data. Build it from held-out data "
                   f"(e.g. the test split)")
        ctx.report(self.rule, ebind, message, related=[(sbind, "the training data built here"),
                                                       (tnode, f"the model trains on {tname} here"),
                                                       (enode, f"and is evaluated on {ename} here")])


def _last(func) -> str:
    return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""


def _chunk_facts(module) -> dict:
    """Module-level facts of one chunk: bindings (name, statement, expression of a plain
    `name = expr` or None, the dataset a `random_split` part comes from or None), loops over a
    loader name (name, trains, names called in the body, loop), calls of file functions with
    the names they pass, and per function the loops over its parameters."""
    binds, loops, calls, defs = [], [], [], {}
    for top in module.body:
        _scan(top, binds, loops, calls, defs)
    return {"binds": binds, "loops": loops, "calls": calls, "defs": defs}


def _scan(stmt, binds, loops, calls, defs):
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) and _draws(stmt):
        binds.append((stmt.name.value, stmt, None, None))
        binds.append((stmt.name.value, stmt, None, None))  # bound "twice": never compared as alike
        return
    if isinstance(stmt, cst.FunctionDef):
        binds.append((stmt.name.value, stmt, None, None))
        params = [p.name.value for p in stmt.params.params]
        found = []
        for n in descendants(stmt):
            if isinstance(n, cst.For):
                name = _loop_name(n)
                if name in params:
                    trains, called = _body(n)
                    found.append((name, trains, frozenset(c for c in called if c in params)))
        defs[stmt.name.value] = (params, found)
        return
    if isinstance(stmt, cst.ClassDef):
        binds.append((stmt.name.value, stmt, None, None))
        return
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            _small(stmt, small, binds, calls)
        return
    for n in (stmt, *descendants(stmt, prune=(cst.FunctionDef, cst.ClassDef, cst.Lambda))):
        if isinstance(n, cst.For):
            name = _loop_name(n)
            if name:
                trains, called = _body(n)
                loops.append((name, trains, called, n))
            for t in _targets(n.target):
                binds.append((t, n, None, None))
        elif isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = [t.target for t in n.targets] if isinstance(n, cst.Assign) else [n.target]
            for t in targets:
                for name in _targets(t):
                    binds.append((name, n, None, None))
        elif isinstance(n, cst.Call):
            _file_call(n, calls)


def _small(stmt, small, binds, calls):
    if isinstance(small, (cst.Import, cst.ImportFrom)):
        return  # imported names are stable: read as free names
    if isinstance(small, cst.Assign):
        for n in descendants(small.value):
            if isinstance(n, cst.Call):
                _file_call(n, calls)
        if isinstance(small.value, cst.Call):
            _file_call(small.value, calls)
        if len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            binds.append((small.targets[0].target.value, stmt, small.value, None))
            return
        value = small.value
        whole = (value.args[0].value if isinstance(value, cst.Call) and _last(value.func) == "random_split"
                 and value.args else None)
        for t in small.targets:
            for name in _targets(t.target):
                binds.append((name, stmt, None, whole))
        return
    if isinstance(small, (cst.AugAssign, cst.AnnAssign)):
        for name in _targets(small.target):
            binds.append((name, stmt, None, None))
        return
    for n in descendants(small):
        if isinstance(n, cst.Call):
            _file_call(n, calls)
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        _file_call(small.value, calls)


def _drawing(name: str) -> bool:
    """`torch.randn`, `np.random.rand`, `rng.normal`, `random.sample`: a call that draws."""
    low = name.lower()
    return low.startswith("rand") or "random" in low or low in _DRAWS


def _draws(node) -> bool:
    """The file's own function or class draws random data (or reads a stream): two calls with
    the same arguments need not build the same examples."""
    calls = _CALLS
    for n in descendants(node):
        if type(n) in calls and _drawing(_last(n.func)):  # (exact types: libcst's classes are ABCs)
            return True
    return False


_CALLS = kinds_of(cst.Call)


def _file_call(call, calls):
    if isinstance(call.func, cst.Name):
        args = {}
        for i, a in enumerate(call.args):
            if a.star or not isinstance(a.value, cst.Name):
                continue
            args[a.keyword.value if a.keyword is not None else i] = a.value.value
        calls.append((call.func.value, call, args))


def _targets(t):
    if isinstance(t, cst.Name):
        return [t.value]
    if isinstance(t, (cst.Tuple, cst.List)):
        return [n for el in t.elements for n in _targets(el.value)]
    return []


def _loop_name(loop) -> str | None:
    it = loop.iter
    while isinstance(it, cst.Call) and _last(it.func) in ("enumerate", "tqdm", "iter") and it.args:
        it = it.args[0].value
    return it.value if isinstance(it, cst.Name) else None


def _body(loop):
    trains, called = False, set()
    for n in descendants(loop.body):
        if isinstance(n, cst.Call):
            last = _last(n.func)
            if last in ("backward", "step") and isinstance(n.func, cst.Attribute):
                trains = True
            elif isinstance(n.func, cst.Name):
                called.add(n.func.value)
    return trains, frozenset(called)
