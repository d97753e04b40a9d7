"""Keras 1's positional convolutions (`Convolution2D(32, 3, 3, border_mode='same')`) make the
layer today's Keras calls `Conv2D`: what the rules know of a Conv2D (the rank it takes, that it
is a weighted layer) holds for them, written either way."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _codes(text: str) -> list:
    return sorted({(f.code, f.line) for f in analyze(textwrap.dedent(text), "model.py", ALL).findings
                   if f.code != "TL308"})


@pytest.mark.parametrize("conv", [
    "Convolution2D(10, 5, 5, border_mode='same')",
    "Convolution2D(nb_filter=10, nb_row=5, nb_col=5)",
    "Conv2D(10, (5, 5), padding='same')",
])
def test_rank_3_input_into_a_2d_convolution(conv):
    assert _codes(f"""\
        from keras.models import Sequential
        from keras.layers import Reshape, Flatten, Dense
        from keras.layers.convolutional import Convolution2D, Conv2D
        model = Sequential()
        model.add(Reshape((57, 47), input_shape=(2679,)))
        model.add({conv})
        model.add(Flatten())
        model.add(Dense(40, activation='softmax'))
    """) == [("TL210", 6)]


@pytest.mark.parametrize("conv", [
    "Convolution2D(10, 5, 5, border_mode='same')",
    "Convolution1D(10, 5, border_mode='same')",
])
def test_legacy_convolutions_on_inputs_of_their_rank_stay_silent(conv):
    reshape = "(57, 47, 1)" if "2D" in conv else "(57, 47)"
    assert _codes(f"""\
        from keras.models import Sequential
        from keras.layers import Reshape, Flatten, Dense
        from keras.layers.convolutional import Convolution1D, Convolution2D
        model = Sequential()
        model.add(Reshape({reshape}, input_shape=(2679,)))
        model.add({conv})
        model.add(Flatten())
        model.add(Dense(40, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='rmsprop')
    """) == []


def test_a_1d_legacy_convolution_on_rank_2_data():
    assert _codes("""\
        from keras.models import Sequential
        from keras.layers import Convolution1D, Dense, Flatten
        model = Sequential()
        model.add(Convolution1D(64, 3, input_shape=(100,)))
        model.add(Flatten())
        model.add(Dense(1, activation='sigmoid'))
    """) == [("TL210", 4)]
