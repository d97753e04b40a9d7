"""Configuration classes made by `@dataclass`: the `__init__` the decorator writes binds each
field from the call (by position or keyword) or from its default, `__post_init__` runs after it,
and a field inherited from a dataclass base keeps its place. Layers sized by such fields are then
checked like layers sized by numbers. A field the call may give through unknown `**kwargs` or
`*args`, a `default_factory` field, and the defaults of classes that another library fills
(attrs, pydantic) stay unknown. The command line on files; each bug marked `# expect: CODE`."""
from __future__ import annotations

import textwrap

import pytest

from corpus_support import checked_as_file

TORCH_MODEL = """
class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.fc1 = nn.Linear(cfg.d_in, cfg.d_hidden)
        self.fc2 = nn.Linear(cfg.d_out_in, cfg.classes)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))  # expect: TL202


net = Net(cfg)
out = net(torch.randn(4, 16))
"""

def _config(*fields: str, deco: str = "@dataclass", name: str = "Config", body: str = "") -> str:
    """A configuration class: its decorator, annotated fields and other body lines."""
    lines = [deco, f"class {name}:", *(f"    {f}" for f in fields)]
    return "\n".join(lines) + "\n" + textwrap.indent(textwrap.dedent(body), "    ") + "\n\n"


SIZES = ("d_in: int = 16", "d_hidden: int = 32", "d_out_in: int = 64", "classes: int = 10")

CASES = {
    # defaults written as annotated class attributes
    "t_defaults": _config(*SIZES) + "cfg = Config()\n",
    # required fields given by keyword, one default
    "t_keywords": _config("d_in: int", "d_hidden: int", "d_out_in: int", "classes: int = 10")
    + "cfg = Config(d_in=16, d_hidden=32, d_out_in=64)\n",
    # by position, the module imported whole, the decorator called
    "t_positional": _config("d_in: int", "d_hidden: int", "d_out_in: int", "classes: int",
                            deco="@dataclasses.dataclass(frozen=True)") + "cfg = Config(16, 32, 64, 10)\n",
    # `field(default=...)`, a ClassVar that is no field, and a call that overrides a default
    "t_field_default": _config("scale: ClassVar[int] = 2", "d_in: int = field(default=8)",
                               'd_hidden: int = field(default=32, metadata={"help": "width"})', *SIZES[2:])
    + "cfg = Config(d_in=16)\n",
    # a size derived in __post_init__
    "t_post_init": _config(*SIZES[:2], SIZES[3], body="""
        def __post_init__(self):
            self.d_out_in = self.d_hidden * 2
    """) + "cfg = Config()\n",
    # no decorator: annotated class attributes of a plain class are class attributes
    "t_plain_object": _config(*SIZES, deco="", name="Config(object)") + "cfg = Config()\n",
    # fields of a dataclass base come first; the child adds its own and changes a default
    "t_inherited": _config("d_in: int = 16", "d_hidden: int = 8", name="Base")
    + _config(*SIZES[1:], name="Config(Base)") + "cfg = Config()\n",
}

# look-alikes: (case, old text, new text) or (case, [(old, new), ...]); each stays silent
LOOKALIKES = {
    # the sizes agree
    "t_defaults_agree": ("t_defaults", "d_out_in: int = 64", "d_out_in: int = 32"),
    "t_keywords_agree": ("t_keywords", "d_out_in=64", "d_out_in=32"),
    "t_positional_agree": ("t_positional", "Config(16, 32, 64, 10)", "Config(16, 32, 32, 10)"),
    # the call gives a value that replaces the default the bug would have used
    "t_defaults_overridden": ("t_defaults", "cfg = Config()", "cfg = Config(d_out_in=32)"),
    "t_inherited_overridden": ("t_inherited", "cfg = Config()", "cfg = Config(16, 32, 32)"),
    # fields the call may give through arguments of unknown content: not the defaults
    "t_defaults_kwargs": ("t_defaults", "cfg = Config()", "cfg = Config(**overrides)"),
    "t_defaults_args": ("t_defaults", "cfg = Config()", "cfg = Config(*sizes)"),
    # a field made by a factory is not known
    "t_factory": ("t_defaults", "d_out_in: int = 64", "d_out_in: int = field(default_factory=lambda: 64)"),
    # a class another library fills from the call: its annotated defaults are not read
    "t_attrs": ("t_defaults", "@dataclass\n", "@attr.s(auto_attribs=True)\n"),
    "t_pydantic": ("t_defaults", [("@dataclass\n", ""), ("class Config:", "class Config(BaseModel):")]),
    # whether the decorator writes an __init__ is not known: what the call gives is not known
    "t_init_unknown": ("t_defaults", [("@dataclass\n", "@dataclass(init=WRITE_INIT)\n"),
                                      ("cfg = Config()", "cfg = Config(d_out_in=32)")]),
}

HEADER = """
import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

import attr
import torch
import torch.nn as nn
from pydantic import BaseModel
"""

KERAS = {
    "k_defaults": """
    import numpy as np
    from dataclasses import dataclass
    from tensorflow import keras


    @dataclass
    class Config:
        features: int = 8
        classes: int = 3


    cfg = Config()
    model = keras.Sequential([keras.Input(shape=(cfg.features,)), keras.layers.Dense(cfg.classes)])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")
    model.fit(np.zeros((100, 12)), np.zeros(100), epochs=1)  # expect: TL203
    """,
}
KERAS["k_defaults_overridden"] = KERAS["k_defaults"].replace("cfg = Config()", "cfg = Config(features=12)").replace(
    "  # expect: TL203", "")


def _text(name: str) -> str:
    if name in KERAS:
        return textwrap.dedent(KERAS[name]).lstrip("\n")
    base, *edits = LOOKALIKES.get(name, (name, []))
    config = textwrap.dedent(CASES[base])
    for old, new in [tuple(edits)] if len(edits) == 2 else edits[0]:
        assert old in config, name
        config = config.replace(old, new)
    text = HEADER + config + TORCH_MODEL
    return text.replace("  # expect: TL202", "") if name in LOOKALIKES else text.lstrip("\n")


ALL = sorted([*CASES, *LOOKALIKES, *KERAS])


@pytest.mark.parametrize("name", ALL)
def test_dataclass_fields_size_layers(tmp_path, capsys, name):
    marked, found = checked_as_file(tmp_path, capsys, name, _text(name), "TL2")
    assert found == marked


def test_every_bug_case_expects_a_finding():
    for name in [*CASES, *KERAS]:
        if "overridden" not in name:
            assert "# expect:" in _text(name), name
