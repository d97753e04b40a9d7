"""Python 2 programs are read as Python 2 reads them: their statements through the Python 3
spelling, their positions as in the file, `/` of integers flooring."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.python2 import as_python3
from tensorlint.tolerant import analyze_around_errors

CONFIG = Config(select=("ALL",))


def _check(text: str):
    errors = analyze(text, "p.py", CONFIG).findings
    assert errors and {f.code for f in errors} == {"TL001"}, "the test program must not be Python 3"
    return analyze_around_errors(text, "p.py", CONFIG, errors, collect_values=True)


def _codes(result, code=None):
    return sorted((f.code, f.span.start.line, f.span.start.column) for f in result.findings
                  if f.code != "TL001" and (code is None or f.code == code))


TF1_LOGREG = (
    "import tensorflow as tf\n"
    "x = tf.placeholder(\"float\", [None, 784])\n"
    "y = tf.placeholder(\"float\", [None, 10])\n"
    "W = tf.Variable(tf.zeros([784, 10]))\n"
    "activation = tf.nn.softmax(tf.matmul(x, W))\n"
    "cost = -tf.reduce_sum(y * tf.log(activation))\n"
)


@pytest.mark.parametrize("tail", [
    "print \"cost\", cost\n",
    "if True: print cost\n",
    "print 'start'\nfor i in range(3):\n    print >>sys.stderr, i,\n",
    "print \"cost\"\nprint\n",
    "try:\n    pass\nexcept ValueError, e:\n    raise RuntimeError, \"no\"\n",
    "exec \"a = 1\"\n",
    "print 1\nn = 10L\nmode = 0777\n",
])
def test_a_python2_program_is_analyzed_at_its_own_positions(tail):
    result = _check(TF1_LOGREG + tail)
    assert _codes(result, "TL307") == [("TL307", 6, 26)]
    assert any("Python 2" in n for n in result.notes)


def test_a_finding_after_a_rewritten_statement_on_the_same_line_keeps_its_column():
    text = ("import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\n"
            "x = torch.randint(0, 5, (3, 4)); print x; out = model(x)\n")
    result = _check(text)
    # `model(x)` sits at column 48 of line 4 in the file (the rewrite added a parenthesis before it)
    assert _codes(result, "TL101") == [("TL101", 4, text.splitlines()[3].index("model(x)"))]


def test_integer_division_floors_in_python2():
    # 9 / 2 is 4 in Python 2: a layer size, not a fraction (TL110 is silent)
    text = ("import torch.nn as nn\nhidden = 9 / 2\nlayer = nn.Linear(784, hidden)\nprint hidden\n")
    assert _codes(_check(text), "TL110") == []
    # ... unless the file asks for true division
    future = "from __future__ import division\n" + text
    assert [c for c, _, _ in _codes(_check(future), "TL110")] == ["TL110"]


def test_python2_numpy_integer_division_keeps_integers():
    text = ("import numpy as np\nimport torch\nimport torch.nn as nn\n"
            "x = torch.from_numpy(np.arange(12).reshape(3, 4) / 2)\nout = nn.Linear(4, 2)(x)\nprint out\n")
    found = _codes(_check(text))
    # an int64 array in Python 2 (TL101), not a float64 one (TL102)
    assert [c for c, _, _ in found] == ["TL101"], found


def test_dict_views_are_lists_in_python2():
    text = ("import tensorflow as tf\nweights = {'h1': tf.Variable(tf.zeros([784, 256]))}\n"
            "biases = {'b1': tf.Variable(tf.zeros([256]))}\nparams = weights.values() + biases.values()\nprint params\n")
    assert _codes(_check(text), "TL002") == []
    assert [f.code for f in analyze(text.replace("print params", "print(params)"), "p.py", CONFIG).findings] == ["TL002"]


def test_indentation_mixing_tabs_and_spaces_is_read_as_python2_reads_it():
    text = ("import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\n"
            "def run():\n        x = torch.randint(0, 5, (3, 4))\n\tout = model(x)\n        return out\n")
    result = _check(text)
    assert _codes(result, "TL101") == [("TL101", 6, 7)]  # the tab's column in the file, not the expanded one


def test_hover_values_are_at_the_file_positions():
    text = "import torch\nx = torch.zeros(2, 3); print x\ny = x.sum(0)\n"
    values = {(v.span.start.line, v.span.start.column): v.text for v in _check(text).values}
    assert values[(2, 0)].startswith("Tensor[2, 3]") and values[(3, 0)].startswith("Tensor[3]")


@pytest.mark.parametrize("text", [
    "import torch\nprint `x`\n",  # backquotes: not rewritten
    "import torch\nprint 'a' 'b' if\n",  # broken in Python 2 as well
    "import torch\ndef f(:\n    print x\n",
])
def test_what_cannot_be_read_as_python2_is_left_alone(text):
    assert as_python3(text) is None or analyze(as_python3(text).text, "p.py", CONFIG).syntax_error
    result = analyze_around_errors(text, "p.py", CONFIG, analyze(text, "p.py", CONFIG).findings)
    assert {f.code for f in result.findings} <= {"TL001"}


def test_a_python3_file_is_not_rewritten():
    assert as_python3("import torch\nprint(torch.zeros(2))\n") is None
