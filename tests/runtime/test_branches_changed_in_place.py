"""An `if` that sets what the model is built from in place (`args.width = 4` after parse_args,
`cfg["width"] = 4`, `sizes.append(4)`) is replayed: the model is built as the program builds it,
its error is the program's, and a value the check could not make stays "could not check"."""
from __future__ import annotations

PROGRAM = """\
import argparse
import torch
import torch.nn as nn
{imports}

def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="small", type=str)
    return parser.parse_args()


if __name__ == "__main__":
    args = parse_args()
    cfg = {{}}
    sizes = []
    if args.dataset == "small":
        {small}
    elif args.dataset == "big":
        {big}
    model = nn.Linear({width}, 2)
    out = model(torch.randn(3, {data}))
"""

WAYS = (("args.width = {n}", "args.width"), ("cfg['width'] = {n}", "cfg['width']"), ("sizes.append({n})", "sizes[0]"))


def program(way, data, small=4, imports=""):
    change, width = way
    return PROGRAM.format(imports=imports, small=change.format(n=small), big=change.format(n=8), width=width, data=data)


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def test_a_width_set_in_a_branch_builds_the_model_and_its_error_is_the_programs(torch_python, text_check):
    for way in WAYS:
        report = text_check(program(way, data=8))  # the small data set's width is 4: 8 columns fail
        assert report.status == "errors", (way, report.message)
        assert [d.line for d in errors(report)] == [21], (way, report.message)
        assert "mat1 and mat2 shapes cannot be multiplied" in errors(report)[0].message


def test_a_width_set_in_a_branch_that_fits_is_ok(torch_python, text_check):
    for way in WAYS:
        report = text_check(program(way, data=4))
        assert report.status == "ok", (way, report.message)


def test_a_width_the_check_could_not_make_is_could_not_check(torch_python, text_check):
    for way in WAYS:
        report = text_check(program(way, data=8, small="helper_data.width()", imports="import helper_data"))
        assert report.status == "could-not-check", (way, report.message)
        assert errors(report) == [], (way, report.message)
