"""The shape check on programs written the way real PyTorch scripts are: entry points, argparse,
project modules, missing packages, nested and keyword-only loss calls, CUDA and the meta device.
Each test asserts what a user sees: the status, the line, the exit code."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


ENTRY_POINT = """\
import argparse
import torch
import torch.nn as nn


def build(hidden):
    return nn.Sequential(nn.Linear(10, hidden), nn.ReLU(), nn.Linear(20, 2))


def train(model, loader):
    criterion = nn.CrossEntropyLoss()
    for x, y in loader:
        out = model(x)
        loss = criterion(out, y)
        loss.backward()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hidden", type=int, required=True)
    args = parser.parse_args()
    model = build(args.hidden)
    loader = [(torch.randn(4, 10), torch.randint(0, 2, (4,)))]
    train(model, loader)


if __name__ == "__main__":
    main()
"""


def test_main_is_followed_with_the_programs_own_argv(torch_python, text_check):
    # --hidden 20 makes the layers fit: the model runs, through main() and train(model, loader)
    report = text_check(ENTRY_POINT, argv=["--hidden", "20"])
    assert report.status == "ok", report.message
    assert report.call(13, "forward")["output"]["shape"] == [4, 2]
    loss = report.call(14, "loss")
    assert loss["status"] == "ok" and loss["gradients"]["no_grad"] == []
    # --hidden 7 does not: the error is the program's, at the line of the call in train()
    report = text_check(ENTRY_POINT, argv=["--hidden", "7"])
    assert report.status == "errors"
    assert report.call(13, "forward")["error"]["type"] == "RuntimeError"


def test_argparse_without_its_required_argument_is_not_the_users_error(torch_python, text_check):
    report = text_check(ENTRY_POINT)  # no --args: argparse exits 2 while the program is set up
    assert report.status == "could-not-check"
    assert "sys.exit(2)" in report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]


def test_cli_exit_codes_say_error_or_could_not_check(torch_python, tmp_path):
    path = tmp_path / "prog.py"
    path.write_text(ENTRY_POINT)
    cmd = [sys.executable, "-m", "tensorlint", "shapecheck", str(path), "--no-static", "--python", torch_python]
    assert subprocess.run([*cmd, "--args", "--hidden 7"], capture_output=True).returncode == 1
    assert subprocess.run(cmd, capture_output=True).returncode == 2
    assert subprocess.run([*cmd, "--args", "--hidden 20"], capture_output=True).returncode == 0


NESTED = """\
import torch
import torch.nn as nn

model = nn.Linear(8, 3)
criterion = nn.CrossEntropyLoss()
x = torch.randn(5, 8)
y = torch.randint(0, 3, (4,))
loss = criterion(model(x), y)
squeezed = model(x).squeeze(1).sum()
"""


def test_an_error_inside_a_nested_call_is_the_programs_error(torch_python, text_check):
    report = text_check(NESTED)
    assert report.status == "errors"
    errors = [d for d in report.diagnostics() if d.severity == "error"]
    assert [d.line for d in errors] == [8]
    assert "Expected input batch_size (5) to match target batch_size (4)" in errors[0].message


KEYWORD_LOSS = """\
import torch
import torch.nn as nn


def loss_fn(pred, target):
    return ((pred - target) ** 2).mean()


model = nn.Linear(4, 1)
x = torch.randn(6, 4)
y = torch.randn(6, 1)
out = model(x)
loss = loss_fn(pred=out, target=y)
"""


def test_keyword_only_loss_call_runs_with_target_check_and_gradients(torch_python, text_check):
    report = text_check(KEYWORD_LOSS)
    assert report.status == "ok", report.message
    loss = report.call(13, "loss")
    assert loss["target_check"]["done"] and not loss["target_check"]["unchanged"]
    assert loss["gradients"]["parameters"] == 2 and loss["gradients"]["no_grad"] == []


DEVICES = """\
import torch
import torch.nn as nn

model = nn.Linear(4, 2).cuda()
x = torch.randn(3, 4).to("cpu").type(torch.FloatTensor).cuda()
out = model(x)
wide = nn.Linear(5, 2).to("cpu")
bad = wide(x.cpu())
"""


def test_cuda_and_cpu_moves_follow_the_checks_device(torch_python, text_check):
    notes = {}
    for device in ("cpu", "meta"):
        report = text_check(DEVICES, device=device)
        assert report.call(6, "forward")["status"] == "ok", (device, report.setup_errors)
        assert report.call(6, "forward")["device"] == device
        assert report.call(8, "forward")["status"] == "error"  # 4 features into Linear(5, 2), on both
        assert report.status == "errors"
        notes[device] = report.notes
    assert any("asks for CUDA" in n for n in notes["cpu"])


STALE = """\
import numpy as np
import torch
import torch.nn as nn
from no_such_package import load_table

