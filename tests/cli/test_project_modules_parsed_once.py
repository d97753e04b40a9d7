"""One check run parses each project module once, however many checked files import it,
directly or through another module, and whether it is checked before or after its importers."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tensorlint import cstparse


def _filler(count: int) -> str:
    """Module-level functions that make a module large (tens of kB), as a library's are."""
    return "".join(f"\n\ndef helper_{i}(x):\n    return torch.relu(x) * {i}\n" for i in range(count))


LAYERS = "import torch\nimport torch.nn as nn\n\n\nclass Block(nn.Module):\n" \
         "    def __init__(self, n_in, n_out):\n        super().__init__()\n" \
         "        self.fc = nn.Linear(n_in, n_out)\n\n    def forward(self, x):\n" \
         "        return self.fc(x)\n"
MODEL = "import torch\nimport torch.nn as nn\n\nfrom layers import Block\n\n\nclass Net(nn.Module):\n" \
        "    def __init__(self):\n        super().__init__()\n        self.body = Block(20, 8)\n\n" \
        "    def forward(self, x):\n        return self.body(x)\n"
EXTRA = "import torch\nimport torch.nn as nn\n\n\ndef make():\n    return nn.Linear(5, 3)\n"
TRAIN = "import torch\n\nfrom {extra} import make\nfrom model import Net\n\nnet = Net()\n" \
        "out = net(torch.randn(4, 30))\nhead = make()\nscore = head(torch.randn(2, 7))\n"


@pytest.fixture
def parses(monkeypatch):
    """How many times libcst parsed each text in this process (every parse of tensorlint goes
    through `tensorlint.cstparse.parse_module`)."""
    counts: Counter = Counter()
    real = cstparse.parse_module

    def counted(text):
        counts[text] += 1
        return real(text)

    monkeypatch.setattr(cstparse, "parse_module", counted)
    return counts


def test_each_imported_module_is_parsed_once_in_a_run(tl, tmp_path, parses):
    folder = tmp_path / "proj"
    folder.mkdir()
    modules = {"layers": LAYERS + _filler(800), "model": MODEL + _filler(800)}
    modules.update({f"extra{k}": f"# the extra module number {k}\n" + EXTRA + _filler(800) for k in range(4)})
    # together far more source than one importer reads; each module ~30 kB
    assert sum(map(len, modules.values())) > 150_000
    # importers checked before the modules (a_*) and after them (z_*), in turn using each extra
    trains = {f"{prefix}_train{k}": TRAIN.format(extra=f"extra{k}").replace("\n\n", f"  # {prefix}\n\n", 1)
              for k in range(4) for prefix in "az"}
    for name, text in {**modules, **trains}.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")

    out = tl("check", "--no-cache", "--output-format", "json", str(folder))
    got = Counter((Path(f["filename"]).stem, f["location"]["row"], f["code"]) for f in out.json())
    for name in trains:  # the imported code was read: Net's Linear(20, ...) and make()'s Linear(5, 3)
        assert got[(name, 7, "TL202")] == 1 and got[(name, 9, "TL202")] == 1, name
    assert len({*modules.values(), *trains.values()}) == len(modules) + len(trains)  # parses are counted by text
    assert {name: parses[text] for name, text in modules.items()} == dict.fromkeys(modules, 1)
    assert {name: parses[text] for name, text in trains.items()} == dict.fromkeys(trains, 1)


def test_an_importer_reads_the_file_not_another_text_checked_under_its_name(tmp_path, parses):
    """A text checked under a module's path (standard input named after it, an editor's buffer)
    that differs from the file lends no tree: an importer reads what the file holds."""
    from tensorlint.engine import analyze

    (tmp_path / "layers.py").write_text(LAYERS, encoding="utf-8")
    model = tmp_path / "model.py"
    model.write_text(MODEL, encoding="utf-8")
    analyze(MODEL.replace("Block(20, 8)", "Block(30, 8)"), str(model))
    train = tmp_path / "train.py"
    text = "import torch\n\nfrom model import Net\n\nnet = Net()\nout = net(torch.randn(4, 30))\n"
    messages = [f.message for f in analyze(text, str(train)).findings if f.code == "TL202"]
    assert len(messages) == 1 and "expects 20 input features" in messages[0]
    assert parses[MODEL] == 1  # the file's own text, parsed as the import


