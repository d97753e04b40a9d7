"""Inputs the fuzzer found that broke the analyzer.

Each stays here as a regression test.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from harness import CONFIG, PATH, _run, check
from tensorlint.engine import analyze

def nested(opener: str, closer: str, depth: int) -> str:
    return "import torch\ny = " + opener * depth + "x" + closer * depth + "\n"


@pytest.mark.parametrize("opener,closer,depth", [("[", "]", 200), ("-", "", 400), ("torch.relu(", ")", 100)])
def test_nesting_that_is_handled(opener, closer, depth):
    assert check(nested(opener, closer, depth)) == []


def test_list_nested_400_deep():
    # engine.analyze: RecursionError in libcst's visitor; IncrementalAnalysis: in chunk_names
    assert check(nested("[", "]", 400)) == []


def test_unary_minus_nested_1000_deep():
    # engine.analyze: RecursionError in Interpreter.eval_unary
    assert check(nested("-", "", 1000)) == []


def test_call_nested_500_deep_finishes():
    # libcst's parser takes time that grows with the square of the depth (1000 nested calls:
    # 6.6 s in parse_module alone, in native code where no SIGALRM interrupts it); CPython's
    # own compiler rejects more than 200 nested brackets at once
    problems: list[str] = []
    _run("engine.analyze", lambda: analyze(nested("torch.relu(", ")", 500), PATH, CONFIG), problems, 1.0)
    assert problems == []


def test_lone_surrogate_in_the_text():
    # the language server can receive one: JSON allows "\ud800" in a didChange text
    assert check("import torch\nx = 1  # \ud800\n") == []


def test_cli_exits_0_or_1_on_deep_nesting(tmp_path):
    path = tmp_path / "deep.py"
    path.write_text(nested("[", "]", 400), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--isolated", "--no-cache", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr


def test_arange_longer_than_a_machine_size():
    # OverflowError: Python int too large to convert to C ssize_t (frameworks/torch/tensors.py, arange)
    assert check("import torch\nx = torch.arange(0, 2**63)\n") == []


def test_a_deep_statement_elsewhere_keeps_the_loops_findings():
    # TL409 walked the whole module with a libcst visitor: the 400 nested minus signs of another
    # statement raised RecursionError there and the loop's finding was lost (the language
    # server's per-statement chunks still had it)
    program = (
        "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\n"
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\nce = nn.CrossEntropyLoss()\n"
        "total = 0\ny = " + "-" * 400 + "x\n"
        "for step in range(5):\n    x, y = torch.randn(6, 4), torch.randint(0, 2, (6,))\n    opt.zero_grad()\n"
        "    loss = ce(model(x), y)\n    loss.backward()\n    opt.step()\n    total = total + loss\n"
    )
    assert check(program, before=program.replace("y = " + "-" * 400 + "x\n", ""), compare=True) == []
    assert [f.code for f in analyze(program, PATH, CONFIG).findings] == ["TL409"]


def test_slice_of_a_dimension_python_cannot_index():
    # engine.analyze: OverflowError (int too large to convert to C ssize_t) taking len(range(d)[a:b])
    text = "import torch\nx = torch.zeros(10 ** 30, 3)\nx[:, :].mean()\ny = x[::2, 1:]\n"
    assert check(text) == []
