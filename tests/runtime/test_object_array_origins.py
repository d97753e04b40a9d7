"""A frame whose columns have different kinds (the bool columns `pd.get_dummies` makes in pandas 2,
text beside numbers) becomes an array of Python objects under NumPy, which Keras and TensorFlow
refuse where it reaches a model. The error is also said at the line that made the frame's last kind
of column, with the columns of each kind; an object array that no frame made, and frames of one
kind, say nothing of the sort."""
from __future__ import annotations

import pytest

FRAME = """\
import numpy as np
import pandas as pd
from tensorflow import keras

table = pd.DataFrame({'weight': [1.5, 2.0, 3.5, 4.0, 2.5, 3.0],
                      'origin': ['usa', 'japan', 'usa', 'europe', 'japan', 'usa'],
                      'mpg': [20.0, 30.0, 18.0, 25.0, 28.0, 19.0]})
labels = table.pop('mpg')
table = pd.get_dummies(table, columns=['origin']{dtype})
"""

FIT = """\
features = {convert}
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer='adam', loss='mse')
model.fit(features, np.array(labels), epochs=1, verbose=0)
"""

LAYER = """\
normalizer = keras.layers.Normalization(axis=-1)
first = {convert}
print(normalizer(first))
"""


def errors(report):
    return [(d.line, d.message) for d in report.diagnostics() if d.severity == "error"]


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


@pytest.mark.parametrize("convert", ["np.array(table)", "table.values", "np.asarray(table[:2])", "table"])
def test_a_fit_on_bool_dummies_beside_floats_names_the_line_that_made_the_dummies(installed, text_check, convert):
    installed("pandas")
    installed("tensorflow")
    text = FRAME.replace("{dtype}", "") + FIT.format(convert=convert)
    report = text_check(text)
    found = errors(report)
    dummies, fit = line_of(text, "table = pd.get_dummies("), line_of(text, "model.fit(")
    assert {dummies, fit} <= {ln for ln, _ in found}, found
    said = next(msg for ln, msg in found if ln == dummies)
    assert f"mixes bool columns (origin_europe, origin_japan, origin_usa), made at line {dummies}, " \
        "with columns of other dtypes (weight)" in said, said
    assert f"when called from line {fit}" in said, said


def test_a_layer_called_on_one_row_of_such_a_frame(installed, text_check):
    installed("pandas")
    installed("tensorflow")
    text = FRAME.replace("{dtype}", "") + LAYER.format(convert="np.array(table[:1])")
    report = text_check(text)
    found = errors(report)
    dummies, call = line_of(text, "table = pd.get_dummies("), line_of(text, "print(normalizer(")
    assert {dummies, call} <= {ln for ln, _ in found}, found


def test_text_beside_numbers_names_the_line_that_added_the_text(installed, text_check):
    installed("pandas")
    installed("tensorflow")
    text = FRAME.replace("{dtype}", ", dtype=float").replace(
        "table = pd.get_dummies(", "table['maker'] = ['ford', 'honda', 'ford', 'bmw', 'honda', 'ford']\n"
        "table = pd.get_dummies(") + FIT.format(convert="np.array(table)").replace("Input((4,))", "Input((5,))")
    report = text_check(text)
    found = errors(report)
    added = line_of(text, "table['maker'] =")
    said = [msg for ln, msg in found if ln == added]
    assert said and f"columns (maker), made at line {added}" in said[0], found


@pytest.mark.parametrize("convert", ["np.array(table)", "table.to_numpy('float32')"])
def test_float_dummies_or_a_float_conversion_are_no_error(installed, text_check, convert):
    installed("pandas")
    installed("tensorflow")
    dtype = ", dtype=float" if convert == "np.array(table)" else ""
    report = text_check(FRAME.replace("{dtype}", dtype) + FIT.format(convert=convert))
    assert errors(report) == [], errors(report)


def test_an_object_array_no_frame_made_is_said_where_it_fails_only(installed, text_check):
    installed("pandas")
    installed("tensorflow")
    text = FRAME.replace("{dtype}", "") + FIT.format(
        convert="np.array([[1.5, True, False, True]] * 6, dtype=object)")
    report = text_check(text)
    found = errors(report)
    assert [ln for ln, _ in found] == [line_of(text, "model.fit(")], found
    assert "made at line" not in found[0][1], found
