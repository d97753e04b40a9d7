"""TL312 accuracy-threshold-on-logits on the bug written the ways people write it (Keras 3,
tf.keras, legacy Keras 2 paths; Sequential and functional models; 'accuracy', 'acc',
'binary_accuracy', the binary_accuracy function and a BinaryAccuracy object) and on correct
look-alikes: a threshold of 0, a sigmoid output, several logits (Keras picks categorical accuracy
for 'accuracy'), a categorical loss, an unknown unit count. Each case marks its expected findings
with `# expect: TL312`; every other line must stay silent."""
from __future__ import annotations

import pytest

from tensorlint.config import Config

from corpus_support import marked_and_found, only_finding

CASES = {
    "keras3-sequential-accuracy-string": """
        import keras
        model = keras.Sequential([
            keras.Input((20,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=["accuracy"])  # expect: TL312
    """,
    "tf-keras-functional-binary-accuracy-object": """
        import tensorflow as tf
        inputs = tf.keras.Input(shape=(160, 160, 3))
        x = tf.keras.layers.GlobalAveragePooling2D()(inputs)
        x = tf.keras.layers.Dropout(0.2)(x)
        outputs = tf.keras.layers.Dense(1)(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-4),
                      loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[tf.keras.metrics.AUC(), tf.keras.metrics.BinaryAccuracy()])  # expect: TL312
    """,
    "from-imports-multilabel-binary-accuracy-name": """
        from tensorflow.keras.layers import Dense, Input
        from tensorflow.keras.losses import BinaryCrossentropy
        from tensorflow.keras.models import Sequential
        model = Sequential()
        model.add(Input(shape=(30,)))
        model.add(Dense(64, activation="relu"))
        model.add(Dense(5))
        model.compile("rmsprop", loss=BinaryCrossentropy(from_logits=True), metrics=["binary_accuracy"])  # expect: TL312
    """,
    "legacy-keras-acc-single-metric": """
        from keras.models import Sequential
        from keras.layers.core import Dense, Activation
        from keras import losses
        model = Sequential()
        model.add(Dense(32, input_dim=8))
        model.add(Activation("relu"))
        model.add(Dense(1))
        model.add(Activation("linear"))
        model.compile(loss=losses.BinaryCrossentropy(True), optimizer="sgd", metrics="acc")  # expect: TL312
    """,
    "binary-accuracy-function-and-explicit-half": """
        import tensorflow as tf
        from tensorflow import keras
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[tf.keras.metrics.binary_accuracy])  # expect: TL312
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryAccuracy(threshold=0.5)])  # expect: TL312
    """,
    # -- silent ----------------------------------------------------------------------------
    "threshold-zero": """
        import keras
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryAccuracy(threshold=0.0), keras.metrics.BinaryAccuracy(name="acc", threshold=0)])
    """,
    "sigmoid-output-probabilities": """
        import keras
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "binary_accuracy"])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(), metrics=["accuracy"])
    """,
    "several-logits-accuracy-is-categorical": """
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(3)])
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
        model.compile(optimizer="adam", loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["acc"])
    """,
    "unknown-unit-count-or-flag": """
        import sys
        import tensorflow as tf
        n = int(sys.argv[1])
        logits_flag = sys.argv[2] == "1"
        model = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(n)])
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
        other = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(1)])
        other.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=logits_flag), metrics=["accuracy"])
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_accuracy_on_logits_written_several_ways(name):
    marked, found = marked_and_found("TL312", name, CASES[name])
    assert found == marked


def test_message_names_the_metric_and_points_at_the_loss():
    f = only_finding("TL312", CASES["keras3-sequential-accuracy-string"])
    assert "'accuracy' on a one-unit output is binary accuracy" in f.message
    assert "BinaryAccuracy(threshold=0.0)" in f.message
    assert any(r.span.start.line == 8 for r in f.related), "the loss with from_logits=True is a related location"


def test_on_by_default():
    assert only_finding("TL312", CASES["keras3-sequential-accuracy-string"], Config()).code == "TL312"
