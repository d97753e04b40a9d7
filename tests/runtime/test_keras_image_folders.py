"""Keras's `image_dataset_from_directory` over a folder that is not here: the call fixes the images'
size and channels, so they are made up, in two runs with other image counts, classes and values.
An error both runs raise alike is the program's; one that depends on the made-up class count is
not; a run that finds nothing is "could not check", never "ok"."""
from __future__ import annotations

PROGRAM = """\
import tensorflow as tf
from tensorflow import keras

train_ds = keras.utils.image_dataset_from_directory(
    "/data/not-here/flowers", validation_split=0.2, subset="training", seed=123,
    image_size=(64, 64), batch_size=16)
class_names = train_ds.class_names
model = keras.Sequential([
    keras.layers.Rescaling(1.0 / 255, input_shape=({side}, {side}, 3)),
    keras.layers.Conv2D(8, 3, activation="relu"),
    keras.layers.Flatten(),
    keras.layers.Dense(len(class_names)),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds, epochs=1)
"""
FIT = 15

# the classes come from the folder, which is not here: a model of five outputs against one-hot
# targets of the made-up class count fails with two classes as with three, but differently
CATEGORICAL = """\
import tensorflow as tf
from keras.utils import image_dataset_from_directory

train_ds = image_dataset_from_directory("/data/not-here/flowers", image_size=(48, 48), batch_size=8,
                                        label_mode="categorical")
model = tf.keras.Sequential([
    tf.keras.layers.Input((48, 48, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train_ds, epochs=1)
"""


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def test_images_of_the_size_the_model_takes_run_but_are_not_ok(tf_python, text_check):
    report = text_check(PROGRAM.format(side=64))
    assert report.status == "could-not-check", report.message
    assert not errors(report), [(d.line, d.message) for d in report.diagnostics()]
    assert report.call(FIT)["status"] == "ok"
    assert any("were made up of the size the program fixes" in gap for gap in report.data_gaps), report.data_gaps


def test_a_model_declared_for_other_images_fails_at_its_fit(tf_python, text_check):
    report = text_check(PROGRAM.format(side=32))
    assert report.status == "errors", report.message
    assert [d.line for d in errors(report)] == [FIT], [(d.line, d.message) for d in report.diagnostics()]


def test_an_error_of_the_made_up_class_count_is_not_the_programs(tf_python, text_check):
    report = text_check(CATEGORICAL)
    assert report.status == "could-not-check", report.message
    assert not errors(report), [(d.line, d.message) for d in report.diagnostics()]
    assert "depends on the images the check made up" in report.message, report.message
