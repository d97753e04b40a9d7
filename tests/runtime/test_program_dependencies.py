"""The benchmark's programs' environment installs what the programs import, found from their
import statements: the standard library, the programs' own modules and what the base interpreter
has are left out, and a name no well-known distribution provides is never installed by guess."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import _program_deps  # noqa: E402


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_third_party_imports_are_found_written_several_ways(tmp_path):
    program = write(tmp_path, "train.py", (
        "import os, json\nimport numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
        "import cv2\nfrom PIL import Image\nimport matplotlib.pyplot as plt\nfrom . import local_sibling\n"
        "from helper import show\nimport model\n"
        "def f():\n    import scipy.io\n    from torchvision import transforms\n"))
    found = _program_deps.program_imports([program], {"model"})
    assert {"numpy", "pandas", "sklearn", "cv2", "PIL", "matplotlib", "scipy", "torchvision", "helper"} <= found
    assert not {"os", "json", "model", "local_sibling", "__future__"} & found


def test_requirements_name_distributions_and_leave_unknown_names_out(tmp_path):
    program = write(tmp_path, "prog.py", "import sklearn\nimport cv2\nimport yaml\nimport helper\nimport json\nimport sys\n")
    project_module = write(tmp_path, "proj/utils.py", "import skimage.io\nimport utils_of_nowhere\n")
    reqs, unknown = _program_deps.requirements(sys.executable, [([program, project_module], {"utils"})])
    have = _program_deps.importable(sys.executable, {"sklearn", "cv2", "yaml", "skimage"})
    for module, dist in (("sklearn", "scikit-learn"), ("cv2", "opencv-python-headless"), ("yaml", "pyyaml"),
                         ("skimage", "scikit-image")):
        # what the base interpreter already imports is never installed again
        assert (dist in reqs) == (module not in have), (dist, reqs)
    assert set(unknown) == {"helper", "utils_of_nowhere"}
    assert unknown["helper"] == ["prog"]
    assert not any(name in reqs for name in ("helper", "json", "sys", "utils"))


def test_a_file_that_does_not_parse_has_no_imports(tmp_path):
    program = write(tmp_path, "py2.py", "print 'hello'\nimport pandas\n")
    assert _program_deps.program_imports([program], set()) == set()


def test_a_base_module_that_needs_another_distribution_asks_for_it(tmp_path):
    # torch.utils.tensorboard raises ModuleNotFoundError without the tensorboard distribution
    for text in ("from torch.utils.tensorboard import SummaryWriter\n",
                 "import torch.utils.tensorboard.writer as w\n",
                 "def log():\n    from torch.utils.tensorboard.writer import SummaryWriter\n",
                 "from torch.utils import tensorboard\n"):
        program = write(tmp_path, "train.py", text)
        assert "tensorboard" in _program_deps.program_imports([program], set())
    for text in ("import torch.utils.data\n", "from torch.utils import checkpoint\n", "import tensorboardX\n"):
        program = write(tmp_path, "train.py", text)
        assert "tensorboard" not in _program_deps.program_imports([program], set())
    assert _program_deps.DISTRIBUTIONS["tensorboard"] == "tensorboard"
