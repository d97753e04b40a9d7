"""TL412 on a loss assigned in the branches of an `if`: the term cut in one branch reaches the
backpropagated loss although the other branch assigns the loss last (the shape of the FL-MRCM
bug in tests/realbugs). Each case marks its expected findings with `# expect: CODE`; `ok-`
cases must stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "torch-method-if-else": """
        import torch
        import torch.nn as nn

        class Trainer:
            def __init__(self, flag):
                self.flag = flag
                self.adv_loss = nn.BCEWithLogitsLoss()

            def train(self, net, net_fd, optimizer, loader):
                for x, target in loader:
                    optimizer.zero_grad()
                    output, z = net(x)
                    loss_adv = 0
                    if not self.flag:
                        loss_adv = self.adv_loss(net_fd(z), torch.ones(len(x), 1))
                        loss_adv = loss_adv.detach().item()
                    l1 = nn.functional.l1_loss(output, target)
                    if not self.flag:
                        loss = l1 + loss_adv  # expect: TL412
                    else:
                        loss = l1
                    loss.backward()
                    optimizer.step()
    """,
    "torch-module-if-elif-else": """
        import torch
        import torch.nn as nn

        model = nn.Linear(8, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 8), torch.randn(16, 1)
        for step in range(30):
            opt.zero_grad()
            pred = model(x)
            mse = nn.functional.mse_loss(pred, y)
            if step < 10:
                total = mse + 0.1 * pred.abs().mean().detach()  # expect: TL412
            elif step < 20:
                total = mse * 2.0
            else:
                total = mse
            total.backward()
            opt.step()
    """,
    "tf-tape-if-else": """
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
        x, y = tf.random.normal((8, 4)), tf.one_hot([0, 1, 2, 0, 1, 2, 0, 1], 3)
        use_penalty = True
        with tf.GradientTape() as tape:
            logits = model(x)
            ce = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
            if use_penalty:
                penalty = tf.stop_gradient(tf.reduce_mean(tf.square(logits)))
                loss = ce + 1e-3 * penalty  # expect: TL412
            else:
                loss = ce
        grads = tape.gradient(loss, model.trainable_variables)
    """,
    # both branches keep every term in the graph; the cut copy is only logged
    "ok-if-else-live-terms": """
        import torch
        import torch.nn as nn

        model = nn.Linear(8, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 8), torch.randn(16, 1)
        log = []
        for step in range(30):
            opt.zero_grad()
            pred = model(x)
            mse = nn.functional.mse_loss(pred, y)
            reg = pred.abs().mean()
            if step < 10:
                loss = mse + 0.1 * reg
                log.append(reg.detach().item())
            else:
                loss = mse
            loss.backward()
            opt.step()
    """,
    # the branch that adds the cut term is not the one that backpropagates
    "ok-cut-branch-not-backpropagated": """
        import torch
        import torch.nn as nn

        model = nn.Linear(8, 1)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, y = torch.randn(16, 8), torch.randn(16, 1)
        for step in range(30):
            pred = model(x)
            mse = nn.functional.mse_loss(pred, y)
            if step % 5:
                opt.zero_grad()
                loss = mse
                loss.backward()
                opt.step()
            else:
                loss = mse + pred.abs().mean().item()
                print("monitor", loss.item())
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tl412_branches(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL412"}
    assert found == {e for e in _expected(text) if e[0] == "TL412"}
