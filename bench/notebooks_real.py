"""Run `tensorlint check` over public notebooks, for bench/notebooks_real.md.

The notebooks are those of the repositories pinned in bench/notebooks_real.json, read from bare
git mirrors at `$MIRROR/<owner>+<name>/repo` (default MIRROR=/work/.mirror; any bare clone
works: `git clone --bare https://github.com/OWNER/NAME "$MIRROR/OWNER+NAME/repo"`). They are
extracted to bench/.notebooks/ (not committed), checked with the tensorlint of this checkout,
and summed up: notebooks, code cells, cells that do not parse (each TL001 with its cell's
source, for the verdicts), and every other finding.

    python bench/notebooks_real.py                 # extract, check, print the summary
    python bench/notebooks_real.py --json out.json # also write every finding
    python bench/notebooks_real.py --tl001         # print each TL001 with its cell
    python bench/notebooks_real.py --oracle python3  # also ask IPython itself about every cell

`--oracle PYTHON` names an interpreter that has IPython: every code cell is transformed by
IPython's own `InteractiveShell.transform_cell` and compiled there, and the cells where
IPython and tensorlint disagree about whether the cell is valid are listed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "notebooks_real.json"
OUT = HERE / ".notebooks"
MAX_BYTES = 8 << 20  # larger notebooks are mostly outputs (images): left out and counted


def git(gitdir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(gitdir), *args], check=True, capture_output=True).stdout


def extract(mirror: Path) -> list[tuple[str, str, Path]]:
    """(repo, path in repo, extracted file) for every notebook of the pinned commits."""
    out = []
    for entry in json.loads(MANIFEST.read_text())["repositories"]:
        gitdir = mirror / entry["repo"].replace("/", "+") / "repo"
        if not gitdir.exists():
            print(f"missing mirror: {entry['repo']} (expected {gitdir})", file=sys.stderr)
            continue
        listing = git(gitdir, "ls-tree", "-r", "-l", entry["commit"]).decode("utf-8", "replace")
        for row in listing.splitlines():
            meta, path = row.split("\t", 1)
            _, kind, blob, size = meta.split()
            if kind != "blob" or not path.endswith(".ipynb"):
                continue
            if not size.isdigit():  # the mirror lacks the blob (a partial snapshot)
                print(f"left out (not in the mirror): {entry['repo']}/{path}", file=sys.stderr)
                continue
            if int(size) > MAX_BYTES:
                print(f"left out (over {MAX_BYTES >> 20} MiB): {entry['repo']}/{path}", file=sys.stderr)
                continue
            target = OUT / entry["repo"].replace("/", "+") / path
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(git(gitdir, "cat-file", "blob", blob))
            out.append((entry["repo"], path, target))
    return out


def code_cells(path: Path) -> list[str] | None:
    from tensorlint.notebook import Notebook, NotebookError

    try:
        return [c.source for c in Notebook.parse(path.read_bytes().decode("utf-8-sig")).cells]
    except (NotebookError, UnicodeDecodeError):
        return None


ORACLE = r"""
import json, sys, warnings, ast
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
out = []
for source in json.load(open(sys.argv[1])):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = shell.transform_cell(source)
            compile(code, "<cell>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        out.append(None)
    except SyntaxError as err:
        out.append(f"{err.msg} (line {err.lineno})")
    except Exception as err:
        out.append(f"{type(err).__name__}: {err}")
json.dump(out, open(sys.argv[2], "w"))
"""


def oracle(python: str, files: list[tuple[str, str, Path]]) -> list[str]:
    """Cells where IPython (run by `python`) and tensorlint disagree on validity, one line each."""
    import tempfile

    from tensorlint.notebook import Notebook

    cells = []
    for repo, path, target in files:
        try:
            nb = Notebook.parse(target.read_bytes().decode("utf-8-sig"))
        except Exception:
            continue
        cells += [(repo, path, c) for c in nb.cells]
    with tempfile.TemporaryDirectory() as tmp:
        src, res = Path(tmp, "cells.json"), Path(tmp, "verdicts.json")
        src.write_text(json.dumps([c.source for _, _, c in cells]))
        subprocess.run([python, "-c", ORACLE, str(src), str(res)], check=True)
        verdicts = json.loads(res.read_text())
    out = []
    for (repo, path, cell), theirs in zip(cells, verdicts):
        ours = cell.error
        if (ours is None) != (theirs is None):
            out.append(f"{repo} {path} cell {cell.number}: IPython: {theirs or 'valid'}; tensorlint: "
                       f"{'valid' if ours is None else ours[2] + f' (line {ours[0]})'}")
    print(f"IPython oracle: {len(cells)} code cells, {len(out)} disagreements")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", default=os.environ.get("MIRROR", "/work/.mirror"))
    ap.add_argument("--tensorlint", default=str(Path(sys.executable).parent / "tensorlint"))
    ap.add_argument("--json", help="write every finding here")
    ap.add_argument("--tl001", action="store_true", help="print each TL001 with its cell")
    ap.add_argument("--jobs", default="1")
    ap.add_argument("--oracle", metavar="PYTHON", help="an interpreter with IPython, to compare verdicts")
    args = ap.parse_args()
    files = extract(Path(args.mirror))
    where = {str(p.resolve()): (repo, path) for repo, path, p in files}
    proc = subprocess.run([args.tensorlint, "check", "--no-cache", "--exit-zero", "--jobs", args.jobs,
                           "--output-format", "json", str(OUT)], capture_output=True, text=True)
    rows = json.loads(proc.stdout or "[]")
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    cells = sum(len(code_cells(p) or []) for _, _, p in files)
    commits = {e["repo"]: e["commit"] for e in json.loads(MANIFEST.read_text())["repositories"]}
    found = []
    for row in rows:
        repo, path = where.get(str(Path(row["filename"]).resolve()), ("?", row["filename"]))
        found.append({"repo": repo, "commit": commits.get(repo, "?"), "notebook": path, "cell": row["cell"],
                      "line": row["location"]["row"], "column": row["location"]["column"],
                      "code": row["code"], "message": row["message"]})
    found.sort(key=lambda f: (f["repo"], f["notebook"], f["cell"] or 0, f["line"], f["code"]))
    by_code = Counter(f["code"] for f in found)
    print(f"notebooks: {len(files)} from {len({r for r, _, _ in files})} repositories; code cells: {cells}")
    print(f"files tensorlint could not read: {len(errors)}")
    for line in errors:
        print(f"  {line}")
    print(f"findings: {len(found)} " + " ".join(f"{c}={n}" for c, n in sorted(by_code.items())))
    for f in found:
        if f["code"] != "TL001" or args.tl001:
            print(f"  {f['repo']} {f['notebook']} cell {f['cell']}, line {f['line']}: {f['code']} {f['message']}")
        if f["code"] == "TL001" and args.tl001:
            source = (code_cells(OUT / f["repo"].replace("/", "+") / f["notebook"]) or [""] * f["cell"])[f["cell"] - 1]
            print("    | " + "\n    | ".join(source.splitlines()[max(0, f["line"] - 3): f["line"] + 1]))
    if args.oracle:
        for line in oracle(args.oracle, files):
            print(f"  {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(found, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
