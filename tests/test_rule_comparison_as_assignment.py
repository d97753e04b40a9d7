"""TL010 comparison-as-assignment, written the ways a `=` becomes `==`: a model wrapped and moved
(the knowledge-distillation teacher), an RNN cell wrapped in dropout inside a class's method, a
setting in an `elif` branch, an attribute and an item of an array, a value spread over lines, in
a loop and under `if __name__ == "__main__":`. The look-alikes: the comparison used (assigned,
asserted, returned, tested, printed), a comparison at the top level of the file (a notebook
cell's last line displays it), `!=` and chained comparisons, a comparison in parentheses, and a
call or literal on the left, which names nothing that could have been assigned. Each case marks
its expected findings with `# expect: TL010`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "teacher-model-under-main": """
    import torch.nn as nn

    class ResNeXt(nn.Module):
        def __init__(self, num_classes=10):
            super().__init__()
            self.fc = nn.Linear(8, num_classes)

    if __name__ == "__main__":
        teacher = "resnext29"
        if teacher == "resnext29":
            teacher_model = ResNeXt(num_classes=10)
            teacher_model == nn.DataParallel(teacher_model).cuda()  # expect: TL010
        elif teacher == "none":
            teacher_model = None
    """,
    "dropout-wrapper-in-a-method": """
    import tensorflow as tf
    from tensorflow.contrib import rnn

    class Model:
        def __init__(self, keep_prob):
            self.keep_prob = keep_prob

        def inference(self, x):
            fw = rnn.BasicLSTMCell(64)
            bw = rnn.BasicLSTMCell(64)
            if self.keep_prob is not None:
                fw = rnn.DropoutWrapper(fw, output_keep_prob=self.keep_prob)
                bw == rnn.DropoutWrapper(bw,  # expect: TL010
                                         output_keep_prob=self.keep_prob)
            return fw, bw
    """,
    "setting-attribute-and-item": """
    import numpy as np
    import torch

    def settings(cfg, n):
        channels = 'RGB'
        if cfg == 4:
            channels = 'RGBA'
        elif cfg == 2:
            channels == 'LA'  # expect: TL010
        state = np.zeros((n, n))
        for i in range(n):
            state[i, i] == np.random.binomial(1, 0.5)  # expect: TL010
        cfg.mode == "vdn"  # expect: TL010
        return channels, state
    """,
    "ok-comparisons-that-are-used": """
    import numpy as np
    import torch

    x = np.zeros(3)
    y = np.ones(3)
    x == y

    def check(a, b, log):
        assert a == b
        same = a == b
        print(a == b)
        log.append(a == b)
        if a == b:
            return same
        while a == b:
            break
        a != b
        a == b == same
        (a == b)
        len(a) == len(b)
        1 == 1
        return (a == b).all()
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_comparison_as_assignment(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL010"}
    assert found == _expected(text)


def test_message_and_fix_assign_the_value():
    text = textwrap.dedent(CASES["teacher-model-under-main"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL010"]
    assert "`teacher_model = nn.DataParallel(teacher_model).cuda()`" in f.message
    assert f.fix is not None and f.fix.edits[0].content == "teacher_model = nn.DataParallel(teacher_model).cuda()"
