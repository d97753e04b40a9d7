"""The text that tells TL003, TL443 and TL442 a file binds names its syntax does not show (a
star import, `globals()`, `exec(...)`, `vars()`, `sys.modules`, a notebook's magics): each form
silences them, and the same words used otherwise (a method named `globals`, `vars(obj)`, a name
that only ends in `exec`) do not. Each form is its own pattern, led by its literal, with the
character before the word checked after it: a word preceded by a letter, a digit, `_` or `.` is
not the builtin."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.rules import tl003_name_bound_nowhere as tl003
from tensorlint.rules import tl442_option_never_defined as tl442
from tensorlint.rules import tl443_function_call_arity as tl443

# a misspelled module-level name read in a function: TL003 unless the file binds names dynamically
MISSPELLED = "import torch\n\nLEARNING_RATE = 0.1\n\n\ndef train(params):\n    return torch.optim.SGD(params, lr=LEARNING_RAET)\n"

DYNAMIC = [
    "from os import *\n",
    "from os import  *\n",
    "globals()['LEARNING_RAET'] = 0.1\n",
    "print(globals ())\n",
    "exec('LEARNING_RAET = 0.1')\n",
    "execfile('settings.py')\n",
    "print(vars())\n",
    "print(locals( ))\n",
    "import builtins\n",
    "print(__builtins__)\n",
    "try:\n    print(train)\nexcept (ValueError, NameError):\n    pass\n",
    "import sys\nprint(sys.modules)\n",
    "get_ipython()\n",
]
STATIC = [
    "",
    "print(torch.globals())\n",
    "def my_exec(code):\n    return code\n\n\nmy_exec('x')\n",
    "print(vars(torch))\n",
    "mybuiltins = 1\nbuiltins_seen = 2\n",
    "try:\n    print(train)\nexcept ValueError:\n    pass\nNameErrors = []\n",
    "exceptional = 1\nprint('NameError')\n",
]


def _tl003(text: str) -> list[str]:
    return [f.code for f in analyze(text, "train.py", Config(select=("TL003",))).findings]


@pytest.mark.parametrize("extra", DYNAMIC)
def test_a_dynamic_binding_silences_tl003(extra):
    assert _tl003(MISSPELLED + extra) == []


@pytest.mark.parametrize("extra", STATIC)
def test_the_same_words_used_otherwise_leave_tl003(extra):
    assert _tl003(MISSPELLED + extra) == ["TL003"]


@pytest.mark.parametrize("text", ["%matplotlib inline\nx = 1\n", "  !pip install torch\n", "x = 1\n%time train()\n",
                                  "x = 1\n \t!ls\n"])
def test_a_magic_line_counts_at_the_start_and_after_any_line(text):
    assert tl003._dynamic(text)


@pytest.mark.parametrize("text", ["x = 1 % 2\n", "if a != b:\n    pass\n", "s = '%d'\n", "x = 1\ny = '\\n%s'\n"])
def test_percent_and_bang_inside_a_line_are_not_magics(text):
    assert not tl003._dynamic(text)


@pytest.mark.parametrize("text,dynamic", [
    ("setattr(cfg, 'lr', 1)\n", True), ("cfg.setattr(1)\n", False), ("my_setattr(1)\n", False),
    ("exec('x')\n", True), ("obj.exec('x')\n", False), ("import sys\nsys.modules['x'] = None\n", True),
    ("print(vars())\n", False),
])
def test_tl443_dynamic_text(text, dynamic):
    assert tl443._dynamic(text) is dynamic


@pytest.mark.parametrize("text,dynamic", [
    ("vars(args)\n", True), ("cfg.vars(args)\n", False), ("x.__dict__\n", True), ("argparse.Namespace (lr=1)\n", True),
    ("setattr(args, 'lr', 1)\n", True), ("_setattr(args)\n", False), ("execute(1)\n", False),
])
def test_tl442_dynamic_text(text, dynamic):
    assert any(p.search(text) is not None for p in tl442._DYNAMIC) is dynamic
