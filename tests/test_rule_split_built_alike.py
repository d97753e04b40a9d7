"""TL428 split-built-like-another on the bug written the ways people write it (a tf.data helper
called twice alike, `tfds.load` with the same split, arrays sliced alike, a validation set that is
transformed in the same steps as the training set, a test set built like the validation set, the
same inside a training function, a test set built like the validation set and given to `predict`
while the validation set reaches `fit` through a helper that maps and prefetches it, a set reached
through `.map(...).batch(...)` or rebound by a step given a lambda, Keras 3 and tf.keras) and on
correct look-alikes: `predict` on a copy of the training data or on the validation set batched
anew, a helper that takes or skips examples, other files or
slices, a name the expression reads rebound in between, draws of random data or of an iterator,
a helper that samples at random, a set rebound after it was built, the same name in both roles,
`predict` on a grid. Each case marks its expected findings with `# expect: TL428`."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

_MODEL_TF = """
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
"""
_MODEL_K3 = """
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
"""
_MAKE_DATASET = """
        def make_dataset(paths, batch_size=32, shuffle_buffer_size=None):
            dataset = tf.data.TFRecordDataset(paths)
            if shuffle_buffer_size:
                dataset = dataset.shuffle(shuffle_buffer_size)
            return dataset.batch(batch_size)
