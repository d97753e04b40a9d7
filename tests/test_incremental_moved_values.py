"""After an edit, the results of the chunks that did not run again move to where their lines
now are: hover values and findings, their spans and origins, above, below and across the edit,
with lines added, removed, and added in two places at once; the same as a whole-file analysis."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.findings import Position, Span
from tensorlint.incremental import IncrementalAnalysis
from tensorlint.moved_results import Mover

CONFIG = Config(select=("ALL",))

TORCH = """import torch
import torch.nn as nn

x = torch.zeros(8, 4)
layer = nn.Linear(4, 3)
h = layer(x)
# edit-a
scale = 2
y = h * scale
# edit-b
z = torch.relu(y)
w = z.sum(dim=1)
loss = nn.functional.cross_entropy(h, torch.zeros(8, 3))
"""

KERAS = """import numpy as np
import keras

x = np.zeros((32, 8))
inputs = keras.Input(shape=(8,))
# edit-a
h = keras.layers.Dense(16)(inputs)
out = keras.layers.Dense(1)(h)
# edit-b
model = keras.Model(inputs, out)
model.compile(optimizer="adam", loss="mse")
model.fit(x, np.zeros((32, 1)), epochs=1)
"""

TF1 = """import tensorflow.compat.v1 as tf

x = tf.placeholder(tf.float32, [None, 8])
# edit-a
w = tf.Variable(tf.zeros([8, 4]))
h = tf.matmul(x, w)
# edit-b
y = tf.nn.softmax(h)
loss = tf.reduce_mean(y)
"""

EDITS = {
    "a line added above": lambda t: t.replace("# edit-a\n", "# edit-a\nstep = 1\n"),
    "two lines added below": lambda t: t.replace("# edit-b\n", "# edit-b\nstep = 1\nstep = 2\n"),
    "a line taken away": lambda t: t.replace("# edit-a\n", ""),
    "lines added in two places": lambda t: t.replace("# edit-a\n", "# edit-a\nstep = 1\n").replace(
        "# edit-b\n", "# edit-b\n\n\n\nother = 3\n"),
    "a line added at the top": lambda t: "import os\n" + t,
}


def _values(result):
    return sorted((v.span.start.line, v.span.start.column, v.span.end.line, v.span.end.column, v.text,
                   None if v.origin is None else (v.origin.start.line, v.origin.start.column)) for v in result.values)


def _findings(result):
    return sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("program", [TORCH, KERAS, TF1], ids=["torch", "keras", "tf1"])
def test_moved_values_and_findings_equal_a_whole_file_analysis(program, edit):
    inc = IncrementalAnalysis()
    first = inc.analyze(program, "m.py", CONFIG)
    assert first.values
    text = EDITS[edit](program)
    got = inc.analyze(text, "m.py", CONFIG)
    assert inc.last_run["ran"] < inc.last_run["chunks"]  # some results were moved, not made again
    whole = analyze(text, "m.py", CONFIG, collect_values=True)
    assert _values(got) == _values(whole)
    assert _findings(got) == _findings(whole)
    again = inc.analyze(program, "m.py", CONFIG)  # and back
    assert _values(again) == _values(first)


def test_lines_past_the_last_moved_chunk_move_by_its_delta():
    # chunks at lines 1-10, 11-20, 21-30, 31-40; the second changed (no delta), the last two moved by 3
    mover = Mover([0, 10, 20, 30], {0: 0, 2: 3, 3: 3})
    assert mover.span(Span.of(5, 0, 5, 4)) == Span.of(5, 0, 5, 4)
    assert mover.span(Span.of(15, 0, 15, 4)) == Span.of(15, 0, 15, 4)
    assert mover.span(Span.of(25, 2, 26, 1)) == Span.of(28, 2, 29, 1)
    assert mover.span(Span.of(35, 0, 35, 4)) == Span.of(38, 0, 38, 4)
    # lines added in two places: the last line of the second chunk moves by its own delta
    mover = Mover([0, 10, 20, 30], {0: 0, 1: 1, 2: 3, 3: 3})
    assert mover.span(Span.of(20, 0, 20, 1)) == Span.of(21, 0, 21, 1)
    assert mover.span(Span.of(21, 0, 21, 1)) == Span.of(24, 0, 24, 1)
    # different deltas after the edit: each line moves by its own chunk's
    mover = Mover([0, 10, 20, 30], {0: 0, 2: 1, 3: 4})
    assert mover.span(Span.of(25, 0, 25, 1)) == Span.of(26, 0, 26, 1)
    assert mover.span(Span.of(35, 0, 35, 1)) == Span.of(39, 0, 39, 1)
    # the last chunk changed: nothing after it to move alike
    mover = Mover([0, 10, 20, 30], {0: 0, 1: 2, 2: 2})
    assert mover.span(Span.of(25, 0, 25, 1)) == Span.of(27, 0, 27, 1)
    assert mover.span(Span.of(35, 0, 35, 1)) == Span.of(35, 0, 35, 1)


def test_a_span_made_by_of_is_a_span():
    made = Span.of(3, 1, 4, 0)
    assert made == Span(Position(3, 1), Position(4, 0))
    assert hash(made) == hash(Span(Position(3, 1), Position(4, 0)))
    assert made < Span.of(3, 2, 3, 3)
    with pytest.raises(AttributeError):
        made.start.line = 9  # frozen like any other
