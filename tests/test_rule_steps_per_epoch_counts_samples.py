"""TL321: a number of steps that counts the samples of the arrays `ImageDataGenerator.flow`
serves in batches. Written several ways (tf.keras and Keras 2, `fit` and `fit_generator`, the
flow inline or through a name, `len(x)` and `x.shape[0]`, a model built in a function or in a
module the analysis does not see, `validation_steps`, `evaluate`), with look-alikes that stay
silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def tl321(text: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(text).lstrip("\n"), "t.py", ALL).findings if f.code == "TL321")


PROGRAM = """
import numpy as np
{imports}
x = np.random.rand(640, 16, 16, 3).astype("float32")
y = np.random.rand(640, 10).astype("float32")
batch_size = 32
{model}
datagen = ImageDataGenerator(horizontal_flip=True)
{fit}
"""

TF_KERAS = "import tensorflow as tf\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator"
KERAS2 = "from keras.models import Sequential\nfrom keras.layers import Flatten, Dense\nfrom keras.preprocessing.image import ImageDataGenerator"
PROJECT = "from models import build_resnet\nfrom keras.preprocessing.image import ImageDataGenerator"

MODELS = {
    TF_KERAS: "model = tf.keras.Sequential([tf.keras.Input((16, 16, 3)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])\n"
              "model.compile(optimizer='adam', loss='mse')",
    KERAS2: "def build():\n    m = Sequential([Flatten(input_shape=(16, 16, 3)), Dense(10)])\n"
            "    m.compile(optimizer='adam', loss='mse')\n    return m\nmodel = build()",
    PROJECT: "model = build_resnet((16, 16, 3), 10)\nmodel.compile(optimizer='adam', loss='mse')",
}


@pytest.mark.parametrize("imports", [TF_KERAS, KERAS2, PROJECT])
@pytest.mark.parametrize("fit", [
    "model.fit(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=len(x), epochs=3)",
    "model.fit(datagen.flow(x, y, batch_size=32), steps_per_epoch=x.shape[0], epochs=3)",
    "model.fit(datagen.flow(x, y), steps_per_epoch=len(x), epochs=3)",  # the default batch of 32
    "model.fit_generator(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=x.shape[0], epochs=3)",
    "model.fit_generator(datagen.flow(x, y, batch_size=batch_size), len(x), epochs=3)",
    "train = datagen.flow(x, y, batch_size=batch_size)\nmodel.fit(train, steps_per_epoch=len(x), epochs=3)",
    "steps = len(x)\nmodel.fit(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=steps, epochs=3)",
])
def test_steps_that_count_samples(imports, fit):
    text = PROGRAM.format(imports=imports, model=MODELS[imports], fit=fit)
    assert len(tl321(text)) == 1


@pytest.mark.parametrize("imports", [TF_KERAS, KERAS2, PROJECT])
@pytest.mark.parametrize("fit", [
    "model.fit(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=len(x) // batch_size, epochs=3)",
    "model.fit(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=int(np.ceil(len(x) / batch_size)))",
    "model.fit(datagen.flow(x, y, batch_size=batch_size), epochs=3)",
    "model.fit(datagen.flow(x, y, batch_size=1), steps_per_epoch=len(x), epochs=3)",  # a batch is a sample
    "model.fit(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=len(y_other), epochs=3)",
    "model.fit(x, y, batch_size=batch_size, steps_per_epoch=len(x), epochs=3)",  # no generator: not this rule
    "model.fit(datagen.flow(x[:64], y[:64], batch_size=batch_size), steps_per_epoch=len(x), epochs=3)",
])
def test_steps_counted_in_batches_or_elsewhere_are_silent(imports, fit):
    text = PROGRAM.format(imports=imports, model=MODELS[imports], fit=fit).replace("y_other", "np.zeros(20)")
    assert tl321(text) == []


def test_validation_and_evaluation_steps():
    text = PROGRAM.format(imports=TF_KERAS, model=MODELS[TF_KERAS], fit=(
        "xv, yv = x[:64], y[:64]\n"
        "model.fit(datagen.flow(x, y, batch_size=batch_size), steps_per_epoch=len(x) // batch_size,\n"
        "          validation_data=datagen.flow(xv, yv, batch_size=16), validation_steps=len(xv))\n"
        "model.evaluate(datagen.flow(xv, yv, batch_size=16), steps=xv.shape[0])\n"
        "model.evaluate(datagen.flow(xv, yv, batch_size=16), steps=len(xv) // 16)\n"))
    assert tl321(text) == [12, 13]


def test_a_fit_inside_a_training_function():
    text = """
    import numpy as np
    from tensorflow import keras
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    def train(model, images, labels, batch=64):
        gen = ImageDataGenerator(rotation_range=10).flow(images, labels, batch_size=batch)
        return model.fit(gen, steps_per_epoch=images.shape[0], epochs=10)
    """
    # the batch is a parameter: its default is not what every caller passes
    assert tl321(text) == []
    assert tl321(text.replace("batch=64", "").replace("batch_size=batch", "batch_size=64")) == [7]


def test_edits_to_the_batch_size_or_the_steps_give_what_a_whole_file_analysis_gives():
    from tensorlint.incremental import IncrementalAnalysis

    def key(result):
        return sorted((f.code, f.span.start.line, f.message) for f in result.findings)

    base = textwrap.dedent(PROGRAM.format(imports=PROJECT, model=MODELS[PROJECT], fit=(
        "train = datagen.flow(x, y, batch_size=batch_size)\n"
        "model.fit(train, steps_per_epoch=len(x), epochs=3)"))).lstrip()
    inc = IncrementalAnalysis()
    for text in (base, base.replace("batch_size = 32", "batch_size = 1"), base,
                 base.replace("steps_per_epoch=len(x)", "steps_per_epoch=len(x) // 32"), base):
        got = inc.analyze(text, "m.py", ALL)
        assert key(got) == key(analyze(text, "m.py", ALL))
    assert [f.code for f in got.findings if f.code == "TL321"] == ["TL321"]
