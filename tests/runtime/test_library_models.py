"""A library file (it defines models and builds or calls none, and has no self-test) has its models
built with their defaults: classes whose constructor needs no argument, and functions nothing in
the file calls that need none and return a model. Each runs on an input whose rank and
channel/feature size the program fixes (a first convolution or recurrent layer, a Keras `Input`);
the check chooses the other sizes twice, and an error counts as the program's only when both runs
fail alike at the same line. Where the program fixes nothing, the report says what is unknown."""
from __future__ import annotations

TORCH_NET = """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, padding=1)
        self.conv2 = nn.Conv2d({second}, 16, 3, padding=1)

    def forward(self, x):
        x = self.conv1(x)
        return self.conv2(x)
"""


def errors(report) -> set[int]:
    return {d.line for d in report.diagnostics() if d.severity == "error"}


def test_a_torch_class_whose_channels_do_not_chain_is_the_programs_error(torch_python, text_check):
    # conv2 expects twice the channels conv1 gives, whatever the batch and image size
    for second in ("width * 2", "16"):
        report = text_check(TORCH_NET.format(second=second))
        assert report.status == "errors", (second, report.message)
        assert 13 in errors(report), report.diagnostics()
        assert any("built with its defaults" in n and "both times" in n for n in report.notes), report.notes


def test_a_torch_class_that_fits_its_defaults_is_not_ok_nor_an_error(torch_python, text_check):
    # the look-alike: built and run, its shapes shown; the program's own input is still unknown
    report = text_check(TORCH_NET.format(second="width"))
    assert report.status == "could-not-check", report.message
    assert "the file calls no model" in report.message and "made up" in report.message
    assert not errors(report)
    (call,) = report.calls
    assert call["status"] == "ok" and call["layers"], call


def test_an_error_that_depends_on_the_chosen_image_size_is_not_the_programs(torch_python, text_check):
    # the classifier is sized for 8x8 images, which nothing in the file establishes: it fails on
    # both chosen sizes, but differently, so it stays could-not-check
    for view in ("x.view(x.size(0), -1)", "torch.flatten(x, 1)", "x.reshape(len(x), -1)"):
        text = TORCH_NET.format(second="width").replace("nn.Conv2d(width, 16, 3, padding=1)", "nn.Linear(8 * 8 * 8, 10)") \
            .replace("return self.conv2(x)", f"return self.conv2({view})")
        report = text_check(text)
        assert report.status == "could-not-check", (view, report.message)
        assert not errors(report), (view, report.diagnostics())
        assert "fails differently" in report.message, report.message


def test_an_input_the_first_layer_does_not_get_as_made_is_not_the_programs(torch_python, text_check):
    # a channels-last input permuted before the convolution: the check's [N, 3, H, W] guess is not
    # the program's input, so the error it meets is not blamed
    text = TORCH_NET.format(second="width").replace("x = self.conv1(x)", "x = self.conv1(x.permute(0, 3, 1, 2))")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report)
    assert [c for c in report.calls if c.get("model") == "Net" and c.get("status") == "error"], report.calls  # it did run


def test_a_first_linear_layer_fixes_no_rank(torch_python, text_check):
    # a Linear takes [N, F] or [N, T, F]: an error on the [N, F] the check chose is not the program's
    text = ("import torch.nn as nn\n\n\nclass Head(nn.Module):\n    def __init__(self, d=6):\n        super().__init__()\n"
            "        self.fc = nn.Linear(d, 4)\n\n    def forward(self, x):\n        b, t, _ = x.shape\n"
            "        return self.fc(x).view(b * t, -1)\n")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report)
    assert [c for c in report.calls if c.get("model") == "Head" and c.get("status") == "error"], report.calls  # it did run


def test_a_recurrent_first_layer_fixes_the_rank(torch_python, text_check):
    text = ("import torch.nn as nn\n\n\nclass Tagger(nn.Module):\n    def __init__(self, features=5, hidden=7):\n"
            "        super().__init__()\n        self.rnn = nn.LSTM(features, hidden, batch_first=True)\n"
            "        self.out = nn.LSTM({width}, 3, batch_first=True)\n\n    def forward(self, x):\n        h, _ = self.rnn(x)\n"
            "        return self.out(h)[0]\n")
    report = text_check(text.format(width="hidden + 1"))
    assert report.status == "errors", report.message
    assert 12 in errors(report)
    report = text_check(text.format(width="hidden"))
    assert report.status == "could-not-check" and not errors(report), report.message


