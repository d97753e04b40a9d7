"""Configuration dicts and modules held under names the program fixes.

A dict literal (or `dict(...)`, or `{**base, ...}`) of constant keys is a configuration: a layer
sized by `cfg["hidden"]`, `cfg.get("hidden")` or `nn.Linear(**cfg)` is checked like one sized by
numbers. So are the modules of an `nn.ModuleDict` built from such a dict, and those given to a
module by `add_module("enc", ...)` or `setattr(self, "enc", ...)` and read by `getattr(self,
"enc")`. What the program may change stays unknown: a dict stored into anywhere under the name it
is read through (`cfg["hidden"] = ...`, `cfg.update(...)`), a key it computes, a spread of unknown
contents, a ModuleDict written after it was built, an attribute set under a computed name.
The command line on files; each bug marked `# expect: CODE`, each look-alike silent."""
from __future__ import annotations

import pytest

from corpus_support import checked_as_file, edited_case

HEAD = "import torch\nimport torch.nn as nn\n\n"

FORWARD = """
    def forward(self, x):
        return self.b(self.a(x))  # expect: TL202


out = Net(cfg)(torch.randn(4, 10))
"""

NET = HEAD + """cfg = {CFG}


class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.a = nn.Linear({IN}, {OUT})
        self.b = nn.Linear(30, 5)
""" + FORWARD


def _net(cfg: str, a_in: str = 'cfg["inp"]', a_out: str = 'cfg["hidden"]') -> str:
    return NET.replace("{CFG}", cfg).replace("{IN}", a_in).replace("{OUT}", a_out)


CASES = {
    # a literal given to the model, read by subscript
    "d_literal": _net('{"inp": 10, "hidden": 20}'),
    # read with .get (the default not used)
    "d_get": _net('{"inp": 10, "hidden": 20}', 'cfg.get("inp", 10)', 'cfg.get("hidden", 64)'),
    # spread into the layer's constructor
    "d_spread": _net('{"in_features": 10, "out_features": 20}', "**cfg", "").replace("(**cfg, )", "(**cfg)"),
    # made by dict(...) with keywords, and by a literal spreading a base
    "d_dict_call": _net("dict(inp=10, hidden=20)"),
    "d_merged": _net('{**base, "hidden": 20}').replace("cfg = {", 'base = {"inp": 10, "hidden": 64}\ncfg = {'),
    # nested, and kept on the module as an attribute
    "d_nested": _net('{"model": {"inp": 10, "hidden": 20}}', 'self.cfg["model"]["inp"]',
                     'self.cfg["model"]["hidden"]').replace("super().__init__()\n",
                                                            "super().__init__()\n        self.cfg = cfg\n"),
    # an nn.ModuleDict of a literal, of dict(...) and of a dict bound to a name
    "m_literal": HEAD + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict({"enc": nn.Linear(10, 20), "dec": nn.Linear(30, 5)})

    def forward(self, x):
        h = self.layers["enc"](x)
        return self.layers["dec"](h)  # expect: TL202


out = Net()(torch.randn(4, 10))
""",
    # add_module and setattr under constant names, read as attributes and by getattr
    "m_add_module": HEAD + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.add_module("enc", nn.Linear(10, 20))
        setattr(self, "dec", nn.Linear(30, 5))

    def forward(self, x):
        return getattr(self, "dec")(self.enc(x))  # expect: TL202


out = Net()(torch.randn(4, 10))
""",
    # Keras: a layer's keywords spread from a configuration
    "k_spread": """import numpy as np
from tensorflow import keras

head = {"units": 1, "activation": "sigmoid"}
model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(8,)), keras.layers.Dense(**head)])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.zeros((32, 8)), np.zeros((32, 3)))  # expect: TL208
""",
}
# the same through tf.keras, the configuration given as dict(...)
CASES["k_spread_tf"] = CASES["k_spread"].replace("from tensorflow import keras\n", "import tensorflow as tf\n").replace(
    "keras.", "tf.keras.").replace('head = {"units": 1, "activation": "sigmoid"}', 'head = dict(units=1, activation="sigmoid")')
CASES["m_dict_call"] = CASES["m_literal"].replace('nn.ModuleDict({"enc": nn.Linear(10, 20), "dec": nn.Linear(30, 5)})',
                                                  "nn.ModuleDict(dict(enc=nn.Linear(10, 20), dec=nn.Linear(30, 5)))")
