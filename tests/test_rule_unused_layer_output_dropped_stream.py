"""TL414 unused-layer-output for a block function of the file whose stream output is dropped:
`_, nb_filter, feats = dense_block(x, ...)` (or a result never read), `dense_block` a top-level
function that carries its first argument through layers with weights and returns it first,
followed by a layer fed `x` itself (a DenseNet-FCN's classifier reading the last up-block's
input). Written with tf.keras, Keras 3, a plain result never read and a TF1 graph; and the
look-alikes that stay silent: the output read, `x` bound again before the next layer, the
block's input handed on in another form (a block that returns something else first), a helper
without weights, the next layer in the other branch of an `if`.
Each case marks its expected findings with `# expect: TL414`."""
from __future__ import annotations

import pytest

from corpus_support import checked_as_file, marked_and_found, only_finding

_DENSE_BLOCK = """
    from tensorflow.keras import Input, Model, layers

    def conv_block(x, filters):
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        return layers.Conv2D(filters, 3, padding="same")(x)

    def dense_block(x, n_layers, n_filters, growth, return_list=False):
        feats = [x]
        for _ in range(n_layers):
            cb = conv_block(x, growth)
            feats.append(cb)
            x = layers.concatenate([x, cb])
            n_filters += growth
        if return_list:
            return x, n_filters, feats
        return x, n_filters

"""

CASES = {
    "tf-keras-up-block-output-dropped-in-a-loop": _DENSE_BLOCK + """
    def fcn(n_blocks, n_classes):
        inp = Input((64, 64, 3))
        x = layers.Conv2D(48, 3, padding="same")(inp)
        _, n_filters, feats = dense_block(x, 4, 48, 12, return_list=True)
        for i in range(n_blocks):
            t = layers.Conv2DTranspose(48, 3, strides=2, padding="same")(layers.concatenate(feats[1:]))
            x = layers.concatenate([t, t])
            _, n_filters, feats = dense_block(x, 4, 12, 12, return_list=True)  # expect: TL414
        out = layers.Conv2D(n_classes, 1, activation="softmax")(x)
        return Model(inp, out)

    model = fcn(3, 11)
    """,
    "keras3-plain-result-never-read": """
    import keras
    from keras import layers

    def residual(h, width):
        skip = h
        h = layers.Dense(width, activation="relu")(h)
        h = layers.Dense(width)(h)
        h = layers.add([h, skip])
        return h

    def build():
        inputs = keras.Input((32,))
        h = layers.Dense(32)(inputs)
        deep = residual(h, 32)  # expect: TL414
        outputs = layers.Dense(1)(h)
        return keras.Model(inputs, outputs)

    model = build()
    """,
    "tf1-graph-block": """
    import tensorflow as tf

    def down(x, filters):
        x = tf.layers.conv2d(x, filters, 3, padding="same", activation=tf.nn.relu)
        x = tf.layers.max_pooling2d(x, 2, 2)
        return x, filters * 2

    def encoder(images):
        h = tf.layers.conv2d(images, 32, 3, padding="same")
        _, width = down(h, 32)  # expect: TL414
        h = tf.layers.conv2d(h, width, 3, padding="same")
        return tf.layers.dense(tf.layers.flatten(h), 10)

    logits = encoder(tf.placeholder(tf.float32, [None, 28, 28, 1]))
    """,
    # -- silent ----------------------------------------------------------------------------
    "output-read": _DENSE_BLOCK + """
    def head(n_classes):
        inp = Input((32, 32, 3))
        x = layers.Conv2D(24, 3, padding="same")(inp)
        x_up, n_filters, feats = dense_block(x, 4, 24, 12, return_list=True)
        return Model(inp, layers.Conv2D(n_classes, 1)(x_up))

    model = head(2)
    """,
    "input-bound-again-before-the-next-layer": _DENSE_BLOCK + """
    def down_path():
        inp = Input((32, 32, 3))
        x = layers.Conv2D(24, 3, padding="same")(inp)
        _, n_filters, feats = dense_block(x, 4, 24, 12, return_list=True)
        x = layers.concatenate(feats[1:])
        return Model(inp, layers.Conv2D(2, 1)(x))

    model = down_path()
    """,
    "block-returns-a-new-value-first": """
    from tensorflow.keras import Input, Model, layers

    def attention(x, units):
        scores = layers.Dense(units, activation="tanh")(x)
        weights = layers.Dense(1, activation="sigmoid")(scores)
        return scores, weights

    def build():
        inp = Input((10, 16))
        _, weights = attention(inp, 16)
        gated = layers.multiply([inp, weights])
        out = layers.Dense(1)(inp)
        return Model(inp, [out, gated])

    model = build()
    """,
    "helper-without-weights": """
    from tensorflow.keras import Input, Model, layers

    def pad(x, size):
        x = layers.ZeroPadding2D(size)(x)
        return x, size * 2

    def build():
        inp = Input((28, 28, 1))
        _, border = pad(inp, 2)
        out = layers.Conv2D(8, 3)(inp)
        return Model(inp, out)

    model = build()
    """,
    "next-layer-in-the-other-branch": _DENSE_BLOCK + """
    def build(deep):
        inp = Input((32, 32, 3))
        x = layers.Conv2D(24, 3, padding="same")(inp)
        if deep:
            _, n_filters = dense_block(x, 4, 24, 12)
        else:
            x = layers.Conv2D(24, 3, padding="same")(x)
        return Model(inp, x)

    model = build(True)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dropped_block_stream_written_several_ways(name):
    marked, found = marked_and_found("TL414", name, CASES[name])
    assert found == marked


def test_message_names_the_block_and_the_stale_input():
    f = only_finding("TL414", CASES["tf-keras-up-block-output-dropped-in-a-loop"])
    assert "`dense_block`" in f.message and "`x`" in f.message and "Conv2D" in f.message
    assert "dropped" in f.message


def test_command_line_reports_it_on_the_block_call(tmp_path, capsys):
    import textwrap

    text = textwrap.dedent(CASES["tf-keras-up-block-output-dropped-in-a-loop"]).lstrip("\n")
    marked, found = checked_as_file(tmp_path, capsys, "fcn", text, "TL414")
    assert found == marked
