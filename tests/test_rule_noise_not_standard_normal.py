"""TL324: a reparameterized sample draws its noise with a standard deviation other than 1 while
the program's KL term prices the posterior against a unit Gaussian. Written several ways (Keras
1's `std=` given a constant of the file through a `Lambda`, Keras 2's `stddev=` literal with the
KL in the loss function, `tf.random.normal` in one TF2 function with the scale `sqrt(exp(E))`,
the CLI on a file); the look-alikes draw with standard deviation 1 (a literal or a constant),
take the standard deviation from a parameter or a name bound twice, or have no KL term of the
sampled variable."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL324",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "vae.py", ONLY).findings)


KERAS1 = """
    from keras import backend as K
    from keras import objectives
    from keras.layers import Dense, Input, Lambda

    batch_size, original_dim, latent_dim = 100, 784, 2
    epsilon_std = {std}
    x = Input(batch_shape=(batch_size, original_dim))
    h = Dense(256, activation="relu")(x)
    z_mean = Dense(latent_dim)(h)
    z_log_var = Dense(latent_dim)(h)


    def sampling(args):
        mean, log_var = args
        epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., std=epsilon_std)
        return mean + K.exp(log_var / 2) * epsilon


    z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])
    x_decoded_mean = Dense(original_dim, activation="sigmoid")(Dense(256, activation="relu")(z))


    def vae_loss(x, x_decoded_mean):
        xent_loss = original_dim * objectives.binary_crossentropy(x, x_decoded_mean)
        kl_loss = - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        return xent_loss + kl_loss
"""

BUGS = {
    "keras1-std-constant-through-a-lambda": (KERAS1.format(std="0.01"), [15]),
    "keras2-stddev-literal": ("""
        from tensorflow.keras import backend as K

        def vae_terms(z_mean, z_log_var):
            eps = K.random_normal(shape=K.shape(z_mean), stddev=0.1)
            z = z_mean + K.exp(0.5 * z_log_var) * eps
            kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
            return z, kl
    """, [4]),
    "tf2-sqrt-of-exp": ("""
        import tensorflow as tf

        def sample_and_kl(mu, logvar):
            z = mu + tf.sqrt(tf.exp(logvar)) * tf.random.normal(tf.shape(mu), stddev=2.0)
            kl = 0.5 * tf.reduce_sum(tf.exp(logvar) + tf.square(mu) - 1.0 - logvar, axis=-1)
            return z, kl
    """, [4]),
}

LOOKALIKES = {
    "unit-constant": KERAS1.format(std="1.0"),
    "unit-literal-and-parameter": """
        from tensorflow.keras import backend as K

        def vae_terms(z_mean, z_log_var, noise_std):
            a = z_mean + K.exp(0.5 * z_log_var) * K.random_normal(shape=K.shape(z_mean), stddev=1.0)
            b = z_mean + K.exp(0.5 * z_log_var) * K.random_normal(shape=K.shape(z_mean), stddev=noise_std)
            kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
            return a, b, kl
    """,
    "constant-bound-twice": KERAS1.format(std="0.01\nepsilon_std = 1.0"),
    "no-kl-of-the-sampled-variable": """
        import tensorflow as tf

        def perturb(mean, logvar):
            return mean + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mean), stddev=0.1)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_noise_not_standard_normal_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_points_at_the_standard_deviation(tmp_path):
    f = tmp_path / "vae.py"
    f.write_text(textwrap.dedent(KERAS1.format(std="0.01")).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL324", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "vae.py:15:72: TL324 the noise of this sample is drawn with standard deviation 0.01, but the KL term at line 25" in out.stdout
