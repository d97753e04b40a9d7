"""Precision on real, correct code: what tensorlint reports on published packages' sources.

    python bench/precision.py                    # every corpus package, all cores
    python bench/precision.py --show             # and the source around each finding
    python bench/precision.py --packages d2l timm --select ALL
    python bench/precision.py --quick            # every 10th file: a smoke test

The corpus (bench/corpus.py) holds code that ships and works, so every finding here is either
a true bug in it (write down why) or a false positive to fix. Prints findings per 1,000 lines
by code and by package, and writes every finding to bench/.results/precision.txt as
`path:line:col: CODE [severity] message`. Target (issue 6): 0 findings of error severity.
An exception out of analyze() is a crash and is listed.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from _common import CORPUS, PACKAGE_NAMES, RESULTS, corpus_files, count_lines, per_kloc, read_text, require, table


@dataclass(frozen=True)
class Hit:
    path: str  # relative to the corpus folder
    line: int
    col: int
    code: str
    severity: str
    message: str


@dataclass
class FileResult:
    package: str
    path: str
    lines: int
    skipped: bool = False
    syntax_error: bool = False
    hits: tuple[Hit, ...] = ()
    crash: str = ""


_CONFIG = None


def _init(select: str | None) -> None:
    global _CONFIG
    from tensorlint.config import Config

    _CONFIG = Config(select=tuple(select.split(","))) if select else Config()


def check_file(item: tuple[str, str]) -> FileResult:
    from tensorlint.engine import analyze

    package, path = item
    text = read_text(CORPUS / path)
    out = FileResult(package, path, count_lines(text))
    try:
        result = analyze(text, str(CORPUS / path), _CONFIG)
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
        out.crash = f"{type(exc).__name__}: {str(exc)[:160]} at {where}"
        return out
    out.skipped, out.syntax_error = bool(result.skipped), bool(result.syntax_error)
    out.hits = tuple(
        Hit(path, f.span.start.line, f.span.start.column, f.code, getattr(f.severity, "value", str(f.severity)), f.message)
        for f in result.findings
    )
    return out


def run_all(items, jobs: int, select: str | None) -> list[FileResult]:
    if jobs <= 1:
        _init(select)
        return [check_file(i) for i in items]
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(select,)) as pool:
        return list(pool.map(check_file, items, chunksize=8))


def show(hit: Hit, context: int) -> str:
    lines = read_text(CORPUS / hit.path).splitlines()
    lo, hi = max(1, hit.line - context), min(len(lines), hit.line + context)
    body = "\n".join(f"{'>' if n == hit.line else ' '}{n:6d} | {lines[n - 1]}" for n in range(lo, hi + 1))
    return f"{hit.path}:{hit.line}:{hit.col}: {hit.code} [{hit.severity}] {hit.message}\n{body}\n"


def report(results: list[FileResult]) -> tuple[list[Hit], int]:
    """Print the tables; returns every hit and the number of error-severity hits."""
    by_pkg: dict[str, list[FileResult]] = defaultdict(list)
    for r in results:
        by_pkg[r.package].append(r)
    hits = [h for r in results for h in r.hits]
    total_lines = sum(r.lines for r in results)

    rows = []
    for pkg, rs in by_pkg.items():
        lines = sum(r.lines for r in rs)
        n = sum(len(r.hits) for r in rs)
        sev = Counter(h.severity for r in rs for h in r.hits)
        rows.append([pkg, str(len(rs)), f"{lines:,}", str(sum(r.skipped for r in rs)), str(n), per_kloc(n, lines),
                     str(sev["error"]), str(sev["warning"]), str(sev["info"]), str(sum(bool(r.crash) for r in rs))])
    sev = Counter(h.severity for h in hits)
    rows.append(["total", str(len(results)), f"{total_lines:,}", str(sum(r.skipped for r in results)), str(len(hits)),
                 per_kloc(len(hits), total_lines), str(sev["error"]), str(sev["warning"]), str(sev["info"]),
                 str(sum(bool(r.crash) for r in results))])
    print(table(rows, ["package", "files", "lines", "skipped", "findings", "per kloc", "error", "warning", "info", "crashes"]))

    codes: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        codes[h.code].append(h)
    pkg_of = {r.path: r.package for r in results}
    print()
    if codes:
        crow = []
        for code in sorted(codes):
            hs = codes[code]
            where = Counter(pkg_of[h.path] for h in hs)
            crow.append([code, "/".join(sorted({h.severity for h in hs})), str(len(hs)), per_kloc(len(hs), total_lines),
                         ", ".join(f"{p} {n}" for p, n in where.most_common())])
        print(table(crow, ["code", "severity", "findings", "per kloc", "by package"], right={2, 3}))
    else:
        print("findings by code: none")
    return hits, sev["error"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packages", nargs="+", default=list(PACKAGE_NAMES), choices=PACKAGE_NAMES)
    ap.add_argument("--select", default=None, help="rule selection, e.g. ALL (default: the default rules)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    ap.add_argument("--every", type=int, default=1, help="take every Nth file")
    ap.add_argument("--quick", action="store_true", help="smoke test: every 10th file")
    ap.add_argument("--show", action="store_true", help="print the source lines around each finding")
    ap.add_argument("--codes", default=None, help="with --show: only these codes or prefixes (comma-separated)")
    ap.add_argument("--context", type=int, default=3, help="with --show: lines of context")
    ap.add_argument("--out", default=str(RESULTS / "precision.txt"), help="where every finding is written")
    args = ap.parse_args(argv)
    if args.quick:
        args.every = max(args.every, 10)

    packages = require(args.packages)
    items = [(pkg, str(path.relative_to(CORPUS))) for name in packages for pkg, path in corpus_files([name])[:: args.every]]
    print(f"precision: {len(items)} files of {', '.join(packages)}; rules: {args.select or 'default'}; {args.jobs} job(s)",
          flush=True)
    results = run_all(items, args.jobs, args.select)
    hits, errors = report(results)

    crashes = [r for r in results if r.crash]
    if crashes:
        print(f"\ncrashes: {len(crashes)}")
        for r in crashes[:5]:
            print(f"  {r.path}\n    {r.crash}")

    hits.sort(key=lambda h: (h.path, h.line, h.col, h.code))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for h in hits:
            fh.write(f"{h.path}:{h.line}:{h.col}: {h.code} [{h.severity}] {h.message}\n")
        for r in crashes:
            fh.write(f"{r.path}: CRASH {r.crash}\n")
    print(f"\nerror-severity findings: {errors} (target 0); every finding written to {args.out}")

    if args.show:
        wanted = tuple(c.strip().upper() for c in args.codes.split(",")) if args.codes else None
        print()
        for h in hits:
            if wanted is None or h.code.startswith(wanted):
                print(show(h, args.context))
    return 0


if __name__ == "__main__":
    sys.exit(main())
