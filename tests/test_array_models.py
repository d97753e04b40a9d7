"""What modeling the array-manipulation functions changes for a user: a model fed a part of a
split, a slice, a padded or re-gridded array is checked against that part's shape (and stays
silent where the part fits), and the plumbing the engine leaves unmodeled on purpose is listed
as such."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.frameworks import OPAQUE, canonical


def _findings(code: str):
    return [(f.code, f.line) for f in analyze(textwrap.dedent(code).lstrip("\n"), "arrays.py", Config(select=("ALL",))).findings]


TORCH = "import numpy as np\nimport torch\nimport torch.nn as nn\n"


@pytest.mark.parametrize("code, expected", [
    ("x = torch.randn(4, 10)\nleft, right = torch.split(x, 5, dim=1)\nout = nn.Linear(10, 3)(left)\n", [("TL202", 6)]),
    ("x = torch.randn(4, 10)\nleft, right = torch.split(x, 5, dim=1)\nout = nn.Linear(5, 3)(left)\n", []),
    ("x = torch.randn(4, 10)\nparts = x.split([4, 6], -1)\nout = nn.Linear(4, 3)(parts[1])\n", [("TL202", 6)]),
    ("x = torch.randn(4, 10)\nparts = x.split([4, 6], -1)\nout = nn.Linear(6, 3)(parts[1])\n", []),
    ("x = torch.randn(8, 64)\na, b = x.chunk(2, dim=1)\nout = nn.Linear(64, 10)(a * torch.sigmoid(b))\n", [("TL202", 6)]),
    ("x = torch.randn(8, 64)\na, b = torch.chunk(x, 2, 1)\nout = nn.Linear(32, 10)(a * torch.sigmoid(b))\n", []),
    ("x = torch.randn(8, 3, 16, 16)\nw = torch.randn(6, 3, 3, 3)\nh = torch.nn.functional.conv2d(x, w)\n"
     "out = nn.Linear(6 * 16 * 16, 2)(h.flatten(1))\n", [("TL202", 7)]),
    ("x = torch.randn(8, 3, 16, 16)\nw = torch.randn(6, 3, 3, 3)\nh = torch.nn.functional.conv2d(x, w, padding=1)\n"
     "out = nn.Linear(6 * 16 * 16, 2)(h.flatten(1))\n", []),
    ("a = np.random.rand(10, 3).astype(np.float32)\nb = np.pad(a, ((0, 0), (1, 1)))\n"
     "out = nn.Linear(3, 1)(torch.from_numpy(b))\n", [("TL202", 6)]),
    ("a = np.random.rand(10, 3).astype(np.float32)\nb = np.pad(a, ((0, 0), (1, 1)))\n"
     "out = nn.Linear(5, 1)(torch.from_numpy(b))\n", []),
    # a prediction grid: rows of the two flattened meshgrid axes, transposed to [n * n, 2] points
    ("xx, yy = np.meshgrid(np.linspace(-3, 3, 50), np.linspace(-3, 3, 50))\n"
     "grid = np.vstack((xx.flatten(), yy.flatten())).T\nout = nn.Linear(2, 1)(torch.from_numpy(grid.astype(np.float32)))\n", []),
    ("xx, yy = np.meshgrid(np.arange(4.0), np.arange(6.0))\n"
     "grid = np.vstack([xx.flatten(), yy.flatten()]).T\nout = nn.Linear(3, 1)(torch.from_numpy(grid).float())\n", [("TL202", 6)]),
])
def test_torch_models_see_the_parts(code, expected):
    assert _findings(TORCH + code) == expected


@pytest.mark.parametrize("code, expected", [
    ("x = tf.random.normal([8, 20])\nw = tf.Variable(tf.random.normal([20, 5]))\npart = tf.slice(x, [0, 0], [-1, 10])\n"
     "y = tf.matmul(part, w)\n", [("TL212", 5)]),
    ("x = tf.random.normal([8, 20])\nw = tf.Variable(tf.random.normal([20, 5]))\npart = tf.slice(x, [0, 0], [-1, 20])\n"
     "y = tf.matmul(part, w)\n", []),
    ("a = tf.random.normal([8, 4, 6])\nb = tf.random.normal([6, 3])\nc = tf.tensordot(a, b, axes=1)\n"
     "y = tf.matmul(c, tf.random.normal([6, 2]))\n", [("TL212", 5)]),
    ("a = tf.random.normal([8, 4, 6])\nb = tf.random.normal([6, 3])\nc = tf.tensordot(a, b, axes=1)\n"
     "y = tf.matmul(c, tf.random.normal([3, 2]))\n", []),
])
def test_tensorflow_ops_see_the_parts(code, expected):
    assert _findings("import tensorflow as tf\n" + code) == expected


TF1 = "import tensorflow as tf\nimport tensorflow.contrib.slim as slim\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"


@pytest.mark.parametrize("code, expected", [
    ("net = slim.max_pool2d(slim.conv2d(x, 32, [5, 5]), [2, 2])\nnet = slim.max_pool2d(slim.conv2d(net, 64, 5), 2)\n"
     "net = tf.reshape(net, [-1, 7 * 7 * 64])\nlogits = tf.matmul(net, tf.Variable(tf.zeros([5 * 5 * 64, 10])))\n", [("TL212", 7)]),
    ("net = slim.max_pool2d(slim.conv2d(x, 32, [5, 5]), [2, 2])\nnet = slim.max_pool2d(slim.conv2d(net, 64, 5), 2)\n"
     "net = tf.reshape(net, [-1, 7 * 7 * 64])\nlogits = tf.matmul(net, tf.Variable(tf.zeros([7 * 7 * 64, 10])))\n", []),
    ("net = tf.contrib.layers.conv2d(x, 16, 3, stride=2, padding='VALID')\nflat = slim.flatten(net)\n"
     "logits = tf.matmul(flat, tf.zeros([14 * 14 * 16, 10]))\n", [("TL212", 6)]),
    ("net = tf.contrib.layers.conv2d(x, 16, 3, stride=2, padding='VALID')\nflat = tf.reshape(net, [-1, 13 * 13 * 16])\n"
     "logits = tf.matmul(flat, tf.zeros([13 * 13 * 16, 10]))\n", []),
    ("seq = tf.reshape(x, [-1, 28, 28])\ncell = tf.contrib.rnn.DropoutWrapper(tf.contrib.rnn.BasicLSTMCell(128), output_keep_prob=0.8)\n"
     "out, state = tf.nn.dynamic_rnn(cell, seq, dtype=tf.float32)\nlogits = tf.matmul(out[:, -1, :], tf.Variable(tf.zeros([64, 10])))\n",
     [("TL212", 7)]),
    ("seq = tf.reshape(x, [-1, 28, 28])\ncell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(32), tf.nn.rnn_cell.GRUCell(64)])\n"
     "out, state = tf.nn.dynamic_rnn(cell, seq, dtype=tf.float32)\nlogits = tf.matmul(out[:, -1, :], tf.Variable(tf.zeros([64, 10])))\n",
     []),
])
def test_tf1_layer_functions_and_cells_give_their_shapes(code, expected):
    assert _findings(TF1 + code) == expected


def test_plumbing_is_listed_as_unmodeled_on_purpose():
    for name in ("torch.Generator", "torch.utils.model_zoo.load_url", "tensorflow.function", "tensorflow.TensorSpec",
                 "tensorflow.data.TFRecordDataset", "torch.xpu.is_available", "torch.cuda.amp.GradScaler",
                 "keras.preprocessing.text.Tokenizer", "numpy.allclose", "torch.finfo"):
        assert name in OPAQUE, name
    # TensorFlow's graph module under its private path is the public one
    assert canonical("tensorflow.python.framework.ops.reset_default_graph") in OPAQUE
    assert canonical("tensorflow.python.framework.ops.convert_to_tensor") == "tensorflow.convert_to_tensor"
    # array functions now have transfer functions: never opaque
    for name in ("torch.split", "numpy.pad", "tensorflow.slice", "torch.nn.utils.weight_norm"):
        assert name not in OPAQUE, name


def test_bad_arguments_give_unknown_values_not_crashes():
    code = """
        import numpy as np
        import tensorflow as tf
        import torch
        x = torch.randn(3, 4)
        a = torch.split(x, 0)
        b = torch.chunk(x, -1, dim=7)
        c = torch.index_select(x, 9, None)
        d = np.pad(np.ones(3), "wide")
        e = np.split(np.ones(4), [])
        f = np.moveaxis(np.ones((2, 3)), [0, 0], [1, 0])
        g = tf.slice(tf.ones([2, 2]), [0], [5, 5, 5])
        h = tf.tensordot(tf.ones([2]), tf.ones([2]), axes=[[0, 0], [1]])
        i = tf.gather_nd(tf.ones([2]), tf.ones([3, 4]))
        j = torch.meshgrid()
        k = np.diag(np.ones((2, 2, 2)))
    """
    _findings(code)  # no exception
