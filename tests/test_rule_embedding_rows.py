"""TL214: an embedding sized by a vocabulary whose ids start at 1 (an `enumerate(..., 1)` map, a
Keras `Tokenizer`'s `word_index`) has one row too few. Under
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
    # a Keras Tokenizer numbers its words from 1; capped with min() by the words it keeps
    # (keras/examples/pretrained_word_embeddings.py before its fix)
    "keras2-tokenizer-capped-by-num-words": ("""
        from keras.layers import Embedding
        from keras.preprocessing.text import Tokenizer

        MAX_NUM_WORDS = 20000
        tokenizer = Tokenizer(num_words=MAX_NUM_WORDS)
        tokenizer.fit_on_texts(texts)
        word_index = tokenizer.word_index
        num_words = min(MAX_NUM_WORDS, len(word_index))
        embedding_layer = Embedding(num_words, 100, input_length=1000)
    """, [9]),
    # tf.keras, every word kept: the rows through a name and by keyword on the attribute itself
    "tf-keras-tokenizer-all-words": ("""
        import tensorflow as tf

        tok = tf.keras.preprocessing.text.Tokenizer(oov_token="<OOV>")
        tok.fit_on_texts(sentences)
        vocab_size = len(tok.word_index)
        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(vocab_size, 16),
            tf.keras.layers.GlobalAveragePooling1D(),
        ])
        decoder_embedding = tf.keras.layers.Embedding(input_dim=len(tok.word_index), output_dim=8)
    """, [7, 10]),
}

LOOKALIKES = {
    # the tokenizer's row for padding is there, or the tokenizer keeps fewer words than it numbers
    "keras-tokenizer-rows-enough": """
        from keras.layers import Embedding
        from keras.preprocessing.text import Tokenizer

        tokenizer = Tokenizer(num_words=5000)
        tokenizer.fit_on_texts(texts)
        word_index = tokenizer.word_index
        a = Embedding(len(word_index) + 1, 100)
        b = Embedding(min(5000, len(word_index) + 1), 100)
        c = Embedding(len(word_index), 100)
        d = Embedding(min(10000, len(word_index)), 100)
        e = Embedding(min(5000, len(word_index)) + 1, 100)
    """,
    # two tokenizers of one name: the one that keeps 5,000 words never makes the largest id
    "keras-tokenizers-of-one-name": """
        from keras.preprocessing.text import Tokenizer
        from keras.layers import Embedding

        def build_a(texts):
            tokenizer = Tokenizer(num_words=5000)
            tokenizer.fit_on_texts(texts)
            return Embedding(len(tokenizer.word_index), 64)

        def build_b(texts):
            tokenizer = Tokenizer()
            tokenizer.fit_on_texts(texts)
            return Embedding(len(tokenizer.word_index) + 1, 64)
    """,
    # a `word_index` that is not a Keras tokenizer's
    "other-word-index": """
        import keras
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file("vocab.json")
        word_index = tok.word_index
        layer = keras.layers.Embedding(len(word_index), 32)
        imdb_index = keras.datasets.imdb.get_word_index()
        other = keras.layers.Embedding(len(imdb_index), 32)
    """,
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
