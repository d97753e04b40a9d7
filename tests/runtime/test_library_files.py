"""A file that only defines models (a library of models) but carries a self-test the user runs by
hand (`def test(): net = Net(); y = net(torch.randn(1, 3, 32, 32))`, left uncalled or called in a
commented-out line) is checked by running that self-test: it makes its model and its input itself,
so nothing is invented. Functions that need arguments are not run, nor is any self-test of a file
that already calls a model. A float given to a framework as a count (`out_planes / 4` under
Python 3) is the program's error."""
from __future__ import annotations

LIBRARY = """\
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, in_planes, out_planes):
        super().__init__()
        mid = out_planes {div} 4
        self.conv1 = nn.Conv2d(in_planes, mid, 1)
        self.conv2 = nn.Conv2d(mid, out_planes, 3, padding=1)

    def forward(self, x):
        return self.conv2(self.conv1(x))


class Net(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.block = Block(3, width)
        self.fc = nn.Linear(width, {classes})

    def forward(self, x):
        out = self.block(x).mean(dim=(2, 3))
        return self.fc(out)


def Net64():
    return Net(64)


def test({params}):
    net = Net64()
    x = torch.randn(2, 3, 16, 16)
    y = net(x)
    print(y.size())

# test()
"""


def test_a_library_file_runs_its_uncalled_self_test(torch_python, text_check):
    report = text_check(LIBRARY.format(div="//", classes=10, params=""))
    assert report.status == "ok", report.message
    forward = report.call(34, "forward")
    assert forward["status"] == "ok"
    assert any("self-test" in n and "`test()`" in n for n in report.notes)


def test_a_self_test_with_defaulted_parameters_runs_too(torch_python, text_check):
    report = text_check(LIBRARY.format(div="//", classes=10, params="batch=2, verbose=False"))
    assert report.status == "ok", report.message
    assert report.call(34, "forward")["status"] == "ok"


def test_a_float_channel_count_is_the_programs_error_at_the_layer(torch_python, text_check):
    # out_planes / 4 is 16.0 under Python 3: Conv2d refuses it when the model is made
    report = text_check(LIBRARY.format(div="/", classes=10, params=""))
    assert report.status == "errors", report.message
    lines = {d.line for d in report.diagnostics() if d.severity == "error"}
    assert 9 in lines, report.diagnostics()  # the Conv2d made with the float, inside the classes
    assert 32 in lines  # the self-test's line that made the model


def test_a_function_that_needs_arguments_is_not_run(torch_python, text_check):
    # its input would have to be invented: the function is not run, and the file's models are
    # only built with their defaults (test_library_models.py)
    report = text_check(LIBRARY.format(div="//", classes=10, params="net_factory"))
    assert report.status == "could-not-check", report.message
    assert not any("self-test" in n for n in report.notes)


def test_a_library_file_that_imports_a_missing_module_says_it_calls_no_model(torch_python, text_check):
    # the stubs stopped nothing: the reason is that no model is called (and what its definitions
    # need), and the stubs are named
    # (`Net` needs its width here, so nothing the file defines is built with its defaults)
    for imports in ("import scipy_nowhere.misc", "from image_io_nowhere import imread, imsave",
                    "import plots_nowhere as pp\nimport logs_nowhere"):
        text = imports + "\n" + LIBRARY.format(div="/", classes=10, params="net_factory").replace("width=64", "width")
        report = text_check(text)
        assert report.status == "could-not-check", (imports, report.message)
        assert "the file calls no model" in report.message, (imports, report.message)
        assert "needs `width`" in report.message or "needs `in_planes`" in report.message, (imports, report.message)
        assert any("_nowhere" in stub.get("module", "") for stub in report.stubs), imports


def test_a_file_that_calls_a_model_does_not_run_its_self_tests(torch_python, text_check):
    text = LIBRARY.format(div="/", classes=10, params="") + "\nmodel = nn.Linear(4, 2)\nout = model(torch.randn(3, 4))\n"
    report = text_check(text)
    assert report.status == "ok", report.message
    assert not any("self-test" in n for n in report.notes)


KERAS_LIBRARY = """\
import numpy as np
from tensorflow import keras


def build_model(n_features=8):
    return keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(1)])


def smoke_test():
    model = build_model()
    batch = np.zeros((4, {features}), dtype="float32")
    out = model.predict(batch)
    print(out.shape)
"""


def test_a_keras_library_self_test_runs(tf_python, text_check):
    report = text_check(KERAS_LIBRARY.format(features=8))
    assert report.status == "ok", report.message
    assert any("`smoke_test()`" in n for n in report.notes)
    report = text_check(KERAS_LIBRARY.format(features=5))
    assert report.status == "errors", report.message
    assert any(d.line == 13 and d.severity == "error" for d in report.diagnostics())


def test_a_model_factory_with_default_arguments_is_not_a_self_test(torch_python, text_check):
    # `def Net64(width=64): return Net(width)` is made for its result: the file still calls no model
    text = LIBRARY.format(div="//", classes=10, params="").replace("def Net64():", "def Net64(width=64):") \
        .replace("    return Net(64)", "    net = Net(width)\n    out = net(torch.randn(1, 3, 8, 8))\n    return net") \
        .replace("def test():", "def test(net):")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not any("self-test" in n for n in report.notes)
