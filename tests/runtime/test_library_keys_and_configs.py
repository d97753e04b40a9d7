"""Library-file model classes built with what their constructor fixes beside sizes. A parameter
read only as the key of a table the file defines at its top level (`cfg = {'VGG11': [64, 'M', ...]}`
... `self._make_layers(cfg[vgg_name])`) gets that table's first key: the file fixes its values, so
nothing about it is made up. An object the constructor reads only for fields that are sizes
(`nn.GRU(params.n_features, params.hidden_size)`) is made up as an object of those fields, each a
made-up size, twice, as size parameters are. Other parameters that are sizes are made up as before.
A parameter read as anything else, a table bound twice or whose keys are not all written as
constants, a key stored into the table, a field read as a rate, a flag or a kernel size, or the
object kept on the instance keeps the class unbuilt."""
from __future__ import annotations

import libcst as cst

from tensorlint.runtime.ctor_sizes import class_sizes

# a VGG-like network whose layers come from one of the file's configurations; {norm} is the width
# its batch normalization is given (the layer's output width `x`, or the input width by mistake)
VGG = """\
import torch.nn as nn

cfg = {{
    'A': [16, 'M', 32, 'M'],
    'B': [16, 16, 'M', 32, 32, 'M'],
}}


class VGG(nn.Module):
    def __init__(self, vgg_name):
        super().__init__()
        self.features = self._make_layers(cfg[vgg_name])

    def forward(self, x):
        return self.features(x).mean((2, 3))

    def _make_layers(self, layers_cfg):
        layers = []
        in_channels = 3
        for x in layers_cfg:
            if x == 'M':
                layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            else:
                layers += [nn.Conv2d(in_channels, x, kernel_size=3, padding=1), nn.BatchNorm2d({norm}), nn.ReLU()]
                in_channels = x
        return nn.Sequential(*layers)
"""

# a classifier sized by its constructor, whose trunk is one of the file's configurations, kept on
# the instance; {fc} is the width its last Linear takes (the configuration's own, or another's)
NET = """\
import torch
from torch import nn

WIDTHS = {{1: [8, 16], 2: [8, 16, 32]}}


class Net(nn.Module):
    def __init__(self, depth, n_classes):
        super().__init__()
        self.depth = depth
        widths = WIDTHS[self.depth]
        blocks, width = [], 3
        for w in widths:
            blocks.append(nn.Conv2d(width, w, 3, padding=1))
            width = w
        self.trunk = nn.Sequential(*blocks)
        self.fc = nn.Linear({fc}, n_classes)

    def forward(self, x):
        h = self.trunk(x).amax((2, 3))
        return self.fc(h)
"""


def errors(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.severity == "error"}


def unchecked(report, said: str) -> None:
    """Not checked, without an error, saying `said`."""
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert said in report.message, report.message


def sizes_of(text: str) -> dict:
    return class_sizes(cst.parse_module(text))


def test_a_parameter_read_as_a_key_of_the_files_table_is_told():
    key = {"name": "vgg_name", "table": "cfg", "keys": ["A", "B"]}
    base = VGG.format(norm="x")
    assert sizes_of(base) == {"VGG": [key]}
    assert sizes_of(NET.format(fc="WIDTHS[self.depth][-1]")) == {"Net": [{"name": "depth", "table": "WIDTHS", "keys": [1, 2]},
                                                              "n_classes"]}
    # what keeps it unbuilt: the parameter read otherwise, a table the file binds twice, keys not
    # all constants, a spread of another dict, a key stored into the table, a table that is no dict
    for before, after in [
        ("self.features = self._make_layers(cfg[vgg_name])",
         "self.features = self._make_layers(cfg[vgg_name])\n        print(vgg_name)"),
        ("self.features = self._make_layers(cfg[vgg_name])",
         "self.features = self._make_layers(cfg[vgg_name] if vgg_name else [])"),
        ("\n\nclass VGG", "\ncfg = dict(cfg)\n\n\nclass VGG"),
        ("\n\nclass VGG", "\nfor cfg in [cfg]:\n    pass\n\n\nclass VGG"),
        ("'B': [16,", "NAME: [16,"),
        ("'B': [16, 16, 'M', 32, 32, 'M'],", "**OTHER,"),
        ("self.features = self._make_layers(cfg[vgg_name])",
         "cfg[vgg_name] = [8]\n        self.features = self._make_layers(cfg[vgg_name])"),
        ("cfg = {", "cfg = {} or {"),
    ]:
        text = base.replace(before, after)
        assert text != base, before
        assert sizes_of(text) == {}, after
    # a key read from a table that the class's own method builds is not the file's table
    assert sizes_of(base.replace("cfg[vgg_name]", "{'A': [8]}[vgg_name]")) == {}
    # a parameter with a default is the file's own choice
    assert sizes_of(base.replace("def __init__(self, vgg_name)", "def __init__(self, vgg_name='A')")) == {}


KERAS_HEAD = """\
from tensorflow import keras

SIZES = {'small': [16], 'large': [64, 64]}


class Head(keras.layers.Layer):
    def __init__(self, size, n_out):
        super().__init__()
        self.hidden = [keras.layers.Dense(u, activation="relu") for u in SIZES[size]]
        self.out = keras.layers.Dense(n_out)

    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.out(x)
"""


def test_a_keras_layer_keyed_by_the_files_table_is_told():
    assert sizes_of(KERAS_HEAD) == {"Head": [{"name": "size", "table": "SIZES", "keys": ["small", "large"]}, "n_out"]}


