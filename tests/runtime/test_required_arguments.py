"""A script whose argument parser requires arguments, checked without `--args`: the check runs it
with the values the program establishes (an argument's choices, the literals the program
compares it with) and gives an argument that names a file a path that does not exist. A bug the
program shows under one of its own choices is reported; a read of the made-up path is the
check's gap; an argument of numbers gets no made-up value."""
from __future__ import annotations

import pytest

from tensorlint.runtime.arguments import PLACEHOLDER_ROOT, command_lines, compared_literals

# -- which values: from the program's text and its parser ---------------------------------------


@pytest.mark.parametrize("test, expected", [
    ('if args.dataset == "mnist":\n    pass\nelif args.dataset == "cifar":\n    pass\n', ["mnist", "cifar"]),
    # "folder" takes the branch of "imagenet": one run stands for both
    ('if opt.dataset in ["imagenet", "folder"]:\n    pass\nelif "lsun" == opt.dataset:\n    pass\n',
     ["imagenet", "lsun"]),
    ('if cfg.dataset in ("a", "b"):\n    pass\nif cfg.dataset == "b":\n    pass\n', ["a", "b"]),
    ('x = 1 if cfg.dataset != "a" else 2\n', ["a"]),
    ('n = {"mnist": 10}[args.dataset]\n', []),  # a lookup establishes no value for the check to choose
    ('if args.dataset.startswith("m"):\n    pass\n', []),
    ('if args.other == "mnist":\n    pass\n', []),
])
def test_compared_literals_written_several_ways(test, expected):
    assert compared_literals(test, "dataset") == expected


def test_choices_come_before_compared_literals_and_paths_are_made_up():
    text = 'if args.mode == "eval":\n    pass\n'
    lines = command_lines(text, [{"flag": "--arch", "dest": "arch", "choices": ["small", "big"], "typed": False},
                                 {"flag": None, "dest": "data", "choices": None, "typed": False}])
    assert [argv for argv, _, _ in lines] == [["--arch", "small", f"{PLACEHOLDER_ROOT}/data"],
                                              ["--arch", "big", f"{PLACEHOLDER_ROOT}/data"]]
    assert lines[0][1] == [f"{PLACEHOLDER_ROOT}/data"]


def test_a_required_number_gets_no_made_up_value():
    assert command_lines("", [{"flag": "--epochs", "dest": "epochs", "choices": None, "typed": True}]) == []


# -- runs ----------------------------------------------------------------------------------------

CHOICES = """\
import argparse
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--dataset", required=True{choices})
parser.add_argument("--batch", type=int, default=4)
args = parser.parse_args()

if args.dataset == "small":
    x = torch.randn(args.batch, 8)
elif args.dataset == "wide":
    x = torch.randn(args.batch, {wide})
model = nn.Linear(8, 2)
out = model(x)
"""


@pytest.mark.parametrize("choices", ["", ', choices=["small", "wide"]'])
def test_a_bug_under_one_of_the_programs_choices_is_reported(torch_python, text_check, choices):
    report = text_check(CHOICES.format(choices=choices, wide=6), timeout=240)
    assert report.status == "errors", report.message
    assert [d.line for d in report.diagnostics() if d.severity == "error"] == [15]
    assert any("--dataset wide" in n for n in report.notes), report.notes


def test_every_choice_fine_is_ok(torch_python, text_check):
    report = text_check(CHOICES.format(choices="", wide=8), timeout=240)
    assert report.status == "ok", report.message
    assert any("--dataset small" in n for n in report.notes), report.notes


PATH = """\
import argparse
import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument({flag})
args = parser.parse_args()
{read}
model = nn.Linear(8, 2)
out = model(torch.from_numpy(data).float())
"""


@pytest.mark.parametrize("flag, read", [
    ('"data"', "data = np.load(args.data)"),
    ('"--root", required=True', 'data = np.loadtxt(args.root + "/train.csv")'),
    ('"--name", required=True', 'data = {"iris": np.zeros((4, 8))}[args.name]'),
])
def test_a_made_up_path_that_is_read_is_the_checks_gap(torch_python, text_check, flag, read):
    report = text_check(PATH.format(flag=flag, read=read))
    assert report.status == "could-not-check", report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"], report.message
    assert PLACEHOLDER_ROOT in report.message, report.message


def test_a_required_number_stays_argparses_refusal(torch_python, text_check):
    report = text_check(PATH.format(flag='"--width", type=int, required=True',
                                    read="data = np.zeros((4, args.width))"))
    assert report.status == "could-not-check", report.message
    assert "required" in report.message and "--width" in report.message, report.message


# -- torchvision's old names of transforms (the same programs' era) ------------------------------

OLD_TRANSFORMS = """\
import torch
from torch import nn
{imports}

resize = {resize}
x = resize(torch.rand(3, 32, 32)).reshape(1, -1)
model = nn.Linear({width}, 2)
out = model(x)
"""


@pytest.mark.parametrize("imports, resize", [
    ("from torchvision import transforms", "transforms.Compose([transforms.Scale(16)])"),
    ("import torchvision.transforms as T", "T.Scale((16, 16))"),
    ("from torchvision.transforms import Scale", "Scale(16)"),
    ("from torchvision import transforms", "transforms.RandomSizedCrop(16)"),
])
def test_old_transform_names_run_as_the_classes_they_became(vision_python, text_check, imports, resize):
    bad = text_check(OLD_TRANSFORMS.format(imports=imports, resize=resize, width=3 * 32 * 32))
    assert bad.status == "errors", bad.message
    assert [d.line for d in bad.diagnostics() if d.severity == "error"] == [8]
    assert any("old name" in n for n in bad.notes), bad.notes
    good = text_check(OLD_TRANSFORMS.format(imports=imports, resize=resize, width=3 * 16 * 16))
    assert good.status == "ok", good.message


def test_new_transform_names_get_no_note(vision_python, text_check):
    report = text_check(OLD_TRANSFORMS.format(imports="from torchvision import transforms",
                                              resize="transforms.Resize(16)", width=3 * 16 * 16))
    assert report.status == "ok", report.message
    assert not any("old name" in n for n in report.notes), report.notes
