"""TF1 models written as graph-building functions (`tf.layers.*`, `tf.nn.*`,
`tf.contrib.layers.*`, hand-made weights): the rules follow the tensors through them. Each case
marks its expected findings with `# expect: CODE`; every other line must stay silent for the
codes under test. `ok-` cases are correct code that must stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CODES = {"TL205", "TL304", "TL309", "TL414"}

CASES = {
    # -- TL414: a layer op computed, then the next op fed the value from before it ---------
    "414-bn-skipped-by-leaky-relu": """
        import tensorflow as tf

        def discriminator(x, alpha=0.2):
            with tf.variable_scope("d"):
                x1 = tf.layers.conv2d(x, 64, 5, strides=2, padding="same")
                x2 = tf.layers.conv2d(x1, 128, 5, strides=2, padding="same")
                bn2 = tf.layers.batch_normalization(x2, training=True)  # expect: TL414
                relu2 = tf.maximum(alpha * x2, x2)
                return tf.layers.dense(tf.layers.flatten(relu2), 1)
    """,
    "414-dropout-dead-block": """
        import tensorflow as tf

        def encoder(x, rate):
            h1 = tf.nn.relu(tf.layers.conv2d(x, 32, 3))
            h2 = tf.layers.conv2d(h1, 32, 3)
            h2 = tf.layers.dropout(tf.nn.relu(h2), rate=rate)  # expect: TL414
            h3 = tf.layers.conv2d(h1, 64, 3)
            return h3
    """,
    "414-dense-fed-input-again": """
        import tensorflow.compat.v1 as tf

        def mlp(inputs):
            hidden = tf.layers.dense(inputs, 100, activation=tf.nn.relu)  # expect: TL414
            return tf.layers.dense(inputs=inputs, units=10)
    """,
    "414-dropout-only-returned": """
        import tensorflow as tf

        def cae(_x, _w, _keep):
            _c1 = tf.nn.sigmoid(tf.nn.conv2d(_x, _w["c1"], strides=[1, 2, 2, 1], padding="SAME"))
            _c1 = tf.nn.dropout(_c1, _keep)
            _c2 = tf.nn.sigmoid(tf.nn.conv2d(_c1, _w["c2"], strides=[1, 2, 2, 1], padding="SAME"))
            _c1 = tf.nn.dropout(_c2, _keep)  # expect: TL414
            _d2 = tf.nn.conv2d_transpose(_c2, _w["d2"], tf.shape(_x), strides=[1, 2, 2, 1])
            return {"c1": _c1, "c2": _c2, "out": _d2}
    """,
    "414-contrib-batch-norm-skipped": """
        import tensorflow as tf

        def block(net, is_training):
            conv = tf.contrib.layers.conv2d(net, 64, 3)
            normed = tf.contrib.layers.batch_norm(conv, is_training=is_training)  # expect: TL414
            return tf.nn.relu(conv)
    """,
    "ok-either-branch-computes-the-output": """
        import tensorflow as tf

        def inverse_from_factor(factor, upper):
            eye = tf.eye(tf.shape(factor)[-1], dtype=factor.dtype)
            inv = tf.linalg.triangular_solve(factor, eye, lower=not upper)
            if upper:
                out = tf.matmul(inv, inv, transpose_b=True)
            else:
                out = tf.matmul(inv, inv, transpose_a=True)
            return out
    """,
    "ok-elif-chain-picks-one-op": """
        import tensorflow as tf

        def product(a, b, rank_a, rank_b):
            if rank_a == 2 and rank_b == 2:
                result = tf.matmul(a, b)
            elif rank_b == 1:
                result = tf.tensordot(a, b, axes=1)
            else:
                result = tf.matmul(a, b, adjoint_a=True)
            return tf.cast(result, tf.float32)
    """,
    "ok-handler-falls-back-to-another-op": """
        import tensorflow as tf

        def head(x, training):
            try:
                h = tf.layers.dense(x, 32)
            except ValueError:
                h = tf.layers.dense(tf.layers.flatten(x), 32)
            return h
    """,
    "skip-inside-one-branch": """
        import tensorflow as tf

        def block(x, deep):
            if deep:
                h = tf.layers.dense(x, 64, activation=tf.nn.relu)  # expect: TL414
                out = tf.layers.dense(x, 10)
            else:
                out = tf.layers.dense(x, 10)
            return out
    """,
    "ok-branch-binding-read-after-the-if": """
        import tensorflow as tf

        def residual_block(x, w_first, first, channels):
            if first:
                h = tf.nn.conv2d(x, w_first, strides=[1, 1, 1, 1], padding="SAME")
            else:
                h = tf.layers.conv2d(tf.nn.relu(x), channels, 3, padding="same")
            h = tf.layers.conv2d(tf.nn.relu(h), channels, 3, padding="same")
            shortcut = tf.nn.avg_pool(x, ksize=[1, 1, 1, 1], strides=[1, 1, 1, 1], padding="VALID")
            return h + shortcut
    """,
    "ok-bn-then-leaky-relu": """
        import tensorflow as tf

        def discriminator(x, alpha=0.2):
            x1 = tf.layers.conv2d(x, 64, 5, strides=2, padding="same")
            bn1 = tf.layers.batch_normalization(x1, training=True)
            relu1 = tf.maximum(alpha * bn1, bn1)
            return tf.layers.dense(tf.layers.flatten(relu1), 1)
    """,
    "ok-dropout-reassigned-in-place": """
        import tensorflow as tf

        def encoder(x, rate):
            h = tf.nn.relu(tf.layers.conv2d(x, 32, 3))
            h = tf.layers.dropout(h, rate=rate)
            h = tf.layers.conv2d(h, 64, 3)
            return h
    """,
    "ok-probabilities-returned-with-logits": """
        import tensorflow as tf

        def discriminator(x):
            h = tf.layers.dense(x, 128, activation=tf.nn.relu)
            logits = tf.layers.dense(h, 1)
            out = tf.nn.sigmoid(logits)
            return out, logits, h
    """,
    "ok-two-heads-on-one-trunk": """
        import tensorflow as tf

        def heads(x, keep):
            trunk = tf.layers.dense(x, 64, activation=tf.nn.relu)
            trunk = tf.nn.dropout(trunk, keep)
            cls = tf.layers.dense(trunk, 10)
            box = tf.layers.dense(trunk, 4)
            return cls, box
    """,
    "ok-residual-keeps-both": """
        import tensorflow as tf

        def residual(x):
            h = tf.layers.conv2d(x, 64, 3, padding="same")
            h = tf.layers.batch_normalization(h, training=True)
            return tf.nn.relu(tf.layers.conv2d(x, 64, 1) + h)
    """,
    "ok-dropout-in-loop": """
        import tensorflow as tf

        def stack(x, n, keep):
            h = x
            for i in range(n):
                d = tf.nn.dropout(h, keep)
                h = tf.layers.dense(d if i else h, 32)
            return h
    """,
    "ok-throwaway-underscore": """
        import tensorflow as tf

        def net(x, keep):
            h = tf.layers.dense(x, 32)
            _probe = tf.nn.dropout(h, keep)
            return tf.layers.dense(h, 1)
    """,
}


MODULE_CASES = {
    # -- TL414 in a script that builds its graph at module level -----------------------------
    "414-module-stop-gradient-unused": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, shape=(None, 784))
        y = tf.placeholder(tf.int32, shape=(None,))
        hidden = tf.layers.dense(X, 100, activation=tf.nn.relu)
        frozen = tf.stop_gradient(hidden)  # expect: TL414
        logits = tf.layers.dense(hidden, 10)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    """,
    "414-module-dropout-on-wrong-layer": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        training = tf.placeholder(tf.bool)
        layer_1 = tf.layers.dense(x, 256, activation=tf.nn.relu)
        layer_1 = tf.layers.dropout(layer_1, rate=0.5, training=training)
        layer_2 = tf.layers.dense(layer_1, 256, activation=tf.nn.relu)  # expect: TL414
        layer_2 = tf.layers.dropout(layer_1, rate=0.5, training=training)
        out = tf.layers.dense(layer_2, 10)
    """,
    "ok-module-two-nets-on-one-input": """
        import tensorflow as tf

        tf_x = tf.placeholder(tf.float32, [None, 1])
        o1 = tf.layers.dense(tf_x, 300, tf.nn.relu)
        o_out = tf.layers.dense(o1, 1)
        d1 = tf.layers.dense(tf_x, 300, tf.nn.relu)
        d1 = tf.layers.dropout(d1, rate=0.5)
        d_out = tf.layers.dense(d1, 1)
    """,
    "ok-module-probabilities-fetched-later": """
        import tensorflow as tf

        x = tf.placeholder(tf.float32, [None, 784])
        logits = tf.layers.dense(x, 10)
        probs = tf.nn.softmax(logits)
        pred = tf.argmax(logits, 1)
        with tf.Session() as sess:
            p = sess.run(probs, {x: [[0.0] * 784]})
    """,
}

LOG_CASES = {
    # -- TL309: a tiny constant added before the log does not make a tanh/linear output a probability
    "309-tanh-decoder-bernoulli-eps": """
        import tensorflow as tf
        from libs.utils import weight_variable, bias_variable

        def decoder(z, x, n_hidden, n_features):
            W = weight_variable([n_hidden, n_features])
            b = bias_variable([n_features])
            y = tf.nn.tanh(tf.matmul(z, W) + b)
            log_px = -tf.reduce_sum(x * tf.log(y + 1e-10) + (1 - x) * tf.log(1 - y + 1e-10), 1)  # expect: TL309
            return tf.reduce_mean(log_px)
    """,
    "309-module-linear-output-eps": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 784])
        Y = tf.placeholder(tf.float32, [None, 10])
        W = tf.get_variable("W", [784, 10])
        b = tf.get_variable("b", [10])
        pred = tf.matmul(X, W) + b
        cost = tf.reduce_mean(-tf.reduce_sum(Y * tf.math.log(1e-8 + pred), 1))  # expect: TL309
    """,
    "ok-309-sigmoid-decoder-eps": """
        import tensorflow as tf
        from libs.utils import weight_variable

        def decoder(z, x, n_hidden, n_features):
            W = weight_variable([n_hidden, n_features])
            y = tf.nn.sigmoid(tf.matmul(z, W))
            log_px = -tf.reduce_sum(x * tf.log(y + 1e-10) + (1 - x) * tf.log(1 - y + 1e-10), 1)
            return tf.reduce_mean(log_px)
    """,
    "ok-309-name-bound-twice": """
        import tensorflow as tf

        def head(h, W, b):
            y = tf.matmul(h, W) + b
            y = tf.nn.softmax(y)
            return -tf.reduce_mean(tf.log(y + 1e-10))
    """,
    "ok-309-large-offset-on-data": """
        import tensorflow as tf

        def log_returns(prices, W):
            level = tf.matmul(prices, W)
            return tf.log(level + 1.0)
    """,
}

