"""TL443 on constructors: a class of the file built with arguments its `__init__` cannot take
(one too many, an unknown keyword, a required one left out), inherited `__init__` resolved
through the file's own classes; and, for functions and constructors alike, a positional-only
parameter passed by keyword or one argument given twice. The look-alikes are classes whose
construction Python does not check against that `__init__` alone (a decorator, a metaclass,
`__new__`, an enum, a base the file cannot name, an `__init__` inherited from a framework),
calls that spread `*args`/`**kwargs`, and calls that fit."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

BUGS = {
    "torch-extra-argument": """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self, n_in, n_out):
                super().__init__()
                self.fc = nn.Linear(n_in, n_out)

        model = Net(3, 4, 5)  # expect
    """,
    "keras-unknown-keyword-and-missing": """
        import tensorflow as tf
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def __init__(self, units, rate=0.1):
                super().__init__()
                self.units = units

        class Net(tf.keras.Model):
            def __init__(self, units):
                super().__init__()
                self.block = Block(units, drop=0.5)  # expect

        net = Net()  # expect
    """,
    "inherited-through-own-base": """
        import torch.nn as nn

        class Base(nn.Module):
            def __init__(self, width):
                super().__init__()
                self.fc = nn.Linear(width, width)

        class Deep(Base):
            def forward(self, x):
                return self.fc(x)

        class Deeper(Deep):
            pass

        a = Deeper(8, 2)  # expect
        b = Deep(width=8, depth=2)  # expect
    """,
    "plain-class-given-twice-and-by-position-only": """
        import torch

        class Config:
            def __init__(self, path, /, *, lr=0.1):
                self.path = path

        class Loader:
            def __init__(self, data, batch_size=32):
                self.data = data

        cfg = Config(path="a.yaml")  # expect
        loader = Loader([1, 2], 16, batch_size=8)  # expect
    """,
    "function-given-twice-and-by-position-only": """
        import tensorflow as tf

        def scale(x, factor, /, offset=0.0):
            return x * factor + offset

        def clip(value, low=0.0, high=1.0):
            return min(max(value, low), high)

        y = scale(2.0, factor=3.0)  # expect
        z = clip(0.5, 0.0, 1.0, low=0.2)  # expect
    """,
}

LOOKALIKES = {
    "fits": """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self, n_in, n_out=10, *layers, act=None, **extra):
                super().__init__()

        class Sub(Net):
            pass

        class Opts:
            def __init__(self, path, /, **kw):
                self.kw = kw

        sizes = (3, 4)
        a, b, c = Net(3), Net(3, 4, 5, 6, act=1, other=2), Net(*sizes)
        d, e = Sub(n_in=3), Net(**{"n_in": 3, "n_out": 4, "x": 1})
        f = Opts("p", path="q")
    """,
    "construction-not-checked-against-init": """
        import abc
        import enum
        from dataclasses import dataclass
        import torch.nn as nn
        from elsewhere import Base

        @dataclass
        class Decorated:
            def __init__(self, a):
                self.a = a

        class WithMeta(metaclass=abc.ABCMeta):
            def __init__(self, a):
                self.a = a

        class Color(enum.Enum):
            def __init__(self, a):
                self.a = a

        class Unknown(Base):
            def __init__(self, a):
                self.a = a

        class New:
            def __new__(cls, *args):
                return object.__new__(cls)

            def __init__(self, a):
                self.a = a

        class Framework(nn.Module):
            pass

        class Both(Framework, Base):
            pass

        class Rebound:
            def __init__(self, a):
                self.a = a

        Rebound = Base

        class Branch:
            if Base:
                def __init__(self, a):
                    self.a = a

        x = [Decorated(1, 2), WithMeta(1, 2), Color(1, 2), Unknown(1, 2), New(1, 2), Framework(1, 2),
             Both(1, 2), Rebound(1, 2), Branch(1, 2)]
    """,
}


def _rows(tmp_path, capsys, name: str, text: str) -> list:
    path = tmp_path / f"{name.replace('-', '_')}.py"
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL443", str(path)]) == 0
    return sorted(f["location"]["row"] for f in json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("name", sorted(BUGS))
def test_call_that_cannot_bind_is_reported(tmp_path, capsys, name):
    text = textwrap.dedent(BUGS[name]).lstrip("\n")
    expected = [i for i, line in enumerate(text.splitlines(), 1) if line.endswith("# expect")]
    assert expected and _rows(tmp_path, capsys, name, text) == expected


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(tmp_path, capsys, name):
    assert _rows(tmp_path, capsys, name, LOOKALIKES[name]) == []


def test_message_names_the_class_and_its_init(tmp_path, capsys):
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent(BUGS["inherited-through-own-base"]).lstrip("\n"))
    main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL443", str(path)])
    messages = [f["message"] for f in json.loads(capsys.readouterr().out)]
    assert messages[0].startswith("`Deeper(8, 2)` builds Deeper, whose __init__(self, width), defined at line 4, "
                                  "takes 1 argument, not 2")


def test_module_call_given_twice_is_reported_by_tl224(tmp_path, capsys):
    """The same reading of a call serves TL224: a module's input given by position and by name."""
    path = tmp_path / "step.py"
    path.write_text(textwrap.dedent("""
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 2)

            def forward(self, x, mask=None):
                return self.fc(x)

        net = Net()

        def step(x, m):
            return net(x, x=m), net(x, mask=m)
    """).lstrip("\n"))
    main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL224", str(path)])
    found = json.loads(capsys.readouterr().out)
    assert [(f["location"]["row"], f["code"]) for f in found] == [(14, "TL224")]
    assert "gets `x` twice" in found[0]["message"]
