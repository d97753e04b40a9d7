"""TL422: a multi-layer recurrent cell stacks one cell object several times. Under Keras 3
`keras.layers.RNN([cell, cell])` on 4 input features and 16 units raises InvalidArgumentError
(the second layer feeds 16 features to a kernel built for 4); TF 1.x raises ValueError for
`MultiRNNCell([cell] * n)`. The look-alikes build one cell per layer."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL422",))

BUGS = {
    # the Udacity sentiment RNN: a dropout-wrapped cell repeated with `*`, TF1 session
    "tf1-contrib-repeated-by-star": ("""
        import tensorflow as tf

        lstm_size, lstm_layers = 256, 2
        inputs = tf.placeholder(tf.int32, [None, 200])
        keep_prob = tf.placeholder(tf.float32)
        embed = tf.nn.embedding_lookup(tf.Variable(tf.random_uniform((1000, 300), -1, 1)), inputs)
        lstm = tf.contrib.rnn.BasicLSTMCell(lstm_size)
        drop = tf.contrib.rnn.DropoutWrapper(lstm, output_keep_prob=keep_prob)
        cell = tf.contrib.rnn.MultiRNNCell([drop] * lstm_layers)
        outputs, state = tf.nn.dynamic_rnn(cell, embed, dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
    """, [9]),
    # tf.nn.rnn_cell, the multiplier first, the list through a name
    "tf1-list-through-a-name": ("""
        import tensorflow.compat.v1 as tf

        gru = tf.nn.rnn_cell.GRUCell(64)
        layers = 3 * [gru]
        stack = tf.nn.rnn_cell.MultiRNNCell(layers)
    """, [5]),
    # Keras 3: the same cell listed twice in keras.layers.RNN
    "keras-rnn-listed-twice": ("""
        import keras

        cell = keras.layers.GRUCell(16)
        model = keras.Sequential([keras.Input((5, 4)), keras.layers.RNN([cell, cell]), keras.layers.Dense(1)])
    """, [4]),
    # tf.keras StackedRNNCells from a comprehension that repeats one object
    "tf-keras-comprehension-of-one-cell": ("""
        import tensorflow as tf

        cell = tf.keras.layers.LSTMCell(32)
        stacked = tf.keras.layers.StackedRNNCells(cells=[cell for _ in range(2)])
        layer = tf.keras.layers.RNN(stacked)
    """, [4]),
}

LOOKALIKES = {
    "a-new-cell-per-layer": """
        import tensorflow as tf

        def make_cell(size, keep_prob):
            lstm = tf.contrib.rnn.BasicLSTMCell(size)
            return tf.contrib.rnn.DropoutWrapper(lstm, output_keep_prob=keep_prob)

        cell = tf.contrib.rnn.MultiRNNCell([make_cell(256, 0.5) for _ in range(2)])
    """,
    "two-different-cells": """
        import tensorflow as tf

        cell1 = tf.nn.rnn_cell.BasicRNNCell(128)
        cell2 = tf.nn.rnn_cell.BasicRNNCell(128)
        multi = tf.nn.rnn_cell.MultiRNNCell([cell1, cell2])
    """,
    "constructor-repeated-in-a-comprehension": """
        import keras

        rnn = keras.layers.RNN([keras.layers.LSTMCell(8) for _ in range(3)])
    """,
    "one-cell-in-keras-rnn": """
        import keras

        cell = keras.layers.LSTMCell(8)
        rnn = keras.layers.RNN(cell)
    """,
    "cells-appended-in-a-loop": """
        import tensorflow as tf

        cells = []
        for units in (128, 64):
            cells.append(tf.nn.rnn_cell.LSTMCell(units))
        multi = tf.nn.rnn_cell.MultiRNNCell(cells)
    """,
    "comprehension-variable-is-the-cell": """
        import tensorflow as tf

        sizes = [tf.nn.rnn_cell.GRUCell(n) for n in (32, 16)]
        multi = tf.nn.rnn_cell.MultiRNNCell([c for c in sizes])
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_one_cell_stacked_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("same cell object" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