def test_classes_that_need_arguments_are_named_as_the_unknown(torch_python, text_check):
    # `act` names a layer: no size the check could make up (sizes alone are: test_library_made_up_sizes.py)
    text = TORCH_NET.format(second="width").replace("width=8", "width, act").replace(
        "super().__init__()", "super().__init__()\n        self.act = getattr(nn, act)()")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert "`Net` needs `width`, `act`, which nothing in the file gives" in report.message, report.message
    # a forward that takes more than its input: what the rest is, is unknown
    text = TORCH_NET.format(second="width").replace("def forward(self, x):", "def forward(self, x, mask):")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert "its forward takes `x`, `mask`" in report.message, report.message


def test_a_default_of_none_that_fails_is_not_the_programs_error(torch_python, text_check):
    # `classes=None` means "give it": building with it fails, and that is not blamed
    text = TORCH_NET.format(second="width").replace("width=8", "width=None")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report)
    assert "built with its defaults) failed" in report.message


def test_a_factory_function_builds_the_model(torch_python, text_check):
    text = TORCH_NET.format(second="width * 2").replace("width=8", "width") + "\n\ndef net8():\n    return Net(8)\n"
    report = text_check(text)
    assert report.status == "errors", report.message
    assert 13 in errors(report)
    # a factory the file itself calls is not a library's: the file builds its model
    report = text_check(text + "\n\nmodel = net8()\n")
    assert not errors(report), report.message


KERAS_FACTORY = """\
from tensorflow import keras
from tensorflow.keras import layers


def build(size={size}, classes=10):
    inputs = keras.Input(shape=(size, size, 3))
    x = layers.Conv2D(8, 3, padding="same")(inputs)
    skips = [x]
    x = {merge}
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(classes)(x)
    return keras.Model(inputs, outputs)


class Scale(layers.Layer):
    def __init__(self, factor=2.0):
        super().__init__()
        self.factor = factor

    def call(self, x):
        return x * self.factor
"""


def test_a_keras_factory_with_a_declared_input_runs(tf_python, text_check):
    # the look-alikes: the model is built and run on its declared input (None sides chosen twice)
    for size in ("None", "32"):
        report = text_check(KERAS_FACTORY.format(size=size, merge="layers.add([x, skips[0]])"))
        assert report.status == "could-not-check", (size, report.message)
        assert not errors(report), report.diagnostics()
        built = [c for c in report.calls if c.get("model") == "build"]
        assert built and built[0]["status"] == "ok", report.calls


def test_a_keras_factory_that_its_defaults_cannot_build_is_the_programs_error(tf_python, text_check):
    # a sum of 8 and 4 channels: Keras refuses it while building, whatever the input's sides
    report = text_check(KERAS_FACTORY.format(size="32", merge="layers.add([x, layers.Dense(4)(x)])"))
    assert report.status == "errors", report.message
    assert 9 in errors(report), report.diagnostics()
    # with a side left to the caller (`size=None`) nothing is blamed on building with the defaults
    report = text_check(KERAS_FACTORY.format(size="None", merge="layers.add([x, layers.Dense(4)(x)])"))
    assert report.status == "could-not-check", report.message
    assert not errors(report)


def test_a_keras_layer_without_a_declared_input_says_its_size_is_unknown(tf_python, text_check):
    text = KERAS_FACTORY.format(size="32", merge="x").split("\n\ndef build")[0] + \
        KERAS_FACTORY.format(size="32", merge="x").split("    return keras.Model(inputs, outputs)\n")[1]
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert "nothing in the file fixes its input's size" in report.message, report.message


def test_a_missing_module_the_model_is_built_from_is_not_the_programs_error(torch_python, text_check):
    # the stand-in for a module that cannot be imported has no values: what fails on it is the check's gap
    for use in ("self.body = Body(width)", "self.body = blocks_nowhere(width)"):
        text = TORCH_NET.format(second="width").replace("import torch.nn as nn\n", "import torch.nn as nn\nimport blocks_nowhere\n"
                                                        "from blocks_nowhere import Body\n") \
            .replace("        self.conv1 = nn.Conv2d(3, width, 3, padding=1)\n",
                     f"        self.conv1 = nn.Conv2d(3, width, 3, padding=1)\n        {use}\n") \
            .replace("x = self.conv1(x)", "x = self.body(self.conv1(x))")
        report = text_check(text)
        assert report.status == "could-not-check", (use, report.message)
        assert not errors(report), (use, report.diagnostics())
        assert [c for c in report.calls if c.get("model") == "Net"], report.calls  # it was built
