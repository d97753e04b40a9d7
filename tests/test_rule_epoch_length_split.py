"""TL424: a loop counts the batches of one split of the TF1 MNIST helper but draws them from
another. The helper's splits hold 55,000 / 5,000 / 10,000 images (validation_size=5000): counting
the test split while drawing training batches makes each epoch 10,000 / batch_size steps. The
look-alikes count and draw the same split."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL424",))

BUGS = {
    # the ageron notebook: len() of the test labels, a session loop drawing train batches
    "test-labels-counted": ("""
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("/tmp/data/")
        with tf.Session() as sess:
            for epoch in range(20):
                for iteration in range(len(mnist.test.labels) // 50):
                    X_batch, y_batch = mnist.train.next_batch(50)
                    sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
    """, [7]),
    # the count in a name assigned before the loop, one_hot data, inside a function
    "validation-count-through-a-name": ("""
        from tensorflow.examples.tutorials.mnist import input_data

        def train(sess, step_op, x, batch_size=100):
            data = input_data.read_data_sets("MNIST_data", one_hot=True)
            total_batch = int(data.validation.num_examples / batch_size)
            for i in range(total_batch):
                batch_xs, batch_ys = data.train.next_batch(batch_size)
                sess.run(step_op, feed_dict={x: batch_xs})
    """, [6]),
}

LOOKALIKES = {
    "train-counted-train-drawn": """
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("/tmp/data/")
        for iteration in range(mnist.train.num_examples // 50):
            X_batch, y_batch = mnist.train.next_batch(50)
    """,
    "evaluation-over-the-test-split": """
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
        n = len(mnist.test.images) // 100
        for i in range(n):
            xs, ys = mnist.test.next_batch(100)
    """,
    "fixed-number-of-steps": """
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("/tmp/data/")
        for step in range(2000):
            xs, ys = mnist.train.next_batch(64)
        print(len(mnist.test.labels))
    """,
    "another-object-with-splits": """
        import tensorflow_datasets as tfds

        splits = load_my_splits()
        for i in range(len(splits.test.labels) // 32):
            xs, ys = splits.train.next_batch(32)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_epoch_counted_on_another_split_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("the epoch has the length of the wrong split" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
