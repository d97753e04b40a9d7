"""TL008: a positional argument written as the name of another parameter of the called
definition, while that parameter gets a different argument. The command line on files (and on a
small project whose module defines the called function); each bug is marked `# expect: TL008`,
the look-alikes stay silent."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

CASES = {
    # a Keras model's constructor given the embedding width where the sequence length goes
    "keras_constructor": """
    import tensorflow as tf


    class Encoder(tf.keras.Model):
        def __init__(self, vocab_size, num_timesteps, embedding_dim, encoder_dim, **kwargs):
            super().__init__(**kwargs)
            self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim, input_length=num_timesteps)
            self.rnn = tf.keras.layers.GRU(encoder_dim, return_state=True)

        def call(self, x, state):
            return self.rnn(self.embedding(x), initial_state=state)


    embedding_dim, maxlen_en, encoder_dim = 256, 40, 1024
    encoder = Encoder(8000, embedding_dim, maxlen_en, encoder_dim)  # expect: TL008
    num_timesteps = maxlen_en
    same = Encoder(8000, num_timesteps, embedding_dim, encoder_dim)
    named = Encoder(8000, num_timesteps=maxlen_en, embedding_dim=embedding_dim, encoder_dim=encoder_dim)
    """,
    # a loss class's method passing its attributes to a function whose parameters are in the other order
    "keras_loss_method": """
    from tensorflow import keras
    from tensorflow.keras import backend as K


    def focal_loss(gt, pr, gamma=2.0, alpha=0.25):
        pr = K.clip(pr, K.epsilon(), 1.0 - K.epsilon())
        return K.mean(-gt * alpha * K.pow(1 - pr, gamma) * K.log(pr))


    class FocalLoss(keras.losses.Loss):
        def __init__(self, alpha=0.25, gamma=2.0):
            super().__init__(name="focal_loss")
            self.alpha = alpha
            self.gamma = gamma

        def call(self, gt, pr):
            return focal_loss(gt, pr,
                              self.alpha,  # expect: TL008
                              self.gamma)


    class KeywordFocalLoss(FocalLoss):
        def call(self, gt, pr):
            return focal_loss(gt, pr, alpha=self.alpha, gamma=self.gamma)
    """,
    # a TF1 graph-building function and a torch module's forward, called with swapped names
    "tf1_and_torch": """
    import tensorflow as tf
    import torch
    import torch.nn as nn


    def dense(inputs, units, keep_prob):
        return tf.nn.dropout(tf.layers.dense(inputs, units), keep_prob=keep_prob)


    class Gate(nn.Module):
        def __init__(self, features):
            super().__init__()
            self.fc = nn.Linear(features, features)

        def forward(self, x, mask):
            return self.fc(x) * mask


    units, keep_prob = 128, 0.5
    x = tf.placeholder(tf.float32, [None, 64])
    h = dense(x, keep_prob, units)  # expect: TL008
    g = dense(x, 128, keep_prob)
    gate = Gate(16)
    x, mask = torch.randn(4, 16), torch.ones(4, 16)
    inputs, mask = torch.randn(4, 16), torch.ones(4, 16)
    y = gate(mask, inputs)  # expect: TL008
    """,
    # look-alikes: mirrored in/out sizes, recursion, delegation with a deliberate order, a function
    # the analysis does not see, the same name twice, literals and expressions
    "lookalikes": """
    import torch
    import torch.nn as nn
    from elsewhere import resize


    class Block(nn.Module):
        def __init__(self, in_channels, out_channels, kernel_size=3):
            super().__init__()
            self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2)

        def forward(self, x):
            return self.conv(x)


    class AutoEncoder(nn.Module):
        def __init__(self, in_channels=3, out_channels=16):
            super().__init__()
            self.encode = Block(in_channels, out_channels)
            self.decode = Block(out_channels, in_channels)
            self.wide = Block(out_channels, out_channels * 2)
            self.same = Block(out_channels, out_channels)

        def forward(self, x):
            return self.decode(self.encode(x))


    def less(a, b):
        return torch.lt(a, b)


    def greater(a, b):
        return less(b, a)


    def gcd(a, b):
        return a if b == 0 else gcd(b, a % b)


    def mismatches(target, reference, target_name, reference_name):
        return [k for k in target if k not in reference]


    target, reference = {"a": 1}, {"b": 2}
    missing = mismatches(target, reference, "file", "model")
    extra = mismatches(reference, target, "model", "file")
    height, width = 32, 64
    image = resize(torch.zeros(3, 8, 8), width, height)
    print(greater(torch.ones(2), torch.zeros(2)), gcd(12, 8), Block(16, 3), AutoEncoder())
    """,
}

# a project: the called function is defined in a module of the program's package, and the call
# is made by a method nobody calls in the file (a library's loss class)
PROJECT = {
    "pkg/__init__.py": "",
    "pkg/functional.py": """
    import tensorflow as tf


    def binary_focal_loss(gt, pr, gamma=2.0, alpha=0.25, **kwargs):
        pr = tf.clip_by_value(pr, 1e-7, 1.0 - 1e-7)
        return -tf.reduce_mean(alpha * gt * (1 - pr) ** gamma * tf.math.log(pr))
    """,
    "pkg/losses.py": """
    from tensorflow import keras
    from . import functional as F


    class BinaryFocalLoss(keras.losses.Loss):
        def __init__(self, alpha=0.25, gamma=2.0):
            super().__init__()
            self.alpha = alpha
            self.gamma = gamma

        def call(self, gt, pr):
            return F.binary_focal_loss(gt, pr, self.alpha, self.gamma)  # expect: TL008


    class NamedFocalLoss(BinaryFocalLoss):
        def call(self, gt, pr):
            return F.binary_focal_loss(gt, pr, alpha=self.alpha, gamma=self.gamma)
    """,
}


def _rows(capsys, path) -> list:
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL008", str(path)]) == 0
    return sorted(f["location"]["row"] for f in json.loads(capsys.readouterr().out))


def _expected(text: str) -> list:
    return [i for i, line in enumerate(text.splitlines(), 1) if "# expect: TL008" in line]


@pytest.mark.parametrize("name", sorted(CASES))
def test_argument_for_other_parameter(tmp_path, capsys, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    assert _rows(capsys, path) == _expected(text)


def test_definition_in_a_project_module(tmp_path, capsys):
    for rel, text in PROJECT.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text).lstrip("\n"))
    losses = tmp_path / "pkg" / "losses.py"
    assert _rows(capsys, losses) == _expected(losses.read_text())
    main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL008", str(losses)])
    (finding,) = json.loads(capsys.readouterr().out)
    assert "functional.py:4" in finding["message"] and "`gamma` and `alpha`" in finding["message"]


def test_message_names_the_parameters(tmp_path, capsys):
    text = textwrap.dedent(CASES["keras_constructor"]).lstrip("\n")
    path = tmp_path / "enc.py"
    path.write_text(text)
    main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL008", str(path)])
    (finding,) = json.loads(capsys.readouterr().out)
    assert "`embedding_dim` to the parameter `num_timesteps`, while `embedding_dim` gets `maxlen_en`" in finding["message"]
    assert "line 5" in finding["message"]
