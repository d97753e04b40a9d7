"""Build the benchmark corpus: real packages' Python sources, installed from PyPI as files.

    python bench/corpus.py               # install what is missing, then list the corpus
    python bench/corpus.py --list        # only list what is there
    python bench/corpus.py --force keras # reinstall one package

Each package goes to bench/.corpus/<name>/ through `pip install --no-deps --target`; nothing is
imported, the benchmarks only read the .py files. Versions are pinned in bench/_common.py so
that figures from different days count the same files. torch is pinned to the CPU build
(2.13.0); --no-deps keeps pip from pulling CUDA libraries or anything else.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from _common import CORPUS, MARKER, PACKAGES, Package, count_lines, installed, package_dir, package_files, read_text, table


def install(pkg: Package, force: bool = False) -> bool:
    """Install one package into its own folder; True when it is there afterwards."""
    dest = package_dir(pkg.name)
    if installed(pkg.name) and not force:
        recorded = (dest / MARKER).read_text().strip()
        if recorded == pkg.requirement:
            return True
        print(f"{pkg.name}: corpus has {recorded}, wanted {pkg.requirement}: reinstalling")
    if pkg.name == "torch" and "==" not in pkg.requirement:
        raise SystemExit("refusing to install an unpinned torch (it may resolve to a CUDA build)")
    staging = CORPUS / f".{pkg.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    cmd = [
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
        "--only-binary", ":all:", "--disable-pip-version-check", "--target", str(staging), pkg.requirement,
    ]
    print(f"{pkg.name}: installing {pkg.requirement} ...", flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print(f"{pkg.name}: install failed ({'; '.join(tail)})", file=sys.stderr)
        if pkg.optional:
            print(f"{pkg.name}: optional, left out of the corpus", file=sys.stderr)
            return False
        raise SystemExit(1)
    (staging / MARKER).write_text(pkg.requirement + "\n")
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)
    print(f"{pkg.name}: installed in {time.perf_counter() - start:.0f} s", flush=True)
    return True


def describe() -> int:
    """Print files and lines per package; returns the number of files."""
    rows, total_files, total_lines = [], 0, 0
    for pkg in PACKAGES:
        if not installed(pkg.name):
            rows.append([pkg.name, "-", "-", "not installed"])
            continue
        files = package_files(pkg.name)
        lines = sum(count_lines(read_text(p)) for p in files)
        total_files += len(files)
        total_lines += lines
        version = (package_dir(pkg.name) / MARKER).read_text().strip()
        rows.append([pkg.name, str(len(files)), f"{lines:,}", version])
    rows.append(["total", str(total_files), f"{total_lines:,}", ""])
    print(f"corpus: {CORPUS}")
    print(table(rows, ["package", "files", "lines", "requirement"], right={1, 2}))
    return total_files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("packages", nargs="*", help="only these packages (default: all)")
    ap.add_argument("--list", action="store_true", help="install nothing; list the corpus")
    ap.add_argument("--force", action="store_true", help="reinstall even when present")
    args = ap.parse_args(argv)
    known = {p.name: p for p in PACKAGES}
    unknown = [n for n in args.packages if n not in known]
    if unknown:
        ap.error(f"unknown package(s): {', '.join(unknown)}; known: {', '.join(known)}")
    if not args.list:
        CORPUS.mkdir(parents=True, exist_ok=True)
        for name in args.packages or known:
            install(known[name], force=args.force)
    describe()
    return 0


if __name__ == "__main__":
    sys.exit(main())
