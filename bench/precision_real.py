"""Precision of tensorlint on real training scripts, against the verdicts in precision_real.md.

    python bench/precision_real.py [--cmd tensorlint] [--corpus DIR]

Runs `tensorlint check` (default rules, then --select ALL) over the corpus that
bench/realcorpus.py builds in bench/.realcorpus/, matches every finding with the hand verdict
recorded for it in bench/precision_real.md (by file, line and code) and prints, under default
rules and under ALL, the findings, the true and false positives, the false positives per 1,000
lines, and every finding that has no verdict yet (those need reading before the figure means
anything). A verdict is TP or FP; `TP*`/`FP*` mark judgements that rest on a rule's premise
rather than on a failure (see the reasons). Exit status 0; 2 when there is no corpus.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".realcorpus"
VERDICTS = HERE / "precision_real.md"
ROW = re.compile(r"^\| (?P<repo>[^|]+) \| (?P<commit>[0-9a-f]+) \| `(?P<path>[^`]+):(?P<line>\d+)` \| "
                 r"(?P<code>TL\d+) \| (?P<verdict>TP\*?|FP\*?|\?) \| (?P<reason>.*) \|$")


def verdicts() -> dict:
    out = {}
    if VERDICTS.exists():
        for line in VERDICTS.read_text().splitlines():
            m = ROW.match(line)
            if m:
                key = (m["repo"].replace("/", "+") + "/" + m["path"], int(m["line"]), m["code"])
                out[key] = (m["verdict"], m["reason"])
    return out


def findings(cmd: list, select: str | None, corpus: Path = CORPUS) -> list:
    sel = ["--select", select] if select else []
    proc = subprocess.run([*cmd, "check", "--format", "json", *sel, "--no-cache", "--no-respect-gitignore",
                           "--exit-zero", str(corpus)], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"tensorlint exited {proc.returncode}: {proc.stderr[-500:]}")
    out = []
    for f in json.loads(proc.stdout or "[]"):
        rel = Path(f["filename"]).resolve().relative_to(corpus.resolve()).as_posix()
        out.append((rel, f["location"]["row"], f["code"]))
    return sorted(out)


def lines_of_corpus(corpus: Path = CORPUS) -> int:
    return sum(p.read_text(errors="replace").count("\n") + 1 for p in corpus.rglob("*.py"))


def report(name: str, found: list, judged: dict, kloc: float) -> None:
    counts = collections.Counter()
    starred = collections.Counter()
    per_code = collections.defaultdict(collections.Counter)
    missing = []
    for key in found:
        verdict = judged.get(key, ("?", ""))[0]
        counts[verdict.rstrip("*")] += 1
        starred[verdict] += verdict.endswith("*")
        per_code[key[2]][verdict.rstrip("*")] += 1
        if verdict == "?":
            missing.append(key)
    fp = counts["FP"]
    print(f"{name}: {len(found)} findings, {counts['TP']} true ({starred['TP*']} TP*), {fp} false ({starred['FP*']} FP*), "
          f"{counts['?']} not judged; {fp / kloc:.3f} false positives per 1,000 lines, "
          f"{(fp - starred['FP*']) / kloc:.3f} without the FP* ones")
    for code, c in sorted(per_code.items()):
        print(f"  {code}: {c['TP']} true, {c['FP']} false" + (f", {c['?']} not judged" if c["?"] else ""))
    for path, line, code in missing:
        print(f"  not judged: {path}:{line} {code}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmd", default=f"{sys.executable} -m tensorlint")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="a corpus built elsewhere (bench/realcorpus.py --out DIR)")
    args = ap.parse_args(argv)
    if not any(args.corpus.rglob("*.py")):
        print("no corpus: run bench/realcorpus.py first")
        return 2
    cmd = shlex.split(args.cmd)
    judged = verdicts()
    lines = lines_of_corpus(args.corpus)
    print(f"corpus: {lines} lines; {len(judged)} verdicts in {VERDICTS.name}")
    report("default rules", findings(cmd, None, args.corpus), judged, lines / 1000)
    report("--select ALL", findings(cmd, "ALL", args.corpus), judged, lines / 1000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
