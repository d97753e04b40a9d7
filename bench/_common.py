"""Shared pieces of the benchmark scripts: where the corpus lives, which files it holds,
how texts are read, and how figures are summarised and printed.

Nothing here imports torch, tensorflow or keras; the corpus is only ever read as text.
"""
from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = BENCH / ".corpus"
VENVS = BENCH / ".venvs"
RESULTS = BENCH / ".results"


@dataclass(frozen=True)
class Package:
    """One corpus entry: installed with `pip install --no-deps --target CORPUS/<name>`."""

    name: str
    requirement: str
    optional: bool = False  # a failed install is reported and skipped, not fatal
    note: str = ""


# Pinned so that figures taken on different days count the same files. torch is always
# pinned to the CPU build on local disk: an unpinned `torch` may pull a multi-GB CUDA build.
PACKAGES: tuple[Package, ...] = (
    Package("torch", "torch==2.13.0", note="the CPU wheel; torch/, torchgen/, functorch/"),
    Package("keras", "keras==3.15.1", note="Keras 3, incl. keras/src/applications"),
    Package("d2l", "d2l==1.0.3", note="Dive into Deep Learning: torch/tensorflow/mxnet/jax code"),
    Package("torchvision", "torchvision==0.28.0", optional=True, note="models, transforms"),
    Package("timm", "timm==1.0.31", note="image models and training utilities"),
    Package("lightning", "lightning==2.6.6", note="trainer, callbacks, demos"),
    Package("transformers", "transformers==5.23.0", note="model files in transformers/models"),
)
PACKAGE_NAMES = tuple(p.name for p in PACKAGES)
# The packages the engine-speed target (issue 2) is stated on.
ENGINE_PACKAGES = ("torch", "keras")

MARKER = ".tensorlint-bench-installed"
SKIP_DIRS = {"__pycache__", "bin"}


def package_dir(name: str) -> Path:
    return CORPUS / name


def installed(name: str) -> bool:
    return (package_dir(name) / MARKER).is_file()


def package_files(name: str) -> list[Path]:
    """The .py files an installed package brought, sorted; dist-info and bin/ left out."""
    root = package_dir(name)
    if not installed(name):
        return []
    out = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).parts
        if any(p in SKIP_DIRS or p.endswith((".dist-info", ".egg-info", ".data")) for p in rel[:-1]):
            continue
        if path.is_file():
            out.append(path)
    return sorted(out)


def corpus_files(names=PACKAGE_NAMES) -> list[tuple[str, Path]]:
    """(package, path) for every .py file of the named, installed packages."""
    return [(name, path) for name in names for path in package_files(name)]


def require(names) -> list[str]:
    """The subset of `names` that is installed; exits with a hint when none is."""
    have = [n for n in names if installed(n)]
    missing = [n for n in names if not installed(n)]
    if missing:
        print(f"note: not in the corpus: {', '.join(missing)} (run: python bench/corpus.py)", file=sys.stderr)
    if not have:
        sys.exit("no corpus: run `python bench/corpus.py` first")
    return have


def read_text(path: Path) -> str:
    """The file's text as a linter would see it: UTF-8, undecodable bytes replaced."""
    return path.read_bytes().decode("utf-8", errors="replace")


def count_lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values) -> str:
    """min-max of a series of seconds, for showing how noisy a median is."""
    if len(values) < 2:
        return ""
    return f"{min(values):.2f}-{max(values):.2f}"


def table(rows: list[list[str]], header: list[str], right: set[int] | None = None) -> str:
    """A plain-text table; columns in `right` are right-aligned (numbers)."""
    right = right if right is not None else set(range(1, len(header)))
    cells = [header, *rows]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]

    def fmt(row):
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths).rstrip()
    return "\n".join([fmt(header), rule, *(fmt(r) for r in rows)])


def load_note() -> str:
    """A warning when other processes compete for the cores, which inflates wall times."""
    import os

    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    if load > 0.5 * cores:
        return (f"note: load average {load:.1f} on {cores} cores: other processes compete for the CPU, "
                "so wall times are inflated; compare CPU times")
    return ""


def per_kloc(count: int, lines: int) -> str:
    return f"{1000.0 * count / lines:.3f}" if lines else "-"
