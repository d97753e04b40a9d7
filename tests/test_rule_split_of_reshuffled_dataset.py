"""TL504 split-of-reshuffled-dataset on the bug written the ways people write it (`list_files`
with its default shuffle, then a `shuffle(..., reshuffle_each_iteration=False)` that comes too
late; `shuffle(n)` on in-memory slices; the split inside a function; the parts bound in one
tuple assignment and mapped afterwards) and on correct look-alikes: `shuffle=False` by keyword or
position, `reshuffle_each_iteration=False`, a cache after the shuffle, a shuffle after the split,
a dataset given as a parameter. Each case marks its expected findings with `# expect: TL504`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

_MODEL = """
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
"""

CASES = {
    "list-files-default-shuffle": _MODEL + """
        image_count = 3670
        list_ds = tf.data.Dataset.list_files("flower_photos/*/*")  # expect: TL504
        list_ds = list_ds.shuffle(image_count, reshuffle_each_iteration=False)
        val_size = int(image_count * 0.2)
        train_ds = list_ds.skip(val_size)
        val_ds = list_ds.take(val_size)
        train_ds = train_ds.map(tf.io.read_file).batch(32)
        val_ds = val_ds.map(tf.io.read_file).batch(32)
        model.fit(train_ds, validation_data=val_ds, epochs=3)
    """,
    "in-memory-shuffle-tuple-split": _MODEL + """
        features = np.random.rand(1000, 8).astype("float32")
        targets = np.random.rand(1000, 1).astype("float32")
        full = tf.data.Dataset.from_tensor_slices((features, targets)).shuffle(buffer_size=1000)  # expect: TL504
        train, valid = full.skip(200), full.take(200)
        model.fit(train.batch(32), validation_data=valid.batch(32), epochs=5)
    """,
    "split-inside-a-function": _MODEL + """
        def make_splits(pattern, n_valid):
            files = tf.data.Dataset.list_files(pattern, seed=42)  # expect: TL504
            return files.skip(n_valid), files.take(n_valid)

        def train(pattern):
            files = tf.data.Dataset.list_files(pattern, shuffle=True)  # expect: TL504
            files = files.map(tf.io.read_file)
            valid = files.take(100)
            rest = files.skip(100)
            model.evaluate(valid.batch(8))
            model.fit(rest.batch(8), validation_data=valid.batch(8))
    """,
    # -- silent ----------------------------------------------------------------------------
    "shuffled-once": _MODEL + """
        files = tf.data.Dataset.list_files("data/*.csv", shuffle=False)
        files = files.shuffle(500, reshuffle_each_iteration=False)
        valid, train = files.take(100), files.skip(100)
        more = tf.data.Dataset.list_files("more/*.csv", False)
        more_valid, more_train = more.take(10), more.skip(10)
        model.fit(train.map(tf.io.read_file), validation_data=valid.map(tf.io.read_file))
    """,
    "cached-after-the-shuffle-or-shuffled-after-the-split": _MODEL + """
        ds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 8))).shuffle(100, seed=1).cache()
        train_a, valid_a = ds.skip(20), ds.take(20)
        plain = tf.data.Dataset.from_tensor_slices(np.zeros((100, 8)))
        train_b = plain.skip(20).shuffle(80)
        valid_b = plain.take(20)
        model.fit(train_b, validation_data=valid_b)
    """,
    "dataset-given-as-a-parameter": _MODEL + """
        def split(ds, n):
            ds = ds.map(lambda x: x * 2)
            return ds.skip(n), ds.take(n)

        def train(ds):
            train_part = ds.skip(10)
            valid_part = ds.take(10)
            model.fit(train_part, validation_data=valid_part)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_split_of_reshuffled_dataset_written_several_ways(name):
    marked, found = marked_and_found("TL504", name, CASES[name])
    assert found == marked


def test_message_names_the_shuffle_and_the_split():
    f = only_finding("TL504", CASES["list-files-default-shuffle"], Config())
    assert f.message.startswith("list_files() shuffles the file names anew on every pass")
    assert "take() (line 12) and skip() (line 11)" in f.message
    assert {r.span.start.line for r in f.related} == {11, 12}
