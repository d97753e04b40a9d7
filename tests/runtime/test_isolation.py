"""The user's training loop never runs, and failures of the user's code end only the subprocess."""
from __future__ import annotations

import json

from tensorlint.runtime.cli import main

MARKER_FILE = """\
import torch
import torch.nn as nn
from pathlib import Path

MARKER = Path(__file__).with_name("{marker}")
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(16, 4)
y = torch.randn(16, 1)
for epoch in range(5):
    opt.zero_grad()
    out = model(x)
    loss = nn.functional.mse_loss(out, y)
    loss.backward()
    opt.step()
    MARKER.write_text("the training loop ran")
print("trained")
MARKER.write_text("module-level code after the loop ran")

if __name__ == "__main__":
    MARKER.write_text("the main block ran")
"""


def test_training_loop_is_not_executed_but_its_calls_are_checked(torch_python, text_check, tmp_path):
    report = text_check(MARKER_FILE.format(marker="ran.txt"))
    assert not (tmp_path / "ran.txt").exists()
    assert report.status == "ok", report.message
    forward = report.call(12, "forward")
    assert forward["status"] == "ok" and forward["output"]["shape"] == [16, 1]
    assert [r["type"] for r in forward["layers"]] == ["Sequential", "Linear", "ReLU", "Linear"]
    loss = report.call(13, "loss")
    assert loss["gradients"]["no_grad"] == [] and not loss["target_check"]["unchanged"]
    assert "trained" not in report.output


def test_infinite_loop_at_module_level_times_out_cleanly(torch_python, text_check):
    # the loop computes the model's width, so it is replayed, and never ends
    text = "import torch\nimport torch.nn as nn\nwidth = 1\nwhile width > 0:\n    width += 1\n\nmodel = nn.Linear(width, 2)\nmodel(torch.randn(1, 2))\n"
    report = text_check(text, timeout=15)
    assert report.status == "timeout"
    assert report.hang_lines[:1] in ([4], [5])
    assert "stopped after 15 s while running line" in report.message
    assert report.diagnostics()[0].kind == "timeout"


USER_MODEL = """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def forward(self, x):
        {body}
        return x


net = Net()
net(torch.randn(2, 3))
"""


def test_sys_exit_in_user_code_is_reported(torch_python, text_check):
    report = text_check(USER_MODEL.format(body="raise SystemExit(3)"))
    assert report.status == "exited"
    assert "sys.exit(3) at line 7" in report.message


def test_segfault_in_user_code_is_reported(torch_python, text_check):
    report = text_check(USER_MODEL.format(body="__import__('ctypes').string_at(0)"))
    assert report.status == "crashed"
    assert "SIGSEGV" in report.message and "line 7" in report.message


def test_exception_in_setup_is_reported_and_the_rest_still_runs(torch_python, text_check):
    text = (
        "import numpy as np\nimport torch\nimport torch.nn as nn\n"
        "data = np.load('no-such-file.npy')\nmodel = nn.Linear(3, 1)\nout = model(torch.from_numpy(data).float())\n"
    )
    report = text_check(text)
    assert [e["line"] for e in report.setup_errors] == [4]
    assert report.setup_errors[0]["error"]["type"] == "FileNotFoundError"
    forward = report.call(6, "forward")
    # the input could not be built; one is made from the first layer instead
    assert forward["input_error"]["type"] == "NotAvailable" and "line 4" in forward["input_error"]["message"]
    assert forward["synthesized_input"].startswith("[2, 3] from Linear")
    assert forward["status"] == "ok"
    # the model ran, but not on the program's data: that is not "ok"
    assert report.status == "could-not-check"
    assert "line 4" in report.message and "no-such-file.npy" in report.message


def test_input_option_replaces_data_the_file_cannot_build(torch_python, text_check):
    text = (
        "import numpy as np\nimport torch\nimport torch.nn as nn\n"
        "x = torch.from_numpy(np.load('no-such-file.npy')).float()\nmodel = nn.Conv1d(2, 4, 3)\nout = model(x)\n"
    )
    report = text_check(text, inputs={"x": ([5, 2, 10], None)})
    assert report.setup_errors == []
    forward = report.call(6, "forward")
    assert forward["inputs"] == [{"shape": [5, 2, 10], "dtype": "float32"}]
    assert forward["output"]["shape"] == [5, 4, 8]


def test_model_without_a_call_gets_an_input_from_its_first_layer(torch_python, text_check):
    text = (
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.conv = nn.Conv2d(3, 8, 3, padding=1)\n        self.pool = nn.AdaptiveAvgPool2d(1)\n"
        "        self.fc = nn.Linear(8, 10)\n\n    def forward(self, x):\n"
        "        return self.fc(self.pool(self.conv(x)).flatten(1))\n\nnet = Net()\n"
    )
    report = text_check(text)
    # the shapes are shown, but the program never gives `net` an input: that is not "ok"
    assert report.status == "could-not-check", report.message
    assert "the file calls no model: line 13: `net` is never called" in report.message
    (call,) = report.calls
    assert call["synthesized_input"] == "[2, 3, 32, 32] from Conv2d(in_channels=3)"
    rows = [(r["path"], r["type"], r["input"]["shape"], r["output"]["shape"], r["params"]) for r in call["layers"]]
    assert rows == [
        ("net", "Net", [2, 3, 32, 32], [2, 10], 3 * 8 * 9 + 8 + 8 * 10 + 10),
        ("conv", "Conv2d", [2, 3, 32, 32], [2, 8, 32, 32], 3 * 8 * 9 + 8),
        ("pool", "AdaptiveAvgPool2d", [2, 8, 32, 32], [2, 8, 1, 1], 0),
        ("fc", "Linear", [2, 8], [2, 10], 8 * 10 + 10),
    ]
    assert call["probes"][0]["unchanged"] is False
    table = report.to_markdown()
    assert "| layer | type | input | output | dtype | params |" in table
    assert "| [2, 8, 32, 32] | [2, 8, 1, 1] |" in table


def test_without_the_framework_the_message_names_the_package(text_check, tmp_path):
    shadow = tmp_path / "shadow"
    (shadow / "torch").mkdir(parents=True)
    (shadow / "torch" / "__init__.py").write_text("raise ImportError(\"No module named 'torch'\")\n")
    report = text_check("import torch\nmodel = torch.nn.Linear(2, 2)\n", env={"PYTHONPATH": str(shadow)})
    assert report.status == "missing-framework"
    assert "-m pip install torch`" in report.message
    assert "tensorlint[" not in report.message


def test_cli_json_output_and_exit_status(torch_python, tmp_path, capsys):
    path = tmp_path / "bad.py"
    path.write_text("import torch\nm = torch.nn.Linear(3, 1)\nm(torch.randn(2, 4))\n")
    code = main([str(path), "--device", "meta", "--format", "json", "--python", torch_python, "--no-static"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["status"] == "errors" and data["device"]["torch"] == "meta"
    assert data["diagnostics"][0]["line"] == 3


def test_cli_rejects_a_bad_input_spec(tmp_path, capsys):
    path = tmp_path / "m.py"
    path.write_text("import torch\n")
    assert main([str(path), "--input", "x=abc"]) == 2
    assert "--input x" in capsys.readouterr().err
