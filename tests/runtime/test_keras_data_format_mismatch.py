"""Keras: a layer of one data_format that reads what a layer of the other made (a channels_first
convolution, then a pooling of the default channels_last) is said at the reading layer's line,
followed through the layers that keep the axes (normalization, activation, dropout); the static
TL218 at that line is confirmed. The same layers given the same format, all channels_last, and an
explicit Permute between the two formats say nothing."""
from __future__ import annotations

import pytest

SEQUENTIAL = """\
import numpy as np
from keras import Sequential
from keras.layers import Conv2D, MaxPooling2D, BatchNormalization, Activation, Dropout, Flatten, Dense, Permute

model = Sequential()
model.add(Conv2D(8, (3, 3), input_shape=(1, 12, 12), data_format='channels_first', padding='same'))
model.add(BatchNormalization(axis=1))
model.add(Activation('relu'))
model.add(Dropout(0.25))
BETWEEN
model.add(MaxPooling2D(pool_size=(2, 2)POOL_FORMAT))
AFTER
model.add(Flatten())
model.add(Dense(3, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
x = np.random.rand(16, 1, 12, 12).astype('float32')
y = np.eye(3)[np.random.randint(0, 3, 16)]
model.fit(x, y, epochs=1, batch_size=8)
"""

FUNCTIONAL = """\
import numpy as np
import tensorflow as tf

inputs = tf.keras.Input(shape=(3, 16, 16))
h = tf.keras.layers.Conv2D(8, 3, padding='same', data_format='channels_first', activation='relu')(inputs)
h = tf.keras.layers.GlobalAveragePooling2D(POOL_FORMAT)(h)
outputs = tf.keras.layers.Dense(2)(h)
model = tf.keras.Model(inputs, outputs)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
x = np.random.rand(4, 3, 16, 16).astype('float32')
y = np.array([0, 1, 0, 1])
with tf.GradientTape() as tape:
    loss = loss_fn(y, model(x))
grads = tape.gradient(loss, model.trainable_variables)
"""


def line_of(text: str, code: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip() == code)


def mismatches(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if "reads its input as channels" in d.message}


def test_a_default_pooling_after_a_channels_first_block_is_said_and_confirms_tl218(tf_python, text_check):
    after = "model.add(Conv2D(4, (3, 3), data_format='channels_first', padding='same'))"
    text = SEQUENTIAL.replace("BETWEEN\n", "").replace("POOL_FORMAT", "").replace("AFTER", after)
    report = text_check(text)
    found = mismatches(report)
    at = line_of(text, "model.add(MaxPooling2D(pool_size=(2, 2)))")
    # the channels_first convolution after it reads the axes in their order: not blamed
    assert list(found) == [at], [(d.line, d.message) for d in report.diagnostics()]
    assert "reads its input as channels_last, but the Conv2D layer" in found[at]
    assert f"(line {line_of(text, 'model.add(Dropout(0.25))') - 3}) made it channels_first" in found[at]
    assert "[8, 8, 12, 12] → [8, 4, 6, 12]" in found[at]
    assert [v.verdict for v in report.findings if v.code == "TL218"] == ["confirmed"]


def test_a_functional_global_pooling_after_a_channels_first_conv_is_said(tf_python, text_check):
    text = FUNCTIONAL.replace("POOL_FORMAT", "")
    found = mismatches(text_check(text))
    assert list(found) == [line_of(text, "h = tf.keras.layers.GlobalAveragePooling2D()(h)")], found


@pytest.mark.parametrize("between, pool_format, after", [
    ("", ", data_format='channels_first'", "model.add(Conv2D(4, (3, 3), data_format='channels_first', padding='same'))"),
    ("model.add(Permute((2, 3, 1)))\n", "", "model.add(Conv2D(4, (3, 3), padding='same'))"),
])
def test_the_same_format_or_an_explicit_permute_say_nothing(tf_python, text_check, between, pool_format, after):
    report = text_check(SEQUENTIAL.replace("BETWEEN\n", between).replace("POOL_FORMAT", pool_format).replace("AFTER", after))
    assert report.status == "ok", (report.status, report.message)


def test_a_functional_look_alike_in_one_format_says_nothing(tf_python, text_check):
    report = text_check(FUNCTIONAL.replace("POOL_FORMAT", "data_format='channels_first'"))
    assert not mismatches(report) and report.status == "ok", (report.status, report.message)
