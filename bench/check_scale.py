#!/usr/bin/env python3
"""`tensorlint check` at scale: one process vs all cores, cold vs cached.

    python bench/check_scale.py [FOLDER ...]

Default corpus: the Python sources of the installed torch and keras packages (and
transformers, if installed) plus examples/. The folders are copied into a temporary place
first so that the cache starts empty and nothing is written into site-packages. Prints
files, lines, and the wall time of: cold `--jobs 1`, cold with all cores, warm (cached).
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_corpus() -> list[Path]:
    found = []
    for name in ("torch", "keras", "transformers"):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            found.append(Path(list(spec.submodule_search_locations)[0]))
    return found + [ROOT / "examples"]


def run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--exit-zero", "--quiet",
                           "--no-respect-gitignore", *args, "."], cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 2):
        sys.exit(f"tensorlint exited {proc.returncode}: {proc.stderr[-2000:]}")
    return took


def main() -> int:
    sources = [Path(p) for p in sys.argv[1:]] or default_corpus()
    with tempfile.TemporaryDirectory(prefix="tl-scale-") as tmp:
        corpus = Path(tmp) / "corpus"
        for src in sources:
            if src.is_dir():
                shutil.copytree(src, corpus / src.name, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"),
                                dirs_exist_ok=True)
        files = [p for p in corpus.rglob("*.py")]
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"corpus: {len(files)} files, {lines} lines, {cores} cores ({', '.join(s.name for s in sources)})")
        one = run(["--no-cache", "--jobs", "1"], corpus)
        print(f"cold, --jobs 1:      {one:7.2f} s")
        cold = run([], corpus)  # all cores; fills the cache
        print(f"cold, all cores:     {cold:7.2f} s   ({one / cold:.2f}x faster than --jobs 1)")
        warm = run([], corpus)
        print(f"warm (cached):       {warm:7.2f} s   ({cold / warm:.1f}x faster than cold)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
