"""A model the program never calls runs on an input its first layer suggests, so its layer table
is shown; but the program's own input is unknown, so the check is never "ok" on that alone, and
a Keras model that declares no input shape is not run at all (it would be built for a width the
check made up)."""
from __future__ import annotations

TORCH_ONLY_DEFINED = [
    # a Sequential at the top level
    "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n",
    # a subclass, made after its definition
    "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        self.fc = nn.Linear(6, 3)\n\n    def forward(self, x):\n        return torch.relu(self.fc(x))\n\nmodel = Net()\n",
    # a recurrent model whose input size the layer gives
    "import torch.nn as nn\nmodel = nn.LSTM(input_size=5, hidden_size=7, batch_first=True)\n",
]


def test_a_torch_model_the_file_never_calls_is_not_ok(torch_python, text_check):
    for text in TORCH_ONLY_DEFINED:
        report = text_check(text)
        assert report.status == "could-not-check", (text, report.message)
        assert "the file calls no model" in report.message and "is never called" in report.message, report.message
        assert "--input model=SHAPE" in report.message
        (call,) = report.calls
        assert call["status"] == "ok" and call["synthesized_input"], text  # the shapes are still shown
        assert not [d for d in report.diagnostics() if d.severity == "error"], text


def test_a_model_the_file_calls_on_its_own_data_is_ok(torch_python, text_check):
    # the look-alikes: the same models, called by the program on its own tensors
    for text, call in zip(TORCH_ONLY_DEFINED, ("model(torch.randn(3, 4))", "model(torch.randn(3, 6))",
                                               "model(torch.randn(3, 2, 5))")):
        report = text_check("import torch\n" + text + f"out = {call}\n")
        assert report.status == "ok", (text, report.message)
        assert not any(c.get("synthesized_input") for c in report.calls), text


def test_a_second_model_the_program_never_calls_leaves_the_verdict_to_the_programs_calls(torch_python, text_check):
    # `unused` runs on a made-up input and its shapes are shown; the verdict is that of the call
    # the program makes on its own data
    for unused in ("nn.Linear(9, 1)", "nn.Conv2d(3, 8, 3)", "nn.Sequential(nn.Linear(9, 4), nn.ReLU())"):
        text = f"import torch\nimport torch.nn as nn\nencoder = nn.Linear(4, 2)\nunused = {unused}\nout = encoder(torch.randn(3, 4))\n"
        report = text_check(text)
        assert report.status == "ok", (unused, report.message)
        assert report.call(5, "forward")["status"] == "ok"
        assert report.call(4, "forward")["synthesized_input"], unused
    broken = text_check("import torch\nimport torch.nn as nn\nencoder = nn.Linear(4, 2)\nunused = nn.Linear(9, 1)\n"
                        "out = encoder(torch.randn(3, 5))\n")
    assert broken.status == "errors", broken.message


def test_a_model_never_called_fails_on_a_made_up_input_is_not_the_programs_error(torch_python, text_check):
    # the second layer expects 16 features and gets 8: on an input the check made up, that is
    # shown as could-not-check, never as the program's error
    report = text_check("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 8), nn.Linear(16, 2))\n")
    assert report.status == "could-not-check", report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]


KERAS_ONLY_DEFINED = {
    "no input shape": "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(2)])\n"
                      "model.compile(optimizer='adam', loss='mse')\n",
    "declared input": "from tensorflow import keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\n"
                      "model.compile(optimizer='adam', loss='mse')\n",
}
# the look-alike: a functional model's layers are called by the program itself, on its declared
# Input, and the verdict is that of those calls
FUNCTIONAL = ("from tensorflow import keras\ninp = keras.Input(shape=(4,))\nout = keras.layers.Dense(2)(inp)\n"
              "model = keras.Model(inp, out)\n")


def test_a_keras_model_the_file_never_calls_is_not_ok(tf_python, text_check):
    for how, text in KERAS_ONLY_DEFINED.items():
        report = text_check(text)
        assert report.status == "could-not-check", (how, report.message)
        assert not [d for d in report.diagnostics() if d.severity == "error"], how
        if how == "no input shape":
            # never run on an invented width: nothing ran, and the reason says what to give
            assert not [c for c in report.calls if c.get("status") == "ok"], how
            assert "declares no input shape: give --input model=SHAPE" in report.message, report.message
        else:
            assert "`model` is never called" in report.message, (how, report.message)
    report = text_check(FUNCTIONAL)
    assert report.status == "ok", report.message
    assert report.call(3, "forward")["status"] == "ok" and not report.call(3, "forward").get("synthesized_input")
