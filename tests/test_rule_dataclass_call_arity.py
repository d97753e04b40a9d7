"""TL443 on the file's own dataclasses: a `Config(...)` call the `__init__` that `@dataclass`
writes cannot take (one positional too many, an unknown keyword, a field without default left
out, a keyword-only field given by position, a `field(init=False)` given by keyword), fields
inherited from the file's dataclasses counted in place. The look-alikes are calls that fit
(defaults, `default_factory`, an `InitVar`, keyword-only fields by keyword, `ClassVar`s that are
no fields) and classes whose `__init__` the syntax does not settle: one of their own, an unknown
or non-dataclass base, `init=False`, an option or a field flag the program computes, fields
declared under an `if`, a second decorator."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

BUGS = {
    "torch-config": """
        from dataclasses import dataclass, field
        import torch.nn as nn

        @dataclass
        class Config:
            d_model: int
            n_layers: int = 2
            dropout: float = 0.1
            sizes: list = field(default_factory=list)

        cfg = Config(512, 2, 0.1, [], 5)  # expect
        small = Config(d_model=64, n_head=4)  # expect
        empty = Config()  # expect
        net = nn.Linear(cfg.d_model, 2)
    """,
    "keras-inherited-and-init-false": """
        import dataclasses
        from typing import ClassVar
        from tensorflow import keras

        @dataclasses.dataclass
        class Base:
            units: int
            rate: float = 0.5

        @dataclasses.dataclass
        class Hyper(Base):
            epochs: int = 10
            seen: int = dataclasses.field(init=False, default=0)
            registry: ClassVar[dict] = {}

        hp = Hyper(32, 0.5, 10, 0)  # expect
        hp2 = Hyper(units=32, seen=3)  # expect
        model = keras.Sequential([keras.layers.Dense(hp.units)])
    """,
    "tf-keyword-only": """
        from dataclasses import dataclass, KW_ONLY
        import tensorflow as tf

        @dataclass(kw_only=True)
        class Optim:
            lr: float
            beta: float = 0.9

        @dataclass
        class Data:
            path: str
            _: KW_ONLY
            batch: int

        opt = Optim(0.01)  # expect
        data = Data("train.tfrecord", 32)  # expect
        ds = tf.data.TFRecordDataset(data.path)
    """,
}

LOOKALIKES = {
    "fits": """
        from dataclasses import dataclass, field, InitVar, KW_ONLY
        import torch

        @dataclass(frozen=True)
        class Config:
            d_model: int
            n_layers: int = 2
            sizes: list = field(default_factory=list)
            seed: InitVar[int] = 0
            _: KW_ONLY
            device: str = "cpu"

            def __post_init__(self, seed):
                torch.manual_seed(seed)

        @dataclass(frozen=True)
        class Wide(Config):
            width: int = 4

        a, b = Config(8), Config(8, 2, [], 3, device="cuda")
        c, d = Wide(8, width=16), Wide(d_model=8, n_layers=1, sizes=[1], seed=1, width=2)
        args = (8, 2)
        e = Config(*args)
    """,
    "init-not-settled-by-the-syntax": """
        import attr
        from dataclasses import dataclass, field
        from lib import Base, flag

        FLAG = flag()

        @dataclass
        class Own:
            a: int

            def __init__(self, a, b):
                self.a = a + b

        @dataclass
        class FromLib(Base):
            a: int

        class Plain:
            pass

        @dataclass
        class OverPlain(Plain):
            a: int

        @dataclass(init=False)
        class NoInit:
            a: int

        @dataclass(kw_only=FLAG)
        class Computed:
            a: int

        @dataclass
        class Branch:
            a: int
            if FLAG:
                b: int = 0

        @dataclass
        class FlagField:
            a: int
            b: int = field(init=FLAG, default=0)

        @attr.s
        @dataclass
        class Twice:
            a: int

        @dataclass
        class Child(Own):
            c: int = 0

        x = [Own(1, 2), FromLib(1, 2), OverPlain(1, 2), Computed(1), Branch(1, b=2), FlagField(1, 2), Twice(1, 2),
             Child(1, 2, 3)]
    """,
}


def _findings(tmp_path, capsys, name: str, text: str) -> list:
    path = tmp_path / f"{name.replace('-', '_')}.py"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL443", str(path)]) == 0
    return sorted((f["location"]["row"], f["message"]) for f in json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("name", sorted(BUGS))
def test_a_call_the_generated_init_cannot_take_is_reported(tmp_path, capsys, name):
    text = textwrap.dedent(BUGS[name]).lstrip("\n")
    expected = [i for i, line in enumerate(text.splitlines(), 1) if line.endswith("# expect")]
    assert expected and [row for row, _ in _findings(tmp_path, capsys, name, text)] == expected


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(tmp_path, capsys, name):
    assert _findings(tmp_path, capsys, name, LOOKALIKES[name]) == []


def test_message_quotes_the_generated_init(tmp_path, capsys):
    messages = [m for _, m in _findings(tmp_path, capsys, "hyper", BUGS["keras-inherited-and-init-false"])]
    assert messages[0] == ("`Hyper(32, 0.5, 10, 0)` builds the dataclass Hyper, whose generated "
                           "__init__(self, units, rate=..., epochs=...) (from its fields, line 11) takes 3 arguments, "
                           "not 4: the call raises TypeError when it runs")
    assert "has no parameter `seen`" in messages[1]
