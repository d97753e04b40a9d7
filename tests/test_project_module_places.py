"""One analysis reads at most `project.MAX_MODULES` project modules; the modules the checked
file imports itself keep their places. A model module that imports many layer modules used to
take every place before the checked file called a function of its own import (`fit(model, ...)`
in a training-loop module), which was then an unknown call, and what that function does to the
model (a `.forward()` call, TL408) was lost."""
import textwrap

import pytest

from tensorlint import project
from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))
BLOCKS = project.MAX_MODULES + 2  # more layer modules than one analysis reads

BLOCK = textwrap.dedent("""
    import torch.nn as nn


    class Block{i}(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)

        def forward(self, x):
            return self.fc(x)
""")

LOOP = textwrap.dedent("""
    import torch


    def fit(model, opt, x):
        opt.zero_grad()
        out = {call}
        out.sum().backward()
        opt.step()
""")


def _model(imports: str) -> str:
    lines = ["import torch.nn as nn"]
    lines += [imports.format(i=i) for i in range(BLOCKS)]
    lines += ["", "", "class Net(nn.Module):", "    def __init__(self):", "        super().__init__()"]
    lines += [f"        self.b{i} = Block{i}()" for i in range(BLOCKS)]
    lines += ["", "    def forward(self, x):"]
    lines += [f"        x = self.b{i}(x)" for i in range(BLOCKS)]
    lines += ["        return x", ""]
    return "\n".join(lines)


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def _flat(root, call):
    for i in range(BLOCKS):
        _write(root, f"block{i}.py", BLOCK.format(i=i))
    _write(root, "net.py", _model("from block{i} import Block{i}"))
    _write(root, "loops.py", LOOP.format(call=call))
    return "from net import Net\nfrom loops import fit\n", "fit"


def _module_imported_whole(root, call):
    _flat(root, call)
    return "from net import Net\nimport loops\n", "loops.fit"


def _folders_without_init(root, call):
    for i in range(BLOCKS):
        _write(root / "nets", f"block{i}.py", BLOCK.format(i=i))
    _write(root / "nets", "model.py", _model("from nets.block{i} import Block{i}"))
    _write(root / "utils", "fit.py", LOOP.format(call=call))
    return "from nets.model import Net\nfrom utils.fit import fit\n", "fit"


def _package_relative(root, call):
    _write(root / "pkg", "__init__.py", "")
    for i in range(BLOCKS):
        _write(root / "pkg", f"block{i}.py", BLOCK.format(i=i))
    _write(root / "pkg", "model.py", _model("from .block{i} import Block{i}"))
    _write(root / "pkg", "training.py", LOOP.format(call=call))
    return "from pkg.model import Net\nfrom pkg.training import fit\n", "fit"


LAYOUTS = (_flat, _module_imported_whole, _folders_without_init, _package_relative)


def _findings(tmp_path, layout, call):
    imports, fit = layout(tmp_path, call)
    text = ("import torch\n" + imports + "\nmodel = Net()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            f"for step in range(3):\n    {fit}(model, opt, torch.randn(8, 4))\n")
    train = tmp_path / "train.py"
    train.write_text(text)
    return analyze(text, str(train), ALL)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__.strip("_"))
def test_the_loop_module_is_read_after_a_model_of_many_modules(tmp_path, layout):
    analysis = _findings(tmp_path, layout, "model.forward(x)")
    assert [(f.code, f.line) for f in analysis.findings if f.code == "TL408"] == [("TL408", 8)]
    assert len(analysis.dependencies) <= project.MAX_MODULES


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__.strip("_"))
def test_a_loop_that_calls_the_model_stays_silent(tmp_path, layout):
    analysis = _findings(tmp_path, layout, "model(x)")
    assert [f for f in analysis.findings if f.code == "TL408"] == []
