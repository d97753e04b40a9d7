"""TL468 gradient-penalty-square-of-mean, written the ways a gradient penalty is spelled: TF1
`tf.gradients(d, [x])[0]` with the norm as a square root of a sum of squares (an epsilon inside
or outside the root) or `tf.norm(g, axis=1)`, a TF2 `GradientTape`, PyTorch's
`autograd.grad(...)[0]` normed with the method `g.norm(2, dim=1)` after a per-sample `view`, with
`torch.norm` or `torch.linalg.vector_norm`, through names or in one expression, the square
written `** 2`, `tf.square`, `.pow(2)` or `torch.pow(m, 2)`, and the 1 subtracted inside or
outside the mean. The look-alikes: the mean of the squares (the penalty as it should be), a mean
over some axes only, a squared mean of something that is not a gradient norm (a batch statistic
held at 1, the norm of the input itself), a one-sided penalty, and a mean that is not squared
(a logged value). Each case marks its expected findings with `# expect: TL468`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "tf1-sqrt-sum-square-mean-then-square": """
    import tensorflow as tf

    X = tf.placeholder(tf.float32, shape=[None, 784])
    z = tf.placeholder(tf.float32, shape=[None, 10])

    def G(z):
        return tf.nn.sigmoid(tf.layers.dense(z, 784))

    def D(x):
        return tf.layers.dense(tf.layers.dense(x, 128, tf.nn.relu), 1)

    eps = tf.random_uniform([32, 1], minval=0., maxval=1.)
    X_inter = eps * X + (1. - eps) * G(z)
    grad = tf.gradients(D(X_inter), [X_inter])[0]
    grad_norm = tf.sqrt(tf.reduce_sum((grad) ** 2, axis=1))
    grad_pen = 10. * tf.reduce_mean(grad_norm - 1.) ** 2  # expect: TL468
    """,
    "tf1-mean-of-norm-minus-one-squared-with-tf-square": """
    import tensorflow as tf

    real = tf.placeholder(tf.float32, [None, 2])
    def critic(v):
        return tf.layers.dense(v, 1)

    g = tf.gradients(critic(real), real)[0]
    slopes = tf.sqrt(tf.reduce_sum(tf.square(g), reduction_indices=[1]) + 1e-10)
    penalty = tf.square(tf.reduce_mean(slopes) - 1.0)  # expect: TL468
    """,
    "tf-norm-axis-one-expression": """
    import tensorflow as tf

    x = tf.placeholder(tf.float32, [None, 64])
    def critic(v):
        return tf.layers.dense(v, 1)

    gp = tf.reduce_mean(tf.norm(tf.gradients(critic(x), [x])[0], axis=1) - 1.) ** 2  # expect: TL468
    """,
    "tf2-tape-pow": """
    import tensorflow as tf

    critic = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(16,))])

    def gradient_penalty(real, fake):
        alpha = tf.random.uniform([8, 1])
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            pred = critic(mixed)
        grads = tape.gradient(pred, mixed)
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1))
        return tf.pow(tf.reduce_mean(norm - 1.0), 2)  # expect: TL468

    out = gradient_penalty(tf.random.normal([8, 16]), tf.random.normal([8, 16]))
    """,
    "torch-view-then-norm-method": """
    import torch
    import torch.nn as nn
    from torch import autograd

    netD = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(1))

    def calc_gradient_penalty(real_data, fake_data):
        alpha = torch.rand(real_data.size(0), 1, 1, 1)
        interpolates = (alpha * real_data + (1 - alpha) * fake_data).requires_grad_(True)
        out = netD(interpolates)
        gradients = autograd.grad(outputs=out, inputs=interpolates, grad_outputs=torch.ones_like(out),
                                  create_graph=True, retain_graph=True)[0]
        gradients = gradients.view(gradients.size(0), -1)
        return ((gradients.norm(2, dim=1) - 1).mean()) ** 2 * 10  # expect: TL468

    calc_gradient_penalty(torch.randn(4, 3, 8, 8), torch.randn(4, 3, 8, 8))
    """,
    "torch-functions-and-pow-method": """
    import torch
    import torch.nn as nn

    D = nn.Linear(10, 1)

    def gp(x):
        x = x.requires_grad_(True)
        out = D(x)
        g = torch.autograd.grad(out.sum(), x, create_graph=True)[0]
        a = torch.mean(torch.norm(g, 2, dim=1) - 1).pow(2)  # expect: TL468
        b = torch.pow(torch.mean(torch.linalg.vector_norm(g, dim=1) - 1), 2)  # expect: TL468
        return a + b

    gp(torch.randn(16, 10))
    """,
    "ok-mean-of-squares-every-spelling": """
    import tensorflow as tf
    import torch
    import torch.nn as nn

    x = tf.placeholder(tf.float32, [None, 784])
    def critic(v):
        return tf.layers.dense(v, 1)
    grad = tf.gradients(critic(x), [x])[0]
    slopes = tf.sqrt(tf.reduce_sum(tf.square(grad), axis=1))
    a = tf.reduce_mean((slopes - 1.) ** 2)
    b = tf.reduce_mean(tf.square(slopes - 1.))
    c = tf.reduce_mean(tf.nn.relu(slopes - 1.)) ** 2  # a one-sided hinge, not (norm - 1)
    d = tf.reduce_mean(slopes - 1.)  # logged, not squared
    e = tf.reduce_mean((slopes - 1.) ** 2, axis=0) ** 2  # over an axis: not the batch mean of the distances

    D = nn.Linear(10, 1)
    def gp(v):
        v = v.requires_grad_(True)
        out = D(v)
        g = torch.autograd.grad(out.sum(), v, create_graph=True)[0]
        return ((g.norm(2, dim=1) - 1) ** 2).mean() + torch.mean((g.norm(2, dim=1) - 1).pow(2))
    gp(torch.randn(16, 10))
    """,
    "ok-squared-mean-of-something-else": """
    import tensorflow as tf
    import torch

    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.Variable(tf.ones([784]))
    scale = tf.sqrt(tf.reduce_sum(tf.square(x), axis=1))
    reg = tf.reduce_mean(scale - 1.) ** 2  # the input's norm, not a gradient's
    bn = tf.reduce_mean(w - 1.) ** 2  # a weight held at 1 on average
    grads_and_vars = tf.train.AdamOptimizer().compute_gradients(tf.reduce_sum(w))
    t = torch.randn(8, 4)
    act = torch.mean(t.norm(2, dim=1) - 1) ** 2  # the norm of activations
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_penalty_square_of_mean(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL468"}
    assert found == _expected(text)


def test_message_and_related_point_at_the_mean():
    text = textwrap.dedent(CASES["tf1-sqrt-sum-square-mean-then-square"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL468"]
    assert "cancel" in f.message and "mean((norm - 1) ** 2)" in f.message
    assert f.related and f.related[0].span.start.line == f.line
