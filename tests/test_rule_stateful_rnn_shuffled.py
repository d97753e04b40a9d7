"""TL440 stateful-rnn-shuffled on the bug written the ways people write it (Keras 3 with
`Input(batch_shape=...)`, legacy Keras 2 `batch_input_shape` with `shuffle=True`, tf.keras on a
shuffled tf.data pipeline of pairs or of one tensor, a model built by a function) and on correct look-alikes:
`shuffle=False`, a stateless layer, unshuffled pipelines, a shuffle flag the program does not
fix, data from a generator. Each case marks its expected findings with `# expect: TL440`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras3-default-shuffle": """
        import numpy as np
        import keras

        x = np.random.rand(640, 1, 1)
        y = np.random.rand(640, 1)
        model = keras.Sequential([
            keras.Input(batch_shape=(32, 1, 1)),
            keras.layers.LSTM(16, stateful=True),  # expect: TL440
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        for epoch in range(10):
            model.fit(x, y, batch_size=32, epochs=1)
            model.reset_states()
    """,
    "legacy-keras-explicit-shuffle": """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import LSTM, Dense

        cos = np.cos(np.arange(50000) / 100.0).reshape(-1, 1, 1)
        target = np.zeros((50000, 1))
        model = Sequential()
        model.add(LSTM(50, batch_input_shape=(25, 1, 1), return_sequences=True, stateful=True))  # expect: TL440
        model.add(LSTM(50, stateful=True))
        model.add(Dense(1))
        model.compile(loss="mse", optimizer="rmsprop")
        model.fit(cos, target, batch_size=25, nb_epoch=1, shuffle=True)
    """,
    "tf-keras-shuffled-pipeline": """
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(1024, 20, 4).astype("float32")
        y = np.random.rand(1024, 1).astype("float32")
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        ds = ds.shuffle(1000).batch(64, drop_remainder=True).prefetch(1)
        model = tf.keras.Sequential([
            tf.keras.Input(batch_shape=(64, 20, 4)),
            tf.keras.layers.GRU(32, stateful=True),  # expect: TL440
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=3)
    """,
    "model-built-by-a-function": """
        import numpy as np
        import tensorflow as tf

        def build(batch_size):
            return tf.keras.Sequential([
                tf.keras.Input(batch_shape=(batch_size, 5, 2)),
                tf.keras.layers.SimpleRNN(8, stateful=True),  # expect: TL440
                tf.keras.layers.Dense(1),
            ])

        model = build(16)
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.random.rand(320, 5, 2), np.random.rand(320, 1), batch_size=16)
    """,
    "text-pipeline-from-one-tensor": """
        import numpy as np
        import tensorflow as tf

        text_as_int = np.random.randint(0, 65, size=100000)

        def split_input_target(chunk):
            return chunk[:-1], chunk[1:]

        chars = tf.data.Dataset.from_tensor_slices(text_as_int)
        sequences = chars.batch(101, drop_remainder=True)
        dataset = sequences.map(split_input_target)
        dataset = dataset.shuffle(10000).batch(64, drop_remainder=True)
        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(65, 256, batch_input_shape=[64, None]),
            tf.keras.layers.GRU(1024, return_sequences=True, stateful=True),  # expect: TL440
            tf.keras.layers.Dense(65),
        ])
        model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(dataset, epochs=10)
    """,
    # -- silent ----------------------------------------------------------------------------
    "shuffle-false-and-unshuffled-pipeline": """
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(1024, 20, 4).astype("float32")
        y = np.random.rand(1024, 1).astype("float32")
        model = tf.keras.Sequential([tf.keras.Input(batch_shape=(64, 20, 4)), tf.keras.layers.LSTM(8, stateful=True),
                                     tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=64, shuffle=False)
        model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(64, drop_remainder=True))
    """,
    "text-pipeline-in-order": """
        import numpy as np
        import tensorflow as tf

        text_as_int = np.random.randint(0, 65, size=100000)
        sequences = tf.data.Dataset.from_tensor_slices(text_as_int).batch(101, drop_remainder=True)
        dataset = sequences.map(lambda chunk: (chunk[:-1], chunk[1:])).batch(64, drop_remainder=True)
        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(65, 256, batch_input_shape=[64, None]),
            tf.keras.layers.GRU(1024, return_sequences=True, stateful=True),
            tf.keras.layers.Dense(65),
        ])
        model.fit(dataset, epochs=10)
    """,
    "stateless-layer-shuffled": """
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((20, 4)), keras.layers.LSTM(8), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(100, 20, 4), np.random.rand(100, 1), shuffle=True)
    """,
    "flag-or-generator-the-program-does-not-fix": """
        import sys
        import numpy as np
        import keras

        def batches():
            while True:
                yield np.random.rand(32, 1, 1), np.random.rand(32, 1)

        model = keras.Sequential([keras.Input(batch_shape=(32, 1, 1)), keras.layers.LSTM(8, stateful=True), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(320, 1, 1), np.random.rand(320, 1), batch_size=32, shuffle=sys.argv[1] == "1")
        model.fit(batches(), steps_per_epoch=10)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_stateful_rnn_shuffled_written_several_ways(name):
    marked, found = marked_and_found("TL440", name, CASES[name])
    assert found == marked


def test_message_says_how_the_batches_are_shuffled():
    f = only_finding("TL440", CASES["tf-keras-shuffled-pipeline"], Config())
    assert "GRU(stateful=True)" in f.message and "tf.data pipeline it is trained on is shuffled" in f.message
    assert any(r.span.start.line == 7 for r in f.related), "the .shuffle() call is a related location"
    f = only_finding("TL440", CASES["keras3-default-shuffle"], Config())
    assert "fit() shuffles the arrays by default" in f.message
