"""TL214: an embedding sized by a vocabulary whose ids start at 1 has one row too few. Under
torch 2 `nn.Embedding(len(vocab_to_int), d)` raises IndexError on the last id, and a TF1
`embedding_lookup` on CPU InvalidArgumentError (tests/corpus/*_embedding_ids_from_one.py); the
look-alikes add the missing row or number the words from 0."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL214",))

BUGS = {
    # the Udacity sentiment RNN: a TF1 variable read by embedding_lookup, its rows through a name
    "tf1-variable-through-a-name": ("""
        import tensorflow as tf

        vocab = sorted(set(words))
        vocab_to_int = {word: ii for ii, word in enumerate(vocab, 1)}
        n_words = len(vocab_to_int)
        graph = tf.Graph()
        with graph.as_default():
            inputs_ = tf.placeholder(tf.int32, [None, None])
            embedding = tf.Variable(tf.random_uniform((n_words, 300), -1, 1))
            embed = tf.nn.embedding_lookup(embedding, inputs_)
    """, [10]),
    # Keras, `start=1`, the rows given by keyword
    "keras-start-keyword": ("""
        import keras

        word_index = {w: i for i, w in enumerate(tokens, start=1)}
        model = keras.Sequential([
            keras.layers.Embedding(input_dim=len(word_index), output_dim=32),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
    """, [5]),
    # torch, ids shifted by `i + 1`, the rows counted on the enumerated list
    "torch-shifted-ids": ("""
        import torch.nn as nn

        char_to_id = {c: i + 1 for i, c in enumerate(chars)}
        emb = nn.Embedding(len(chars), 64, padding_idx=0)
    """, [4]),
}

LOOKALIKES = {
    "row-added-for-padding": """
        import torch.nn as nn

        vocab_to_int = {w: i for i, w in enumerate(vocab, 1)}
        emb = nn.Embedding(len(vocab_to_int) + 1, 64)
    """,
    "ids-from-zero": """
        import tensorflow as tf

        vocab_to_int = {w: i for i, w in enumerate(vocab)}
        n_words = len(vocab_to_int)
        embedding = tf.Variable(tf.random_uniform((n_words, 300), -1, 1))
        embed = tf.nn.embedding_lookup(embedding, inputs_)
    """,
    "rows-of-another-vocabulary": """
        import keras

        word_index = {w: i for i, w in enumerate(tokens, 1)}
        layer = keras.layers.Embedding(len(tokenizer.word_index) + 1, 32)
    """,
    "two-extra-rows": """
        import torch.nn as nn

        stoi = {w: i for i, w in enumerate(words, 2)}
        emb = nn.Embedding(len(stoi) + 2, 16)
    """,
}


def _text(program: str) -> str:
    return textwrap.dedent(program).lstrip("\n")


@pytest.mark.parametrize("name", sorted(BUGS))
def test_embedding_one_row_short_is_reported(name):
    program, lines = BUGS[name]
    findings = analyze(_text(program), f"{name}.py", ONLY).findings
    assert sorted(f.line for f in findings) == lines
    assert all("past the last row" in f.message for f in findings)


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_look_alikes_stay_silent(name):
    assert analyze(_text(LOOKALIKES[name]), f"{name}.py", ONLY).findings == []
