"""A made-up table's column that the program maps through a dict of constant keys
(`df['Origin'].map({1: 'USA', 2: 'Europe', 3: 'Japan'})`) holds values drawn from those keys, in
both runs: any other value would become NaN, so the program fixes that column's values itself.
One-hot columns made from it by `pd.get_dummies` are bool (pandas 2), and a feature matrix that
mixes them with floats is an object array that neither framework converts: the program's error,
found in both runs. The same program with `dtype=float` dummies stays "could not check" (its
values are the check's), never an error."""
from __future__ import annotations

import pytest

COMMON = """\
import numpy as np
import pandas as pd
{framework}

names = ['MPG', 'Cylinders', 'Weight', 'Origin']
raw = pd.read_csv('auto-mpg.data', names=names, sep=' ')
data = raw.copy()
data = data.dropna()
data['Origin'] = data['Origin'].map({{1: 'USA', 2: 'Europe', 3: 'Japan'}})
data = pd.get_dummies(data, columns=['Origin'], prefix='', prefix_sep=''{dtype})
labels = data.pop('MPG')
features = np.array(data)
{model}
"""

KERAS = dict(framework="import tensorflow as tf\nfrom tensorflow import keras", model="""\
model = keras.Sequential([keras.layers.Dense(8, activation='relu'), keras.layers.Dense(1)])
model.compile(loss='mse', optimizer='adam')
model.fit(features, np.array(labels), epochs=1)""")

TORCH = dict(framework="import torch\nimport torch.nn as nn", model="""\
net = nn.Linear(5, 1)
x = torch.tensor(features, dtype=torch.float32)
out = net(x)
loss = nn.functional.mse_loss(out.squeeze(1), torch.tensor(np.array(labels), dtype=torch.float32))""")


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error"]


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def test_bool_dummies_of_a_mapped_column_make_an_object_array_the_program_cannot_fit(installed, text_check):
    installed("pandas")
    installed("tensorflow")
    text = COMMON.format(dtype="", **KERAS)
    report = text_check(text)
    assert report.status == "errors", report.message
    assert line_of(text, "model.fit(") in [d.line for d in errors(report)], [(d.line, d.message) for d in errors(report)]
    assert any("the values of `Origin` drawn from the keys of the dict the program maps it through" in n
               for n in report.notes), report.notes


def test_torch_the_conversion_of_that_object_array_is_where_the_replay_stops(installed, text_check):
    # a line outside a model that fails is never blamed on the program, but it is the line said,
    # in both runs (without the keys, the first run's dummies are empty and a layer fails instead)
    installed("pandas")
    installed("torch")
    text = COMMON.format(dtype="", **TORCH)
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert report.message.split("could not check: ")[1].startswith(f"line {line_of(text, 'x = torch.tensor(')} "), \
        report.message
    assert "numpy.object_" in report.message, report.message
    assert errors(report) == [], [(d.line, d.message) for d in errors(report)]


@pytest.mark.parametrize("which", ["keras", "torch"])
def test_float_dummies_of_the_same_column_are_not_an_error(installed, text_check, which):
    installed("pandas")
    installed("tensorflow" if which == "keras" else "torch")
    parts = KERAS if which == "keras" else TORCH
    report = text_check(COMMON.format(dtype=", dtype=float", **parts))
    assert errors(report) == [], [(d.line, d.message) for d in errors(report)]
    assert report.status == "could-not-check" and "its values are the check's" in report.message, report.message


def test_two_maps_that_disagree_fix_no_values(installed, text_check):
    installed("pandas")
    installed("torch")
    text = COMMON.format(dtype="", **TORCH).replace(
        "data = data.dropna()", "data = data.dropna()\nyears = data['Origin'].map({70: 'a', 71: 'b'})")
    report = text_check(text)
    assert not any("drawn from the keys" in n for n in report.notes), report.notes
