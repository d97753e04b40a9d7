"""TL421: a function that computes a tensor and drops it (no `return` of a value) is used for
its value. Under TensorFlow 2.21 / torch each bug raises where the None is used
(`tf.reduce_mean(None)`: ValueError; `None.backward()`: AttributeError; `None + 0.1`:
TypeError); the look-alikes return their value or use the helper for its effect only."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL421",))

BUGS = {
    # the carpedm20 DCGAN shape: a wrapper nested in the graph-building method, TF1 session
    "tf1-nested-loss-wrapper": ("""
        import tensorflow as tf

        class GAN:
            def build(self, d_logits, d_logits_fake):
                def xent(x, y):
                    try:
                        tf.nn.sigmoid_cross_entropy_with_logits(logits=x, labels=y)
                    except Exception:
                        tf.nn.sigmoid_cross_entropy_with_logits(logits=x, targets=y)

                self.d_loss = tf.reduce_mean(xent(d_logits, tf.ones_like(d_logits)))
                self.g_loss = tf.reduce_mean(xent(d_logits_fake, tf.ones_like(d_logits_fake)))
                self.train = tf.train.AdamOptimizer(0.001).minimize(self.d_loss)

        gan = GAN()
        with tf.Session() as sess:
            sess.run(gan.train)
    """, [11, 12]),
    # a module-level TF2 helper, its result in arithmetic
    "tf2-helper-in-arithmetic": ("""
        import tensorflow as tf

        def l2(w):
            tf.reduce_sum(tf.square(w))

        w = tf.Variable(tf.ones([3, 3]))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(w) + 0.01 * l2(w)
    """, [8]),
    # torch: the loss assigned to a name, then `.backward()` on it
    "torch-assigned-then-backward": ("""
        import torch
        import torch.nn.functional as F

        def criterion(pred, target):
            F.mse_loss(pred, target)

        model = torch.nn.Linear(4, 1)
        for x, y in [(torch.randn(8, 4), torch.randn(8, 1))]:
            loss = criterion(model(x), y)
            loss.backward()
    """, [9]),
}

LOOKALIKES = {
    "returns-its-value": """
        import tensorflow as tf

        def xent(x, y):
            return tf.nn.sigmoid_cross_entropy_with_logits(logits=x, labels=y)

        loss = tf.reduce_mean(xent(tf.zeros([2, 1]), tf.ones([2, 1])))
    """,
    "helper-for-its-effect": """
        import torch

        def clip(model):
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)

        model = torch.nn.Linear(2, 1)
        clip(model)
        out = model(torch.ones(1, 2))
    """,
    "every-path-raises": """
        import torch

        def unsupported(x):
            torch.zeros(1)
            raise NotImplementedError("no such loss")

        y = torch.mean(unsupported(torch.ones(2)))
    """,
    "decorated-helper": """
        import tensorflow as tf

        @tf.function
        def step(x):
            tf.reduce_sum(x)

        out = tf.reduce_mean(step(tf.ones([2])))
    """,
    "method-called-on-self": """
        import torch

        class Base:
            def loss(self, a, b):
                torch.mean((a - b) ** 2)

            def total(self, a, b):
                return torch.sum(self.loss(a, b))
    """,
    "name-rebound-later": """
        import torch

        def loss_fn(a, b):
            torch.mean((a - b) ** 2)

        loss_fn = torch.nn.MSELoss()
        value = loss_fn(torch.ones(2), torch.zeros(2)) + 1
    """,
    "generator-helper": """
        import torch

        def batches(x):
            torch.manual_seed(0)
            yield x

        total = torch.stack(list(batches(torch.ones(2))))
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


def _indented_call_by_line(text: str, names) -> bool:
    """The prefilter's meaning, line by line: an indented line whose code starts with one of
    `names` (a whole word) and then reaches `(` through names, dots and blanks."""
    import re

    for line in text.split("\n"):
        code = line.lstrip(" \t")
        if code == line:
            continue
        m = re.match(r"(\w+)[\w. \t]*\(", code)
        if m and m.group(1) in names:
            return True
    return False


@pytest.mark.parametrize("names", [frozenset({"tf", "np"}),
                                   frozenset({"tf", "np", "torch", "nn", "F", "K", "keras", "layers"})])
def test_the_text_prefilter_finds_exactly_the_indented_framework_calls(names):
    from tensorlint.rules.tl421_missing_return_value import _starts_indented_call

    texts = ["def f(x):\n    tf.nn.softmax(x)\n", "def f(x):\n\tnp . sum (x)\n", "    tf.reduce_sum(x)\n",
             "def f(x):\n    tfx.reduce_sum(x)\n", "def f(x):\n    y = tf.nn.softmax(x)\n",
             "tf.nn.softmax(x)\n", "def f(x):\n    # tf.nn.softmax(x)\n", "def f(x):\n    tf.nn.softmax\n",
             "def f(x):\n    layers.Dense(3)(x)\n", "def f(x):\n    ktf.f(x)\n    return x\n",
             "def f(x):\r\n    tf.nn.softmax(x)\r\n", "def f(x):\n    torch.relu(x)\n", "def f(x):\n    xnp.f(x)\n",
             "def f(x):\n    tf .nn. softmax (x)\n", "def f(x):\n    tf2.f(x)\n", "def f(x):\n    .tf(x)\n",
             "def f(x):\n    return tf.nn.softmax(x)\n", "def f(x):\n    F(x)\n", "def f(x):\n    tf\n    (x)\n"]
    for text in texts:
        assert _starts_indented_call(text, names) == _indented_call_by_line(text, names), text


