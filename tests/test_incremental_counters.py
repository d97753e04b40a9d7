"""State the interpreter counts while the program runs (how many backward passes have run) is
the same in an incremental run as in a whole-file analysis: the chunks that do not run again
count what they counted when they last ran, at their place."""
from __future__ import annotations

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))


def _codes(result):
    return sorted((f.code, f.span.start.line, f.message) for f in result.findings)


def _check(inc, text):
    got = inc.analyze(text, "t.py", CONFIG)
    assert _codes(got) == _codes(analyze(text, "t.py", CONFIG, collect_values=True))
    return got


# a backward pass (or a gradient given by hand) in a statement that does not read `w`
BACKWARD_WAYS = (
    "loss = (x.mm(v) ** 2).sum()\nloss.backward()\n",
    "torch.autograd.backward((x.mm(v) ** 2).sum())\n",
    "def step():\n    (x.mm(v) ** 2).sum().backward()\n\n\nstep()\n",
    "v.grad = torch.zeros_like(v)\n",
)


def test_a_gradient_read_after_an_unchanged_backward_stays_silent_after_an_edit():
    for way in BACKWARD_WAYS:
        head = ("import torch\nx = torch.randn(8, 4)\nw = torch.randn(4, 1, requires_grad=True)\n"
                "v = torch.randn(4, 1, requires_grad=True)\n\n" + way + "\n")
        text = head + "w.grad.data.zero_()\n"
        inc = IncrementalAnalysis()
        assert not [f for f in _check(inc, text).findings if f.code == "TL420"]
        # the edit reruns the statement that reads the gradient, not the backward
        edited = head + "w.grad.data.mul_(0)\n"
        got = _check(inc, edited)
        assert inc.last_run["ran"] < inc.last_run["chunks"]
        assert not [f for f in got.findings if f.code == "TL420"], way


def test_a_gradient_read_before_any_backward_is_still_found_after_an_edit():
    text = ("import torch\nx = torch.randn(8, 4)\nw = torch.randn(4, 1, requires_grad=True)\n\nlr = 0.1\n"
            "w.grad.data.zero_()\nloss = (x.mm(w) ** 2).sum()\nloss.backward()\n")
    inc = IncrementalAnalysis()
    assert [f for f in _check(inc, text).findings if f.code == "TL420"]
    got = _check(inc, text.replace("lr = 0.1", "lr = 0.2"))
    assert [f for f in got.findings if f.code == "TL420"]


def test_the_image_format_a_setter_fixed_holds_after_an_edit_below_it():
    # the setter's chunk does not run again: the format it fixed, and the layers built before
    # it, are counted at its place
    head = "import keras\nfrom keras import layers\nfrom keras import backend as K\n\nK.set_image_data_format('channels_first')\n\n"
    text = head + "model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])\n"
    inc = IncrementalAnalysis()
    assert [f for f in _check(inc, text).findings if f.code == "TL209"]
    got = _check(inc, text.replace("Conv2D(16, 5)", "Conv2D(8, 5)"))
    assert inc.last_run["ran"] < inc.last_run["chunks"]
    assert [f for f in got.findings if f.code == "TL209"]
    # a model built before the setter leaves the format unknown, edited or not
    early = head.replace("\n\nK.set", "\nfirst = keras.Sequential([layers.Dense(4)])\n\nK.set")
    text = early + "model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])\n"
    assert not [f for f in _check(inc, text).findings if f.code == "TL209"]
    assert not [f for f in _check(inc, text.replace("Conv2D(16, 5)", "Conv2D(8, 5)")).findings if f.code == "TL209"]
