"""Fill vscode-extension/bundled/libs with tensorlint and its dependencies for one platform,
for every Python version the extension supports, so that the .vsix runs with a bare Python.

    python scripts/bundle_libs.py [--platform linux-x64] [--python 3.10 3.11 3.12 3.13]

The platform names are `vsce package --target`'s. libcst (and PyYAML, which it uses) ship a
native module per Python version; each version's wheels are installed to a folder of their
own and merged: the pure-Python files are the same, the native modules have distinct names
(`native.cpython-312-x86_64-linux-gnu.so`), and each Python loads its own. tensorlint itself
is built from this checkout as a wheel.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBS = ROOT / "vscode-extension" / "bundled" / "libs"
# vsce target -> pip's --platform tags (the newest first; pip takes any of them)
PLATFORMS = {
    "linux-x64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "linux-arm64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
    "darwin-x64": ["macosx_10_13_x86_64", "macosx_10_12_x86_64", "macosx_10_9_x86_64"],
    "darwin-arm64": ["macosx_11_0_arm64"],
    "win32-x64": ["win_amd64"],
}
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# pip judges environment markers by the Python it runs on, not by --python-version: what a
# dependency needs only on older versions is named here (tensorlint's tomli, cattrs' exceptiongroup)
BEFORE_3_11 = ["tomli>=2.0", "exceptiongroup>=1.1"]


def run(*cmd: str) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", default="linux-x64", choices=sorted(PLATFORMS))
    parser.add_argument("--python", nargs="+", default=PYTHONS, metavar="X.Y")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tensorlint-bundle-") as tmp:
        work = Path(tmp)
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(ROOT))
        [wheel] = (work / "dist").glob("tensorlint-*.whl")
        if LIBS.exists():
            shutil.rmtree(LIBS)
        LIBS.mkdir(parents=True)
        for version in args.python:
            target = work / f"py{version}"
            platforms = [f"--platform={tag}" for tag in PLATFORMS[args.platform]]
            run(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--only-binary=:all:", "--implementation=cp", f"--python-version={version}", *platforms,
                "--target", str(target), str(wheel),
                *(BEFORE_3_11 if tuple(map(int, version.split("."))) < (3, 11) else []))
            shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts of this machine
            shutil.copytree(target, LIBS, dirs_exist_ok=True)
    for cache in LIBS.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    size = sum(p.stat().st_size for p in LIBS.rglob("*") if p.is_file())
    print(f"bundled/libs for {args.platform}, Python {' '.join(args.python)}: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
