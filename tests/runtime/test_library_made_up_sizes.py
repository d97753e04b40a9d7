"""A library file's model class whose constructor parameters without a default are all sizes (a
layer's width, channel or class count, a `range`, a slice's bound, the shape of a view) is built
with sizes the check makes up, twice (distinct multiples of 24, then twice those), and run on the
input its first layers declare; an error counts as the program's only when both builds fail alike
at the same line. The report says which sizes were made up. A parameter read as anything else (a
name looked up, a flag, a rate, an object's attribute) keeps the class unbuilt."""
from __future__ import annotations

import libcst as cst

from tensorlint.runtime.ctor_sizes import class_sizes

# an encoder whose latent samples come out of a permute: `.view` on them raises, `.reshape` does not
ENCODER = """\
import torch
from torch import nn


class Encoder(nn.Module):
    def __init__(self, in_channels, latent_dim, hidden=32):
        super().__init__()
        self.latent_dim = latent_dim
        self.conv = nn.Sequential(nn.Conv2d(in_channels, hidden, 3, stride=2, padding=1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(hidden, latent_dim * 2)

    def forward(self, x):
        h = self.conv(x).flatten(1)
        stats = self.fc(h)
        mu = stats[:, :self.latent_dim].repeat(3, 1, 1).permute(1, 0, 2)
        return mu.{flatten}(-1, self.latent_dim)
"""

# a recurrent tagger sized by its constructor; its time-major output is transposed before the view
TAGGER = """\
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, n_features, hidden_size, n_tags):
        super(Tagger, self).__init__()
        self.hidden_size = hidden_size
        self.rnn = nn.GRU(n_features, hidden_size)
        self.out = nn.Linear(hidden_size, n_tags)

    def forward(self, x):
        h, _ = self.rnn(x)
        h = h.transpose(0, 1){fix}
        return self.out(h.view(-1, self.hidden_size))
"""


def errors(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.severity == "error"}


def sizes_of(text: str) -> dict:
    return class_sizes(cst.parse_module(text))


def test_the_sizes_a_constructor_takes_are_told_from_its_other_parameters():
    assert sizes_of(ENCODER.format(flatten="view")) == {"Encoder": ["in_channels", "latent_dim"]}
    assert sizes_of(TAGGER.format(fix="")) == {"Tagger": ["n_features", "hidden_size", "n_tags"]}
    base = ENCODER.format(flatten="view")
    # read as something else than a size: a layer looked up by name, a flag, a rate, an object
    for before, after in [
        ("hidden=32):", "hidden=32, act=None):\n        self.act = getattr(nn, latent_dim)"),
        ("super().__init__()", "super().__init__()\n        if in_channels:\n            pass"),
        ("nn.ReLU()", "nn.Dropout(latent_dim)"),
        ("hidden, 3, stride", "hidden, in_channels.kernel, stride"),
        ("self.latent_dim = latent_dim", "self.latent_dim = latent_dim\n        self.scale = latent_dim * 0.5"),
        ("return mu.view", "print(self.latent_dim)\n        return mu.view"),
    ]:
        text = base.replace(before, after)
        assert text != base, before
        assert sizes_of(text) == {}, after
    # a kernel size is not a size the check makes up
    assert sizes_of(base.replace("hidden, 3, stride", "hidden, latent_dim, stride")) == {}
    # a parameter with a default is the file's own choice: only those without one are made up
    assert sizes_of(base.replace("in_channels, latent_dim,", "in_channels=3, latent_dim=8,")) == {}


def test_a_view_of_a_permuted_tensor_fails_for_both_made_up_sizes(torch_python, text_check):
    report = text_check(ENCODER.format(flatten="view"))
    assert report.status == "errors", report.message
    found = errors(report)
    assert 17 in found and set(found) <= {5, 17}, report.diagnostics()
    assert "view size is not compatible" in found[17], found
    assert any("made-up sizes (in_channels=24, latent_dim=48 and in_channels=48, latent_dim=96)" in n
               and "the same error at the same line both times" in n for n in report.notes), report.notes


def test_the_same_encoder_with_reshape_is_not_an_error(torch_python, text_check):
    report = text_check(ENCODER.format(flatten="reshape"))
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert "made-up sizes (in_channels=24, latent_dim=48 and in_channels=48, latent_dim=96)" in report.message, report.message


