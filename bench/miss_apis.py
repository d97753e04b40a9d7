"""Which framework calls stand between the missed real bugs and the rules: for every entry of
the own real-bug set that a run of tests/realbugs/run.py missed (its `miss` and `FILE` lines),
the calls on the bug line, its alt lines and the lines that make the values reaching them (the
assignments of the names those lines read, two steps back) whose name the engine does not
model (bench/coverage.py's resolution and tables), tabulated as API -> entries and weighed by
the API's call sites in the real-code corpus.

    python3 tests/realbugs/run.py --cmd tensorlint --select ALL -v > run.txt
    python bench/coverage.py --json counts.json
    python bench/miss_apis.py run.txt [--counts counts.json] [--entries]

Without `--counts` the corpus is scanned here (as bench/coverage.py scans it). Tensor methods
(`x.sort()`) are named by their method name: an estimate, as in bench/coverage.py.
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
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import coverage as C  # noqa: E402
from tensorlint import frameworks as F  # noqa: E402

REALBUGS = HERE.parent / "tests" / "realbugs"
_BLOCKS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While,
           ast.With, ast.AsyncWith, ast.Try)


def missed(run_output: Path) -> list[str]:
    """The ids a verbose run did not localize: its `miss` and `FILE` lines."""
    return [line.split()[1] for line in run_output.read_text().splitlines()
            if line.startswith(("miss ", "FILE ")) and len(line.split()) > 1]


def _span(node) -> range:
    return range(node.lineno, (node.end_lineno or node.lineno) + 1)


def slice_lines(tree, lines: set[int], steps: int = 2) -> tuple[set[int], set[int]]:
    """(the statements on `lines`, those plus the assignments of the names they read, `steps` back)."""
    defs = collections.defaultdict(set)
    statements = []
    for n in ast.walk(tree):
        if isinstance(n, ast.stmt) and not isinstance(n, _BLOCKS):
            statements.append(n)
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            where = _span(n) if not isinstance(n, (ast.For, ast.AsyncFor)) else range(n.lineno, n.lineno + 1)
            for t in targets:
                for s in ast.walk(t):
                    name = s.id if isinstance(s, ast.Name) else s.attr if isinstance(s, ast.Attribute) else None
                    if name is not None:
                        defs[name].update(where)
    core = set(lines)
    for n in statements:
        if any(n.lineno <= line <= (n.end_lineno or n.lineno) for line in lines):
            core.update(_span(n))
    reach, frontier = set(core), set(core)
    for _ in range(steps):
        names = {s.id if isinstance(s, ast.Name) else s.attr for s in ast.walk(tree)
                 if isinstance(s, (ast.Name, ast.Attribute)) and s.lineno in frontier}
        new = set().union(*(defs.get(name, set()) for name in names)) - reach
        reach |= new
        frontier = new
    return core, reach


def unmodeled_calls(entry: dict, inventory: dict, tensor_methods: set) -> tuple[list, list] | None:
    path = REALBUGS / "files" / f"{entry['id']}.py"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(path.read_text(errors="replace"))
        except (SyntaxError, ValueError):
            return None
    _core, reach = slice_lines(tree, {entry["line"], *(entry.get("alt_lines") or [])})
    r = C.Resolver(inventory)
    r.collect(tree)
    calls = sorted({F.canonical(q) for q, line in r.calls if line in reach and not C.modeled(F.canonical(q))})
    methods = sorted({m for m, line in r.methods
                      if line in reach and m in tensor_methods and m not in F.TENSOR_METHODS})
    return calls, methods


def corpus_counts(corpus: Path, inventory: dict) -> tuple[collections.Counter, collections.Counter]:
    names, methods = collections.Counter(), collections.Counter()
    for path in sorted(corpus.rglob("*.py")):
        got = C.scan(path, inventory)
        if got is None:
            continue
        r, fws = got
        names.update(F.canonical(q) for q, _ in r.calls)
        if "torch" in fws or "tf" in fws:
            methods.update(m for m, _ in r.methods)
    return names, methods


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="the verbose output of tests/realbugs/run.py")
    ap.add_argument("--counts", type=Path, help="bench/coverage.py --json output (its names)")
    ap.add_argument("--corpus", type=Path, default=HERE / ".realcorpus")
    ap.add_argument("--entries", action="store_true", help="also list each missed entry's unmodeled calls")
    args = ap.parse_args(argv)
    manifest = {e["id"]: e for e in json.loads((REALBUGS / "manifest.json").read_text())}
    inventory = C.load_inventory()
    tensor_methods = {n.rsplit(".", 1)[1] for n in inventory if n.startswith(("torch.Tensor.", "tensorflow.Tensor."))}
    ids = [i for i in missed(args.run) if i in manifest]
    apis, meths = collections.defaultdict(set), collections.defaultdict(set)
    for i in ids:
        got = unmodeled_calls(manifest[i], inventory, tensor_methods)
        if got is None:
            print(f"  {i}: does not parse")
            continue
        calls, methods = got
        for q in calls:
            apis[q].add(i)
        for m in methods:
            meths[m].add(i)
        if args.entries:
            print(f"  {i}: {', '.join(calls + ['.' + m + '()' for m in methods]) or '-'}")
    if args.counts:
        names = collections.Counter(json.loads(args.counts.read_text())["names"])
        method_uses = collections.Counter()
    else:
        names, method_uses = corpus_counts(args.corpus, inventory)
    print(f"{len(ids)} missed entries; unmodeled calls near their bug lines (API, corpus call sites, entries):")
    for q, where in sorted(apis.items(), key=lambda kv: (-len(kv[1]), -names[kv[0]], kv[0])):
        print(f"  {q:<48} {names[q]:>6}  {len(where)}: {' '.join(sorted(where))}")
    print("unmodeled tensor methods near them (name, corpus uses where counted, entries):")
    for m, where in sorted(meths.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  .{m + '()':<47} {method_uses[m] if method_uses else '-':>6}  {len(where)}: {' '.join(sorted(where))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