def test_a_keras_layer_keyed_by_the_files_table_has_no_declared_input(tf_python, text_check):
    report = text_check(KERAS_HEAD)
    unchecked(report, "builds with made-up sizes (n_out=24 and n_out=48; size='small' (the first key of the file's `SIZES`))")
    assert "nothing in the file fixes its input's size" in report.message, report.message


def test_a_configuration_of_the_file_that_fails_is_the_programs_error(torch_python, text_check):
    report = text_check(VGG.format(norm="in_channels"))
    assert report.status == "errors", report.message
    found = errors(report)
    assert 15 in found and set(found) <= {9, 15}, report.diagnostics()
    assert "running_mean should contain 16 elements not 3" in found[15], found
    assert any("vgg_name='A' (the first key of the file's `cfg`)" in n and "the same error at the same line both times"
               in n for n in report.notes), report.notes


def test_the_same_configuration_with_the_right_width_runs(torch_python, text_check):
    unchecked(text_check(VGG.format(norm="x")), "built with vgg_name='A' (the first key of the file's `cfg`)")


def test_a_key_beside_made_up_sizes(torch_python, text_check):
    unchecked(text_check(NET.format(fc="WIDTHS[self.depth][-1]")),
              "made-up sizes (n_classes=24 and n_classes=48; depth=1 (the first key of the file's `WIDTHS`))")
    # a classifier sized by another configuration's width: fails alike for both made-up class counts
    report = text_check(NET.format(fc="WIDTHS[2][-1]"))
    assert report.status == "errors", report.message
    found = errors(report)
    assert 21 in found and set(found) <= {7, 21}, report.diagnostics()
    assert "mat1 and mat2 shapes cannot be multiplied (2x16 and 32x24)" in found[21], found


def test_a_name_that_is_not_the_files_table_stays_unbuilt(torch_python, text_check):
    text = VGG.format(norm="in_channels").replace("\n\nclass VGG", "\ncfg = dict(cfg)\n\n\nclass VGG")
    unchecked(text_check(text), "`VGG` needs `vgg_name`, which nothing in the file gives")


# a recurrent tagger sized by the fields of one configuration object; its time-major output is
# transposed before the view ({fix}: `.contiguous()` in the look-alike)
CONFIGURED = """\
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, params):
        super().__init__()
        self.rnn = nn.GRU(params.n_features, params.hidden_size)
        self.out = nn.Linear(params.hidden_size, params.n_tags)

    def forward(self, x):
        h, _ = self.rnn(x)
        h = h.transpose(0, 1){fix}
        return self.out(h.view(-1, h.shape[-1]))
"""


def test_an_object_read_only_for_sizes_is_told():
    base = CONFIGURED.format(fix="")
    assert sizes_of(base) == {"Tagger": [{"name": "params", "fields": ["n_features", "hidden_size", "n_tags"]}]}
    assert sizes_of(base.replace("(self, params)", "(self, params, n_tags)").replace("params.n_tags", "n_tags")) == \
        {"Tagger": [{"name": "params", "fields": ["n_features", "hidden_size"]}, "n_tags"]}
    # what keeps it unbuilt: a field read as a rate, a flag, a kernel size; a field stored; the
    # object kept on the instance or read whole
    for before, after in [
        ("self.out = ", "self.drop = nn.Dropout(params.dropout)\n        self.out = "),
        ("super().__init__()", "super().__init__()\n        if params.bidirectional:\n            pass"),
        ("self.out = ", "self.conv = nn.Conv1d(params.n_features, 8, params.kernel)\n        self.out = "),
        ("super().__init__()", "super().__init__()\n        params.hidden_size = 16"),
        ("super().__init__()", "super().__init__()\n        self.params = params"),
        ("super().__init__()", "super().__init__()\n        print(params)"),
    ]:
        text = base.replace(before, after)
        assert text != base, before
        assert sizes_of(text) == {}, after
    keras = """\
from tensorflow import keras


class Head(keras.layers.Layer):
    def __init__(self, config):
        super().__init__()
        self.hidden = keras.layers.Dense(config.units)
        self.out = keras.layers.Dense(config.n_out)
"""
    assert sizes_of(keras) == {"Head": [{"name": "config", "fields": ["units", "n_out"]}]}
    assert sizes_of(keras.replace("Dense(config.units)", "Dense(config.units, activation=config.act)")) == {}


def test_an_error_under_both_made_up_objects_is_the_programs(torch_python, text_check):
    report = text_check(CONFIGURED.format(fix=""))
    assert report.status == "errors", report.message
    found = errors(report)
    assert 13 in found and set(found) <= {4, 13}, report.diagnostics()
    assert "view size is not compatible" in found[13], found
    assert any("params.n_features=24, params.hidden_size=48, params.n_tags=72 and params.n_features=48" in n
               and "the same error at the same line both times" in n for n in report.notes), report.notes
    unchecked(text_check(CONFIGURED.format(fix=".contiguous()")), "params.n_features=24, params.hidden_size=48")


def test_an_object_with_a_field_that_is_no_size_stays_unbuilt(torch_python, text_check):
    text = CONFIGURED.format(fix="").replace("self.out = ", "self.drop = nn.Dropout(params.dropout)\n        self.out = ")
    unchecked(text_check(text), "`Tagger` needs `params`, which nothing in the file gives")
