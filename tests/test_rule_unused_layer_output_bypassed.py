"""TL414 unused-layer-output when a layer's output is replaced by the layer's own input before
anything reads it (`x = Conv2D(...)(x_up)` followed by `x = x_up`), so the next layer is fed the
input and the layer is skipped: in tf.keras, Keras 3 and standalone Keras functions, on every path
or in one branch, and in a torch forward; and the look-alikes that stay silent: the output read
before the rebinding, the rebinding in the other branch of the `if` that made the layer, the name
given another value, a layer without weights bypassed under a flag, and a loop.
Each case marks its expected findings with `# expect: TL414`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "tf-keras-branch-on-data-format": """
        import tensorflow as tf
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Conv2D, Input, Reshape

        def head(x_up, nb_classes, rows, cols):
            x = Conv2D(nb_classes, (1, 1), padding="same")(x_up)
            if K.image_data_format() == "channels_first":
                order = "first"
            else:
                order = "last"
                x = x_up  # expect: TL414
            x = Reshape((rows * cols, nb_classes))(x)
            return x

        inputs = Input((8, 8, 16))
        model = tf.keras.Model(inputs, head(inputs, 3, 8, 8))
    """,
    "keras3-every-path": """
        import keras

        def block(h):
            x = keras.layers.Dense(64, activation="relu")(h)
            x = h  # expect: TL414
            return keras.layers.Dense(1)(x)

        inputs = keras.Input((32,))
        model = keras.Model(inputs, block(inputs))
    """,
    "standalone-keras-flag": """
        from keras.layers import Input, Dense, Conv1D, GlobalMaxPooling1D
        from keras.models import Model

        def build(seq, use_context):
            c = Conv1D(32, 3, padding="same")(seq)
            if not use_context:
                c = seq  # expect: TL414
            pooled = GlobalMaxPooling1D()(c)
            return Dense(2, activation="softmax")(pooled)

        seq = Input((50, 8))
        model = Model(seq, build(seq, True))
    """,
    "torch-forward": """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(16, 16)
                self.out = nn.Linear(16, 2)

            def forward(self, h):
                z = self.proj(h)
                z = h  # expect: TL414
                return self.out(z)
    """,
    # -- silent ----------------------------------------------------------------------------
    "output-read-before-rebinding": """
        import keras

        def block(h):
            x = keras.layers.Dense(64)(h)
            side = keras.layers.Dense(8)(x)
            x = h
            return keras.layers.Dense(1)(keras.layers.Concatenate()([x, side]))
    """,
    "rebinding-in-the-other-branch": """
        import keras

        def block(h, deep):
            if deep:
                x = keras.layers.Dense(64)(h)
            else:
                x = h
            return keras.layers.Dense(1)(x)
    """,
    "name-given-another-value": """
        import keras

        def block(h, g):
            x = keras.layers.Dense(64)(h)
            x = g
            return keras.layers.Dense(1)(x)
    """,
    "layer-without-weights-under-a-flag": """
        import keras

        def block(h, training):
            x = keras.layers.Dropout(0.5)(h)
            if not training:
                x = h
            return keras.layers.Dense(1)(x)
    """,
    "in-a-loop": """
        import keras

        def stack(h, n):
            x = h
            for i in range(n):
                y = keras.layers.Dense(64)(x)
                x = keras.layers.Add()([x, y])
                h = x
            return keras.layers.Dense(1)(x)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_output_replaced_by_its_input_written_several_ways(name):
    marked, found = marked_and_found("TL414", name, CASES[name])
    assert found == marked


def test_message_names_the_skipped_layer_and_the_next_one():
    f = only_finding("TL414", CASES["tf-keras-branch-on-data-format"], Config())
    assert "`x = x_up` replaces the output of `Conv2D` (line 6)" in f.message
    assert "`Reshape` (line 12), is fed `x_up`" in f.message


def test_cli_reports_the_rebinding(tmp_path, capsys):
    from tensorlint.cli import main
    import textwrap

    path = tmp_path / "model.py"
    path.write_text(textwrap.dedent(CASES["keras3-every-path"]).lstrip("\n"))
    code = main([str(path)])
    out = capsys.readouterr().out
    assert code == 1 and f"{path}:5:5: TL414" in out
