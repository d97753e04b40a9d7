"""TL427 gradient-norm-partial-axes, written the ways gradient penalties take the norm: TF1
`tf.gradients(d, [x])[0]` with `reduction_indices=` or `axis=`, a TF2 `GradientTape`'s
`tape.gradient(pred, [x])[0]` or `tape.gradient(pred, x)`, the square root taken before or after an
epsilon, and the norm compared with 1 in the same expression or through a name. The rank of the
gradient is the rank of what was differentiated, also when that is a broadcast with a tensor of
unknown shape (at least the larger rank). The look-alikes: every axis after the batch axis,
flattened gradients, a rank-2 input, a reduction that is not a penalty, and a gradient whose
input's rank is not known. PyTorch's `torch.autograd.grad(out, x)[0]` has the shape of `x`, and its
norm is taken as a sum of squares or with the method `g.norm(2, dim=1)` (`p=2`, no `p`), in one
expression or through a name; a norm of another order or over every axis stays silent. The
function forms count too: `torch.norm(g, 2, dim=1)`, `torch.linalg.norm(g, dim=1)` and
`torch.linalg.vector_norm(g, 2, dim=(1, 2))`, and the method with its dim given by position,
`g.norm(2, 1)` (the order comes first); `torch.linalg.norm` with `ord=2` over two dims is the
spectral norm and stays silent. Each case marks its expected findings with `# expect: TL427`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "tf1-reduction-indices-broadcast-with-unknown": """
    import tensorflow as tf
    from ops import *

    x = tf.placeholder(tf.float32, [64, 28, 28, 1])
    z = tf.placeholder(tf.float32, [64, 100])
    G = deconv2d(z, [64, 28, 28, 1])
    alpha = tf.random_uniform(shape=x.get_shape(), minval=0., maxval=1.)
    interpolates = x + alpha * (G - x)
    d_hat = tf.layers.dense(tf.layers.flatten(interpolates), 1)
    gradients = tf.gradients(d_hat, [interpolates])[0]
    slopes = tf.sqrt(tf.reduce_sum(tf.square(gradients), reduction_indices=[1]))  # expect: TL427
    gradient_penalty = tf.reduce_mean((slopes - 1.) ** 2)
    """,
    "tf1-axis-in-one-expression": """
    import tensorflow as tf

    def critic(v, reuse=False):
        with tf.variable_scope("critic", reuse=reuse):
            return tf.layers.dense(tf.layers.flatten(v), 1)

    real = tf.placeholder(tf.float32, [None, 32, 32, 3])
    fake = tf.placeholder(tf.float32, [None, 32, 32, 3])
    eps = tf.random_uniform([tf.shape(real)[0], 1, 1, 1])
    x_hat = eps * real + (1 - eps) * fake
    g = tf.gradients(critic(x_hat, reuse=True), x_hat)[0]
    gp = 10.0 * tf.reduce_mean((tf.sqrt(tf.reduce_sum(g ** 2, axis=3) + 1e-10) - 1.0) ** 2)  # expect: TL427
    """,
    "tf2-tape-gradient-of-a-tensor": """
    import tensorflow as tf

    critic = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(16, 16, 3)), tf.keras.layers.Dense(1)])

    def gp(real, fake):
        alpha = tf.random.uniform([4, 1, 1, 1])
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as t:
            t.watch(mixed)
            pred = critic(mixed)
        grads = t.gradient(pred, mixed)
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2]))  # expect: TL427
        return tf.reduce_mean((norm - 1.0) ** 2)

    out = gp(tf.random.normal([4, 16, 16, 3]), tf.random.normal([4, 16, 16, 3]))
    """,
    "torch-autograd-grad-norm-method": """
    import torch
    import torch.nn as nn
    from torch import autograd

    class WGAN_GP:
        def __init__(self, D, batch_size):
            self.D = D
            self.batch_size = batch_size

        def penalty(self, real_images, fake_images):
            eta = torch.rand(real_images.size(0), 1, 1, 1)
            eta = eta.expand(self.batch_size, real_images.size(1), real_images.size(2), real_images.size(3))
            interpolated = eta * real_images + ((1 - eta) * fake_images)
            interpolated.requires_grad_(True)
            prob = self.D(interpolated)
            gradients = autograd.grad(outputs=prob, inputs=interpolated, grad_outputs=torch.ones(prob.size()),
                                      create_graph=True, retain_graph=True)[0]
            return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * 10  # expect: TL427

    def gp_named(D, real, fake):
        alpha = torch.rand(real.size(0), 1, 1, 1)
        x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        out = D(x_hat)
        g = torch.autograd.grad(out, x_hat, torch.ones_like(out), create_graph=True)[0]
        slopes = g.norm(dim=1)  # expect: TL427
        return ((slopes - 1) ** 2).mean()

    def gp_squares(D):
        x = torch.rand(8, 3, 32, 32).requires_grad_(True)
        g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
        return ((g.pow(2).sum(1).sqrt() - 1) ** 2).mean()  # expect: TL427
    """,
    "ok-torch-per-sample-norms": """
    import torch

    def per_sample(D):
        x = torch.rand(8, 3, 32, 32).requires_grad_(True)
        g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
        a = ((g.view(g.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
        b = ((g.norm(2, dim=[1, 2, 3]) - 1) ** 2).mean()
        c = ((g.norm(1, dim=1) - 1) ** 2).mean()
        d = g.norm(2, dim=1).mean()
        flat = torch.rand(8, 64).requires_grad_(True)
        gf = torch.autograd.grad(D(flat).sum(), flat, create_graph=True)[0]
        e = ((gf.norm(2, dim=1) - 1) ** 2).mean()
        return a + b + c + d + e
    """,
    "ok-per-sample-flat-and-not-a-penalty": """
    import tensorflow as tf
    import torch

    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    d = tf.layers.dense(tf.layers.flatten(x), 1)
    g = tf.gradients(d, [x])[0]
    slopes = tf.sqrt(tf.reduce_sum(tf.square(g), axis=[1, 2, 3]))
    gp1 = tf.reduce_mean((slopes - 1.) ** 2)
    flat = tf.layers.flatten(g)
    gp2 = tf.reduce_mean((tf.sqrt(tf.reduce_sum(tf.square(flat), axis=1)) - 1.) ** 2)
    saliency = tf.reduce_sum(tf.square(g), axis=3)
    v = tf.placeholder(tf.float32, [None, 784])
    gv = tf.gradients(tf.layers.dense(v, 1), [v])[0]
    gp3 = tf.reduce_mean((tf.sqrt(tf.reduce_sum(tf.square(gv), axis=[1])) - 1.) ** 2)

    def unknown_rank(D, real):
        real = real.requires_grad_(True)
        out = D(real)
        g = torch.autograd.grad(out, real, torch.ones_like(out), create_graph=True)[0]
        return ((g.pow(2).sum(1).sqrt() - 1) ** 2).mean()

    def per_sample(D):
        x = torch.rand(4, 3, 8, 8).requires_grad_(True)
        g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
        return ((g.pow(2).sum([1, 2, 3]).sqrt() - 1) ** 2).mean()
    """,
    "torch-norm-function-forms": """
    import torch
    import torch.nn as nn
    from torch import autograd

    D = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(1))

    def gp_norm(real, fake):
        alpha = torch.rand(real.size(0), 1, 1, 1)
        x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        out = D(x_hat)
        g = autograd.grad(out, x_hat, grad_outputs=torch.ones_like(out), create_graph=True)[0]
        return ((torch.norm(g, 2, dim=1) - 1) ** 2).mean()  # expect: TL427

    def gp_linalg(real):
        x_hat = real.requires_grad_(True)
        out = D(x_hat)
        g = autograd.grad(out, x_hat, grad_outputs=torch.ones_like(out), create_graph=True)[0]
        return ((torch.linalg.norm(g, dim=1) - 1) ** 2).mean()  # expect: TL427

    def gp_vector_norm(real):
        x_hat = real.requires_grad_(True)
        g = autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)[0]
        slopes = torch.linalg.vector_norm(g, 2, dim=(1, 2))  # expect: TL427
        return ((slopes - 1) ** 2).mean()

    def gp_method_positional_dim(real):
        x_hat = real.requires_grad_(True)
        g = autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)[0]
        return ((g.norm(2, 1) - 1) ** 2).mean()  # expect: TL427

    real = torch.randn(16, 3, 32, 32)
    gp_norm(real, torch.randn(16, 3, 32, 32))
    gp_linalg(real)
    gp_vector_norm(real)
    gp_method_positional_dim(real)
    """,
    "ok-torch-norm-function-forms": """
    import torch
    import torch.nn as nn
    from torch import autograd

    D = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(1))

    def gp(real):
        x_hat = real.requires_grad_(True)
        out = D(x_hat)
        g = autograd.grad(out, x_hat, grad_outputs=torch.ones_like(out), create_graph=True)[0]
        a = ((torch.norm(g.view(g.size(0), -1), 2, dim=1) - 1) ** 2).mean()
        b = ((torch.linalg.vector_norm(g, dim=(1, 2, 3)) - 1) ** 2).mean()
        c = ((torch.linalg.norm(g, 2, dim=(1, 2)) - 1) ** 2).mean()
        d = ((torch.norm(g, p=1, dim=1) - 1) ** 2).mean()
        e = ((torch.norm(g) - 1) ** 2).mean()
        f = ((torch.linalg.norm(g.flatten(1), dim=1) - 1) ** 2).mean()
        return a + b + c + d + e + f

    gp(torch.randn(16, 3, 32, 32))
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_norm_partial_axes(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL427"}
    assert found == _expected(text)


def test_message_names_the_axes_left_apart_and_the_gradient():
    text = textwrap.dedent(CASES["tf1-reduction-indices-broadcast-with-unknown"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL427"]
    assert "axes [1] only" in f.message and "at least 4" in f.message and "[2, 3]" in f.message
    assert f.related and f.related[0].span.start.line == 10
