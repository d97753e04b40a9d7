"""TL442: an option read from parse_args()'s result that the parser never defines. Written
several ways (a loader built at module level, a read in a function, a dash spelled option, a
short option, a `dest=`); the look-alikes read options the parser defines under another
spelling, or the namespace can hold attributes the syntax does not show."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL442",))

PARSER = """
    import argparse
    import torch

    parser = argparse.ArgumentParser(description="train")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("-j", "--workers", type=int, default=4)
    parser.add_argument("--lr", dest="learning_rate", type=float, default=0.1)
    parser.add_argument("data")
"""


def _lines(tail: str, head: str = PARSER) -> list[int]:
    src = textwrap.dedent(head).lstrip("\n") + textwrap.dedent(tail)
    return sorted(f.line for f in analyze(src, "train.py", ONLY).findings)


BUGS = {
    # pytorch_geometric's papers100m example: `--workers` defined, `num_workers` read (three times)
    "loader-reads-the-keyword-name": ("""
        args = parser.parse_args()
        ds = torch.utils.data.TensorDataset(torch.randn(8, 3))
        train_loader = torch.utils.data.DataLoader(ds, batch_size=args.batch_size, num_workers=args.num_workers)
        valid_loader = torch.utils.data.DataLoader(ds, num_workers=args.num_workers)
    """, [13]),
    # read in a function: `--epochs` read as `args.epoch`
    "read-in-a-function": ("""
        args = parser.parse_args()

        def train(model):
            opt = torch.optim.SGD(model.parameters(), lr=args.learning_rate)
            for epoch in range(args.epoch):
                opt.step()
    """, [15]),
    # `dest=` renames the option: `args.lr` does not exist
    "dest-renames": ("""
        args = parser.parse_args()
        model = torch.nn.Linear(3, 1)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    """, [13]),
    # in a main() that parses, a short option's own name read instead of the long one
    "parsed-in-main": ("""
        def main():
            args = parser.parse_args()
            print(args.data, args.j)

        if __name__ == "__main__":
            main()
    """, [13]),
}

LOOKALIKES = {
    "every-read-defined": """
        args = parser.parse_args()
        print(args.epochs, args.batch_size, args.workers, args.learning_rate, args.data)
    """,
    # an attribute the program sets on the namespace itself
    "attribute-set-by-the-program": """
        args = parser.parse_args()
        args.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        print(args.device)
    """,
    # defaults set outside add_argument, subcommands, parse_known_args
    "set-defaults": """
        parser.set_defaults(momentum=0.9)
        args = parser.parse_args()
        print(args.momentum)
    """,
    "known-args": """
        args, unknown = parser.parse_known_args()
        print(args.gpu)
    """,
    # the namespace updated from a configuration file
    "vars-update": """
        import yaml
        args = parser.parse_args()
        vars(args).update(yaml.safe_load(open("config.yaml")))
        print(args.momentum)
    """,
    # a second parser, or the namespace's name bound twice
    "two-namespaces": """
        args = parser.parse_args()
        args = load_config(args)
        print(args.momentum)
    """,
    # options added from a list
    "options-from-a-list": """
        for name in ["--momentum", "--nesterov"]:
            parser.add_argument(name)
        args = parser.parse_args()
        print(args.momentum)
    """,
    # a parser of another library that reads config files
    "not-argparse": """
        from jsonargparse import ArgumentParser
        p = ArgumentParser()
        p.add_argument("--lr")
        opts = p.parse_args()
        print(opts.momentum)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_undefined_option_is_reported(name):
    tail, lines = BUGS[name]
    assert _lines(tail) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []


MADE_IN_A_FUNCTION = """
    import argparse
    import torch

    def get_parser():
        parser = argparse.ArgumentParser()
        parser.add_argument("--lr", type=float, default=0.1)
        parser.add_argument("--epochs", type=int, default=3)
        return parser

"""


def test_parser_made_in_a_function_and_bound_by_its_call():
    assert _lines("""
        parser = get_parser()
        args = parser.parse_args()
        print(args.lr, args.epoch)
    """, MADE_IN_A_FUNCTION) == [13]


def test_parser_made_and_parsed_in_one_function():
    assert _lines("""
        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--seed", type=int, default=0)
            args = parser.parse_args()
            torch.manual_seed(args.sed)
    """, "import argparse\nimport torch\n") == [8]


def test_parser_bound_from_another_function_stays_silent():
    # the parser parsed is not the one the file makes: another module's parser, with options of its own
    assert _lines("""
        import opts
        parser = opts.get_parser()
        args = parser.parse_args()
        print(args.momentum)
    """, MADE_IN_A_FUNCTION) == []


def test_arguments_parsed_from_a_list():
    assert _lines("""
        args = parser.parse_args(["--epochs", "3"])
        print(args.epoch)
    """) == [12]
    assert _lines("""
        import types
        args = parser.parse_args([], namespace=types.SimpleNamespace(momentum=0.9))
        print(args.momentum)
    """) == []