REG_CASES = {
    # -- TL205: the scalar loss added to the Python list of regularization losses ------------
    "205-module-mse-plus-reg-list": """
        import tensorflow as tf

        X = tf.placeholder(tf.float32, [None, 784])
        hidden = tf.layers.dense(X, 300, kernel_regularizer=tf.contrib.layers.l2_regularizer(0.01))
        outputs = tf.layers.dense(hidden, 784)
        mse = tf.reduce_mean(tf.square(outputs - X))
        reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        loss = mse + reg_losses  # expect: TL205
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    """,
    "205-tf-add-in-name-scope": """
        import tensorflow as tf

        def loss_op(y, logits):
            with tf.name_scope("loss"):
                xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
                base_loss = tf.reduce_mean(xentropy)
                reg = tf.losses.get_regularization_losses()
                return tf.add(base_loss, reg, name="loss")  # expect: TL205
    """,
    "205-inline-collection": """
        import tensorflow.compat.v1 as tf

        def total(base):
            base_loss = tf.reduce_sum(base)
            return base_loss + tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)  # expect: TL205
    """,
    "ok-205-add-n-and-reduce-sum": """
        import tensorflow as tf

        def loss_op(y, logits):
            base_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
            reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
            a = tf.add_n([base_loss] + reg_losses)
            b = base_loss + tf.reduce_sum(reg_losses)
            c = base_loss + 0.01 * tf.add_n(reg_losses)
            return a + b + c
    """,
    "ok-205-list-concatenation": """
        import tensorflow as tf

        def all_losses(extra):
            losses = [tf.constant(1.0)]
            reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
            every = losses + reg_losses
            return tf.add_n(every + extra)
    """,
}

