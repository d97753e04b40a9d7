"""TL216 dot-over-batch-axis and the Keras Dot layer's shapes, on the bug written the ways people
write it (Keras 3 and tf.keras layers, the `dot` function, legacy `keras.layers.merge` and
`keras.backend.batch_dot`, a subclassed skip-gram model) and on correct look-alikes: the feature
axis given as 1, -1 or a pair, `tf.tensordot`/`np.dot` (no batch axis), an axis the program
does not fix. Each case marks its expected findings with `# expect: TL216`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras3-functional-similarity": """
        import keras
        word = keras.Input((300,))
        context = keras.Input((300,))
        similarity = keras.layers.Dot(axes=0)([word, context])  # expect: TL216
        output = keras.layers.Dense(1, activation="sigmoid")(similarity)
        model = keras.Model([word, context], output)
    """,
    "tf-keras-dot-function-pair": """
        from tensorflow.keras.layers import Input, LSTM, dot
        question = LSTM(64, return_sequences=True)(Input(shape=(12, 32)))
        story = LSTM(64, return_sequences=True)(Input(shape=(40, 32)))
        match = dot([story, question], axes=(0, 2))  # expect: TL216
    """,
    "legacy-merge-module-and-backend-batch-dot": """
        from keras.layers import Input, Dense
        from keras.layers.merge import Dot
        from keras import backend as K
        a = Dense(16)(Input(shape=(8,)))
        b = Dense(16)(Input(shape=(8,)))
        sim = Dot(0)([a, b])  # expect: TL216
        raw = K.batch_dot(a, b, axes=[0, 0])  # expect: TL216
    """,
    "subclassed-skipgram": """
        import tensorflow as tf

        class Skipgram(tf.keras.Model):
            def __init__(self, vocab, dim):
                super().__init__()
                self.word = tf.keras.Sequential([tf.keras.layers.Embedding(vocab, dim), tf.keras.layers.Reshape((dim,))])
                self.context = tf.keras.Sequential([tf.keras.layers.Embedding(vocab, dim), tf.keras.layers.Reshape((dim,))])
                self.merge = tf.keras.layers.Dot(axes=0)  # expect: TL216
                self.out = tf.keras.layers.Dense(1, activation="sigmoid")

            def call(self, inputs):
                w, c = inputs
                return self.out(self.merge([self.word(w), self.context(c)]))

        model = Skipgram(5000, 300)
        model.build(input_shape=[(None, 1), (None, 1)])
    """,
    # -- silent ----------------------------------------------------------------------------
    "feature-axis-written-three-ways": """
        import keras
        a = keras.Input((7, 300))
        b = keras.Input((300,))
        s1 = keras.layers.Dot(axes=-1)([a, a])
        s2 = keras.layers.dot([a, b], axes=(2, 1))
        s3 = keras.layers.Dot(1, normalize=True)([b, b])
    """,
    "no-batch-axis-in-tensordot-or-numpy": """
        import numpy as np
        import tensorflow as tf
        outer = tf.tensordot(tf.ones([3]), tf.ones([4]), axes=0)
        prod = np.dot(np.ones((3, 4)), np.ones((4, 2)))
    """,
    "axis-the-program-does-not-fix": """
        import sys
        import keras
        axis = int(sys.argv[1])
        a = keras.Input((300,))
        s = keras.layers.Dot(axes=axis)([a, a])
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dot_over_batch_axis_written_several_ways(name):
    marked, found = marked_and_found("TL216", name, CASES[name])
    assert found == marked


def _shape_of(text: str, name: str) -> str:
    analysis = analyze(textwrap.dedent(text).lstrip("\n"), "t.py", Config(select=("ALL",)), collect_values=True)
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    texts = [v.text for v in analysis.values if lines[v.span.start.line - 1][v.span.start.column:].startswith(name + " =")]
    return texts[-1]


def test_dot_layer_output_shapes_match_keras():
    # Keras: Dot(axes=1) of two [B, 300] gives [B, 1]; axes=(2, 1) of [B, 7, 300] and [B, 300]
    # gives [B, 7]; axes=-1 of [B, 7, 300] with itself gives [B, 7, 7]
    text = CASES["feature-axis-written-three-ways"]
    assert _shape_of(text, "s1").startswith("Tensor[B, 7, 7]")
    assert _shape_of(text, "s2").startswith("Tensor[B, 7]")
    assert _shape_of(text, "s3").startswith("Tensor[B, 1]")


def test_message_names_the_axes_and_the_inputs():
    f = only_finding("TL216", CASES["keras3-functional-similarity"], Config())
    assert "Dot(axes=0) of inputs [B, 300] and [B, 300]" in f.message and "axes=1 or -1" in f.message