"""

CASES = {
    "tf-data-helper-called-alike": _MODEL_TF + """
        def csv_dataset(paths, batch_size=32, shuffle=False):
            ds = tf.data.experimental.make_csv_dataset(paths, batch_size, label_name="y")
            return ds.shuffle(1000) if shuffle else ds

        train_files = ["train_0.csv", "train_1.csv"]
        valid_files = ["valid_0.csv"]
        train_set = csv_dataset(train_files, shuffle=True)
        valid_set = csv_dataset(valid_files)
        test_set = csv_dataset(valid_files)  # expect: TL428
        model.fit(train_set, validation_data=valid_set, epochs=5)
        model.evaluate(test_set)
    """,
    "tfds-same-split": """
        import tensorflow as tf
        import tensorflow_datasets as tfds

        train_ds = tfds.load("imdb_reviews", split="train", as_supervised=True)
        val_ds = tfds.load(  # expect: TL428
            "imdb_reviews",
            split="train",
            as_supervised=True)
        encoder = tf.keras.layers.TextVectorization(max_tokens=1000)
        train_ds = train_ds.batch(64).prefetch(1)
        val_ds = val_ds.batch(64).prefetch(1)
        model = tf.keras.Sequential([encoder, tf.keras.layers.Embedding(1000, 16),
                                     tf.keras.layers.GlobalAveragePooling1D(), tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        history = model.fit(train_ds, validation_data=val_ds, epochs=3)
    """,
    "arrays-sliced-alike-keras3": _MODEL_K3 + """
        data = np.load("features.npy")
        labels = np.load("labels.npy")
        x_train = data[:8000]
        y_train = labels[:8000]
        x_valid = data[:8000]  # expect: TL428
        y_valid = labels[8000:]
        model.fit(x_train, y_train, epochs=10, validation_data=(x_valid, y_valid))
    """,
    "valid-as-keyword-tuple-and-x-keyword": _MODEL_K3 + """
        frame = np.loadtxt("table.csv", delimiter=",")
        inputs, valid_inputs = frame[:, :8], frame[:, :8]  # a tuple binding: not compared
        train_x = frame[:900, :8]
        val_x = frame[:900, :8]  # expect: TL428
        model.fit(x=train_x, y=frame[:900, 8], validation_data=[val_x, frame[900:, 8]])
    """,
    "same-steps-after-a-copied-source": _MODEL_TF + """
        def scale(ds):
            return ds.map(lambda x, y: (x / 255.0, y))

        raw_train = tf.data.Dataset.load("shards/train")
        raw_valid = tf.data.Dataset.load("shards/train")  # expect: TL428
        train = scale(raw_train).batch(32)
        valid = scale(raw_valid).batch(32)
        model.fit(train, validation_data=valid)
    """,
    "inside-a-training-function": _MODEL_TF + """
        def run(model, folder):
            train_ds = tf.keras.utils.image_dataset_from_directory(folder, subset="training", seed=1,
                                                                   validation_split=0.2)
            valid_ds = tf.keras.utils.image_dataset_from_directory(folder, subset="training", seed=1,  # expect: TL428
                                                                   validation_split=0.2)
            model.fit(train_ds, validation_data=valid_ds, epochs=2)

        run(model, "images/")
    """,
    "differs-only-in-shuffling-and-batching": _MODEL_TF + """
        def tfrecord_dataset(paths, shuffle_buffer=None, batch_size=32, cache=True, threads=4):
            ds = tf.data.TFRecordDataset(paths, num_parallel_reads=threads)
            if cache:
                ds = ds.cache()
            if shuffle_buffer:
                ds = ds.shuffle(shuffle_buffer)
            return ds.batch(batch_size).prefetch(1)

        train_paths, valid_paths = ["a.tfrecord"], ["b.tfrecord"]
        train_set = tfrecord_dataset(train_paths, shuffle_buffer=10000, batch_size=64, threads=8)
        valid_set = tfrecord_dataset(train_paths, cache=False)  # expect: TL428
        model.fit(train_set, validation_data=valid_set)
    """,
    "test-set-like-validation-set-reached-through-a-helper": _MODEL_TF + _MAKE_DATASET + """

        def crop(dataset, max_length=100):
            \"\"\"Keep the first steps of each sequence.\"\"\"
            dataset = dataset.map(lambda x, y: (x[:, :max_length], y))
            return dataset.prefetch(1)

        eval_files = ["eval_0.tfrecord", "eval_1.tfrecord", "eval_2.tfrecord"]
        train_set = make_dataset(["train.tfrecord"], shuffle_buffer_size=1000)
        valid_set = make_dataset(eval_files[:2])
        test_set = make_dataset(eval_files[:2])  # expect: TL428
        model.fit(crop(train_set), epochs=2, validation_data=crop(valid_set))
        probabilities = model.predict(test_set)
    """,
    "evaluated-set-like-validation-set-reached-through-map-keras3": _MODEL_K3 + """
        import tensorflow as tf

        valid_ds = tf.data.Dataset.load("shards/valid")
        test_ds = tf.data.Dataset.load("shards/valid")  # expect: TL428
        valid_batches = valid_ds.map(lambda x, y: (x / 255.0, y)).batch(64)
        model.fit(tf.data.Dataset.load("shards/train").batch(64), validation_data=valid_batches)
        model.evaluate(test_ds.batch(64))
        model.evaluate(test_ds)
    """,
    "validation-set-rebound-through-a-lambda-step": _MODEL_TF + """
        train_ds = tf.keras.utils.text_dataset_from_directory("reviews/train", batch_size=32)
        val_ds = tf.keras.utils.text_dataset_from_directory("reviews/train", batch_size=32)  # expect: TL428
        val_ds = val_ds.map(lambda text, label: (tf.strings.lower(text), label))
        model.fit(train_ds, validation_data=val_ds, epochs=3)
    """,
    # -- silent ----------------------------------------------------------------------------
    "predict-on-copies-of-other-sets": _MODEL_TF + _MAKE_DATASET + """

        train_set = make_dataset(["train.tfrecord"])
        fit_set = make_dataset(["train.tfrecord"])
        valid_set = make_dataset(["valid.tfrecord"], shuffle_buffer_size=1000)
        valid_in_order = make_dataset(["valid.tfrecord"], batch_size=1)
        model.fit(train_set, validation_data=valid_set)
        fitted = model.predict(fit_set)
        confusion = model.predict(valid_in_order)
    """,
    "helper-that-selects-examples-between": _MODEL_TF + """
        def tail(dataset, n=1000):
            return dataset.skip(n).batch(32)

        def head(dataset, n=1000):
            dataset = dataset.take(n)
            return dataset.batch(32)

        full = tf.data.Dataset.load("shards/all")
        full_copy = tf.data.Dataset.load("shards/all")
        model.fit(head(full), validation_data=tail(full_copy))
        model.evaluate(full_copy.skip(1000))
    """,
    "keyword-that-selects-the-examples": _MODEL_TF + """
        def split_dataset(paths, part="train", shuffle_buffer=None):
            ds = tf.data.TFRecordDataset(paths)
            ds = ds.take(800) if part == "train" else ds.skip(800)
            if shuffle_buffer:
                ds = ds.shuffle(shuffle_buffer)
            return ds.batch(32)

        def windowed(paths, size=4, shuffle_buffer=None):
            ds = tf.data.TFRecordDataset(paths).batch(size)
            return ds.shuffle(shuffle_buffer).map(lambda w: w[: size - 1])

        paths = ["all.tfrecord"]
        train_set = split_dataset(paths, part="train", shuffle_buffer=1000)
        valid_set = split_dataset(paths, part="valid")
        model.fit(train_set, validation_data=valid_set)
        train_w = windowed(paths, size=8)
        valid_w = windowed(paths, size=4)
        model.fit(train_w, validation_data=valid_w)
    """,
    "other-files-and-slices": _MODEL_TF + """
        def csv_dataset(paths, shuffle=False):
            return tf.data.experimental.make_csv_dataset(paths, 32, label_name="y", shuffle=shuffle)

        train_set = csv_dataset(["train.csv"], shuffle=True)
        valid_set = csv_dataset(["valid.csv"])
        test_set = csv_dataset(["test.csv"])
        model.fit(train_set, validation_data=valid_set)
        model.evaluate(test_set)
        data = np.load("features.npy")
        x_train, x_valid = data[:8000], data[8000:]
        y = np.load("labels.npy")
        model.fit(data[:8000], y[:8000], validation_data=(data[8000:], y[8000:]))
    """,
    "subset-keyword-differs": _MODEL_TF + """
        train_ds = tf.keras.utils.image_dataset_from_directory("images/", subset="training", seed=1,
                                                               validation_split=0.2)
        valid_ds = tf.keras.utils.image_dataset_from_directory("images/", subset="validation", seed=1,
                                                               validation_split=0.2)
        model.fit(train_ds, validation_data=valid_ds, epochs=2)
    """,
    "name-read-rebound-in-between": _MODEL_K3 + """
        path = "train.npy"
        x_train = np.load(path)
        path = "valid.npy"
        x_valid = np.load(path)
        y = np.ones((100, 1))
        model.fit(x_train, y, validation_data=(x_valid, y))
    """,
    "source-changed-in-place-in-between": _MODEL_K3 + """
        rows = list(np.load("all.npy"))
        x_train = np.array(rows)
        rows.clear()
        rows.extend(np.load("extra.npy"))
        x_valid = np.array(rows)
        y = np.ones((100, 1))
        model.fit(x_train, y, validation_data=(x_valid, y))
    """,
    "random-draws-and-iterators": _MODEL_TF + """
        x_train = np.random.rand(100, 8)
        x_valid = np.random.rand(100, 8)
        y = np.ones((100, 1))
        model.fit(x_train, y, validation_data=(x_valid, y))
        batches = iter(tf.data.Dataset.from_tensor_slices(np.zeros((1000, 8))).batch(100))
        xb = next(batches)
        xv = next(batches)
        model.fit(xb, y, validation_data=(xv, y))
        g1 = tf.random.normal((100, 8))
        g2 = tf.random.normal((100, 8))
        model.fit(g1, y, validation_data=(g2, y))
    """,
    "helper-that-samples-at-random": _MODEL_TF + """
        def synthetic(n):
            return np.random.uniform(-1, 1, size=(n, 8))

        def noisy(n):
            return synthetic(n) + 0.1

        x_train = noisy(100)
        x_valid = noisy(100)
        y = np.ones((100, 1))
        model.fit(x_train, y, validation_data=(x_valid, y))
    """,
    "rebound-after-built-alike": _MODEL_K3 + """
        x_train = np.load("all.npy")
        x_valid = np.load("all.npy")
        x_train = x_train[:800]
        x_valid = x_valid[800:]
        y = np.ones((800, 1))
        model.fit(x_train, y, validation_data=(x_valid, y[:200]))
    """,
    "same-name-in-both-roles-and-predict": _MODEL_K3 + """
        x = np.load("all.npy")
        y = np.load("labels.npy")
        model.fit(x, y, validation_data=(x, y))
        grid = np.linspace(-1, 1, 100)
        x_plot = np.linspace(-1, 1, 100)
        model.predict(x_plot)
    """,
    "evaluate-of-something-not-trained-with-validation-data": _MODEL_K3 + """
        x_train = np.load("all.npy")
        x_check = np.load("all.npy")
        y = np.ones((100, 1))
        model.fit(x_train, y)
        metric.evaluate(x_check)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_split_built_alike_written_several_ways(name):
    marked, found = marked_and_found("TL428", name, CASES[name])
    assert found == marked


def test_message_names_both_sets_and_their_roles():
    f = only_finding("TL428", CASES["tf-data-helper-called-alike"], Config())
    assert "test_set is built exactly as valid_set" in f.message
    assert "evaluation data (test_set) are the validation data (valid_set)" in f.message
    assert {r.span.start.line for r in f.related} >= {14, 16, 17}


def test_message_reports_the_copied_source_of_transformed_sets():
    f = only_finding("TL428", CASES["same-steps-after-a-copied-source"], Config())
    assert "raw_valid (which valid is made from) is built exactly as raw_train" in f.message


def test_message_says_when_arguments_that_only_order_the_examples_differ():
    f = only_finding("TL428", CASES["differs-only-in-shuffling-and-batching"], Config())
    assert "valid_set is built the same way, up to arguments that only shuffle, batch or cache the examples, as " \
           "train_set" in f.message
