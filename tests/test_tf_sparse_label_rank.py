"""`tf.nn.sparse_softmax_cross_entropy_with_logits` takes labels of exactly one axis less than
the logits. Labels of shape `[N, 1]` (Keras' sparse loss accepts them, TensorFlow's raises
"Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1"), or the two
arguments swapped, are TL208, in TF1 graph code and in eager TF2, through `tf.nn` or through
the module path early code imported it by. One-hot float labels are TL303's."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _codes(text: str) -> list:
    return sorted({(f.code, f.line) for f in analyze(textwrap.dedent(text), "graph.py", ALL).findings})


@pytest.mark.parametrize("call", [
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=labels)",
    "sparse_ce(logits, labels)",
])
def test_labels_with_a_trailing_axis_of_one(call):
    assert _codes(f"""\
        import tensorflow as tf
        from tensorflow.python.ops.nn import sparse_softmax_cross_entropy_with_logits as sparse_ce
        logits = tf.placeholder('float32', (None, 32))
        labels = tf.placeholder('int64', (None, 1))
        loss = tf.reduce_mean({call})
    """) == [("TL208", 5)]


def test_labels_and_logits_swapped_in_eager_code():
    assert _codes("""\
        import tensorflow as tf
        logits = tf.random.normal((8, 5))
        labels = tf.constant([0, 1, 2, 3, 4, 0, 1, 2])
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=logits, logits=labels)
    """) == [("TL208", 4)]


@pytest.mark.parametrize("labels", [
    "tf.placeholder(tf.int64, [None])",
    "tf.placeholder(tf.int32, shape=(None,))",
    "tf.squeeze(tf.placeholder(tf.int64, (None, 1)), axis=1)",
    "tf.placeholder(tf.int64)",  # rank not known
])
def test_labels_of_one_axis_less_or_unknown_stay_silent(labels):
    assert _codes(f"""\
        import tensorflow as tf
        logits = tf.placeholder(tf.float32, (None, 10))
        labels = {labels}
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    """) == []


def test_sequence_logits_with_per_step_labels_stay_silent():
    assert _codes("""\
        import tensorflow as tf
        logits = tf.placeholder(tf.float32, (None, 20, 100))
        labels = tf.placeholder(tf.int32, (None, 20))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    """) == []


def test_one_hot_labels_are_left_to_tl303():
    got = _codes("""\
        import tensorflow as tf
        logits = tf.placeholder(tf.float32, (None, 10))
        labels = tf.placeholder(tf.float32, (None, 10))
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    """)
    assert ("TL303", 4) in got and ("TL208", 4) not in got