CASES["m_named"] = CASES["m_literal"].replace(
    '        self.layers = nn.ModuleDict({"enc": nn.Linear(10, 20), "dec": nn.Linear(30, 5)})',
    '        parts = {"enc": nn.Linear(10, 20), "dec": nn.Linear(30, 5)}\n        self.layers = nn.ModuleDict(parts)')

STORE = 'cfg = {"inp": 10, "hidden": 20}\n'
LOOKALIKES = {
    # the sizes agree
    "d_literal_agree": ("d_literal", '"hidden": 20}', '"hidden": 30}'),
    "d_merged_agree": ("d_merged", '"hidden": 20}', '"hidden": 30}'),
    "m_literal_agree": ("m_literal", "nn.Linear(30, 5)", "nn.Linear(20, 5)"),
    # the program stores into the dict (here, in a function it calls later, in a loop, by update)
    "d_stored": ("d_literal", STORE, STORE + 'cfg["hidden"] = 30\n'),
    "d_stored_later": ("d_literal", STORE, STORE + '\n\ndef widen():\n    cfg["hidden"] = 30\n\n\nwiden()\n'),
    # a store in a function the file never calls (its caller is elsewhere): it may run first
    "d_stored_uncalled": ("d_literal", "out = Net(cfg)(torch.randn(4, 10))\n",
                          'def train():\n    return Net(cfg)(torch.randn(4, 10))\n\n\n'
                          'def configure():\n    cfg["hidden"] = 30\n'),
    "d_updated": ("d_literal", STORE, STORE + "cfg.update(hidden=30)\n"),
    # each other way of storing into it: an augmented store, spaces around the brackets, a key
    # deleted (through an attribute too), merged in place, a method that changes it
    "d_aug_stored": ("d_literal", STORE, STORE + 'cfg["hidden"] += 10\n'),
    "d_spaced_stored": ("d_literal", STORE, STORE + 'cfg [ "hidden" ]  =  30\n'),
    "d_deleted": ("d_literal", STORE, STORE + 'del cfg["hidden"]\n'),
    "d_attr_deleted": ("d_nested", "        self.cfg = cfg\n", '        self.cfg = cfg\n        del self.cfg["model"]\n'),
    "d_merged_in_place": ("d_literal", STORE, STORE + 'cfg |= {"hidden": 30}\n'),
    "d_popped": ("d_literal", STORE, STORE + 'cfg . pop("hidden")\n'),
    "d_param_stored": ("d_literal", "        super().__init__()\n", '        super().__init__()\n        cfg["hidden"] = 30\n'),
    "d_nested_stored": ("d_nested", "        self.cfg = cfg\n", '        self.cfg = cfg\n        self.cfg["model"]["hidden"] = 30\n'),
    "d_spread_stored": ("d_spread", "\n\nclass Net", '\nfor k in ("out_features",):\n    cfg[k] = 30\n\n\nclass Net'),
    # keys computed, contents spread from unknown values
    "d_computed_key": ("d_literal", 'cfg["hidden"])', 'cfg[KEY])'),
    "d_unknown_spread": ("d_merged", '{**base, "hidden": 20}', '{**base, "hidden": 20, **overrides}'),
    "d_unknown_dict": ("d_dict_call", "dict(inp=10, hidden=20)", "dict(inp=10, hidden=20, **overrides)"),
    # a ModuleDict written after it was built, or read under a key the program computes
    "m_stored": ("m_literal", "\n    def forward", '        self.layers["dec"] = nn.Linear(20, 5)\n\n    def forward'),
    "m_updated": ("m_literal", "\n    def forward", '        self.layers.update({"dec": nn.Linear(20, 5)})\n\n    def forward'),
    # iterated by key: which module each pass runs is not followed
    "m_iterated": ("m_literal", '        h = self.layers["enc"](x)\n        return self.layers["dec"](h)',
                   "        for name in self.layers:\n            x = self.layers[name](x)\n        return x"),
    "m_computed_key": ("m_literal", 'self.layers["dec"](h)', "self.layers[NAME](h)"),
    # an attribute set under a computed name may replace any of the module's
    "m_setattr_computed": ("m_add_module", '        setattr(self, "dec", nn.Linear(30, 5))\n',
                           '        self.dec = nn.Linear(30, 5)\n        setattr(self, NAME, nn.Linear(20, 5))\n'),
    "m_add_module_computed": ("m_add_module", '        setattr(self, "dec", nn.Linear(30, 5))\n',
                              '        self.dec = nn.Linear(30, 5)\n        self.add_module(NAME, nn.Linear(20, 5))\n'),
    "k_spread_agree": ("k_spread", "np.zeros((32, 3))", "np.zeros((32, 1))"),
    "k_spread_tf_unknown": ("k_spread_tf", "dict(units=1, activation=\"sigmoid\")", "dict(units=1, activation=\"sigmoid\", **extra)"),
}