CRITIC_CASES = {
    # -- TL304: a Wasserstein critic loss on the sigmoid element of a returned tuple ---------
    "304-wgan-critic-on-sigmoid-tuple": """
        import tensorflow as tf

        class WGAN:
            def discriminator(self, x, reuse=False):
                with tf.variable_scope("discriminator", reuse=reuse):
                    net = tf.layers.dense(x, 128, activation=tf.nn.leaky_relu)
                    out_logit = tf.layers.dense(net, 1)
                    out = tf.nn.sigmoid(out_logit)
                    return out, out_logit, net

            def build(self, images, fake):
                D_real, D_real_logits, _ = self.discriminator(images)
                D_fake, D_fake_logits, _ = self.discriminator(fake, reuse=True)
                d_loss_real = -tf.reduce_mean(D_real)  # expect: TL304
                d_loss_fake = tf.reduce_mean(D_fake)
                self.d_loss = d_loss_real + d_loss_fake
                self.g_loss = -d_loss_fake
    """,
    "304-torch-critic-difference-on-sigmoid": """
        import torch
        import torch.nn as nn

        critic = nn.Sequential(nn.Linear(784, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1), nn.Sigmoid())
        real, fake = torch.randn(64, 784), torch.randn(64, 784)
        d_loss = torch.mean(critic(fake)) - torch.mean(critic(real))  # expect: TL304
        d_loss.backward()
    """,
    "ok-304-wgan-critic-on-logits": """
        import tensorflow as tf

        def discriminator(x, reuse=False):
            with tf.variable_scope("discriminator", reuse=reuse):
                logit = tf.layers.dense(tf.layers.dense(x, 128, activation=tf.nn.relu), 1)
                return tf.nn.sigmoid(logit), logit

        def losses(images, fake):
            _, real_logits = discriminator(images)
            _, fake_logits = discriminator(fake, reuse=True)
            return tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)
    """,
    "ok-304-gan-log-loss-and-monitoring": """
        import tensorflow as tf

        def discriminator(x, reuse=False):
            with tf.variable_scope("discriminator", reuse=reuse):
                logit = tf.layers.dense(tf.layers.dense(x, 128, activation=tf.nn.relu), 1)
                return tf.nn.sigmoid(logit)

        def losses(images, fake):
            D_real = discriminator(images)
            D_fake = discriminator(fake, reuse=True)
            d_loss = -tf.reduce_mean(tf.log(D_real) + tf.log(1.0 - D_fake))
            d_of_x = tf.reduce_mean(D_real)
            d_of_g = 1.0 - tf.reduce_mean(D_fake)
            return d_loss, d_of_x, d_of_g
    """,
    "ok-304-critic-chosen-by-flag": """
        import torch
        import torch.nn as nn

        class D(nn.Module):
            def __init__(self, wass=False):
                super().__init__()
                self.model = nn.Linear(784, 1)
                if not wass:
                    self.model = nn.Sequential(self.model, nn.Sigmoid())

            def forward(self, x):
                return self.model(x)

        def d_step(disc, real, fake, wass, bce):
            if wass:
                return torch.mean(disc(real)) - torch.mean(disc(fake))
            return bce(disc(real), torch.ones(real.size(0), 1))
    """,
}