def test_a_recurrent_model_sized_by_its_constructor(torch_python, text_check):
    report = text_check(TAGGER.format(fix=""))
    assert report.status == "errors", report.message
    assert 14 in errors(report) and set(errors(report)) <= {4, 14}, report.diagnostics()
    report = text_check(TAGGER.format(fix=".contiguous()"))
    assert report.status == "could-not-check" and not errors(report), report.diagnostics()
    assert "n_features=24, hidden_size=48, n_tags=72" in report.message, report.message


def test_an_error_that_depends_on_the_made_up_sizes_is_not_the_programs(torch_python, text_check):
    # the classifier is sized for 8x8 features whatever the width: the message's numbers are
    # computed from the made-up width, so the two builds fail differently
    text = """\
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, width, n_classes):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.AdaptiveAvgPool2d(4))
        self.fc = nn.Linear(width * 8 * 8, n_classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))
"""
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert "made-up sizes: width=24, n_classes=48 and width=48, n_classes=96: it fails differently for each" \
        in report.message, report.message


def test_a_parameter_that_is_no_size_keeps_the_class_unbuilt(torch_python, text_check):
    text = ENCODER.format(flatten="view").replace("hidden=32):", "config, hidden=32):").replace(
        "self.latent_dim = latent_dim", "self.latent_dim = latent_dim\n        self.beta = config.beta")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert "`Encoder` needs `in_channels`, `latent_dim`, `config`, which nothing in the file gives" in report.message, \
        report.message


def test_a_keras_layer_sized_by_its_constructor_has_no_declared_input(tf_python, text_check):
    text = """\
import tensorflow as tf


class Block(tf.keras.layers.Layer):
    def __init__(self, units, n_out):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(units, activation="relu")
        self.out = tf.keras.layers.Dense(n_out)

    def call(self, x):
        return self.out(self.hidden(x))
"""
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
    assert "builds with made-up sizes (units=24, n_out=48 and units=48, n_out=96)" in report.message, report.message
    assert "nothing in the file fixes its input's size" in report.message, report.message


# a VAE whose classifier is sized for the 2x2 maps of images of side 33 to 64 (five stride-2
# convolutions): on side 96 it stops at `fc_mu`, before the view of the permuted samples
VAE = """\
import torch
from torch import nn


class VAE(nn.Module):
    def __init__(self, in_channels, latent_dim, hidden_dims=None):
        super().__init__()
        self.latent_dim = latent_dim
        if hidden_dims is None:
            hidden_dims = [8, 8, 16, 16, 32]
        modules = []
        for h in hidden_dims:
            modules.append(nn.Sequential(nn.Conv2d(in_channels, h, 3, stride=2, padding=1), nn.LeakyReLU()))
            in_channels = h
        self.encoder = nn.Sequential(*modules)
        self.fc_mu = nn.Linear(hidden_dims[-1] * {cells}, latent_dim)

    def forward(self, x):
        h = torch.flatten(self.encoder(x), start_dim=1)
        mu = self.fc_mu(h)
        z = mu.repeat(2, 3, 1, 1).permute(2, 0, 1, 3)
        return z.{flatten}(-1, self.latent_dim)
"""


def test_a_model_that_takes_some_image_sides_only_is_run_on_another(torch_python, text_check):
    report = text_check(VAE.format(cells=4, flatten="view"))
    assert report.status == "errors", report.message
    assert 22 in errors(report) and set(errors(report)) <= {5, 22}, report.diagnostics()
    assert any("the second run on images of side 48: on side 96 it stops before line 22" in n for n in report.notes), \
        report.notes
    report = text_check(VAE.format(cells=4, flatten="reshape"))
    assert report.status == "could-not-check" and not errors(report), report.diagnostics()


def test_no_second_side_that_reaches_the_line_leaves_it_unchecked(torch_python, text_check):
    # sized for the 1x1 maps of sides 1 to 32 only... of which the check tries 32 alone: one choice
    report = text_check(VAE.format(cells=1, flatten="view"))
    assert report.status == "could-not-check", report.message
    assert not errors(report), report.diagnostics()