x = np.zeros((10, 1), dtype="float32")
x = load_table("data.csv")
model = nn.Linear(4, 2)
out = model(torch.from_numpy(x))
"""


def test_a_failed_line_leaves_no_stale_value_and_is_not_blamed_on_the_program(torch_python, text_check):
    report = text_check(STALE)
    # line 7 failed: x is not the [10, 1] array of line 6, so Linear(4, 2) is not run on it
    forward = report.call(9, "forward")
    assert forward["input_error"]["type"] == "NotAvailable" and "line 7" in forward["input_error"]["message"]
    assert report.status == "could-not-check"
    assert "no_such_package" in report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]


def test_project_local_modules_import(torch_python, text_check, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "nets").mkdir()
    (tmp_path / "nets" / "__init__.py").write_text("")
    (tmp_path / "nets" / "mlp.py").write_text("import torch.nn as nn\n\ndef make():\n    return nn.Linear(3, 1)\n")
    (tmp_path / "scripts").mkdir()
    text = "import torch\nfrom nets.mlp import make\n\nmodel = make()\nout = model(torch.randn(2, 3))\n"
    report = text_check(text, name="scripts/run.py")
    assert report.status == "ok", report.message
    assert report.call(5, "forward")["output"]["shape"] == [2, 1]


SKLEARN_DATA = """\
import torch
import torch.nn as nn
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

iris = load_iris()
X_train, X_test, y_train, y_test = train_test_split(iris["data"], iris["target"], test_size=0.2)
X_train = torch.from_numpy(X_train).float()
y_train = torch.from_numpy(y_train)
model = nn.Linear(X_train.shape[1], 3)
loss = nn.CrossEntropyLoss()(model(X_train), y_train)
pred = model(X_train)
bad = nn.functional.nll_loss(pred.long(), y_train)
"""


def test_sklearn_data_is_made_offline_when_sklearn_is_missing(torch_python, text_check):
    report = text_check(SKLEARN_DATA)
    if not any("stand-in" in n for n in report.notes):
        return  # this interpreter has scikit-learn: the program ran on its real data
    assert any("load_iris() gave synthetic data (X [150, 4], y [150])" in n for n in report.notes)
    assert report.call(12, "forward")["inputs"] == [{"shape": [120, 4], "dtype": "float32"}]
    assert report.status == "errors"
    assert report.call(13, "loss")["status"] == "error"  # the long predictions of line 13


def test_the_check_process_does_not_offer_its_own_modules_to_the_program(torch_python, text_check):
    text = "import torch\ntry:\n    import replay\nexcept ImportError:\n    replay = None\nassert replay is None\n" \
           "model = torch.nn.Linear(2, 2)\nout = model(torch.randn(1, 2))\n"
    report = text_check(text)
    assert report.status == "ok", (report.message, report.setup_errors)


def test_bench_of_real_bugs_counts_outcomes(torch_python, tmp_path):
    """bench/shapecheck_realbugs.py on a one-program set: the figures a README table quotes."""
    files = tmp_path / "files"
    files.mkdir()
    (files / "p.py").write_text(NESTED)
    (files / "p.fixed.py").write_text(NESTED.replace("(4,)", "(5,)"))
    (tmp_path / "manifest.json").write_text(
        '[{"id": "p", "framework": "torch", "category": "SHAPE", "line": 8, "alt_lines": [], "has_fixed": true}]')
    bench = Path(__file__).resolve().parents[2] / "bench" / "shapecheck_realbugs.py"
    # the bare environment: this interpreter's packages, nothing installed for the test
    proc = subprocess.run([sys.executable, str(bench), "--set", str(tmp_path), "--env", "bare"], capture_output=True, text=True,
                          timeout=300)
    assert proc.stdout.strip().splitlines()[-1] == \
        "shapecheck realbugs (bare environment): reproduced 1/1, could not check 0/1, false errors on fixed 0/1"


ONE_UNIT_SOFTMAX = """\
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(6, 1), nn.Softmax(dim=1))
x = torch.randn(8, 6)
y = torch.randint(0, 2, (8, 1)).float()
out = model(x)
loss = nn.BCELoss()(out, y)
"""


def test_all_zero_gradients_are_reported(torch_python, text_check):
    # a softmax over one unit is always 1.0: the loss cannot move the weights
    report = text_check(ONE_UNIT_SOFTMAX)
    assert report.status == "problems"
    assert sorted(report.call(8, "loss")["gradients"]["zero"]) == ["0.bias", "0.weight"]
    assert any(d.line == 8 and "all-zero gradient" in d.message for d in report.diagnostics())


def test_probabilities_as_targets_are_changed_within_zero_and_one(torch_python, text_check):
    """The output is constant, so shuffled targets leave the loss as it was; only changed values
    show that the loss reads them. Changed within [0, 1] (1 - y), BCE accepts them, also on the GPU,
    where a target it rejects would end in a device-side assert that breaks every later call."""
    report = text_check(ONE_UNIT_SOFTMAX)
    check = report.call(8, "loss")["target_check"]
    assert check["done"] and not check["unchanged"]
    assert "ignores the labels" not in report.message


def test_device_cuda_without_a_gpu_is_refused_not_faked(torch_python, text_check):
    """No GPU is lent to these tests: `--device cuda` must say so, never run on the CPU instead."""
    import subprocess as sp

    has_cuda = sp.run([torch_python, "-c", "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"]).returncode == 0
    report = text_check(KEYWORD_LOSS, device="cuda")
    if has_cuda:
        assert report.device["torch"] == "cuda" and report.status == "ok"
    else:
        assert report.status == "failed" and "sees no CUDA device" in report.message


def test_project_settings_give_the_program_its_arguments(torch_python, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.tensorlint.shapecheck]\nargs = "--hidden 7"\n')
    path = tmp_path / "prog.py"
    path.write_text(ENTRY_POINT)
    cmd = [sys.executable, "-m", "tensorlint", "shapecheck", str(path), "--no-static", "--python", torch_python]
    assert subprocess.run(cmd, capture_output=True).returncode == 1  # --hidden 7 from pyproject.toml
    assert subprocess.run([*cmd, "--args", "--hidden 20"], capture_output=True).returncode == 0
    assert subprocess.run([*cmd, "--args", '"unbalanced'], capture_output=True).returncode == 2


VISION = """\
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader

transform = transforms.Compose([transforms.Resize({size}), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
train = torchvision.datasets.MNIST(root="./data", train=True, download=True, transform=transform)
loader = DataLoader(train, batch_size=16, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
for images, labels in loader:
    out = model(images)
    loss = nn.CrossEntropyLoss()(out, labels)
"""


def test_torchvision_data_sets_offline(torch_python, text_check):
    # with torchvision missing, its stand-in; with it installed, its own transforms on synthetic
    # samples of the real set's shape: the same shapes either way
    report = text_check(VISION.format(size=64))  # 64x64 images into a 28x28 classifier
    assert report.status == "errors"
    assert report.call(12, "forward")["inputs"] == [{"shape": [16, 1, 64, 64], "dtype": "float32"}]
    report = text_check(VISION.format(size=28))
    assert report.status == "ok", report.message
    assert report.call(13, "loss")["gradients"]["no_grad"] == []
    assert any("MNIST() gave synthetic data (images [60000, 28, 28])" in n for n in report.notes)


def test_old_dataloader_iterator_next_still_works(torch_python, text_check):
    text = ("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
            "loader = DataLoader(TensorDataset(torch.randn(8, 3), torch.randint(0, 2, (8,))), batch_size=4)\n"
            "images, labels = iter(loader).next()\nmodel = torch.nn.Linear(3, 2)\nout = model(images)\n")
    report = text_check(text)
    assert report.status == "ok", (report.message, report.setup_errors)
    assert report.call(6, "forward")["inputs"] == [{"shape": [4, 3], "dtype": "float32"}]


PLOTS = """\
import torch
import matplotlib.pyplot as plt
from tqdm import tqdm

model = torch.nn.Linear(3, 2)
batches = [torch.randn(4, 3)]
for x in tqdm(batches):
    out = model(x)
    fig, ax = plt.subplots(1, 2)
    ax[0].plot(out.detach().numpy())
"""


def test_missing_plotting_and_progress_packages_do_nothing_and_are_noted(torch_python, text_check):
    report = text_check(PLOTS)
    assert report.call(8, "forward")["status"] == "ok"
    if subprocess.run([torch_python, "-c", "import matplotlib, tqdm"], capture_output=True).returncode != 0:
        assert any("only shows or logs results" in n for n in report.notes)
    assert not [d for d in report.diagnostics() if d.severity == "error"]


LEGACY_MNIST = """\
import torch
import torchvision

test_data = torchvision.datasets.MNIST(root="./mnist/", train=False)
test_x = torch.unsqueeze(test_data.test_data, dim=1).type(torch.FloatTensor)[:20] / 255.
test_y = test_data.test_labels[:20]
model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 5), torch.nn.Flatten(), torch.nn.Linear({features}, 10))
out = model(test_x)
loss = torch.nn.functional.cross_entropy(out, test_y)
"""


def test_torchvision_legacy_test_data_and_labels(torch_python, text_check):
    # the stand-in without torchvision, the synthetic set in place of its own with it
    ok = text_check(LEGACY_MNIST.format(features=4 * 24 * 24))
    assert ok.status == "ok", ok.message
    assert ok.call(8, "forward")["inputs"][0]["shape"] == [20, 1, 28, 28]
    bad = text_check(LEGACY_MNIST.format(features=4 * 28 * 28))
    assert bad.status == "errors", bad.message
    assert any(d.severity == "error" and d.line == 8 for d in bad.diagnostics())
