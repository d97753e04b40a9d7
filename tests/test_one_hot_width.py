"""One-hot targets of labels whose shape is not known still end in one axis per class.

`to_categorical(df["label"].values, 7)` or `tf.one_hot(labels, 7)` of labels read from a file:
the labels' shape is unknown, but the encoding's last axis holds 7 entries whatever it is.
Keras' categorical and binary cross-entropy require targets of the output's shape, so a model
ending in another number of units fails at `fit` ("Shapes (None, 7) and (None, 10) are
incompatible"): TL208. Equal widths, a sparse loss, a single-unit output (TL306's) and
unknown class counts stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))

KERAS = """\
import pandas as pd
{imports}
df = pd.read_csv("data.csv")
X = df.drop("label", axis=1).values
y = {encode}
model = Sequential()
model.add(Dense(64, activation="relu", input_dim=20))
model.add(Dense({units}, activation="{activation}"))
model.compile(loss="{loss}", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=3)
"""
KERAS_IMPORTS = "from keras.models import Sequential\nfrom keras.layers import Dense\nfrom keras.utils import to_categorical"
TF_IMPORTS = "import tensorflow as tf\nfrom tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dense"


def _tl208(imports, encode, units, loss="categorical_crossentropy", activation="softmax") -> list:
    text = KERAS.format(imports=imports, encode=encode, units=units, loss=loss, activation=activation)
    return [(f.line, f.message) for f in analyze(text, "train.py", ALL).findings if f.code == "TL208"]


@pytest.mark.parametrize("imports,encode", [
    (KERAS_IMPORTS, 'to_categorical(df["label"].values, 7)'),
    (KERAS_IMPORTS, 'to_categorical(df["label"].values, num_classes=7)'),
    (TF_IMPORTS, 'tf.keras.utils.to_categorical(df["label"], 7)'),
    (TF_IMPORTS, 'tf.one_hot(df["label"].values, depth=7)'),
])
def test_categorical_targets_of_another_width(imports, encode):
    got = _tl208(imports, encode, 10)
    assert [line for line, _ in got] == [12]
    assert "7 classes" in got[0][1] and "10 units" in got[0][1]


def test_binary_output_with_two_class_one_hot_targets():
    got = _tl208(KERAS_IMPORTS, 'to_categorical(df["label"].values, 2)', 1, "binary_crossentropy", "sigmoid")
    assert [line for line, _ in got] == [12]


@pytest.mark.parametrize("encode,units,loss,activation", [
    ('to_categorical(df["label"].values, 10)', 10, "categorical_crossentropy", "softmax"),  # same width
    ('to_categorical(df["label"].values, 7)', 1, "categorical_crossentropy", "sigmoid"),  # TL306's case
    ('to_categorical(df["label"].values)', 10, "categorical_crossentropy", "softmax"),  # classes not known
    ('to_categorical(df["label"].values, N_CLASSES)', 10, "categorical_crossentropy", "softmax"),
    ('df["label"].values', 10, "sparse_categorical_crossentropy", "softmax"),  # plain labels
    ('to_categorical(df["label"].values, 2)', 2, "binary_crossentropy", "softmax"),
])
def test_matching_or_unknown_widths_stay_silent(encode, units, loss, activation):
    assert _tl208(KERAS_IMPORTS, encode, units, loss, activation) == []


def test_a_snippet_with_np_utils_and_no_imports():
    text = textwrap.dedent("""\
        Y_train = np_utils.to_categorical(y_train, 3)
        model = Sequential()
        model.add(Flatten(input_shape=(32, 32, 3)))
        model.add(Dense(128, activation='relu'))
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
        model.fit(X_train, Y_train, batch_size=8, epochs=10)
    """)
    assert [f.line for f in analyze(text, "post.py", ALL).findings if f.code == "TL208"] == [7]
