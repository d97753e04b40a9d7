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
