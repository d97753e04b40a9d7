"""TL002 dict-view-concatenation on the bug written the ways people write it (the variables of a
hand-written TF2 model in two dicts, `OrderedDict(...)` and `dict(...)` constructors, a view
added to a list, keys and items, inside the training-step function) and on correct look-alikes:
views wrapped in list(), a name also bound to a list, a parameter that shadows the dict, a class
whose values() returns a list, `+=` on a list. Each case marks its expected findings with
`# expect: TL002`; every other line must stay silent."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf2-raw-model-variables": """
        import tensorflow as tf

        weights = {
            'h1': tf.Variable(tf.random.normal([784, 256])),
            'out': tf.Variable(tf.random.normal([256, 10])),
        }
        biases = {'b1': tf.Variable(tf.zeros([256])), 'out': tf.Variable(tf.zeros([10]))}
        optimizer = tf.optimizers.SGD(0.01)

        def run_optimization(x, y):
            with tf.GradientTape() as g:
                pred = tf.matmul(tf.matmul(x, weights['h1']) + biases['b1'], weights['out']) + biases['out']
                loss = tf.reduce_mean(tf.square(pred - y))
            trainable_variables = weights.values() + biases.values()  # expect: TL002
            gradients = g.gradient(loss, trainable_variables)
            optimizer.apply_gradients(zip(gradients, trainable_variables))
    """,
    "constructors-keys-items-and-a-list": """
        from collections import OrderedDict
        import torch

        layers = OrderedDict(fc1=torch.nn.Linear(4, 8), fc2=torch.nn.Linear(8, 2))
        extra = dict(scale=torch.nn.Parameter(torch.ones(1)))
        names = layers.keys() + extra.keys()  # expect: TL002
        pairs = [("bias", torch.zeros(2))] + extra.items()  # expect: TL002
    """,
    # -- silent ----------------------------------------------------------------------------
    "views-wrapped-in-list": """
        import tensorflow as tf

        weights = {'h1': tf.Variable(tf.ones([4, 4]))}
        biases = {'b1': tf.Variable(tf.zeros([4]))}
        trainable_variables = list(weights.values()) + list(biases.values())
        collected = []
        collected += weights.values()
        count = len(weights.values()) + len(biases.keys())
    """,
    "names-that-are-not-only-dicts": """
        import tensorflow as tf

        params = {'w': tf.Variable(1.0)}
        params = [tf.Variable(1.0)]
        table = {'a': 1}

        class Store:
            def values(self):
                return [tf.Variable(2.0)]

        def gather(table):
            return table.values() + [3]

        both = Store().values() + [tf.Variable(3.0)]
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dict_view_concatenation_written_several_ways(name):
    marked, found = marked_and_found("TL002", name, CASES[name])
    assert found == marked


def test_message_names_the_view():
    f = only_finding("TL002", CASES["tf2-raw-model-variables"], Config())
    assert "`weights.values()` is a dict_values view" in f.message and "list(...)" in f.message