CASES.update(MODULE_CASES)
CASES.update(CRITIC_CASES)
CASES.update(REG_CASES)
CASES.update(LOG_CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_tf1_graph_function(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code in CODES}
    assert found == _expected(text)


def test_tl414_message_names_the_skipped_op_and_the_stale_value():
    text = textwrap.dedent(CASES["414-bn-skipped-by-leaky-relu"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL414"]
    assert "`bn2`" in f.message and "tf.layers.batch_normalization" in f.message and "`x2`" in f.message
    assert f.related


def test_module_level_finding_follows_edits_incrementally():
    """The module-level check reads every chunk: an edit in one statement elsewhere keeps the
    finding, and the edit that feeds the skipped op's output removes it, as a full analysis does."""
    from tensorlint.incremental import IncrementalAnalysis

    text = textwrap.dedent(MODULE_CASES["414-module-stop-gradient-unused"]).lstrip("\n")
    inc = IncrementalAnalysis()
    config = Config()

    def codes(result):
        return sorted((f.code, f.line) for f in result.findings if f.code == "TL414")

    assert codes(inc.analyze(text, "m.py", config)) == [("TL414", 6)]
    edited = text.replace("shape=(None,)", "shape=[None]")
    assert codes(inc.analyze(edited, "m.py", config)) == codes(analyze(edited, "m.py", config)) == [("TL414", 6)]
    fixed = edited.replace("tf.layers.dense(hidden, 10)", "tf.layers.dense(frozen, 10)")
    assert codes(inc.analyze(fixed, "m.py", config)) == codes(analyze(fixed, "m.py", config)) == []
