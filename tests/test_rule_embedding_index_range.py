"""TL215 embedding-index-out-of-range on the bug written the ways people write it (a Keras 2
functional model with Embedding's arguments swapped, a Keras 3 Sequential, tf.keras `add` with
literal ids, a PyTorch nn.Embedding applied to literal ids) and on correct look-alikes: a table
as large as the ids, too few random draws to be sure, ids the program does not show. Also the
witness the randint span gives. Each case marks its expected findings with `# expect: TL215`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.frameworks.common import uniform_int_span

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras2-functional-arguments-swapped": """
        from keras.models import Model
        from keras import layers, Input
        import numpy as np

        text_input = Input(shape=(None,), dtype='int32', name='text')
        embedded_text = layers.Embedding(64, 10000)(text_input)  # expect: TL215
        encoded_text = layers.LSTM(32)(embedded_text)
        question_input = Input(shape=(None,), dtype='int32', name='question')
        embedded_question = layers.Embedding(10000, 32)(question_input)
        encoded_question = layers.LSTM(16)(embedded_question)
        concatenated = layers.concatenate([encoded_text, encoded_question], axis=-1)
        answer = layers.Dense(500, activation='softmax')(concatenated)
        model = Model([text_input, question_input], answer)
        model.compile(optimizer='rmsprop', loss='categorical_crossentropy')
        text = np.random.randint(1, 10000, size=(1000, 100))
        question = np.random.randint(1, 10000, size=(1000, 100))
        model.fit([text, question], np.zeros((1000, 500)), epochs=10)
    """,
    "keras3-sequential-vocabulary-too-small": """
        import numpy as np
        import keras

        ids = np.random.randint(0, 20000, size=(256, 50))
        model = keras.Sequential([keras.Input((50,)), keras.layers.Embedding(5000, 16),  # expect: TL215
                                  keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(ids, np.random.randint(0, 2, size=(256,)))
    """,
    "tf-keras-add-literal-ids": """
        import numpy as np
        import tensorflow as tf

        x = np.array([[1, 5, 120], [3, 7, 9], [4, 4, 99]])
        model = tf.keras.Sequential()
        model.add(tf.keras.layers.Embedding(100, 8))  # expect: TL215
        model.add(tf.keras.layers.Flatten())
        model.add(tf.keras.layers.Dense(1))
        model.compile(optimizer="adam", loss="mse")
        model.predict(x)
    """,
    "torch-embedding-on-literal-ids": """
        import torch
        import torch.nn as nn

        emb = nn.Embedding(10, 4)  # expect: TL215
        tokens = torch.tensor([[0, 3, 10], [2, 2, 1]])
        vectors = emb(tokens)
    """,
    # -- silent ----------------------------------------------------------------------------
    "table-as-large-as-the-ids": """
        import numpy as np
        import keras

        ids = np.random.randint(1, 10000, size=(256, 50))
        model = keras.Sequential([keras.Input((50,)), keras.layers.Embedding(10000, 16), keras.layers.Flatten(), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ids, np.random.rand(256))
    """,
    "few-draws-or-unknown-ids": """
        import numpy as np
        import torch
        import keras

        emb = torch.nn.Embedding(90, 8)
        out = emb(torch.tensor(np.random.randint(0, 100, size=(3,))))
        ids = np.load("ids.npy")
        model = keras.Sequential([keras.layers.Embedding(100, 8), keras.layers.Flatten(), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ids, np.random.rand(len(ids)))
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_embedding_index_range_written_several_ways(name):
    marked, found = marked_and_found("TL215", name, CASES[name])
    assert found == marked


def test_message_names_the_table_the_ids_and_the_swap():
    f = only_finding("TL215", CASES["keras2-functional-arguments-swapped"], Config())
    assert "Embedding has 64 rows (input_dim=64)" in f.message and "`text` (line 15) holds ids up to 9998" in f.message
    assert "look swapped" in f.message


def test_randint_witness_is_certain_to_one_in_a_million():
    # 50 draws of 0..9: all below 7 with probability 0.7 ** 50 < 1e-6, all above 2 likewise
    assert uniform_int_span(0, 10, (50,), "s") == (2, 7, "s")
    # 3 draws of 0..99 prove nothing beyond the bounds
    assert uniform_int_span(0, 100, (3,), "s") is None
    assert uniform_int_span(1, 10000, (1000, 100), "s")[:2] == (2, 9998)
