"""The peers' virtual environments under bench/.venvs/, one per tool, created on demand.

Each peer gets its own environment because their pins conflict: TorchFix wants libcst<1.6,
dslinter wants pylint 2.12 (Python 3.10), tensorlint runs on libcst 1.9.

`ensure_overlay` makes another kind: an environment over an existing one (the shape check's
real-bug run: this repository's torch and tensorflow, plus the packages the programs import).
"""
from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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



# An environment over another one: its own site-packages first, then the base's (a .pth line),
# so that the base's torch and tensorflow are shared, not copied, and pip sees them installed.
OVERLAY_MARKER = ".tensorlint-overlay.json"


def base_site(python: str) -> tuple[str, str]:
    """(the interpreter a virtual environment `python` was made from, its site-packages)."""
    out = subprocess.run([python, "-c", "import sys, site; print(sys._base_executable); print(site.getsitepackages()[0])"],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"{python}: {out.stderr.strip()[-200:]}")
    exe, site_dir = out.stdout.split()
    return exe, site_dir


def overlay_python(name: str) -> str:
    return str(VENVS / name / "bin" / "python")


def ensure_overlay(name: str, base_python: str, requirements: dict[str, str], log=print) -> dict:
    """Create (or reuse) VENVS/name over the environment of `base_python` with each of
    `requirements` ({distribution: requirement}) installed one at a time, every package of the
    base pinned to its version there. A requirement that does not install is left out.
    Returns {"python", "installed": [...], "failed": {distribution: why}} (also kept in the marker)."""
    where = VENVS / name
    marker = where / OVERLAY_MARKER
    wanted = {"base": base_python, "requirements": requirements}
    if marker.is_file():
        done = json.loads(marker.read_text())
        if done.get("wanted") == wanted:
            return done
    exe, site_dir = base_site(base_python)
    shutil.rmtree(where, ignore_errors=True)
    VENVS.mkdir(parents=True, exist_ok=True)
    subprocess.run([exe, "-m", "venv", str(where)], check=True, capture_output=True)
    python = overlay_python(name)
    own_site = subprocess.run([python, "-c", "import site; print(site.getsitepackages()[0])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    Path(own_site, "_tensorlint_base.pth").write_text(site_dir + "\n")
    frozen = subprocess.run([python, "-m", "pip", "freeze", "--path", site_dir], capture_output=True, text=True).stdout
    pins = where / "base-constraints.txt"
    # local version labels (+cpu) and editable installs are no constraints pip takes
    pins.write_text("".join(re.sub(r"\+[\w.]+$", "", ln) + "\n" for ln in frozen.splitlines() if "==" in ln))
    installed, failed = [], {}
    for dist, requirement in sorted(requirements.items()):
        start = time.perf_counter()
        proc = subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               "-c", str(pins), requirement], capture_output=True, text=True)
        if proc.returncode == 0:
            installed.append(dist)
            log(f"{name}: {requirement} installed ({time.perf_counter() - start:.0f} s)")
        else:
            lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines() if ln.startswith("ERROR")]
            failed[dist] = (lines or ["install failed"])[0][:200]
            log(f"{name}: {requirement} not installed: {failed[dist]}")
    for fix in OVERLAY_FIXES:
        fix(python, own_site, log)
    done = {"wanted": wanted, "python": python, "installed": installed, "failed": failed}
    marker.write_text(json.dumps(done, indent=1))
    return done


def _torchvision_without_ops(python: str, own_site: str, log) -> None:
    """PyPI's torchvision is built against the CUDA torch; with the CPU torch its compiled ops
    (nms, roi_align, image decoding) do not load, and `import torchvision` stops at the fake
    kernels it registers for two of them. Register those only when the ops loaded: the models,
    transforms and data sets, all Python, then import."""
    meta = Path(own_site, "torchvision", "_meta_registrations.py")
    if not meta.is_file():
        return
    check = subprocess.run([python, "-c", "import torchvision"], capture_output=True, text=True)
    if check.returncode == 0 or "does not exist" not in check.stderr:
        return
    text = re.sub(r'@torch\.library\.register_fake\(("torchvision::\w+")\)',
                  r"@(torch.library.register_fake(\1) if torchvision.extension._has_ops() else (lambda fn: fn))",
                  meta.read_text())
    meta.write_text(text)
    log("torchvision: imported without its compiled ops (built for CUDA torch)")


OVERLAY_FIXES = (_torchvision_without_ops,)

if __name__ == "__main__":
    VENVS.mkdir(parents=True, exist_ok=True)
    for e in ENVS.values():
        ok, why = ensure(e)
        print(f"{e.name}: {'ready' if ok else 'skipped: ' + why}", flush=True)
