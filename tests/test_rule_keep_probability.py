"""TL113 keep-probability-as-drop-rate, written the ways people write it: a `keep_prob`
placeholder given to `tf.nn.dropout(rate=...)`, a constant documented as the probability to keep
a unit passed through a model function's parameter to `tf.layers.dropout`, `nn.Dropout(keep_prob)`
and `F.dropout(x, self.keep_prob)` in PyTorch, Keras' `Dropout(KEEP_PROB)`. The look-alikes give
`1 - keep_prob`, use TensorFlow 1's own `keep_prob` argument, name a drop rate, or have callers
that do not all pass a keep probability. Each case marks its expected findings with
`# expect: TL113`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "tf2-rate-keyword": """
    import tensorflow as tf

    keep_prob = tf.compat.v1.placeholder(tf.float32, name="keep_prob")
    x = tf.random.normal([8, 32])
    h = tf.nn.dropout(x, rate=keep_prob)  # expect: TL113
    """,
    "tf1-layers-through-a-parameter": """
    import tensorflow as tf

    dropout = 0.75  # Dropout, probability to keep units


    def conv_net(x_dict, n_classes, dropout, reuse, is_training):
        x = tf.layers.dense(x_dict["images"], 1024)
        x = tf.layers.dropout(x, rate=dropout, training=is_training)  # expect: TL113
        return tf.layers.dense(x, n_classes)


    def model_fn(features, labels, mode):
        train = conv_net(features, 10, dropout, reuse=False, is_training=True)
        test = conv_net(features, 10, dropout, reuse=True, is_training=False)
        return train, test
    """,
    "torch-module-and-functional": """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    KEEP_PROB = 0.8


    class Net(nn.Module):
        def __init__(self, keep_prob=0.5):
            super().__init__()
            self.keep_prob = keep_prob
            self.fc1 = nn.Linear(784, 256)
            self.drop = nn.Dropout(KEEP_PROB)  # expect: TL113
            self.fc2 = nn.Linear(256, 10)

        def forward(self, x):
            x = self.drop(F.relu(self.fc1(x)))
            x = F.dropout(x, self.keep_prob, training=self.training)  # expect: TL113
            return self.fc2(x)
    """,
    "keras-layer": """
    from tensorflow import keras

    dropout_keep_prob = 0.9
    model = keras.Sequential([
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(dropout_keep_prob),  # expect: TL113
        keras.layers.Dense(10),
    ])
    """,
    "config-dict-and-argparse": """
    import argparse
    import torch.nn as nn

    config = {"hidden": 128, "keep_prob": 0.7}
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep-prob", type=float, default=0.5)
    args = parser.parse_args()
    head = nn.Sequential(
        nn.Linear(64, config["hidden"]),
        nn.Dropout(config["keep_prob"]),  # expect: TL113
        nn.Linear(config["hidden"], 10),
        nn.Dropout(p=args.keep_prob),  # expect: TL113
    )
    """,
    "ok-one-minus-keep": """
    import tensorflow as tf
    import torch.nn as nn

    keep_prob = 0.8
    x = tf.random.normal([8, 32])
    h = tf.nn.dropout(x, rate=1 - keep_prob)
    layer = nn.Dropout(p=1.0 - keep_prob)
    """,
    "ok-tf1-keep-prob-argument": """
    import tensorflow as tf

    keep_prob = tf.compat.v1.placeholder(tf.float32)
    x = tf.random.normal([8, 32])
    a = tf.nn.dropout(x, keep_prob)
    b = tf.nn.dropout(x, keep_prob=keep_prob)
    """,
    "ok-drop-rates": """
    import torch.nn as nn
    from tensorflow import keras

    config = {"dropout": 0.1}
    drop_rate = 0.3  # fraction of units to drop
    rate = 0.1  # keep it small: the model is tiny
    dropout_rate = 0.5  # == 1 - keep_prob
    p_drop = 0.2  # keep probability 0.8
    c = nn.Dropout(dropout_rate)
    d = nn.Dropout(p_drop)
    a = nn.Dropout(drop_rate)
    b = keras.layers.Dropout(rate)
    e = nn.Dropout(config["dropout"])
    """,
    "ok-callers-disagree": """
    import torch.nn as nn

    keep_prob = 0.9


    def block(p):
        return nn.Sequential(nn.Linear(8, 8), nn.Dropout(p))


    a = block(keep_prob)
    b = block(0.1)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_keep_probability_as_drop_rate(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL113"}
    assert found == _expected(text)


def test_message_says_what_is_dropped_and_the_fix_takes_the_complement():
    text = textwrap.dedent(CASES["tf1-layers-through-a-parameter"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL113"]
    assert "line 3 says `# Dropout, probability to keep units`" in f.message
    assert "25% of the units were meant to be dropped and 75% are dropped" in f.message
    [edit] = f.fix.edits
    assert edit.content == "1 - dropout"
    assert [r.span.start.line for r in f.related] == [3]
