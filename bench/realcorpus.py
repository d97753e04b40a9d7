"""Rebuild the corpus of real training scripts and notebooks in bench/.realcorpus/.

The corpus is public tutorial, book and example repositories, each at the commit pinned in
bench/realcorpus.json (with its license). It is not committed: this script extracts it from git
mirrors of those repositories, one git directory per repository at `$MIRROR/<owner>+<name>/repo`
(default MIRROR=/work/.mirror), or a clone with a work tree there. Any bare clone works:

    git clone --bare https://github.com/pytorch/examples "$MIRROR/pytorch+examples/repo"

    python bench/realcorpus.py            # extract every repository found in $MIRROR
    python bench/realcorpus.py --list     # files and lines per repository, nothing written
    python bench/realcorpus.py --out DIR --only owner/name ...   # some repositories, elsewhere

Notebooks become `<name>.ipynb.py` files of their code cells (IPython magics, `!` lines, help requests (`?obj`, `obj?`) and one-line automagic
cells such as `pip install x` commented out, so line numbers stay those of the cell text; see cell_code). Only files that import torch, tensorflow or keras
are kept: the corpus is training code, not the repositories' tooling. A repository whose
mirror is missing is reported and skipped; a pinned commit the mirror lacks stops the script.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tensorlint.notebook_cells import AUTOMAGIC, PYTHON_CELL_MAGICS  # noqa: E402  (IPython's line magics and shell aliases)

MANIFEST = HERE / "realcorpus.json"
OUT = HERE / ".realcorpus"
FRAMEWORK_IMPORT = re.compile(r"^\s*(?:import|from)\s+(torch|tensorflow|keras)\b", re.M)
MAX_BYTES = 1 << 20
SHELL_ASSIGN = re.compile(r"[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")  # `files = !ls`, `t = %timeit -o f()`
HELP_END = re.compile(r"[A-Za-z_*][\w.*]*(\[-?\d+\])*\?\??")  # `obj?`, `mod.func??`, `torch.*Tensor?`: IPython's help


def git(gitdir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(gitdir), *args], check=True,
                          capture_output=True).stdout


NON_PYTHON_CELLS = ("%%writefile", "%%bash", "%%sh", "%%html", "%%javascript", "%%js", "%%latex",
                    "%%markdown", "%%script", "%%perl", "%%ruby", "%%sql", "%%svg", "%%file")


def _open_brackets(line: str, depth: int, quote: str | None = None) -> tuple:
    """Bracket depth after `line` and the triple quote still open at its end, skipping strings
    and comments (rough, enough for magics): a bracket inside a docstring that runs over several
    lines (`(Global Average Pooling)` beside an unclosed `(author@lab`) opens nothing."""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 1
            elif line.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif ch == "#":
            break
        elif line.startswith(('"""', "'''"), i):
            quote = line[i:i + 3]
            i += 2
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        i += 1
    return depth, quote if quote in ('"""', "'''") else None


def cell_code(src: str) -> str:
    """One code cell as Python: IPython magics and shell escapes commented out, line for line.

    A magic inside an indented block becomes `pass  # %magic` so the block stays valid; an
    indented magic outside any block (a cell that starts with ` %%time`) is only commented out,
    since a `pass` there would be an unexpected indent; a line that starts with `%` inside open
    brackets is Python (`% (a, b)` continuing a format) and is kept; a cell whose first line is a
    non-Python cell magic (%%writefile, %%bash...) is all commented out. The first line's
    indent is removed first from every line that starts with it, as IPython does before running
    the cell (its `leading_indent`).
    """
    lines = src.splitlines()
    if lines and lines[0][:1] in (" ", "\t"):
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip(" \t"))]
        lines = [line[len(indent):] if line.startswith(indent) else line for line in lines]
    if lines and _non_python_cell(lines[0]):
        return "\n".join("# " + line for line in lines)
    if _automagic(lines):
        return "\n".join("# " + line if line.strip() else line for line in lines)
    out, depth, continued, last, quote = [], 0, False, "", None
    for line in lines:
        body = line.lstrip()
        if continued or (depth == 0 and quote is None and (body.startswith(("%", "!", "?")) or HELP_END.fullmatch(body.rstrip())
                                                            or SHELL_ASSIGN.match(body))):
            indent = line[: len(line) - len(body)]
            in_block = last[:1].isspace() or re.search(r":\s*(#.*)?$", last) is not None
            line = indent + ("pass  # " if indent and in_block and not continued else "# ") + body
            continued = body.endswith("\\")  # a shell command goes on on the next line
        else:
            depth, quote = _open_brackets(line, depth, quote)
            if body and not body.startswith("#"):
                last = line.rstrip()
        out.append(line)
    return "\n".join(out)


