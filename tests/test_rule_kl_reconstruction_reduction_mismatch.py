"""TL456: a VAE loss whose Gaussian KL term and reconstruction term are reduced differently (a
sum over the latent units against a mean over the features, or the reverse). Written several
ways: Keras 2 `objectives`, tf.keras and Keras 3 loss functions, a TF2 tape step with a mean of
squared errors, torch's default-reduction losses, a KL averaged against a reconstruction scaled
by a feature count bound through a tuple, torch `reduction='sum'` against a mean KL, and the CLI
on a file. The look-alikes reduce both terms alike, weight the KL (a beta-VAE), scale the
reconstruction by its count, reduce an element-wise `K.binary_crossentropy` with a sum, rebind
the KL's name, or take the reconstruction from a function the file does not show."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL456",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "vae.py", ONLY).findings)


KERAS2 = """
    from keras import backend as K
    from keras import objectives

    original_dim = 784


    def vae_loss(x, x_decoded_mean):
        xent_loss = {rec}
        kl_loss = - 0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
        return xent_loss + kl_loss
"""

BUGS = {
    "keras2-objectives-mean-against-summed-kl": (KERAS2.format(rec="objectives.binary_crossentropy(x, x_decoded_mean)"), [8]),
    "tf-keras-loss-inline-under-an-outer-mean": ("""
        import tensorflow as tf

        def vae_loss(x, x_hat, z_mean, z_log_var):
            kl = -0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=1)
            return tf.reduce_mean(tf.keras.losses.mean_squared_error(x, x_hat) + kl)
    """, [5]),
    "keras3-losses-module": ("""
        import keras
        from keras import ops

        def vae_loss(x, x_hat, mu, log_var):
            rec = keras.losses.binary_crossentropy(x, x_hat)
            kl = -0.5 * ops.sum(1 + log_var - ops.square(mu) - ops.exp(log_var), axis=-1)
            return ops.mean(rec + kl)
    """, [5]),
    "tf2-tape-mean-of-squared-errors": ("""
        import tensorflow as tf

        def train_step(model, opt, x):
            with tf.GradientTape() as tape:
                mean, logvar = model.encode(x)
                x_hat = model.decode(model.sample(mean, logvar))
                rec = tf.reduce_mean(tf.square(x - x_hat))
                kl = tf.reduce_mean(-0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar), axis=1))
                loss = rec + kl
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
    """, [7]),
    "torch-default-reduction-against-summed-kl": ("""
        import torch
        import torch.nn.functional as F

        def loss_function(recon_x, x, mu, logvar):
            KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
            return F.mse_loss(recon_x, x) + KLD
    """, [6]),
    "keras-mean-kl-against-count-scaled-reconstruction": ("""
        from keras import backend as K
        from keras import metrics

        img_rows, img_cols, img_chns = 28, 28, 1


        def vae_loss(x, x_decoded, z_mean, z_log_var):
            x = K.flatten(x)
            x_decoded = K.flatten(x_decoded)
            xent_loss = img_rows * img_cols * metrics.binary_crossentropy(x, x_decoded)
            kl_loss = - 0.5 * K.mean(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
            return K.mean(xent_loss + kl_loss)
    """, [11]),
    "torch-summed-reconstruction-against-mean-kl": ("""
        import torch
        import torch.nn.functional as F

        def loss_function(recon_x, x, mu, logvar):
            bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
            kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
            return bce + kld
    """, [6]),
    # the method form of a reduction, on a parenthesized scale of the KL
    "torch-method-mean-of-parenthesized-kl": ("""
        import torch

        def loss_function(recon_x, x, mu, logvar):
            rec = ((recon_x - x) ** 2).sum()
            kld = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).mean()
            return rec + kld
    """, [5]),
}

LOOKALIKES = {
    "keras2-scaled-by-the-feature-count": KERAS2.format(rec="original_dim * objectives.binary_crossentropy(x, x_decoded_mean)"),
    "keras2-literal-count": KERAS2.format(rec="784 * objectives.binary_crossentropy(x, x_decoded_mean)"),
    "elementwise-backend-loss-summed": KERAS2.format(rec="K.sum(K.binary_crossentropy(x_decoded_mean, x), axis=-1)"),
    "reconstruction-from-an-unknown-function": KERAS2.format(rec="my_loss(x, x_decoded_mean)"),
    "torch-both-summed-and-both-averaged-and-a-beta": """
        import torch
        import torch.nn.functional as F

        def loss_function(recon_x, x, mu, logvar, beta):
            bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
            kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
            mean_kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
            weighted = F.mse_loss(recon_x, x) + beta * kld
            return bce + kld, F.mse_loss(recon_x, x) + mean_kld, weighted
    """,
    "keras-io-kl-name-rebound": """
        import keras
        from keras import ops

        def losses(data, reconstruction, z_mean, z_log_var):
            reconstruction_loss = ops.mean(
                ops.sum(keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2)))
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            return reconstruction_loss + kl_loss
    """,
    "tf2-per-example-sums": """
        import tensorflow as tf

        def compute_loss(x, x_logit, mean, logvar):
            cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
            rec = tf.reduce_sum(cross_ent, axis=[1, 2, 3])
            kl = -0.5 * tf.reduce_sum(1.0 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)
            return tf.reduce_mean(rec + kl)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_reduction_mismatch_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_points_at_the_averaged_term(tmp_path):
    f = tmp_path / "vae.py"
    f.write_text(textwrap.dedent(KERAS2.format(rec="objectives.binary_crossentropy(x, x_decoded_mean)")).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL456", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert ("vae.py:8:17: TL456 `objectives.binary_crossentropy(x, x_decoded_mean)` averages the reconstruction "
            "error over the features, while the KL term") in out.stdout
    assert "(line 9) sums over the latent units" in out.stdout