@pytest.mark.parametrize("name", sorted([*CASES, *LOOKALIKES]))
def test_configuration_dicts_and_module_dicts(tmp_path, capsys, name):
    text = edited_case(CASES, LOOKALIKES, name)
    marked, found = checked_as_file(tmp_path, capsys, name, text, "TL2")
    assert found == marked
    if name in CASES:
        assert marked, name  # every bug case expects its finding


# -- classes derived from a torch layer or nn.Sequential -----------------------------------------

DERIVED = HEAD + """{CLASS}

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Wide(10, 20)
        self.b = nn.Linear(30, 5)

    def forward(self, x):
        return self.b(self.a(x))  # expect: TL202


out = Net()(torch.randn(4, 10))
"""

SUBCLASSES = {
    # the library's __init__ and forward, inherited
    "s_inherited": "class Wide(nn.Linear):\n    pass\n",
    # an __init__ of its own that hands its sizes on
    "s_super_init": """class Wide(nn.Linear):
    def __init__(self, i, o):
        super().__init__(i, o, bias=False)
        self.scale = 2.0
""",
    # super().forward inside a forward of its own (the older spelling of super too)
    "s_super_forward": """class Wide(nn.Linear):
    def __init__(self, i, o):
        super(Wide, self).__init__(i, o)

    def forward(self, x):
        return torch.relu(super().forward(x))
""",
    # two classes of the program on the way to the layer
    "s_chain": "class Base(nn.Linear):\n    pass\n\n\nclass Wide(Base):\n    pass\n",
    # a Sequential of the program's own
    "s_sequential": """class Wide(nn.Sequential):
    def __init__(self, i, o):
        super().__init__(nn.Linear(i, o), nn.ReLU())
""",
}

SUBCLASS_LOOKALIKES = {
    "s_inherited_agree": ("s_inherited", "self.a = Wide(10, 20)", "self.a = Wide(10, 30)"),
    # the class replaces the weight the forward uses, or writes another of the layer's facts
    "s_weight_replaced": ("s_super_init", "        self.scale = 2.0\n",
                          "        self.weight = nn.Parameter(torch.randn(30, 10))\n"),
    "s_out_features_written": ("s_super_init", "        self.scale = 2.0\n", "        self.out_features = 30\n"),
    # a method the library's forward may call, or a class attribute, of the class's own
    "s_other_method": ("s_inherited", "    pass\n", "    def _apply_weight(self, x):\n        return x\n"),
    "s_class_attribute": ("s_inherited", "    pass\n", "    __constants__ = ['in_features']\n"),
    # the base constructor is never run, or the class has a second base
    "s_no_super_init": ("s_super_init", "        super().__init__(i, o, bias=False)\n", "        nn.Module.__init__(self)\n"),
    "s_two_bases": ("s_inherited", "class Wide(nn.Linear):", "class Wide(nn.Linear, Mixin):"),
    # a forward of its own that does not use the layer's
    "s_own_forward": ("s_super_forward", "return torch.relu(super().forward(x))", "return x.repeat(1, 3)"),
    # modules added to the Sequential join its sequence
    "s_sequential_grown": ("s_sequential", "nn.ReLU())\n", 'nn.ReLU())\n        self.add_module("up", nn.Linear(o, 30))\n'),
    "s_sequential_attribute": ("s_sequential", "nn.ReLU())\n", "nn.ReLU())\n        self.up = nn.Linear(o, 30)\n"),
}


@pytest.mark.parametrize("name", sorted([*SUBCLASSES, *SUBCLASS_LOOKALIKES]))
def test_classes_derived_from_library_layers(tmp_path, capsys, name):
    cases = {k: DERIVED.replace("{CLASS}", v) for k, v in SUBCLASSES.items()}
    text = edited_case(cases, SUBCLASS_LOOKALIKES, name)
    marked, found = checked_as_file(tmp_path, capsys, name, text, "TL2")
    assert found == marked
    if name in SUBCLASSES:
        assert marked, name
