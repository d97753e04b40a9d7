"""What reinforcement-learning and packaged programs need of the world around them: a gym
environment id gym has retired runs as the latest version gym registers under that name, with a
note; `env.render()` draws off screen (there is no display in the check); and a module of a package
whose folder holds a module named as the package (`models/models.py`) still imports its package's
modules relatively; and numba (under librosa) caches what it compiles in the check's temporary
folder, the file system being read-only. The gym and librosa tests need those packages (and pygame
for rendering), which the check's interpreter may not have: they are skipped without them."""
from __future__ import annotations

import pytest

from tensorlint.runtime import Options, run_shapecheck

PENDULUM = """\
import gym
import torch
from torch import nn

env = gym.make({make})
state = env.reset()
policy = nn.Linear({width}, 1)
action = policy(torch.as_tensor(state, dtype=torch.float32).unsqueeze(0))
"""


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error"]


@pytest.mark.parametrize("make", ["'Pendulum-v0'", "id='Pendulum-v0'", "f'Pendulum-v{0}'"])
def test_a_retired_environment_version_runs_as_the_latest(installed, text_check, make):
    python = installed("gym")
    installed("torch")
    bad = text_check(PENDULUM.format(make=make, width=4), python=python)  # Pendulum's observation has 3 values
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)] == [8], bad.message
    assert any("Pendulum-v0" in n and "Pendulum-v1" in n for n in bad.notes), bad.notes
    good = text_check(PENDULUM.format(make=make, width=3), python=python)
    assert good.status == "ok", good.message


def test_an_environment_at_its_latest_version_runs_without_a_note(installed, text_check):
    python = installed("gym")
    installed("torch")
    report = text_check(PENDULUM.format(make="'Pendulum-v1'", width=3), python=python)
    assert report.status == "ok", report.message
    assert not any("Pendulum" in n for n in report.notes), report.notes


RENDER = """\
import gym
import torch
from torch import nn

env = gym.make("CartPole-v1")
state = env.reset()
frame = env.render(mode="rgb_array")
policy = nn.Linear({width}, 2)
logits = policy(torch.as_tensor(state, dtype=torch.float32))
"""


def test_rendering_draws_off_screen(installed, text_check):
    python = installed("gym")
    installed("pygame")
    installed("torch")
    bad = text_check(RENDER.format(width=5), python=python)  # CartPole's observation has 4 values
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)] == [9], bad.message
    good = text_check(RENDER.format(width=4), python=python)
    assert good.status == "ok", good.message
    assert not any("video" in d.message for d in good.diagnostics()), good.message


@pytest.mark.parametrize("name", ["models", "nets"])
def test_a_module_named_as_its_package_does_not_hide_the_package(torch_python, tmp_path, name):
    root = tmp_path / "checkout"
    package = root / name
    package.mkdir(parents=True)
    (root / ".git").mkdir()  # the root of a checkout
    (package / "__init__.py").write_text("")
    (package / "blocks.py").write_text("import torch.nn as nn\n\nWIDTH = 6\n\ndef block(n):\n    return nn.Linear(n, 3)\n")
    program = package / f"{name}.py"
    for width, status in ((7, "errors"), (6, "ok")):
        program.write_text(f"import torch\nfrom .blocks import block\nfrom . import blocks\n\n"
                           f"model = block(blocks.WIDTH)\nout = model(torch.randn(5, {width}))\n")
        report = run_shapecheck(str(program), None, Options(python=torch_python, timeout=180))
        assert report.status == status, report.message
        assert [d.line for d in errors(report)] == ([6] if status == "errors" else []), report.message


LIBROSA = """\
import torch
from torch import nn
from librosa.util import normalize

frames = torch.as_tensor(normalize(torch.randn(8, 80).numpy(), axis=1))
net = nn.Linear({width}, 4)
out = net(frames)
"""


def test_a_library_that_caches_compiled_code_imports_on_the_read_only_file_system(installed, text_check):
    python = installed("librosa")
    installed("torch")
    bad = text_check(LIBROSA.format(width=40), python=python)
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)] == [7], bad.message
    good = text_check(LIBROSA.format(width=80), python=python)
    assert good.status == "ok", good.message
