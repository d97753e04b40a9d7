"""What the engine reports on the benchmark corpora, written down so that two versions compare.

    python bench/findings_snapshot.py out.json                 # every 3rd file of bench/.corpus
                                                               # (torch, keras) + all of bench/.realcorpus
    python bench/findings_snapshot.py out.json --every 1
    python bench/findings_snapshot.py --compare before.json after.json

All rules are selected. Each finding is kept as (path, code, line, column, end, message, fix
edits, related locations), paths relative to the corpus root, so that a change meant to keep the
analysis as it is (a speed-up) can be checked to do so: `--compare` prints every difference and
exits 1 when there is one. A crash is recorded as a finding of code "CRASH".
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _common import BENCH, CORPUS, ENGINE_PACKAGES, corpus_files, read_text

REALCORPUS = BENCH / ".realcorpus"


def files(every: int) -> list[tuple[str, Path]]:
    """(name shown, path): the engine-speed corpus thinned to every Nth file, then the real one."""
    out = [(str(p.relative_to(CORPUS)), p) for _, p in corpus_files(ENGINE_PACKAGES)][::every]
    if REALCORPUS.is_dir():
        out += [("real/" + str(p.relative_to(REALCORPUS)), p) for p in sorted(REALCORPUS.rglob("*.py"))]
    return out


def record(finding) -> list:
    s = finding.span
    fix = None
    if finding.fix is not None:
        fix = [finding.fix.message] + [[e.span.start.line, e.span.start.column, e.span.end.line,
                                        e.span.end.column, e.content] for e in finding.fix.edits]
    related = [[r.span.start.line, r.span.start.column, r.message] for r in finding.related]
    return [finding.code, s.start.line, s.start.column, s.end.line, s.end.column, finding.message, fix, related]


def snapshot(every: int) -> dict:
    from tensorlint.config import Config
    from tensorlint.engine import analyze

    config = Config(select=("ALL",))
    out: dict[str, list] = {}
    for name, path in files(every):
        try:
            result = analyze(read_text(path), str(path), config)
            out[name] = [record(f) for f in result.findings]
        except Exception as exc:  # a crash is a difference too
            out[name] = [["CRASH", 0, 0, 0, 0, f"{type(exc).__name__}: {exc}", None, []]]
    return out


def compare(before: dict, after: dict) -> int:
    diffs = 0
    for name in sorted(set(before) | set(after)):
        a = [json.dumps(r) for r in before.get(name, [])]
        b = [json.dumps(r) for r in after.get(name, [])]
        if a == b:
            continue
        gone, new = [r for r in a if r not in b], [r for r in b if r not in a]
        diffs += 1
        print(name)
        for r in gone:
            print(f"  - {r}")
        for r in new:
            print(f"  + {r}")
        if not gone and not new:
            print("  (same findings, another order)")
    total_a = sum(map(len, before.values()))
    total_b = sum(map(len, after.values()))
    print(f"{len(before)} / {len(after)} files, {total_a} / {total_b} findings; files that differ: {diffs}")
    return 1 if diffs else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", help="JSON file to write")
    ap.add_argument("--every", type=int, default=3, help="take every Nth file of bench/.corpus")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="diff two snapshots")
    args = ap.parse_args(argv)
    if args.compare:
        before, after = (json.loads(Path(p).read_text()) for p in args.compare)
        return compare(before, after)
    if not args.out:
        ap.error("name the JSON file to write, or use --compare")
    data = snapshot(args.every)
    Path(args.out).write_text(json.dumps(data, indent=0, sort_keys=True))
    print(f"{len(data)} files, {sum(map(len, data.values()))} findings -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
