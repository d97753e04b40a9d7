"""TL325 partial-sum-over-total-count: a masked sum kept per example, divided by the mask's count over
the whole batch, then averaged. Written with TensorFlow (`reduce_sum`/`reduce_mean`, the count from
NumPy or `tf.cast`), `tf.compat.v1` at module level, torch tensor methods, the Keras backend and
NumPy, the axes given as `reduction_indices` or as the second argument; and the look-alikes that
stay silent: the count taken per example, the whole sum over the whole count, the per-example values
summed rather than averaged, axis 0 among the summed axes, another tensor as the count, the name
bound again before the mean. Each case marks its expected findings with `# expect: TL325`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf2-numpy-count-mean-next-statement": """
        import numpy as np
        import tensorflow as tf

        def compute_loss(target_scores, pred_scores, target_masks):
            score_loss = tf.nn.softmax_cross_entropy_with_logits(labels=target_scores, logits=pred_scores)
            mask = (np.abs(target_masks) == 1).astype(np.float32)
            score_loss = tf.reduce_sum(score_loss * mask, axis=[1, 2, 3]) / np.sum(mask)  # expect: TL325
            score_loss = tf.reduce_mean(score_loss)
            return score_loss
    """,
    "tf1-compat-module-level-cast-mask": """
        import tensorflow.compat.v1 as tf

        logits = tf.placeholder(tf.float32, [None, 20, 100])
        targets = tf.placeholder(tf.int32, [None, 20])
        lengths = tf.placeholder(tf.int32, [None])
        mask = tf.sequence_mask(lengths, 20)
        xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        per_seq = tf.reduce_sum(tf.multiply(xent, tf.cast(mask, tf.float32)), 1) / tf.reduce_sum(tf.cast(mask, tf.float32))  # expect: TL325
        loss = tf.reduce_mean(per_seq)
    """,
    "torch-methods-inline-mean": """
        import torch.nn.functional as F

        def masked_nll(logits, target, mask):
            nll = F.cross_entropy(logits.transpose(1, 2), target, reduction='none')
            return ((nll * mask.float()).sum(dim=1) / mask.float().sum()).mean()  # expect: TL325
    """,
    "keras-backend-and-numpy": """
        import numpy as np
        from tensorflow.keras import backend as K

        def masked_mse(y_true, y_pred, weights):
            err = K.square(y_true - y_pred)
            return K.mean(K.sum(err * weights, axis=-1 + 2) / K.sum(weights))

        def masked_mse2(y_true, y_pred, weights):
            err = K.square(y_true - y_pred)
            per_row = K.sum(weights * err, axis=1) / K.sum(weights)  # expect: TL325
            return K.mean(per_row)

        def numpy_score(err, valid):
            return np.mean(np.sum(err * valid, axis=(1, 2)) / np.sum(valid))  # expect: TL325
    """,
    "axis-as-reduction-indices-or-second-argument": """
        import numpy as np
        import tensorflow.compat.v1 as tf

        def seq_loss(xent, mask):
            per_seq = tf.reduce_sum(xent * mask, reduction_indices=[1]) / tf.reduce_sum(mask)  # expect: TL325
            return tf.reduce_mean(per_seq)

        def frame_score(err, valid):
            return np.mean(np.sum(err * valid, (1, 2)) / np.sum(valid))  # expect: TL325
    """,
    # -- silent ----------------------------------------------------------------------------
    "count-per-example-or-whole": """
        import numpy as np
        import tensorflow as tf

        def per_example(xent, mask):
            loss = tf.reduce_sum(xent * mask, axis=[1, 2, 3]) / np.sum(mask, axis=(1, 2, 3))
            return tf.reduce_mean(loss)

        def whole(xent, mask):
            return tf.reduce_mean(tf.reduce_sum(xent * mask) / tf.reduce_sum(mask))
    """,
    "summed-not-averaged-and-axis-zero": """
        import torch

        def seq_loss(nll, mask):
            per_seq = (nll * mask).sum(dim=1) / mask.sum()
            return per_seq.sum()

        def time_major(nll, mask):
            return ((nll * mask).sum(dim=0) / mask.sum()).mean()

        def negative_axis(nll, mask):
            return ((nll * mask).sum(dim=-1) / mask.sum()).mean()
    """,
    "other-count-or-rebound": """
        import tensorflow as tf

        def by_lengths(xent, mask, lengths):
            return tf.reduce_mean(tf.reduce_sum(xent * mask, axis=1) / tf.reduce_sum(lengths))

        def rebound(xent, mask, other):
            loss = tf.reduce_sum(xent * mask, axis=1) / tf.reduce_sum(mask)
            loss = other
            return tf.reduce_mean(loss)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_partial_sum_over_total_count_written_several_ways(name):
    marked, found = marked_and_found("TL325", name, CASES[name])
    assert found == marked


def test_message_names_the_sum_the_count_and_the_mean():
    f = only_finding("TL325", CASES["tf2-numpy-count-mean-next-statement"])
    assert "sums over axes [1, 2, 3] only" in f.message
    assert "divides by `np.sum(mask)`, the count of `mask` over the whole batch" in f.message
    assert "(line 8)" in f.message


def test_cli_reports_the_per_example_sum(tmp_path):
    path = tmp_path / "rpn.py"
    path.write_text(textwrap.dedent(CASES["tf2-numpy-count-mean-next-statement"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "rpn.py:7:18: TL325" in run.stdout