def _non_python_cell(first: str) -> bool:
    """A cell magic whose body IPython does not run as Python: the listed ones, and any other
    `%%name` but `%%time`, `%%timeit`, `%%capture`, `%%prun`, `%%debug` (`%%HTML`, `%%SVG`,
    `%%writefile`...), as tensorlint reads a notebook's cells."""
    first = first.strip()
    if first.startswith(NON_PYTHON_CELLS):
        return True
    name = first[2:].split(None, 1)[0] if first.startswith("%%") and len(first) > 2 else ""
    return bool(name) and name not in PYTHON_CELL_MAGICS


def _automagic(lines: list) -> bool:
    """A cell of one line that IPython runs as a magic without its `%` (automagic, on by
    default): `pip install x`, `ls data`; tensorlint reads a notebook's cells the same way."""
    body = [line for line in lines if line.strip()]
    if len(body) != 1:
        return False
    words = body[0].split(None, 1)
    if words[0] not in AUTOMAGIC or (len(words) > 1 and words[1][:1] in "=,"):
        return False
    try:
        compile(body[0].strip(), "<cell>", "exec", dont_inherit=True)
        return False  # Python as it stands
    except (SyntaxError, ValueError):
        return True


def notebook_code(text: str) -> str | None:
    """Code cells of a notebook as one Python file; None when it is not a notebook."""
    try:
        nb = json.loads(text)
    except ValueError:
        return None
    if not isinstance(nb, dict):
        return None
    cells = nb.get("cells") or [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
    parts = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", cell.get("input", ""))
        if isinstance(src, list):
            src = "".join(src)
        parts.append(cell_code(str(src)).rstrip() + "\n")
    return "\n\n".join(parts)


def selected(path: str, entry: dict) -> bool:
    if not path.endswith((".py", ".ipynb")):
        return False
    include = entry.get("include") or [""]
    if not any(path.startswith(p) for p in include):
        return False
    return not any(re.search(p, path) for p in entry.get("exclude", []))


def files_of(entry: dict, mirror: Path):
    gitdir = mirror / entry["repo"].replace("/", "+") / "repo"
    if (gitdir / ".git").is_dir():  # a clone with a work tree
        gitdir = gitdir / ".git"
    if not gitdir.is_dir():
        return None
    commit = entry["commit"]
    try:
        names = git(gitdir, "ls-tree", "-r", "-z", "--name-only", commit).decode().split("\0")
    except subprocess.CalledProcessError:
        raise SystemExit(f"{entry['repo']}: mirror lacks commit {commit}; fetch it again")
    out = []
    for name in names:
        if not selected(name, entry):
            continue
        try:
            raw = git(gitdir, "show", f"{commit}:{name}")
        except subprocess.CalledProcessError:  # a large blob the snapshot left out
            continue
        if len(raw) > MAX_BYTES * (8 if name.endswith(".ipynb") else 1):
            continue
        text = raw.decode("utf-8", "replace")
        if name.endswith(".ipynb"):
            text = notebook_code(text)
            if text is None:
                continue
        if not FRAMEWORK_IMPORT.search(text):
            continue
        out.append((name, text))
    return out


def target(entry: dict, name: str, out: Path = OUT) -> Path:
    rel = name + ".py" if name.endswith(".ipynb") else name  # x.ipynb.py never meets a real x.py
    return out / entry["repo"].replace("/", "+") / rel


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="count only, write nothing")
    ap.add_argument("--out", type=Path, default=OUT, help=f"where to write (default {OUT})")
    ap.add_argument("--only", nargs="+", metavar="OWNER/NAME", help="these repositories only")
    args = ap.parse_args(argv)
    mirror = Path(os.environ.get("MIRROR", "/work/.mirror"))
    entries = json.loads(MANIFEST.read_text())["repositories"]
    if args.only:
        unknown = set(args.only) - {e["repo"] for e in entries}
        if unknown:
            raise SystemExit(f"not in {MANIFEST.name}: {', '.join(sorted(unknown))}")
        entries = [e for e in entries if e["repo"] in args.only]
    total_files = total_lines = 0
    missing = []
    for entry in entries:
        found = files_of(entry, mirror)
        if found is None:
            missing.append(entry["repo"])
            continue
        lines = sum(t.count("\n") + 1 for _, t in found)
        total_files += len(found)
        total_lines += lines
        print(f"{entry['repo']:<48} {entry['commit'][:10]} {entry['license']:<14} "
              f"{len(found):>4} files {lines:>7} lines")
        if args.list:
            continue
        shutil.rmtree(args.out / entry["repo"].replace("/", "+"), ignore_errors=True)
        for name, text in found:
            dest = target(entry, name, args.out)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
    print(f"realcorpus: {total_files} files, {total_lines} lines"
          + ("" if args.list else f" -> {args.out}"))
    for repo in missing:
        print(f"  missing mirror: {repo} (clone it bare to $MIRROR/{repo.replace('/', '+')}/repo)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
