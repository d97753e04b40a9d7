"""TL232 padding-mask-of-summed-features: a padding mask taken from the absolute value of a sum of
features (`tf.sign(tf.abs(tf.reduce_sum(keys, axis=-1)))`), so a real position whose features sum
to 0 is masked. Written with TF1 (`tf`, `tf.compat.v1`), torch (functions and tensor methods),
NumPy and the Keras backend, the builtin `abs` and a method on the sum's call; and the look-alikes that stay silent: the sum of absolute values, the
magnitude of a sum used as a value, the sign of a sum, a comparison with another value. Each case
marks its expected findings with `# expect: TL232`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf1-sign-of-abs-of-sum": """
        import tensorflow as tf

        def multihead_attention(queries, keys):
            outputs = tf.matmul(queries, tf.transpose(keys, [0, 2, 1]))
            key_masks = tf.sign(tf.abs(tf.reduce_sum(keys, axis=-1)))  # expect: TL232
            key_masks = tf.tile(tf.expand_dims(key_masks, 1), [1, tf.shape(queries)[1], 1])
            paddings = tf.ones_like(outputs) * (-2 ** 32 + 1)
            outputs = tf.where(tf.equal(key_masks, 0), paddings, outputs)
            query_masks = tf.sign(tf.abs(tf.reduce_sum(queries, axis=-1)))  # expect: TL232
            return outputs * tf.expand_dims(query_masks, -1)
    """,
    "compat-v1-zero-tests": """
        import tensorflow.compat.v1 as tf

        x = tf.placeholder(tf.float32, [None, 20, 64])
        present = tf.not_equal(tf.abs(tf.reduce_sum(x, -1)), 0)  # expect: TL232
        padded = tf.math.equal(tf.math.abs(tf.math.reduce_sum(x, axis=2)), 0.0)  # expect: TL232
    """,
    "torch-methods-and-functions": """
        import torch

        def key_padding(keys):
            return keys.sum(-1).abs() == 0  # expect: TL232

        def query_mask(q):
            return torch.sign(torch.abs(torch.sum(q, dim=-1)))  # expect: TL232
    """,
    "numpy-and-keras-backend": """
        import numpy as np
        from tensorflow.keras import backend as K

        def mask_of(frames):
            return np.sign(np.abs(np.sum(frames, axis=-1)))  # expect: TL232

        def k_mask(x):
            return K.not_equal(K.abs(K.sum(x, axis=-1)), 0)  # expect: TL232
    """,
    "builtin-abs-and-method-of-a-sum": """
        import torch

        def key_padding(keys):
            return abs(keys.sum(dim=-1)) > 0  # expect: TL232

        def query_padding(q):
            return torch.sum(q, -1).abs().sign()  # expect: TL232
    """,
    # -- silent ----------------------------------------------------------------------------
    "sum-of-absolute-values": """
        import tensorflow as tf
        import torch

        def masks(keys, q):
            a = tf.sign(tf.reduce_sum(tf.abs(keys), axis=-1))
            b = q.abs().sum(-1) > 0
            return a, b
    """,
    "magnitude-as-value-sign-of-sum-other-threshold": """
        import numpy as np
        import torch

        def drift(x):
            return np.abs(np.sum(x, axis=1)).mean()

        def direction(g):
            return torch.sign(g.sum(dim=0))

        def large(g):
            return torch.abs(g.sum(dim=-1)) > 1e-3
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_padding_mask_of_summed_features_written_several_ways(name):
    marked, found = marked_and_found("TL232", name, CASES[name])
    assert found == marked


def test_message_says_to_sum_the_absolute_values():
    f = only_finding("TL232", CASES["torch-methods-and-functions"].split("def query_mask")[0])
    assert "`keys.sum(-1).abs() == 0` takes the absolute value after summing the features" in f.message


def test_cli_reports_the_mask(tmp_path):
    path = tmp_path / "modules.py"
    path.write_text(textwrap.dedent(CASES["tf1-sign-of-abs-of-sum"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "modules.py:5:" in run.stdout and "modules.py:9:" in run.stdout
