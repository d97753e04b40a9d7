"""TL451 regularization-divided-by-batch: the model's regularization losses added to a loss summed
over the batch before the total is divided by the batch size. Written over three statements
(`loss *= 1. / n`, `loss = loss / n`, `loss = (1. / n) * loss`), in one expression, with TF1's
`tf.losses.get_regularization_loss()` and the collection (`tf.compat.v1`), and with a torch-style
`.sum()`; and the look-alikes that stay silent: the data loss divided first, a mean loss, a sum
over an axis (per example), a total that is not divided. Each case marks its expected findings
with `# expect: TL451`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf2-custom-step-three-statements": """
        import tensorflow as tf

        class Train:
            def __init__(self, model, batch_size):
                self.model, self.batch_size = model, batch_size
                self.loss_object = tf.keras.losses.SparseCategoricalCrossentropy(reduction='none')

            def train_step(self, image, label):
                with tf.GradientTape() as tape:
                    predictions = self.model(image, training=True)
                    loss = tf.reduce_sum(self.loss_object(label, predictions))
                    loss += sum(self.model.losses)
                    loss = loss * (1. / self.batch_size)  # expect: TL451
                return tape.gradient(loss, self.model.trainable_variables)

            def other_step(self, image, label, n):
                loss = tf.reduce_sum(self.loss_object(label, self.model(image)))
                loss = loss + tf.add_n(self.model.losses)
                loss /= n  # expect: TL451
                return loss
    """,
    "one-expression-and-tf1-regularization-loss": """
        import tensorflow.compat.v1 as tf

        x = tf.placeholder(tf.float32, [None, 8])
        y = tf.placeholder(tf.float32, [None, 1])
        pred = tf.layers.dense(x, 1, kernel_regularizer=tf.keras.regularizers.l2(1e-4))
        batch_size = tf.cast(tf.shape(x)[0], tf.float32)
        loss = (tf.reduce_sum(tf.square(pred - y)) + tf.losses.get_regularization_loss()) / batch_size  # expect: TL451
        loss2 = (1. / batch_size) * (tf.reduce_sum(tf.square(pred - y)) + tf.add_n(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))  # expect: TL451
    """,
    "torch-style-sum-method": """
        import torch

        def step(model, x, y, n, reg_model):
            total = ((model(x) - y) ** 2).sum()
            total += sum(reg_model.losses)
            total = (1. / n) * total  # expect: TL451
            return total
    """,
    # -- silent ----------------------------------------------------------------------------
    "data-loss-divided-first-or-mean": """
        import tensorflow as tf

        def step(model, loss_object, x, y, n):
            a = tf.reduce_sum(loss_object(y, model(x))) * (1. / n)
            a += sum(model.losses)
            b = tf.reduce_mean(loss_object(y, model(x))) + sum(model.losses)
            c = (tf.reduce_mean(loss_object(y, model(x))) + sum(model.losses)) / 2
            return a, b, c
    """,
    "per-example-sum-or-not-divided": """
        import tensorflow as tf

        def step(model, x, y, n):
            per = tf.reduce_sum(tf.square(model(x) - y), axis=1)
            per += sum(model.losses)
            per = per / n
            total = tf.reduce_sum(tf.square(model(x) - y))
            total += sum(model.losses)
            return per, total
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_regularization_divided_by_batch_written_several_ways(name):
    marked, found = marked_and_found("TL451", name, CASES[name])
    assert found == marked


def test_message_names_the_terms_and_the_divisor():
    f = only_finding("TL451", CASES["torch-style-sum-method"])
    assert "`sum(reg_model.losses)` is added to `((model(x) - y) ** 2).sum()`" in f.message
    assert "divided by `n`" in f.message


def test_cli_reports_the_division(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(CASES["torch-style-sum-method"]).lstrip("\n"))
    run = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "train.py:6:5: TL451" in run.stdout