# Given on the command line in this order: the modules before the files that import them.
A_LAYERS = LAYERS
B_MODEL = MODEL.replace("from layers import", "from a_layers import")
IMPORTERS = {
    "from-import": "import torch\n\nfrom b_model import Net\n\nnet = Net()\nout = net(torch.randn(4, 30))\n",
    "module alias": "import torch\nimport b_model as m\n\nnet = m.Net()\nout = net(torch.randn(4, 30))\n",
    "inside a function": "import torch\n\n\ndef main():\n    from b_model import Net\n    net = Net()\n"
                         "    return net(torch.randn(4, 30))\n\n\nmain()\n",
}


@pytest.mark.parametrize("how", IMPORTERS)
def test_a_module_checked_before_its_importer_is_parsed_once(tl, tmp_path, parses, how):
    """The importer is analyzed first, whatever the order of the files: the modules' own checks
    read the trees parsed for the import."""
    folder = tmp_path / "proj"
    folder.mkdir()
    files = {"a_layers": A_LAYERS, "b_model": B_MODEL, "c_train": IMPORTERS[how]}
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")

    out = tl("check", "--no-cache", "--output-format", "json", *(str(folder / f"{name}.py") for name in files))
    got = [(Path(f["filename"]).stem, f["code"]) for f in out.json()]
    assert got == [("c_train", "TL202")]  # Block(20, 8) read through both imports
    assert [Path(f["filename"]).stem for f in out.json()] == sorted(Path(f["filename"]).stem for f in out.json())
    assert {name: parses[text] for name, text in files.items()} == dict.fromkeys(files, 1)


def test_a_package_module_checked_before_its_importers_is_parsed_once(tl, tmp_path, parses):
    """Relative imports, a submodule imported from its package, and a module reached through an
    imported module that is not checked itself (given files, not the folder)."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    files = {
        "pkg/__init__.py": "",
        "pkg/a_layers.py": A_LAYERS,
        "pkg/b_model.py": B_MODEL.replace("from a_layers import", "from .a_layers import"),
        "pkg/c_train.py": "import torch\n\nfrom . import b_model\n\nnet = b_model.Net()\nout = net(torch.randn(4, 30))\n",
        "pkg/d_train.py": "import torch\n\nfrom .b_model import Net  # d\n\nnet = Net()\nout = net(torch.randn(4, 30))\n",
        "e_blocks.py": A_LAYERS.replace("class Block", "# e\nclass Block"),
        "f_model.py": B_MODEL.replace("from a_layers import", "from e_blocks import"),  # not checked
        "g_train.py": "import torch\n\nfrom f_model import Net\n\nnet = Net()\nout = net(torch.randn(4, 30))\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    checked = [name for name in files if name != "f_model.py"]

    out = tl("check", "--no-cache", "--output-format", "json", *checked)
    got = sorted((Path(f["filename"]).name, f["code"]) for f in out.json())
    assert got == [("c_train.py", "TL202"), ("d_train.py", "TL202"), ("g_train.py", "TL202")]
    assert {name: parses[text] for name, text in files.items() if text} == {name: 1 for name, text in files.items() if text}


def test_modules_importing_each_other_are_checked(tl, tmp_path, parses):
    """A cycle of imports among checked files: each file is analyzed, in the order given among
    them, and its findings are as when it is checked alone."""
    first = "import torch\nimport torch.nn as nn\n\nfrom b_second import make\n\n\ndef build():\n" \
            "    return nn.Linear(6, 2)\n\n\nlayer = make()\nout = layer(torch.randn(3, 9))\n"
    second = "import torch\nimport torch.nn as nn\n\nfrom a_first import build\n\n\ndef make():\n" \
             "    return nn.Linear(5, 3)\n\n\nhead = build()\nscore = head(torch.randn(2, 7))\n"
    (tmp_path / "a_first.py").write_text(first, encoding="utf-8")
    (tmp_path / "b_second.py").write_text(second, encoding="utf-8")

    together = tl("check", "--no-cache", "--output-format", "json", ".").json()
    alone = [f for name in ("a_first.py", "b_second.py")
             for f in tl("check", "--no-cache", "--output-format", "json", name).json()]
    assert [(Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in together] == \
           [("a_first.py", 12, "TL202"), ("b_second.py", 12, "TL202")]
    assert [f["message"] for f in together] == [f["message"] for f in alone]
