"""Measure tensorlint on the real buggy programs of this folder (a measurement, not a gate).

    python tests/realbugs/run.py [--cmd "tensorlint"] [--select ALL|default|CODES] [--set DIR] [--by-code] [--verbose]

Runs `tensorlint check --format json` on every buggy program and every fixed version (one that
imports its project's modules at its place in a copy of the project's layout) and prints, per
framework and per category:
  found      any finding in the buggy file;
  localized  a finding within 3 lines of the bug's line or one of its alt_lines;
and how many fixed versions still get a finding within 3 lines of the bug (fixed flagged); of
those, how many get one that `second_bugs.json` does not list (falsely: a listed finding is a
true second bug the fix left in the file, judged by reading it). Two groups are printed apart:
TF1 graph programs (ids with `tf1`) and torch training loops (torch, category TRAINING_LOOP).
`--by-code` adds, per rule code, how many bugs a finding of that code localizes (the ids with
--verbose); `--set ../shared/realbugs` measures the shared set the same way.
The last line is `realbugs: found N/M, localized K/M, fixed flagged F/G, falsely E/G`.
Exit status 0, or 2 when tensorlint could not run.
"""
from __future__ import annotations

import argparse
import collections
import json
import shlex
import subprocess
import sys
from pathlib import Path

from project_files import in_project

HERE = Path(__file__).resolve().parent
NEAR = 3
GROUPS = (("TF1 graph programs", lambda c: "tf1" in c["id"]),
          ("torch training loops", lambda c: c["framework"] == "torch" and c["category"] == "TRAINING_LOOP"))


def findings(cmd: list, select: str, paths: list) -> dict:
    """file name -> [(code, row)] for every finding tensorlint reports."""
    out = collections.defaultdict(list)
    for start in range(0, len(paths), 100):
        chunk = [str(p) for p in paths[start:start + 100]]
        selection = [] if select == "default" else ["--select", select]
        proc = subprocess.run([*cmd, "check", "--format", "json", *selection, "--no-cache",
                               "--no-respect-gitignore", *chunk], capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            print(f"tensorlint exited {proc.returncode}: {proc.stderr[-500:]}", file=sys.stderr)
            sys.exit(2)
        for f in json.loads(proc.stdout or "[]"):
            out[Path(f["filename"]).name].append((f["code"], f["location"]["row"]))
    return out


def near(found: list, lines: list) -> list:
    return [f for f in found if any(abs(f[1] - line) <= NEAR for line in lines)]


def second_bugs(root: Path) -> dict:
    """id -> {(code, line)} of the true findings on its fixed version (second_bugs.json)."""
    path = root / "second_bugs.json"
    listed = json.loads(path.read_text()) if path.exists() else {}
    return {k: {(b["code"], b["line"]) for b in v} for k, v in listed.items() if not k.startswith("_")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmd", default=f"{sys.executable} -m tensorlint")
    ap.add_argument("--select", default="ALL", help="rule codes, or 'default' for the default rules")
    ap.add_argument("--set", default=str(HERE), help="folder with manifest.json and files/")
    ap.add_argument("--by-code", action="store_true", help="per rule code, the bugs its findings localize")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    root = Path(args.set)
    cases = json.loads((root / "manifest.json").read_text())
    files = root / "files"
    alone = [c for c in cases if not c.get("project_files")]
    paths = [files / f"{c['id']}.py" for c in alone]
    paths += [files / f"{c['id']}.fixed.py" for c in alone if c.get("has_fixed")]
    found = findings(shlex.split(args.cmd), args.select, paths)
    for c in cases:  # a program that imports its project's modules is checked among them
        if not c.get("project_files"):
            continue
        for version in ("", ".fixed") if c.get("has_fixed") else ("",):
            with in_project(root, c, version) as path:
                got = findings(shlex.split(args.cmd), args.select, [Path(path)])
                found[f"{c['id']}{version}.py"] = got.get(Path(path).name, [])
    rows = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    true_second = second_bugs(root)
    by_code = collections.defaultdict(list)
    for c in cases:
        lines = [c["line"], *c.get("alt_lines", [])]
        got = found.get(f"{c['id']}.py", [])
        hit, loc = bool(got), bool(near(got, lines))
        for code in sorted({code for code, _ in near(got, lines)}):
            by_code[code].append(c["id"])
        still = near(found.get(f"{c['id']}.fixed.py", []), lines) if c.get("has_fixed") else []
        false = [f for f in still if f not in true_second.get(c["id"], set())]
        keys = [("framework", c["framework"]), ("category", c["category"]), ("all", "")]
        keys += [("group", name) for name, member in GROUPS if member(c)]
        for key in keys:
            for k, v in enumerate((1, hit, loc, bool(c.get("has_fixed")), bool(still), bool(false))):
                rows[key][k] += v
        if args.verbose:
            mark = "LOC " if loc else "FILE" if hit else "miss"
            extra = f"  fixed still {still}" + ("" if false else " (true second bugs)") if still else ""
            print(f"{mark} {c['id']:<52} {c['category']:<16} line {c['line']}: {got}{extra}")
    for (kind, name), (n, hit, loc, fixed, flagged, false) in sorted(rows.items()):
        if kind == "group":
            print(f"  {kind:<9} {name:<20} found {hit:>3}/{n:<3} localized {loc:>3}/{n:<3} ({loc / n:.0%}),"
                  f" fixed flagged {flagged}/{fixed}, falsely {false}/{fixed}")
        elif kind != "all":
            print(f"  {kind:<9} {name:<18} found {hit:>3}/{n:<3} localized {loc:>3}/{n}")
    if args.by_code:
        for code, ids in sorted(by_code.items()):
            print(f"  code      {code:<18} localizes {len(ids):>3}" + (f": {', '.join(ids)}" if args.verbose else ""))
    n, hit, loc, fixed, flagged, false = rows[("all", "")]
    print(f"realbugs: found {hit}/{n}, localized {loc}/{n}, fixed flagged {flagged}/{fixed}, falsely {false}/{fixed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
