"""TL220 loop-keeps-last-pass, written the ways people write it. Joins: TF2 integrated
gradients (`tf.stack(gradient_batch)` after collecting `gradient_batches`), Keras predictions
joined with `np.concatenate`, torch embeddings with `torch.cat(..., dim=0)` at module level,
`np.vstack` after a `while` loop. Layer outputs overwritten unread: a Keras decoder whose blocks
each make an attention layer into a name the next block overwrites, Keras Dense layers made
inline in a loop over widths, a torch ModuleList applied to the same input in `forward`. The
look-alikes join the list, read the list elsewhere, bind the item again, chain the layers, collect
each output, or call the same layer on every pass. Each case marks its expected findings with
`# expect: TL220`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "tf-integrated-gradients": """
    import tensorflow as tf

    def integrated_gradients(baseline, image, alphas, batch_size=32):
        gradient_batches = []
        for alpha in tf.range(0, len(alphas), batch_size):
            alpha_batch = alphas[alpha:alpha + batch_size]
            gradient_batch = one_batch(baseline, image, alpha_batch)
            gradient_batches.append(gradient_batch)
        total_gradients = tf.stack(gradient_batch)  # expect: TL220
        return tf.reduce_mean(total_gradients, axis=0)
    """,
    "keras-predictions-concatenated": """
    import numpy as np
    from tensorflow import keras

    def predict_in_chunks(model, x, chunk=256):
        outputs = []
        for start in range(0, len(x), chunk):
            out = model.predict(x[start:start + chunk])
            outputs.append(out)
        return np.concatenate(out, axis=0)  # expect: TL220
    """,
    "torch-module-level-cat": """
    import torch
    import torch.nn as nn

    encoder = nn.Linear(16, 4)
    features = []
    with torch.no_grad():
        for batch in torch.randn(10, 8, 16):
            feats = encoder(batch)
            features.append(feats)
    all_features = torch.cat(feats, dim=0)  # expect: TL220
    """,
    "numpy-vstack-after-while": """
    import numpy as np
    import torch

    rows = []
    i = 0
    while i < 5:
        row = np.random.rand(3)
        rows.append(row)
        i += 1
    table = np.vstack(row)  # expect: TL220
    """,
    "torch-tensor-of-last-unpacked-item": """
    import torch

    def make_batch(memory):
        s_lst, s_prime_lst, done_lst = [], [], []
        for transition in memory:
            s, a, r, s_prime, done = transition
            s_lst.append(s)
            s_prime_lst.append(s_prime)
            done_lst.append([0.0 if done else 1.0])
        s_batch, s_prime_batch = torch.tensor(s_lst, dtype=torch.float), torch.tensor(s_prime, dtype=torch.float)  # expect: TL220
        return s_batch, s_prime_batch, torch.tensor(done_lst)
    """,
    "numpy-array-of-last-row": """
    import numpy as np
    import torch

    rows = []
    for i in range(8):
        row = np.random.rand(3)
        rows.append(row)
    table = np.array(row)  # expect: TL220
    """,
    "tf-constant-of-last-step": """
    import tensorflow as tf

    def rollout(env, steps):
        observations = []
        for _ in range(steps):
            obs = env.step()
            observations.append(obs)
        return tf.convert_to_tensor(obs, dtype=tf.float32)  # expect: TL220
    """,
    "torch-cat-of-uncollected-item": """
    import torch

    def test(model, loader):
        preds, targets = [], []
        for x, y in loader:
            pred = model(x).sigmoid().view(-1).cpu()
            target = y.long().cpu()
            preds.append(pred)
            targets.append(pred)
        pred = torch.cat(preds, dim=0).numpy()
        target = torch.cat(target, dim=0).numpy()  # expect: TL220
        return pred, target
    """,
    "tf-concat-of-uncollected-item": """
    import tensorflow as tf

    def gather(model, batches):
        labels = []
        for xb, yb in batches:
            logits = model(xb)
            label = tf.argmax(logits, axis=1)
            labels.append(logits)
        return tf.concat(label, axis=0)  # expect: TL220
    """,
    "ok-list-converted": """
    import torch

    def make_batch(memory):
        s_prime_lst = []
        for transition in memory:
            s, a, r, s_prime, done = transition
            s_prime_lst.append(s_prime)
        return torch.tensor(s_prime_lst, dtype=torch.float)
    """,
    "ok-item-converted-list-read": """
    import numpy as np

    def last_state(env, steps):
        states = []
        for _ in range(steps):
            state = env.step()
            states.append(state)
        print(len(states))
        return np.array(state)
    """,
    "ok-joined-item-is-a-list": """
    import torch

    def run(model, loader):
        seen = []
        for x in loader:
            parts = [model(x), x]
            seen.append(x)
        return torch.cat(parts, dim=1)
    """,
    "ok-joined-item-is-the-loop-target": """
    import torch

    def run(loader):
        sizes = []
        for batch in loader:
            sizes.append(len(batch))
        return torch.cat(batch)
    """,
    "ok-every-list-read": """
    import torch

    def test(model, loader):
        preds, targets = [], []
        for x, y in loader:
            pred = model(x)
            target = y.long()
            preds.append(pred)
            targets.append(target)
        last = torch.cat(target)
        return torch.cat(preds), torch.cat(targets), last
    """,
    "ok-list-joined": """
    import tensorflow as tf

    def collect(batches):
        parts = []
        for b in batches:
            part = tf.square(b)
            parts.append(part)
        return tf.concat(parts, axis=0)
    """,
    "ok-list-read-elsewhere": """
    import numpy as np
    import torch

    losses = []
    for step in range(3):
        loss = np.random.rand(4)
        losses.append(loss)
    print(len(losses))
    last = np.stack(loss)
    """,
    "ok-item-bound-again": """
    import torch

    chunks = []
    for t in torch.randn(4, 2, 3):
        y = t * 2
        chunks.append(y)
    y = [torch.ones(3), torch.zeros(3)]
    both = torch.stack(y)
    """,
    "keras-decoder-blocks-overwrite-attention": """
    import numpy as np
    from tensorflow import keras

    encoder_in = keras.layers.Input(shape=[None, 64])
    decoder_in = keras.layers.Input(shape=[None, 64])
    for n in range(6):
        self_attn = keras.layers.Attention(use_scale=True, causal=True)
        decoder_in = self_attn([decoder_in, decoder_in])
        cross_attn = keras.layers.Attention(use_scale=True)
        context = cross_attn([decoder_in, encoder_in])  # expect: TL220
    outputs = keras.layers.Dense(100, activation='softmax')(context)
    model = keras.Model([encoder_in, decoder_in], outputs)
    """,
    "keras-dense-inline-over-widths": """
    import keras

    inputs = keras.Input(shape=(20,))
    for units in [64, 32, 16]:
        hidden = keras.layers.Dense(units, activation='relu')(inputs)  # expect: TL220
    outputs = keras.layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    """,
    "torch-modulelist-same-input": """
    import torch
    import torch.nn as nn

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([nn.Linear(16, 16), nn.Linear(16, 16)])

        def forward(self, x):
            for block in self.blocks:
                h = torch.relu(block(x))
                out = block(x)  # expect: TL220
            return out + h

    enc = Encoder()
    y = enc(torch.randn(4, 16))
    """,
    "ok-layers-chained": """
    import keras

    x = inputs = keras.Input(shape=(20,))
    for units in [64, 32]:
        x = keras.layers.Dense(units, activation='relu')(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    """,
    "ok-outputs-collected": """
    import keras

    inputs = keras.Input(shape=(20,))
    branches = []
    for units in [8, 16]:
        branch = keras.layers.Dense(units)(inputs)
        branches.append(branch)
    model = keras.Model(inputs, keras.layers.Concatenate()(branches))
    """,
    "ok-same-layer-each-pass": """
    import torch
    import torch.nn as nn

    net = nn.Linear(8, 2)
    x = torch.randn(4, 8)
    for _ in range(10):
        out = net(x)
    print(out)
    """,
    "ok-one-pass": """
    import keras

    inputs = keras.Input(shape=(4,))
    for n in range(1):
        h = keras.layers.Dense(8)(inputs)
    model = keras.Model(inputs, h)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loop_keeps_last_pass(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config()).findings if f.code == "TL220"}
    assert found == _expected(text)
