"""TL230 normalization-shared-across-sublayers, written the ways models share one normalization
layer between sub-layers: a post-norm Transformer encoder and decoder layer (two and three
sub-layers), a pre-norm block with named intermediate results, a residual block whose batch norm
follows both convolutions (nested calls), a GroupNorm made with `affine=True`. The look-alikes:
one layer per sub-layer, two towers that share layers on purpose, calls on the two branches of an
`if`, a call repeated by a loop, the same input normalized twice, a name rebound from something
else between the calls, layers without state. The same in Keras layers' and models' `call`: a
Transformer block with one LayerNormalization, a convolution block with one BatchNormalization
(its moving statistics are state even without center and scale), both also with the layer
called with `training=`; two Keras towers that share a layer on purpose stay silent. Each case marks its expected findings with `# expect: TL230`."""
from __future__ import annotations

import textwrap

import pytest

from test_variants import found_and_expected, run_check

CASES = {
    "post-norm-encoder-and-decoder": """
    import torch
    import torch.nn as nn

    class EncoderLayer(nn.Module):
        def __init__(self, hid_dim, n_heads, dropout):
            super().__init__()
            self.layer_norm = nn.LayerNorm(hid_dim)  # expect: TL230
            self.self_attention = nn.MultiheadAttention(hid_dim, n_heads)
            self.ff = nn.Sequential(nn.Linear(hid_dim, 4 * hid_dim), nn.ReLU(), nn.Linear(4 * hid_dim, hid_dim))
            self.dropout = nn.Dropout(dropout)

        def forward(self, src):
            _src, _ = self.self_attention(src, src, src)
            src = self.layer_norm(src + self.dropout(_src))
            _src = self.ff(src)
            src = self.layer_norm(src + self.dropout(_src))
            return src

    class DecoderLayer(nn.Module):
        def __init__(self, hid_dim, n_heads):
            super().__init__()
            self.norm = nn.LayerNorm(hid_dim)  # expect: TL230
            self.self_attn = nn.MultiheadAttention(hid_dim, n_heads)
            self.cross_attn = nn.MultiheadAttention(hid_dim, n_heads)
            self.ff = nn.Linear(hid_dim, hid_dim)

        def forward(self, trg, enc_src):
            trg = self.norm(trg + self.self_attn(trg, trg, trg)[0])
            trg = self.norm(trg + self.cross_attn(trg, enc_src, enc_src)[0])
            trg = self.norm(trg + self.ff(trg))
            return trg
    """,
    "pre-norm-named-steps": """
    import torch.nn as nn

    class EncoderBlock(nn.Module):
        def __init__(self, size, heads):
            super(EncoderBlock, self).__init__()
            self.norm = nn.LayerNorm(size)  # expect: TL230
            self.attention = nn.MultiheadAttention(size, heads)
            self.mlp = nn.Sequential(nn.Linear(size, size * 4), nn.GELU(), nn.Linear(size * 4, size))

        def forward(self, patches):
            first_norm = self.norm(patches)
            attention_out = self.attention(first_norm, first_norm, first_norm)[0]
            first_added = attention_out + patches
            second_norm = self.norm(first_added)
            return self.mlp(second_norm) + first_added
    """,
    "residual-block-nested-batchnorm": """
    import torch.nn as nn
    import torch.nn.functional as F

    class BasicBlock(nn.Module):
        def __init__(self, planes):
            super().__init__()
            self.conv1 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(planes)  # expect: TL230

        def forward(self, x):
            return F.relu(self.bn(self.conv2(F.relu(self.bn(self.conv1(x))))) + x)
    """,
    "groupnorm-affine-keyword": """
    from torch import nn

    class Block(nn.Module):
        def __init__(self, ch):
            super().__init__()
            self.gn = nn.GroupNorm(8, ch, affine=True)  # expect: TL230
            self.c1 = nn.Conv2d(ch, ch, 3, padding=1)
            self.c2 = nn.Conv2d(ch, ch, 3, padding=1)

        def forward(self, x):
            h = self.c1(self.gn(x).relu())
            with_skip = h + x
            return self.c2(self.gn(with_skip).relu())
    """,
    "ok-one-norm-per-sublayer": """
    import torch.nn as nn

    class EncoderLayer(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.attn_norm = nn.LayerNorm(d)
            self.ff_norm = nn.LayerNorm(d)
            self.attn = nn.MultiheadAttention(d, 2)
            self.ff = nn.Linear(d, d)

        def forward(self, x):
            x = self.attn_norm(x + self.attn(x, x, x)[0])
            return self.ff_norm(x + self.ff(x))
    """,
    "ok-towers-branches-loops": """
    import torch.nn as nn

    class Siamese(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(16, 8)
            self.norm = nn.BatchNorm1d(8)

        def forward(self, left, right):
            a = self.norm(self.fc(left))
            b = self.norm(self.fc(right))
            return (a - b).abs()

    class Either(nn.Module):
        def __init__(self, d, pre_norm):
            super().__init__()
            self.pre_norm = pre_norm
            self.ff = nn.Linear(d, d)
            self.norm = nn.LayerNorm(d)

        def forward(self, x):
            if self.pre_norm:
                x = x + self.ff(self.norm(x))
            else:
                x = self.norm(x + self.ff(x))
            return x

    class Shared(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(d, d) for _ in range(3)])
            self.norm = nn.LayerNorm(d)

        def forward(self, x):
            for layer in self.layers:
                x = self.norm(x + layer(x))
            return x
    """,
    "ok-same-input-rebound-stateless": """
    import torch.nn as nn

    class Twice(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.norm = nn.LayerNorm(d)
            self.q = nn.Linear(d, d)
            self.k = nn.Linear(d, d)

        def forward(self, x, y):
            q = self.q(self.norm(x))
            k = self.k(self.norm(x))
            q = self.k(y)
            return q, k, self.norm(q)

    class Plain(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.ff = nn.Linear(d, d)
            self.norm = nn.LayerNorm(d, elementwise_affine=False)
            self.inorm = nn.InstanceNorm2d(d)

        def forward(self, x):
            x = self.norm(x)
            return self.norm(x + self.ff(x))
    """,
    "keras-transformer-block": """
    import tensorflow as tf
    from tensorflow import keras
    from tensorflow.keras import layers

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
            self.layernorm = layers.LayerNormalization(epsilon=1e-6)  # expect: TL230

        def call(self, inputs):
            out1 = self.layernorm(inputs + self.att(inputs, inputs))
            return self.layernorm(out1 + self.ffn(out1))

    class ConvBlock(keras.Model):
        def __init__(self):
            super().__init__()
            self.c1 = layers.Conv2D(16, 3, padding="same")
            self.c2 = layers.Conv2D(16, 3, padding="same")
            self.bn = layers.BatchNormalization(center=False, scale=False)  # expect: TL230

        def call(self, x):
            h = tf.nn.relu(self.bn(self.c1(x)))
            return tf.nn.relu(self.bn(self.c2(h)))
    """,
    "keras-calls-pass-training": """
    import keras
    import tensorflow as tf

    class ResidualBlock(keras.layers.Layer):
        def __init__(self, filters):
            super().__init__()
            self.conv1 = keras.layers.Conv2D(filters, 3, padding="same")
            self.conv2 = keras.layers.Conv2D(filters, 3, padding="same")
            self.bn = keras.layers.BatchNormalization()  # expect: TL230

        def call(self, inputs, training=None):
            x = keras.activations.relu(self.bn(self.conv1(inputs), training=training))
            x = self.bn(self.conv2(x), training=training)
            return keras.activations.relu(x + inputs)

    class Encoder(tf.keras.layers.Layer):
        def __init__(self, d):
            super().__init__()
            self.attn = tf.keras.layers.MultiHeadAttention(4, d)
            self.ff = tf.keras.layers.Dense(d)
            self.norm = tf.keras.layers.LayerNormalization()  # expect: TL230

        def call(self, x, training=False):
            x = self.norm(x + self.attn(x, x, training=training), training=training)
            return self.norm(x + self.ff(x), training=training)

    class Towers(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(8)
            self.bn = keras.layers.BatchNormalization()

        def call(self, inputs, training=None):
            a, b = inputs
            return self.bn(self.dense(a), training=training) - self.bn(self.dense(b), training=training)
    """,
    "ok-keras-shared-on-purpose-or-stateless": """
    import tensorflow as tf

    class Towers(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(8)
            self.norm = tf.keras.layers.LayerNormalization()

        def call(self, inputs):
            a, b = inputs
            return self.norm(self.dense(a)) - self.norm(self.dense(b))

    class Plain(tf.keras.layers.Layer):
        def __init__(self, d):
            super().__init__()
            self.norm = tf.keras.layers.LayerNormalization(center=False, scale=False)
            self.ff = tf.keras.layers.Dense(d)

        def call(self, x):
            x = self.norm(x)
            return self.norm(x + self.ff(x))
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_normalization_shared_across_sublayers(name):
    found, expected = found_and_expected(CASES, name, "TL230")
    assert found == expected


def test_cli_names_both_uses(tmp_path):
    out = run_check(tmp_path / "model.py", textwrap.dedent(CASES["pre-norm-named-steps"]).lstrip("\n"), "--select", "TL230")
    assert "model.py:6:" in out and "line 14" in out and "line 11" in out
