"""How much of the frameworks, as real scripts call them, the engine models.

Reads the corpus of real training scripts (bench/.realcorpus/, built by bench/realcorpus.py),
resolves every call whose callee is a framework name through the file's imports
(`import torch.nn as nn; nn.Linear(...)` -> `torch.nn.Linear`, `from keras.layers import *`
through bench/inventory.json), folds it to the engine's canonical spelling
(`tensorlint.frameworks.canonical`: `tensorflow.keras.layers.Dense` -> `keras.layers.Dense`)
and counts, per framework, the call sites whose name the engine models: it has a transfer
function in the engine's public tables (CALLS, LAYERS, LOSSES, DTYPES) or is marked
deliberately opaque (an `OPAQUE` collection in tensorlint.frameworks, when the engine has one).

Method calls on values (`x.view(...)`) cannot be resolved without running the engine; they are
counted apart, by method name, in files that import the framework, against TENSOR_METHODS:
an estimate, printed as such.

    python bench/coverage.py [--top 50] [--corpus DIR] [--json OUT]
"""
from __future__ import annotations

import argparse
import ast
import collections
import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tensorlint import frameworks as F  # noqa: E402

FRAMEWORKS = {"torch": "torch", "torchvision": "torch", "keras": "keras", "tensorflow": "tf",
              "numpy": "numpy", "tf_keras": "keras"}


def framework_of(qual: str) -> str | None:
    return FRAMEWORKS.get(qual.split(".")[0])


def modeled(qual: str) -> bool:
    opaque = getattr(F, "OPAQUE", ())
    return any(qual in table for table in (F.CALLS, F.LAYERS, F.LOSSES, F.DTYPES, opaque))


def load_inventory() -> dict:
    path = HERE / "inventory.json"
    return json.loads(path.read_text())["names"] if path.exists() else {}


class Resolver(ast.NodeVisitor):
    """Collects the qualified names of framework calls in one module."""

    def __init__(self, inventory: dict):
        self.inventory = inventory
        self.names: dict[str, str] = {}
        self.star: list[str] = []
        self.calls: list[tuple[str, int]] = []  # (qualname, line)
        self.methods: list[tuple[str, int]] = []  # (method name, line), receiver not a module

    def visit_Import(self, node):
        for a in node.names:
            if a.asname:
                self.names[a.asname] = a.name
            else:
                top = a.name.split(".")[0]
                self.names[top] = top

    def visit_ImportFrom(self, node):
        if node.level or not node.module:
            return
        for a in node.names:
            if a.name == "*":
                self.star.append(node.module)
            else:
                self.names[a.asname or a.name] = f"{node.module}.{a.name}"

    def collect(self, tree) -> None:
        """Imports first (notebooks import late as often as early), then the calls."""
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self.visit(node)
        # `tf.model = tf.keras.Sequential()`: an attribute the program sets on a module is its own
        # value, and `tf.model.add(...)` a method call on it, not a framework name
        assigned = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                    if isinstance(target, ast.Attribute):
                        qual = self.dotted(target)
                        if qual is not None:
                            assigned.add(qual)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            qual = self.dotted(node.func)
            if qual is not None and any(qual == a or qual.startswith(a + ".") for a in assigned):
                continue
            if qual is not None and framework_of(qual):
                self.calls.append((qual, node.lineno))
            elif isinstance(node.func, ast.Attribute) and qual is None:
                self.methods.append((node.func.attr, node.lineno))

    def dotted(self, expr) -> str | None:
        parts = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        base = self.names.get(expr.id)
        if base is None and not parts:
            base = self.from_star(expr.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def from_star(self, name: str) -> str | None:
        for module in self.star:
            qual = f"{module}.{name}"
            if F.canonical(qual) in self.inventory or qual in self.inventory:
                return qual
        return None


def scan(path: Path, inventory: dict):
    text = path.read_text(errors="replace")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return None
    r = Resolver(inventory)
    r.collect(tree)
    fws = {framework_of(m) for m in [*r.names.values(), *r.star] if framework_of(m)}
    return r, fws


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(HERE / ".realcorpus"))
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--json", help="also write the counts here")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    files = sorted(corpus.rglob("*.py"))
    if not files:
        print(f"no corpus in {corpus}: run bench/realcorpus.py first")
        return 2
    inventory = load_inventory()
    tensor_methods = {n.rsplit(".", 1)[1] for n in inventory if n.startswith("torch.Tensor.")}
    tensor_methods |= {n.rsplit(".", 1)[1] for n in inventory if n.startswith("tensorflow.Tensor.")}
    per_fw = collections.defaultdict(lambda: [0, 0])
    names = collections.Counter()
    unmodeled = collections.Counter()
    meth = [0, 0]
    meth_unmodeled = collections.Counter()
    skipped = lines = 0
    for path in files:
        got = scan(path, inventory)
        if got is None:
            skipped += 1
            continue
        lines += path.read_text(errors="replace").count("\n") + 1
        r, fws = got
        for qual, _line in r.calls:
            canon = F.canonical(qual)
            fw = framework_of(canon) or framework_of(qual)
            ok = modeled(canon)
            per_fw[fw][0] += 1
            per_fw[fw][1] += ok
            names[canon] += 1
            if not ok:
                unmodeled[canon] += 1
        if "torch" in fws or "tf" in fws:
            for name, _line in r.methods:
                if name in tensor_methods:
                    meth[0] += 1
                    ok = name in F.TENSOR_METHODS
                    meth[1] += ok
                    if not ok:
                        meth_unmodeled[name] += 1
    total = [sum(v[0] for v in per_fw.values()), sum(v[1] for v in per_fw.values())]
    print(f"corpus: {len(files) - skipped} files, {lines} lines ({skipped} files that do not parse left out)")
    print(f"{'framework':<10} {'call sites':>10} {'modeled':>8} {'share':>7} {'names':>6}")
    for fw in sorted(per_fw):
        n, ok = per_fw[fw]
        distinct = sum(1 for q in names if framework_of(q) == fw)
        print(f"{fw:<10} {n:>10} {ok:>8} {100 * ok / n:>6.1f}% {distinct:>6}")
    print(f"{'all':<10} {total[0]:>10} {total[1]:>8} {100 * total[1] / max(total[0], 1):>6.1f}%")
    if meth[0]:
        print(f"tensor-method-like calls (by name, estimate): {meth[0]}, modeled {meth[1]} "
              f"({100 * meth[1] / meth[0]:.1f}%)")
    print(f"\ntop {args.top} unmodeled framework names (call sites):")
    for q, n in unmodeled.most_common(args.top):
        print(f"  {n:>6}  {q}")
    print(f"\ntop {min(args.top, 25)} unmodeled tensor-method names (estimate):")
    for q, n in meth_unmodeled.most_common(min(args.top, 25)):
        print(f"  {n:>6}  .{q}()")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "per_framework": {fw: {"call_sites": n, "modeled": ok} for fw, (n, ok) in per_fw.items()},
            "unmodeled": dict(unmodeled.most_common()),
            "names": dict(names.most_common()),
        }, indent=1))
    share = 100 * total[1] / max(total[0], 1)
    print(f"\ncoverage: {total[1]}/{total[0]} framework call sites modeled ({share:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
