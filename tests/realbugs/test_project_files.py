"""The project modules a program imports are found in its repository's tree, however it imports them."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project_files import project_files  # noqa: E402

TREE = {
    "gan/train.py": "import numpy as np\nfrom models import *\nimport helper\nfrom datasets import ImageDataset\n",
    "gan/models.py": "import torch.nn as nn\nfrom layers import block\n",
    "gan/layers.py": "import torch\n",
    "gan/datasets.py": "from PIL import Image\n",
    "gan/unused.py": "x = 1\n",
    "helper.py": "import matplotlib\n",
    "net/__init__.py": "",
    "net/model.py": "from .ops import conv\nfrom . import norm\nfrom ..tools import log\n",
    "net/ops.py": "import tensorflow as tf\n",
    "net/norm.py": "",
    "tools.py": "",
    "app/run.py": "from net.model import Model\nimport os\n",
}


def files(program: str) -> list[str]:
    return project_files(lambda p: TREE[p], set(TREE), program)


def test_modules_beside_the_program_and_at_the_root_are_followed_through_their_own_imports():
    # `import numpy` and `from PIL import Image` name nothing of the repository; gan/unused.py is not imported
    assert files("gan/train.py") == ["gan/datasets.py", "gan/layers.py", "gan/models.py", "helper.py"]


def test_relative_imports_of_a_package_module_take_the_package_with_it():
    assert files("net/model.py") == ["net/__init__.py", "net/norm.py", "net/ops.py", "tools.py"]


def test_an_absolute_import_of_a_package_at_the_root():
    assert files("app/run.py") == ["net/__init__.py", "net/model.py", "net/norm.py", "net/ops.py", "tools.py"]


def test_nothing_for_a_program_that_imports_only_installed_packages():
    TREE["solo.py"] = "import torch\nfrom torch import nn\n"
    try:
        assert files("solo.py") == []
    finally:
        del TREE["solo.py"]


def test_an_importer_named_for_the_entry_is_taken_with_what_it_imports():
    # the bug of gan/models.py shows where gan/train.py uses it: train.py comes with its own imports
    assert project_files(lambda p: TREE[p], set(TREE), "gan/models.py", ("gan/train.py",)) == [
        "gan/datasets.py", "gan/layers.py", "gan/train.py", "helper.py"]
