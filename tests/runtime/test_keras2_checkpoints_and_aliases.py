"""Keras 2 programs Keras 3 refused around their model, so the check never reached it:

- `optimizers.rmsprop(lr=1e-3)` / `from keras.optimizers import adam`: Keras 2's lower-case
  optimizer functions, run as the classes Keras 3 has;
- `K.image_dim_ordering() == 'th'` (Keras 1 and early 2), read from Keras 3's image data format;
- `ModelCheckpoint('model.best.hdf5')`: Keras 3 takes only `.keras` (or `.weights.h5` for weights)
  names; and the `load_weights` of that checkpoint after `fit`, which the check's one batch never
  writes, keeps the model's weights. A `load_weights` of any other missing file still stops the
  check (a data file the program needs).
"""
from __future__ import annotations

import pytest

PROGRAM = """\
import numpy as np
{imports}
from keras.callbacks import ModelCheckpoint

if K.image_dim_ordering() == 'th':
    shape = (1, 8, 8)
else:
    shape = (8, 8, 1)
x_train = np.random.rand(64, *shape).astype('float32')
y_train = np.eye(4)[np.random.randint(0, 4, 64)]
x_test = np.random.rand(16, *shape).astype('float32')
y_test = np.eye(4)[np.random.randint(0, 4, 16)]
model = Sequential([Flatten(input_shape=shape), Dense(16, activation='relu'), Dense(4, activation='softmax')])
model.compile(loss='categorical_crossentropy', optimizer={optimizer}, metrics=['accuracy'])
checkpointer = ModelCheckpoint(filepath='{saved}', {weights}verbose=1, save_best_only=True)
model.fit(x_train, y_train, batch_size=32, epochs=2, validation_split=0.25, callbacks=[checkpointer])
model.load_weights('{loaded}')
score = model.evaluate(x_test, y_test, verbose=0)
"""

WAYS = [
    dict(imports="from keras import backend as K, optimizers\nfrom keras.models import Sequential\n"
                 "from keras.layers import Dense, Flatten",
         optimizer="optimizers.rmsprop(lr=0.001, decay=1e-6)", saved="model.best.hdf5", weights=""),
    dict(imports="import keras.backend as K\nfrom keras.optimizers import adam\nfrom keras.models import Sequential\n"
                 "from keras.layers import Dense, Flatten",
         optimizer="adam(lr=0.01)", saved="weights.best.hdf5", weights="save_weights_only=True, "),
]


@pytest.mark.parametrize("way", WAYS, ids=["rmsprop-model", "adam-weights"])
def test_a_keras2_program_reaches_its_model(tf_python, text_check, way):
    program = PROGRAM.format(loaded=way["saved"], **way)
    report = text_check(program)
    assert report.status == "ok", (report.status, report.message)
    text = report.to_text()
    assert "Keras 2" in text and "kept its weights" in text, text
    lines = {i for i, line in enumerate(program.splitlines(), 1) if line.startswith(("model.fit", "score ="))}
    assert {c["line"] for c in report.calls if c.get("status") == "ok"} >= lines, report.calls


def test_a_missing_file_the_program_does_not_write_still_stops_it(tf_python, text_check):
    way = WAYS[0]
    report = text_check(PROGRAM.format(loaded="pretrained.hdf5", **way))
    assert report.status == "could-not-check", (report.status, report.message)
    assert "pretrained.hdf5" in report.message
