"""What an edit reaches in the incremental analysis: the chunks that must run again do (the
findings equal a whole-file analysis), and the chunks an edit cannot change do not run."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _after_edit(before: str, after: str):
    """(incremental result, whole-file result, chunks that ran) of `after`, edited from `before`."""
    inc = IncrementalAnalysis()
    assert _key(inc.analyze(before, "m.py", CONFIG)) == _key(analyze(before, "m.py", CONFIG, collect_values=True))
    got = inc.analyze(after, "m.py", CONFIG)
    return got, analyze(after, "m.py", CONFIG, collect_values=True), inc.last_run["ran"]


@pytest.mark.parametrize("change", ["w.requires_grad_()\n", "w.requires_grad = True\n", "w.requires_grad_(True)\n"])
def test_a_tensor_changed_in_place_by_a_chunk_that_does_not_run_reaches_a_new_chunk(change):
    """The chunk that made `w` require gradients does not run again; the new statement still sees
    what it did (and reports the in-place update of a leaf)."""
    before = "import torch\nw = torch.zeros(3)\n" + change + "print('a')\n"
    got, full, ran = _after_edit(before, before + "w.add_(1.0)\n")
    assert _key(got) == _key(full)
    assert [f.code for f in got.findings] == ["TL416"]
    assert ran == 1


def test_a_new_in_place_change_reaches_the_later_users_of_the_tensor():
    before = "import torch\nw = torch.zeros(3)\nprint('a')\nw.add_(1.0)\n"
    assert not analyze(before, "m.py", CONFIG).findings
    got, full, _ = _after_edit(before, before.replace("print('a')\n", "w.requires_grad_()\n"))
    assert _key(got) == _key(full)
    assert [(f.code, f.span.start.line) for f in got.findings] == [("TL416", 4)]


def test_a_statement_reading_a_tensor_does_not_run_the_earlier_ones_again():
    before = "import torch\n\nx = torch.randn(4, 3)\nprint(x)\nz = x.sum()\n"
    got, full, ran = _after_edit(before, before + "y = x * 2\n")
    assert _key(got) == _key(full)
    assert ran == 1


TWO_MODELS = """import torch
import torch.nn as nn

model = nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(100):
    loss = model(torch.randn(8, 4)).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(loss.item())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(x)


net = Net()
criterion = nn.CrossEntropyLoss()
opt2 = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(100):
    x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
    loss = criterion(net(x), y)
    opt2.zero_grad()
    loss.backward()
    opt2.step()
"""


def test_a_method_edit_reaches_the_users_of_the_class_and_not_an_earlier_training_loop():
    """The earlier loop binds `loss` and `step` too, but nothing it does depends on the class:
    the class, its instance, the optimizer over it and its training loop run again."""
    after = TWO_MODELS.replace("        return self.fc(x)\n", "        return torch.softmax(self.fc(x), dim=1)\n")
    got, full, ran = _after_edit(TWO_MODELS, after)
    assert _key(got) == _key(full)
    assert "TL304" in {f.code for f in got.findings}  # softmax into CrossEntropyLoss, in the later loop
    assert ran <= 5


def test_a_method_edit_that_changes_nothing_else_keeps_the_findings_of_the_loop():
    after = TWO_MODELS.replace("        return self.fc(x)\n", "        h = self.fc(x)\n        return h\n")
    got, full, ran = _after_edit(TWO_MODELS, after)
    assert _key(got) == _key(full)
    assert ran <= 5


def test_a_session_bound_in_an_earlier_statement_counts_for_a_later_loop():
    """The loop runs the session that an earlier `with` bound: the same finding whether the file is
    read as one tree or statement by statement (as the language server reads it)."""
    before = ("import tensorflow.compat.v1 as tf\n\nx = tf.placeholder(tf.float32, [None, 3])\n"
              "with tf.Session() as sess:\n    sess.run(tf.global_variables_initializer())\n")
    after = before + "for i in range(3):\n    out = sess.run(tf.reduce_sum(x), feed_dict={x: [[1.0, 2.0, 3.0]]})\n"
    got, full, _ = _after_edit(before, after)
    assert _key(got) == _key(full)
    assert [(f.code, f.span.start.line) for f in got.findings] == [("TL419", 7)]


METHOD_AND_READERS = """import torch
import torch.nn as nn

x = torch.randn(2, 16)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, t):
        return self.fc(t)


block = Block()
out = block(x)
y = x * 2
print(y.sum())
z = torch.cat([x, x])
"""


@pytest.mark.parametrize("reads", ["y = x * 2\n", "y = torch.relu(x)\n", "y = x[0]\n", "print(x.shape)\n"])
def test_a_method_edit_does_not_run_again_the_later_readers_of_a_tensor_the_class_users_only_read(reads):
    """`out = block(x)` runs again after the method edit; it cannot change `x`, so the later
    statements that read `x` keep their results."""
    before = METHOD_AND_READERS.replace("y = x * 2\n", reads)
    got, full, ran = _after_edit(before, before.replace("        return self.fc(t)", "        h = 1\n        return self.fc(t)"))
    assert _key(got) == _key(full)
    assert ran == 3  # the class, `block = Block()`, `out = block(x)`


@pytest.mark.parametrize("change", ["x.requires_grad_()", "x.requires_grad = True"])
def test_a_function_that_changes_a_global_tensor_in_place_reaches_its_later_users(change):
    before = ("import torch\n\nx = torch.zeros(3)\n\n\ndef touch():\n    return 1\n\n\ntouch()\nprint('a')\n"
              "x.add_(1.0)\n")
    assert not analyze(before, "m.py", CONFIG).findings
    got, full, _ = _after_edit(before, before.replace("    return 1\n", f"    {change}\n    return 1\n"))
    assert _key(got) == _key(full)
    assert [(f.code, f.span.start.line) for f in got.findings] == [("TL416", 13)]


@pytest.mark.parametrize("rebind", ["def f():\n    return 0\n", "def f(n=0):\n    return n + 1\n"])
def test_a_call_reaches_only_what_the_name_holds_there_not_an_earlier_definition(rebind):
    """`f` read the list `seen` until it was bound again: a statement calling the later `f`
    does not run again the users of `seen`."""
    before = ("import torch\n\nseen = []\n\n\ndef f():\n    seen.append(1)\n\n\nf()\nprint(len(seen))\n" + rebind
              + "print('a')\nr = f()\n")
    got, full, ran = _after_edit(before, before.replace("r = f()\n", "r = f()\nq = f()\n"))
    assert _key(got) == _key(full)
    assert ran == 1


def test_a_call_of_the_earlier_definition_still_reaches_what_it_changes():
    before = "import torch\n\nseen = []\n\n\ndef f():\n    seen.append(1)\n\n\nf()\nprint(len(seen))\nprint('a')\n"
    got, full, ran = _after_edit(before, before + "f()\n")
    assert _key(got) == _key(full)
    assert ran > 1  # the list's users run again with the new call


def test_a_name_that_held_a_model_earlier_is_plain_data_after_it_is_bound_again():
    before = ("import torch\nimport torch.nn as nn\n\nout = nn.Linear(3, 3)\nprint(out.weight)\n"
              "out = torch.zeros(3)\nprint(out.sum())\nz = out * 2\n")
    got, full, ran = _after_edit(before, before.replace("print(out.sum())\n", "q = out + 1\nprint(out.sum())\n"))
    assert _key(got) == _key(full)
    assert ran == 1
