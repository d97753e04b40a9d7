"""TL450 float-option-without-type, written the ways training scripts declare options: at module
level, in a `get_args()` helper, on an argument group, with short and long flags, an explicit
`dest`, a negative, leading-dot or scientific default, in torch, Keras and TensorFlow scripts. The
look-alikes: a `type`, a string default argparse converts, an int default, an option stored by an
`action` or read with `nargs`, one the program converts where it reads it (`float(args.x)`), and
an `add_argument` of something other than argparse. Each case marks its expected findings with
`# expect: TL450`."""
from __future__ import annotations

import pytest

from test_variants import found_and_expected, run_check

CASES = {
    "torch-module-level": """
    import argparse
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--expl_noise", default=0.1)  # expect: TL450
    parser.add_argument("--batch_size", default=256, type=int)
    parser.add_argument("--discount", default=0.99)  # expect: TL450
    parser.add_argument("--tau", default=5e-3, type=float)
    args = parser.parse_args()
    target = 1 - args.discount
    """,
    "keras-helper-and-group": """
    from argparse import ArgumentParser
    from tensorflow import keras

    def get_args(argv=None):
        p = ArgumentParser()
        p.add_argument('-l', '--learning-rate', default=1e-3,  # expect: TL450
                       help='learning rate')
        reg = p.add_argument_group('regularization')
        reg.add_argument('--dropout', dest='drop', default=.5)  # expect: TL450
        reg.add_argument('--shift', default=-0.25)  # expect: TL450
        return p.parse_args(argv)
    """,
    "tf-converted-where-read": """
    import os, argparse
    import tensorflow as tf

    parser = argparse.ArgumentParser()
    parser.add_argument('--momentum', default=0.9)
    parser.add_argument('--weight-decay', default=1e-4)  # expect: TL450
    args = parser.parse_args()
    momentum = float(args.momentum)
    """,
    "ok-typed-strings-ints-actions": """
    import argparse
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument('--lr', type=float, default=0.01)
    parser.add_argument('--gamma', default='0.99', type=float)
    parser.add_argument('--epochs', default=10)
    parser.add_argument('--decay', default='0.5')
    parser.add_argument('--half', action='store_const', const=0.5, default=1.0)
    parser.add_argument('--betas', nargs=2, default=0.9)
    args = parser.parse_args()
    """,
    "ok-jsonargparse": """
    import torch
    from jsonargparse import ArgumentParser

    parser = ArgumentParser()
    parser.add_argument('--lr', default=0.1)
    """,
    "ok-not-argparse": """
    import torch

    class Options:
        def add_argument(self, *names, **kwargs):
            self.values = kwargs

    opts = Options()
    opts.add_argument('--lr', default=0.1)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_float_option_without_type(name):
    found, expected = found_and_expected(CASES, name, "TL450")
    assert found == expected


def test_cli_fix_declares_the_type(tmp_path):
    path = tmp_path / "train.py"
    out = run_check(path, "import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument('--tau', default=0.005)\n"
                    "args = p.parse_args()\nprint(args.tau * 2)\n")
    assert "TL450" in out and "--tau" in out and "'0.005'" in out
    run_check(path, None, "--fix")
    assert "p.add_argument('--tau', default=0.005, type=float)\n" in path.read_text()
    assert "TL450" not in run_check(path)
