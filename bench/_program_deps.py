"""The third-party packages a set of programs imports, as PyPI requirements.

A user who runs `tensorlint shapecheck train.py` has what train.py imports installed; the
benchmark's own environment has only torch and tensorflow. `requirements()` reads the imports
of the programs (and of their project's modules), drops the standard library, the programs' own
modules and what the base interpreter already imports, and names the PyPI distribution of each
remaining top-level module from DISTRIBUTIONS, a table of well-known packages whose import name
is known. A name the table does not know is not installed: PyPI names are first come, first
served, and `helper`, `utils` or `datasets` imported by a program is most often its project's
own module, not the PyPI package of that name.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

# import name -> PyPI distribution (where they differ, or where the name is a known package)
DISTRIBUTIONS = {
    "PIL": "pillow", "sklearn": "scikit-learn", "skimage": "scikit-image", "cv2": "opencv-python-headless",
    "yaml": "pyyaml", "IPython": "ipython", "pylab": "matplotlib", "matplotlib": "matplotlib",
    "scipy": "scipy", "pandas": "pandas", "seaborn": "seaborn", "tqdm": "tqdm", "h5py": "h5py",
    "imageio": "imageio", "nltk": "nltk", "spacy": "spacy", "gym": "gym", "gymnasium": "gymnasium",
    "torchvision": "torchvision", "torchaudio": "torchaudio", "torchtext": "torchtext",
    "torchmetrics": "torchmetrics", "lightning": "lightning", "pytorch_lightning": "pytorch-lightning",
    "einops": "einops", "tensorboardX": "tensorboardX", "tensorboard_logger": "tensorboard_logger",
    "tensorflow_hub": "tensorflow-hub", "tensorflow_datasets": "tensorflow-datasets",
    "tensorflow_addons": "tensorflow-addons", "tensorflow_probability": "tensorflow-probability",
    "tf_agents": "tf-agents", "transformers": "transformers", "mlxtend": "mlxtend",
    "unidecode": "unidecode", "moviepy": "moviepy", "librosa": "librosa", "soundfile": "soundfile",
    "pyvirtualdisplay": "pyvirtualdisplay", "ipdb": "ipdb", "editdistance": "editdistance",
    "cairocffi": "cairocffi", "imgaug": "imgaug", "albumentations": "albumentations", "timm": "timm",
    "absl": "absl-py", "bs4": "beautifulsoup4", "sentencepiece": "sentencepiece", "jieba": "jieba",
    "tensorboard": "tensorboard",
}

# modules of a base package that work only with another distribution installed, as the name that
# distribution installs: `from torch.utils.tensorboard import SummaryWriter` raises without it
NEEDS = {"torch.utils.tensorboard": "tensorboard"}


def top_imports(text: str) -> set[str]:
    """Top-level names of the absolute imports in `text` (nothing when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for module in modules:
            names.add(module.split(".")[0])
            names |= {needed for prefix, needed in NEEDS.items()
                      if module == prefix or module.startswith(prefix + ".")}
    return names


def program_imports(files: list[Path], own: set[str]) -> set[str]:
    """Third-party candidates among the imports of `files`: not the standard library, not one of
    the names in `own` (the project's modules and packages)."""
    names = set()
    for f in files:
        try:
            names |= top_imports(f.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return {n for n in names if n not in sys.stdlib_module_names and n not in own and n != "__future__"}


def importable(python: str, names: set[str]) -> set[str]:
    """The names among `names` the interpreter `python` finds without importing them."""
    code = ("import importlib.util, json, sys\nnames = json.loads(sys.argv[1])\n"
            "print(json.dumps([n for n in names if importlib.util.find_spec(n) is not None]))")
    out = subprocess.run([python, "-c", code, json.dumps(sorted(names))], capture_output=True, text=True, timeout=300)
    return set(json.loads(out.stdout)) if out.returncode == 0 else set()


def torch_companion(python: str) -> dict[str, str]:
    """torchvision / torchaudio pinned to the release made with the base's torch (2.x pairs
    with torchvision 0.(x+15) and torchaudio 2.x)."""
    out = subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        return {}
    major, minor = out.stdout.strip().split("+")[0].split(".")[:2]
    if major != "2":
        return {}
    return {"torchvision": f"torchvision==0.{int(minor) + 15}.*", "torchaudio": f"torchaudio=={major}.{minor}.*"}


def requirements(python: str, programs: list[tuple[list[Path], set[str]]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """({distribution: requirement} to install, {import name the table does not know: modules
    importing it}) for `programs`, each (its files, its own module names)."""
    wanted: dict[str, set[str]] = {}
    for files, own in programs:
        for name in program_imports(files, own):
            wanted.setdefault(name, set()).add(files[0].stem)
    missing = set(wanted) - importable(python, set(wanted))
    pins = torch_companion(python)
    reqs, unknown = {}, {}
    for name in sorted(missing):
        dist = DISTRIBUTIONS.get(name)
        if dist is None:
            unknown[name] = sorted(wanted[name])
        else:
            reqs[dist] = pins.get(dist, dist)
    return reqs, unknown
