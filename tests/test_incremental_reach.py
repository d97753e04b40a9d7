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
