"""`probs = model.predict(x_test)` binds what the program gets: the check runs the model on the
first batch, then, where that is cheap, the model's own `predict` on every sample, so the code
after it (`probs.argmax(axis=1)`, a confusion matrix against the test labels) runs on NumPy
predictions of the right count instead of stopping at a name the replay did not bind ("could not
check"). A `predict` on an input the check made up binds that batch's output, marked made up."""
from __future__ import annotations

import pytest

PROGRAM = """\
import numpy as np
{keras_import}


def confusion(y_true, y_pred, classes):
    hits = np.equal(y_true, y_pred)  # a count of predictions other than the labels' fails here
    table = np.zeros((classes, classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        table[t, p] += 1
    return table, hits.mean()


x_train = np.random.rand(256, 20).astype("float32")
y_train = np.random.randint(0, 3, size=256)
x_test = np.random.rand(100, 20).astype("float32")
y_test = np.random.randint(0, 3, size=100)
{model}
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, verbose=0)
{predict}
preds = probs.argmax(axis=1)
table, accuracy = confusion(y_test, preds, 3)
print(table, accuracy)
"""

SEQUENTIAL = "model = keras.Sequential([keras.layers.Dense(16, activation='relu'), keras.layers.Dense(3, activation='softmax')])"
FUNCTIONAL = """\
inputs = keras.Input(shape=(20,))
hidden = keras.layers.Dense(16, activation="relu")(inputs)
model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))"""

WAYS = [
    ("from tensorflow import keras", SEQUENTIAL, "probs = model.predict(x_test)"),
    ("import keras", FUNCTIONAL, "probs = model.predict(x_test, batch_size=64, verbose=1)"),
    ("from tensorflow import keras", FUNCTIONAL, "probs = model.predict(x=x_test)"),
]


@pytest.mark.parametrize("keras_import,model,predict", WAYS)
def test_the_predictions_reach_the_code_after_predict(tf_python, text_check, keras_import, model, predict):
    report = text_check(PROGRAM.format(keras_import=keras_import, model=model, predict=predict))
    assert report.status == "ok", (report.status, report.message)
    assert not [d for d in report.diagnostics() if d.severity == "error"]