# A function that simply ends without a value (no framework call dropped): reported only where
# its result is used as an object. Under Keras 3.15 / torch 2.13 each raises where it is used.
ENDS_WITHOUT_VALUE = {
    # the Keras factory that builds and prints the model and forgets to return it
    "keras-factory-then-compile": ("""
        from keras.layers import Dense, Input
        from keras.models import Model

        def get_model(n_features):
            inputs = Input((n_features,))
            outputs = Dense(1, activation="sigmoid")(Dense(16, activation="relu")(inputs))
            model = Model(inputs=inputs, outputs=outputs)
            model.summary()

        model = get_model(8)
        model.compile(optimizer="adam", loss="binary_crossentropy")
    """, [10]),
    # torch: the model class chosen in branches, each branch assigning and none returning;
    # the caller hands `net.parameters()` to the optimizer inside a function of its own
    "torch-builder-in-branches": ("""
        import torch
        import torch.nn as nn

        def build(kind):
            if kind == "mlp":
                net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
            else:
                net = nn.Linear(4, 1)

        def main():
            net = build("mlp")
            optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
            return optimizer
    """, [11]),
    # tf.keras: the result used directly, without a name (`make().fit(...)`), inside a loop
    "tf-keras-call-then-attribute": ("""
        import numpy as np
        import tensorflow as tf

        def make(units):
            for _ in range(2):
                model = tf.keras.Sequential([tf.keras.layers.Dense(units)])
                model.compile(loss="mse")

        for units in (1, 2):
            make(units).fit(np.zeros((4, 3)), np.zeros((4, units)), verbose=0)
    """, [10]),
    # a nested helper whose result is indexed
    "nested-helper-indexed": ("""
        import torch

        def train(xs):
            def split(t):
                half = t.shape[0] // 2
                print(half)

            parts = split(xs)
            return parts[0]
    """, [8]),
}

ENDS_WITHOUT_VALUE_SILENT = {
    # the caller tests the result for None before using it
    "guarded-by-none-test": """
        import torch.nn as nn

        def maybe_model(flag):
            print(flag)

        model = maybe_model(True)
        if model is not None:
            model.train()
    """,
    # truth test and `or` fallback
    "truth-test-and-fallback": """
        import torch.nn as nn

        def cached():
            print("no cache")

        model = cached() or nn.Linear(2, 1)
        net = cached()
        if net:
            net.eval()
    """,
    # every branch raises: no call returns
    "every-branch-raises": """
        import torch

        def pick(kind):
            if kind == "a":
                raise ValueError(kind)
            else:
                raise KeyError(kind)

        opt = pick("a").step()
    """,
    # an endless loop and a try statement: the end is not judged
    "loop-and-try": """
        import torch

        def serve(q):
            while True:
                q.get()

        def load(path):
            try:
                print(open(path).read())
            except OSError:
                raise

        a = serve(None).result
        b = load("w.pt").keys()
    """,
    # returns a value on one path; a method; the result only a statement of its own
    "value-on-one-path-method-statement": """
        import torch.nn as nn

        def build(kind):
            if kind:
                return nn.Linear(2, 1)
            print("no model")

        class Trainer:
            def model(self):
                print(self)

            def run(self):
                return self.model().parameters()

        m = build(True)
        m.train()

        def setup():
            nn.Linear(2, 2)

        setup()
    """,
    # an exercise's stub that says `return None` (a TF1 notebook before the student fills it in)
    "exercise-stub-returns-none": """
        import numpy as np
        import tensorflow as tf

        def generator(z, out_channel_dim, is_train=True):
            \"\"\"Create the generator network.\"\"\"
            # TODO: Implement Function

            return None

        def show(sess, input_z):
            return sess.run(generator(input_z, 3, False), feed_dict={input_z: np.zeros((4, 100))})
    """,
    # printed or passed on before use: the value is handed to code the file does not show
    "passed-to-a-function": """
        import torch.nn as nn

        def build():
            print("building")

        net = build()
        register(net)
        net.eval()
    """,
}




# each reported program, its lines, and what the message says of the function
REPORTED = {**{name: (*case, "drops it") for name, case in BUGS.items()},
            **{name: (*case, "ends without returning a value") for name, case in ENDS_WITHOUT_VALUE.items()}}


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_value_of_function_without_return_is_reported(name):
    program, lines, says = REPORTED[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("returns None" in f.message and says in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES) + sorted(ENDS_WITHOUT_VALUE_SILENT))
def test_look_alikes_stay_silent(name):
    program = LOOKALIKES.get(name) or ENDS_WITHOUT_VALUE_SILENT[name]
    assert analyze(_text(program), f"{name}.py", ONLY).findings == []

