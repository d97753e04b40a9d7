"""False positives met over public notebooks (bench/notebooks_real.md), written down as programs
of our own that do what those cells do.

The notebook-specific ones are fixed and must stay silent. The others come from the engine
and stand as strict expected failures: each passes, and so fails the suite, once the engine
is fixed, so that its marker is removed then.
"""
from __future__ import annotations

import pytest

from cli_helpers import notebook, write


def codes(tl, tmp_path, *cells: str) -> list[str]:
    write(tmp_path, {"nb.ipynb": notebook(*cells)})
    rows = tl("check", "--output-format", "json", ".").json()
    return [r["code"] for r in rows]


# -- notebook-specific: fixed -----------------------------------------------------------------


def test_a_cell_whose_first_line_alone_is_indented(tl, tmp_path):
    # IPython 7 and 8 strip the first line's indent from the lines that carry it
    assert codes(tl, tmp_path, "import torch", " def add(a, b):\n    return torch.add(a, b)\n\nprint(add(torch.ones(1), 2))") == []


def test_a_time_cell_magic_after_a_space(tl, tmp_path):
    assert codes(tl, tmp_path, "import torch", " %%time\n\nx = torch.ones(3)\n") == []


def test_a_one_line_shell_alias_without_percent(tl, tmp_path):
    assert codes(tl, tmp_path, "import torch", "ls ./data/train/") == []


# -- engine: listed for a fix ---------------------------------------------------------------


def test_softmax_with_the_tf1_dim_keyword(tl, tmp_path):
    assert codes(tl, tmp_path, "import tensorflow as tf\nraw = tf.zeros([4, 1152, 10, 1, 1])",
                 "weights = tf.nn.softmax(raw, dim=2)") == []


def test_numpy_resize_in_place(tl, tmp_path):
    assert codes(tl, tmp_path, "import numpy as np\nimport torch\nimport torch.nn as nn",
                 "rnn = nn.RNN(input_size=1, hidden_size=10, batch_first=True)",
                 "data = np.sin(np.linspace(0, np.pi, 20))\ndata.resize((20, 1))\n"
                 "out, h = rnn(torch.Tensor(data).unsqueeze(0), None)") == []


def test_tape_gradient_of_a_loss_computed_inside_the_block(tl, tmp_path):
    assert codes(tl, tmp_path, "import tensorflow as tf\nW = tf.Variable(tf.random.uniform(shape=(2, 1)))\n"
                 "b = tf.Variable(tf.zeros(shape=(1,)))",
                 "def model(inputs):\n    return tf.matmul(inputs, W) + b\n"
                 "def square_loss(targets, predictions):\n    return tf.reduce_mean(tf.square(targets - predictions))",
                 "def training_step(inputs, targets):\n    with tf.GradientTape() as tape:\n"
                 "        predictions = model(inputs)\n        loss = square_loss(targets, predictions)\n"
                 "    grad_w, grad_b = tape.gradient(loss, [W, b])\n    W.assign_sub(grad_w * 0.1)\n    return loss",
                 "for step in range(3):\n    loss = training_step(tf.ones((4, 2)), tf.ones((4, 1)))") == []


def test_keras_mse_with_rank_one_targets_against_several_outputs(tl, tmp_path):
    # judged again: Keras 3 fails on it (or, when the batch equals the unit count, pairs outputs
    # with other rows' targets); Keras 2 trains every output toward the row's one target
    write(tmp_path, {"nb.ipynb": notebook(
        "import tensorflow as tf\nx = tf.random.uniform((64, 10))\ny = tf.random.uniform((64,))",
        "model = tf.keras.models.Sequential([tf.keras.layers.Dense(10)])\nmodel.compile('sgd', loss='mse')",
        "model.fit(x, y, epochs=1)")})
    rows = tl("check", "--output-format", "json", ".").json()
    assert [r["code"] for r in rows] == ["TL208"]
    assert "Keras 3" in rows[0]["message"] and "Keras 2 expands" in rows[0]["message"]


def test_keras_mse_with_one_column_targets_against_several_outputs(tl, tmp_path):
    # (N, 1) targets against (N, 10): both Keras versions compare each output with its row's target
    assert codes(tl, tmp_path, "import tensorflow as tf\nx = tf.random.uniform((64, 10))\ny = tf.random.uniform((64, 1))",
                 "model = tf.keras.models.Sequential([tf.keras.layers.Dense(10)])\nmodel.compile('sgd', loss='mse')",
                 "model.fit(x, y, epochs=1)") == []
