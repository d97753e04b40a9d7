"""TL227: a Keras layer or torch.nn module built with a keyword its constructor does not take, one
slip away from one it does. Written several ways (standalone Keras 1 and 2 imports, tf.keras by
attribute, `from tensorflow.keras import layers`, a layer inside a Sequential list and inside a
function nobody calls, torch.nn through an alias, the CLI on a file); the look-alikes pass the
keywords each constructor takes, spellings of older Keras releases, a layer class of the file
that shares the framework's name, keywords far from every known one, and keywords through
`**options`."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL227",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "model.py", ONLY).findings)


BUGS = {
    # a Keras 1 program: the `b` of bias=False lost
    "keras1-convolution": ("""
        from keras.layers.convolutional import Convolution2D
        from keras.layers import Input

        def conv_block(ip, nb_filter):
            return Convolution2D(nb_filter, 3, 3, init="he_uniform", border_mode="same", ias=False)(ip)

        x = conv_block(Input((32, 32, 3)), 16)
    """, [5]),
    "tf-keras-sequential": ("""
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1)),
            tf.keras.layers.MaxPooling2D(pool_siez=2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activaton="softmax"),
        ])
    """, [5, 7]),
    "layers-module-in-function": ("""
        from tensorflow.keras import layers

        def head(x, n):
            x = layers.Dropout(rat=0.5)(x)
            x = layers.LSTM(64, return_sequence=True)(x)
            return layers.Dense(n, kernel_initialiser="he_normal")(x)
    """, [4, 5, 6]),
    "torch-alias": ("""
        import torch.nn as nn
        from torch import nn as tnn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 16, kernal_size=3, padding=1)
                self.fc = tnn.Linear(16, 10, bais=False)
    """, [7, 8]),
}

LOOKALIKES = {
    "keyword-right": """
        import tensorflow as tf
        import torch.nn as nn

        a = tf.keras.layers.Conv2D(32, 3, padding="same", use_bias=False, kernel_initializer="he_normal")
        b = tf.keras.layers.LSTM(64, return_sequences=True, dropout=0.2)
        c = nn.Conv2d(3, 16, kernel_size=3, bias=False)
        d = tf.keras.layers.Dense(10, input_shape=(4,), name="out")
    """,
    "older-keras-spellings": """
        from keras.layers import Convolution2D, Dense, LSTM, BatchNormalization, Embedding
        from keras.layers import MaxPooling2D

        c = Convolution2D(32, 3, 3, border_mode="same", subsample=(2, 2), bias=False, W_regularizer=None)
        d = Dense(10, init="uniform", output_dim=10, b_constraint=None)
        r = LSTM(32, consume_less="gpu", dropout_W=0.2, inner_activation="hard_sigmoid", time_major=False)
        b = BatchNormalization(mode=0, fused=True, renorm=True)
        e = Embedding(1000, 64, input_length=20)
        p = MaxPooling2D(pool_size=(2, 2), dim_ordering="th")
    """,
    "class-of-the-file": """
        import torch.nn as nn

        class Dense(nn.Module):
            def __init__(self, units, activaton=None):
                super().__init__()

        d = Dense(4, activaton="relu")
    """,
    "far-keyword-and-kwargs": """
        import torch.nn as nn
        from tensorflow.keras import layers

        opts = {"kernal_size": 3}
        c = nn.Conv2d(3, 16, 3, **opts)
        d = layers.Dense(3, something_else=1)
    """,
    "framework-unknown": """
        from mylib.layers import Dense

        d = Dense(3, activaton="relu")
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_misspelled_keyword_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_the_nearest_keyword(tmp_path):
    f = tmp_path / "net.py"
    f.write_text("from keras.layers import Conv2D\n\nc = Conv2D(8, 3, paddng='same')\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL227", str(f)],
                         capture_output=True, text=True).stdout
    assert "net.py:3:18: TL227" in out and "`paddng`" in out and "`padding`" in out


def test_bad_input_does_not_crash():
    assert _lines("from keras.layers import Dense\nDense(3, **)\n") == []
    assert _lines("from keras.layers import Dense\nDense(3, =1, activaton=)\n") == []
