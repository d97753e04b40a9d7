"""A model or layer class that defines `__call__` and no `forward`/`call` replaces the framework's
`__call__`: calling an instance runs the class's `__call__`, and the analysis follows it there
(torch modules, Keras layers, Keras models). A class that defines both is followed through its
hook, as before. The command line on files; each bug marked `# expect: TL304`, the look-alikes
that give logits stay silent."""
from __future__ import annotations

import json
import textwrap

import pytest

from tensorlint.cli import main

CASES = {
    "k_model": """
    import tensorflow as tf
    from tensorflow.keras import Model, layers


    class Net(Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(64, activation="relu")
            self.out = layers.Dense(10, activation="softmax")

        def __call__(self, x, training=False):
            return self.out(self.hidden(x))


    net = Net()
    opt = tf.keras.optimizers.Adam()
    for x, y in dataset:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=net(x, training=True)))  # expect: TL304
        grads = tape.gradient(loss, net.trainable_variables)
        opt.apply_gradients(zip(grads, net.trainable_variables))
    """,
    "k_layer": """
    import tensorflow as tf


    class Head(tf.keras.layers.Layer):
        def __init__(self, classes):
            super().__init__()
            self.dense = tf.keras.layers.Dense(classes)

        def __call__(self, inputs):
            return tf.nn.softmax(self.dense(inputs))


    head = Head(10)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    opt = tf.keras.optimizers.SGD(0.1)
    for x, y in dataset:
        with tf.GradientTape() as tape:
            loss = loss_fn(y, head(x))  # expect: TL304
        grads = tape.gradient(loss, head.trainable_variables)
        opt.apply_gradients(zip(grads, head.trainable_variables))
    """,
    "t_module": """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(20, 5)

        def __call__(self, x):
            return F.softmax(self.fc(x), dim=1)


    model = Classifier()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)  # expect: TL304
        loss.backward()
        optimizer.step()
    """,
}

# look-alikes: the same programs with a class whose call gives logits; they stay silent
LOOKALIKES = {
    "k_model_logits": ("k_model", 'activation="softmax"', "activation=None"),
    "k_layer_logits": ("k_layer", "return tf.nn.softmax(self.dense(inputs))", "return self.dense(inputs)"),
    "t_module_logits": ("t_module", "return F.softmax(self.fc(x), dim=1)", "return self.fc(x)"),
    # both a hook and a `__call__` that hands over to the framework's: the hook is followed
    "k_model_both_logits": ("k_model", "    def __call__(self, x, training=False):\n",
                            "    def call(self, x, training=False):\n        return self.out(self.hidden(x))\n\n"
                            "    def __call__(self, x, training=False):\n        return super().__call__(x, training=training)\n"
                            "\n    def unused(self, x, training=False):\n"),
}
for _name, (_base, _old, _new) in LOOKALIKES.items():
    assert _old in textwrap.dedent(CASES[_base]), _name
    _text = textwrap.dedent(CASES[_base]).replace(_old, _new).replace("  # expect: TL304", "")
    CASES[_name] = _text.replace('activation="softmax"', "activation=None")


def _check(tmp_path, capsys, name: str) -> list:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(CASES[name]).lstrip("\n"))
    assert main(["check", "--format", "json", "--no-cache", "--exit-zero", "--select", "TL304", str(path)]) == 0
    return sorted(f["location"]["row"] for f in json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("name", sorted(CASES))
def test_own_dunder_call_is_followed(tmp_path, capsys, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    expected = [i for i, line in enumerate(text.splitlines(), 1) if "# expect: TL304" in line]
    assert _check(tmp_path, capsys, name) == expected