LOSS_OBJECTS = """
    import tensorflow as tf
    import torch
    import torch.nn as nn

    mse_loss_fn = tf.keras.losses.MeanSquaredError()
    criterion = nn.BCELoss(reduction="sum")
    plain = nn.MSELoss()
    old = nn.MSELoss(False)
    none = nn.MSELoss(reduction="none")


    def keras_step(x, x_hat, z_mean, z_log_var):
        kl = -0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=-1)
        return mse_loss_fn(x, x_hat) + tf.reduce_mean(kl)


    def torch_sum_step(recon, x, mu, logvar):
        kld = -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
        return criterion(recon, x) + kld


    def torch_mean_step(recon, x, mu, logvar):
        return plain(recon, x) + -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


    def silent_steps(recon, x, mu, logvar):
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return old(recon, x) + kld, none(recon, x).sum() + kld, criterion(recon, x) + kld
"""


def test_loss_objects_read_by_their_reduction():
    # a Keras loss object averages over the features whatever its reduction; a torch loss
    # object reduces as its `reduction=` says; the old positional `size_average` and
    # `reduction='none'` leave the term unknown
    assert _lines(LOSS_OBJECTS) == [14, 18, 23]


def test_names_bound_to_themselves_and_python2_octals_do_not_crash(tmp_path):
    # module-level names bound once, each to an expression of itself
    src = """
        import torch
        import torch.nn.functional as F

        n = n * 2
        k = torch.sum(k)
        t = -t
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        losses = n * F.mse_loss(recon_x, x) + kld, k + kld, t + kld
        loss = F.mse_loss(recon_x, x) + kld
    """
    assert _lines(src) == [9]
    f = tmp_path / "old.py"
    f.write_text("import torch\nkld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())\n"
                 "loss = 0777 * torch.mean((recon - x) ** 2) + kld\nprint 'done'\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL456", str(f)],
                         capture_output=True, text=True)
    assert "Traceback" not in out.stderr and out.returncode in (0, 1)
