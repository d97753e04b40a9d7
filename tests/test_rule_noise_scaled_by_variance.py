"""TL323: a reparameterized sample scales its noise by exp(E) where the program's own KL term
reads E as a log-variance. Written several ways (a Keras `Lambda(sampling)` whose function
unpacks its list, a TF2 loss function with the noise bound to a name, a torch method with the
scale bound to a name and `.pow(2)` / `.exp()` in the KL, the KL written with its signs
reversed, the CLI on a file); the look-alikes take the standard deviation (`exp(0.5 * E)`,
`exp(E / 2)`, `sqrt(exp(E))`), a KL of a log standard deviation, the KL of another variable,
noise that is not a normal draw, and a Lambda given the names in another order."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL323",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "vae.py", ONLY).findings)


KERAS_VAE = """
    from keras import backend as K
    from keras.layers import Dense, Input, Lambda
    from keras.models import Model

    x = Input(shape=(784,))
    h = Dense(256, activation="relu")(x)
    z_mean = Dense(2)(h)
    z_log_var = Dense(2)(h)


    def sampling(args):
        mu, log_var = args
        epsilon = K.random_normal(shape=(K.shape(mu)[0], 2), mean=0., stddev=1.0)
        return mu + K.exp({scale}) * epsilon


    z = Lambda(sampling, output_shape=(2,))({inputs})
    x_hat = Dense(784, activation="sigmoid")(Dense(256, activation="relu")(z))
    vae = Model(x, x_hat)
    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    vae.add_loss(K.mean(kl_loss))
"""

BUGS = {
    "keras-lambda-unpacks-its-list": (KERAS_VAE.format(scale="log_var", inputs="[z_mean, z_log_var]"), [14]),
    "tf2-loss-function-noise-bound-to-a-name": ("""
        import tensorflow as tf

        def compute_loss(encoder, decoder, x):
            mean, logvar = tf.split(encoder(x), num_or_size_splits=2, axis=1)
            eps = tf.random.normal(shape=tf.shape(mean))
            z = eps * tf.exp(logvar) + mean
            x_logit = decoder(z)
            rec = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x), axis=1)
            kl = -0.5 * tf.reduce_sum(1.0 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)
            return tf.reduce_mean(rec + kl)
    """, [6]),
    "torch-method-scale-bound-to-a-name-signs-reversed": ("""
        import torch
        import torch.nn as nn

        class VAE(nn.Module):
            def __init__(self):
                super().__init__()
                self.enc = nn.Linear(784, 40)
                self.dec = nn.Linear(20, 784)

            def forward(self, x):
                mu, logvar = self.enc(x).chunk(2, dim=1)
                std = torch.exp(logvar)
                eps = torch.randn_like(std)
                z = mu + std * eps
                kl = 0.5 * torch.sum(logvar.exp() + mu.pow(2) - 1 - logvar)
                return torch.sigmoid(self.dec(z)), kl
    """, [12]),
}

LOOKALIKES = {
    "keras-standard-deviation": KERAS_VAE.format(scale="0.5 * log_var", inputs="[z_mean, z_log_var]"),
    "keras-lambda-given-the-names-in-another-order": KERAS_VAE.format(scale="log_var", inputs="[z_log_var, z_mean]"),
    "standard-deviation-other-spellings": """
        import tensorflow as tf

        def loss(mean, logvar):
            eps = tf.random.normal(shape=tf.shape(mean))
            z1 = mean + tf.exp(logvar / 2) * eps
            z2 = mean + tf.sqrt(tf.exp(logvar)) * eps
            kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar))
            return z1, z2, kl
    """,
    "log-standard-deviation-kl": """
        import torch

        def step(mu, log_sigma):
            eps = torch.randn_like(mu)
            z = mu + torch.exp(log_sigma) * eps
            kl = -0.5 * torch.sum(1 + 2 * log_sigma - mu.pow(2) - torch.exp(2 * log_sigma))
            return z, kl
    """,
    "other-variable-or-other-noise": """
        import tensorflow as tf

        def parts(mean, logvar, other, u):
            z = mean + tf.exp(other) * tf.random.normal(tf.shape(mean))
            w = mean + tf.exp(logvar) * u
            kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar))
            return z, w, kl
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_noise_scaled_by_variance_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_points_at_the_scale(tmp_path):
    f = tmp_path / "vae.py"
    f.write_text(textwrap.dedent(KERAS_VAE.format(scale="log_var", inputs="[z_mean, z_log_var]")).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL323", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "vae.py:14:17: TL323 the noise is scaled by `K.exp(log_var)`, the variance: the KL term at line 20" in out.stdout
