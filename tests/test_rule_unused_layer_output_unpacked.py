"""TL414 unused-layer-output at module level for a block with several outputs: `a, b = block(x)`
with `block` an instance of a Keras layer or model class of the file, `a` bound again before
anything reads it by a layer fed a value from before the block, while `b` is read (a notebook's
N-BEATS residual link that subtracts an older backcast); in tf.keras and Keras 3, a merge layer
or a layer made and called at once; and the look-alikes that stay silent: the output read by
the layer that binds it again, no output of the block read (a cell run again), a plain function
that returns two values, and the new binding fed only the block's outputs.
Each case marks its expected findings with `# expect: TL414`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

_TF_BLOCK = """
    import tensorflow as tf
    from tensorflow.keras import layers

    class Block(tf.keras.layers.Layer):
        def __init__(self, size, horizon, **kwargs):
            super().__init__(**kwargs)
            self.hidden = layers.Dense(64, activation="relu")
            self.theta = layers.Dense(size + horizon)
            self.size = size

        def call(self, inputs):
            theta = self.theta(self.hidden(inputs))
            return theta[:, :self.size], theta[:, self.size:]

"""

CASES = {
    "tf-keras-residual-subtracts-older-value": _TF_BLOCK + """
    demo = Block(7, 1)
    backcast, forecast = demo(tf.ones((1, 7)))
    print(backcast.shape)

    block = Block(7, 1)
    stack_input = layers.Input(shape=(7,))
    residuals, forecast = block(stack_input)  # expect: TL414
    residuals = layers.subtract([stack_input, backcast])
    block_backcast, block_forecast = Block(7, 1)(residuals)
    forecast = layers.add([forecast, block_forecast])
    model = tf.keras.Model(stack_input, forecast)
    """,
    "keras3-model-class-and-layer-made-and-called": """
    import keras

    class TwoHeads(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = keras.layers.Dense(4)
            self.b = keras.layers.Dense(1)

        def call(self, x):
            return self.a(x), self.b(x)

    inputs = keras.Input((16,))
    features = keras.layers.Dense(16)(inputs)
    heads = TwoHeads()
    embedding, score = heads(features)  # expect: TL414
    embedding = keras.layers.Dense(8)(features)
    model = keras.Model(inputs, [embedding, score])
    """,
    # -- silent ----------------------------------------------------------------------------
    "output-read-by-the-new-binding": _TF_BLOCK + """
    block = Block(7, 1)
    stack_input = layers.Input(shape=(7,))
    residuals, forecast = block(stack_input)
    residuals = layers.subtract([stack_input, residuals])
    model = tf.keras.Model(stack_input, [residuals, forecast])
    """,
    "no-output-read-a-cell-run-again": _TF_BLOCK + """
    block = Block(7, 1)
    stack_input = layers.Input(shape=(7,))
    residuals, forecast = block(stack_input)
    residuals, forecast = block(stack_input)
    model = tf.keras.Model(stack_input, [residuals, forecast])
    """,
    "plain-function-with-two-results": """
    import tensorflow as tf
    from tensorflow.keras import layers

    def split(x):
        return x[:, :4], x[:, 4:]

    inputs = layers.Input((8,))
    left, right = split(inputs)
    left = layers.Dense(4)(inputs)
    model = tf.keras.Model(inputs, [left, right])
    """,
    "new-binding-fed-only-the-block-outputs": _TF_BLOCK + """
    block = Block(7, 1)
    stack_input = layers.Input(shape=(7,))
    residuals, forecast = block(stack_input)
    residuals = layers.Dense(7)(forecast)
    model = tf.keras.Model(stack_input, residuals)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unpacked_block_output_overwritten_written_several_ways(name):
    marked, found = marked_and_found("TL414", name, CASES[name])
    assert found == marked


def test_message_names_the_output_and_the_older_value():
    f = only_finding("TL414", CASES["tf-keras-residual-subtracts-older-value"], Config())
    assert "`residuals`, an output of `block` (line 22), is bound again at line 23" in f.message
    assert "fed `backcast`, a value from before the block" in f.message
