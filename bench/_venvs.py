"""The peers' virtual environments under bench/.venvs/, one per tool, created on demand.

Each peer gets its own environment because their pins conflict: TorchFix wants libcst<1.6,
dslinter wants pylint 2.12 (Python 3.10), tensorlint runs on libcst 1.9.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

from _common import VENVS

MARKER = ".tensorlint-bench-ready"


@dataclass(frozen=True)
class Env:
    name: str
    requirements: tuple[str, ...]
    python: str = "3.11"  # major.minor the environment needs
    no_deps: tuple[str, ...] = ()  # installed afterwards with --no-deps
    note: str = ""


ENVS = {
    "torchfix": Env("torchfix", ("torchfix==0.7.0",)),
    "fixit": Env("fixit", ("fixit==2.2.1",)),
    "ruff": Env("ruff", ("ruff==0.17.6",)),
    # dslinter's own requirements, less pyspark-stubs: that pulls pyspark, a source-only
    # distribution of hundreds of MB, used only by its Spark checks.
    "dslinter": Env(
        "dslinter",
        ("pylint==2.12.2", "astroid>=2.9.3,<2.10", "mypy==0.931", "toml>=0.10,<0.11", "data-science-types>=0.2.23,<0.3"),
        python="3.10",
        no_deps=("dslinter==2.0.9",),
        note="without pyspark-stubs (Spark checks only)",
    ),
}


def find_python(version: str) -> str | None:
    """An interpreter of this major.minor: the running one, one on PATH, or one under pyenv."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    candidates = [shutil.which(f"python{version}")]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")), reverse=True)
    for exe in filter(None, candidates):
        try:
            out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == version:
            return exe
    return None


def bin_path(env: str, tool: str) -> str:
    return str(VENVS / env / "bin" / tool)


def ensure(env: Env, log=print) -> tuple[bool, str]:
    """Create the environment if it is missing or out of date: (ready, why not)."""
    where = VENVS / env.name
    wanted = "\n".join((*env.requirements, *env.no_deps)) + "\n"
    marker = where / MARKER
    if marker.is_file() and marker.read_text() == wanted:
        return True, ""
    python = find_python(env.python)
    if python is None:
        return False, f"no Python {env.python} interpreter found"
    shutil.rmtree(where, ignore_errors=True)
    start = time.perf_counter()
    log(f"{env.name}: creating a Python {env.python} environment with {' '.join((*env.requirements, *env.no_deps))} ...")
    pip = [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
           "--only-binary", ":all:"]
    steps = [[python, "-m", "venv", str(where)], [*pip, *env.requirements]]
    if env.no_deps:
        steps.append([*pip, "--no-deps", *env.no_deps])
    for cmd in steps:
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-2:]
            shutil.rmtree(where, ignore_errors=True)
            return False, f"install failed: {' / '.join(tail)}"
    marker.write_text(wanted)
    log(f"{env.name}: ready in {time.perf_counter() - start:.0f} s")
    return True, ""


if __name__ == "__main__":
    VENVS.mkdir(parents=True, exist_ok=True)
    for e in ENVS.values():
        ok, why = ensure(e)
        print(f"{e.name}: {'ready' if ok else 'skipped: ' + why}", flush=True)
