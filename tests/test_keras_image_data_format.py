"""Keras' global image data format (`frameworks.keras.data_format`): a program that sets it
(`K.set_image_dim_ordering('th')`, `keras.backend.set_image_data_format`, Keras 3's
`keras.config`, from any function) or reads it gives its spatial layers no known default
layout, so its correct channels-first models stay silent; inside `if K.image_data_format() ==
"channels_first":` (or `!=`, or the "th" spelling, or a name bound to the format) each branch is
read under the format it tests. A layer's own `data_format=`, `tf.layers` (channels_last
whatever Keras' default) and a file that leaves the format alone are checked as before. Each
case marks its expected findings with `# expect: CODE`; a correct one marks none, and no shape
finding (TL2xx) may appear in it. One module-level setter with a literal format, the program's
only one, run before any layer is built, fixes the format from there on; a setter under an `if`,
in a loop, a `try` or a function, one after a model, or two setters leave it unknown."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

from corpus_support import marked_and_found

CORRECT = {
    "keras2-dim-ordering-th-vgg": """
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
        from keras import backend as K
        K.set_image_dim_ordering('th')

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(3, 32, 32)))
        model.add(MaxPooling2D((2, 2)))
        model.add(Conv2D(64, (3, 3), activation='relu'))
        model.add(MaxPooling2D((2, 2)))
        model.add(Conv2D(64, (3, 3), activation='relu'))
        model.add(MaxPooling2D((2, 2)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
    """,
    "keras1-convolution2d-th": """
        from keras.models import Sequential
        from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense
        from keras import backend as K
        K.set_image_dim_ordering("th")
        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode="valid", input_shape=(1, 28, 28)))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Convolution2D(32, 3, 3))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(10, activation="softmax"))
    """,
    "tf-keras-functional-lenet": """
        import tensorflow as tf
        from tensorflow.keras import layers
        tf.keras.backend.set_image_data_format("channels_first")

        inp = tf.keras.Input(shape=(1, 28, 28))
        x = layers.Conv2D(20, 5, activation="relu")(inp)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(50, 5, activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Flatten()(x)
        out = layers.Dense(10, activation="softmax")(x)
        model = tf.keras.Model(inp, out)
    """,
    # the setter runs in a function written after the model (it may run first)
    "keras3-config-setter-in-a-function": """
        import keras
        from keras import layers

        def build():
            return keras.Sequential([
                keras.Input((3, 16, 16)),
                layers.ZeroPadding2D(1),
                layers.Cropping2D(((2, 2), (2, 2))),
                layers.Conv2D(8, 3),
                layers.UpSampling2D(2),
                layers.AveragePooling2D(2),
                layers.GlobalMaxPooling2D(),
                layers.Dense(4),
            ])

        def main():
            keras.config.set_image_data_format("channels_first")
            model = build()
            model.compile(loss="mse", optimizer="adam")
    """,
    # the mnist_cnn way: the input shape and the data follow the format, the model is built after
    "keras2-mnist-reads-the-format": """
        import numpy as np
        import keras
        from keras import backend as K
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

        x_train = np.random.rand(100, 28, 28)
        if K.image_data_format() == 'channels_first':
            x_train = x_train.reshape(x_train.shape[0], 1, 28, 28)
            input_shape = (1, 28, 28)
        else:
            x_train = x_train.reshape(x_train.shape[0], 28, 28, 1)
            input_shape = (28, 28, 1)
        y_train = keras.utils.to_categorical(np.random.randint(0, 10, 100), 10)
        model = keras.Sequential()
        model.add(Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=input_shape))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
        model.fit(x_train, y_train, batch_size=32, epochs=1)
    """,
    # each branch builds the model its format wants, the format read once into a name
    "keras3-model-per-branch": """
        import keras
        from keras import layers
        fmt = keras.config.image_data_format()
        if fmt != "channels_last":
            model = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(16, 5), layers.MaxPooling2D(2),
                                      layers.Conv2D(16, 5), layers.MaxPooling2D(2), layers.Conv2D(16, 5)])
        else:
            model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5), layers.MaxPooling2D(2),
                                      layers.Conv2D(16, 5), layers.MaxPooling2D(2), layers.Conv2D(16, 5)])
    """,
    "keras2-dim-ordering-branch-in-a-function": """
        from keras import backend as K
        from keras.layers import Input, Conv2D, MaxPooling2D, Flatten, Dense
        from keras.models import Model

        def net():
            if K.image_dim_ordering() == "th":
                inp = Input(shape=(3, 24, 24))
            else:
                inp = Input(shape=(24, 24, 3))
            x = Conv2D(8, (5, 5))(inp)
            x = MaxPooling2D((2, 2))(x)
            x = Flatten()(x)
            return Model(inp, Dense(2, activation="softmax")(x))
    """,
    # the branch itself changes the format it tested
    "keras2-branch-sets-the-format": """
        import keras
        from keras import backend as K
        from keras.layers import Conv2D
        if K.image_data_format() == "channels_last":
            K.set_image_data_format("channels_first")
            model = keras.Sequential([keras.Input((3, 32, 32)), Conv2D(16, 5)])
    """,
    # images the generator reads under the program's format, into a channels-first model
    "keras2-generator-under-setter": """
        import keras
        from keras.preprocessing.image import ImageDataGenerator
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
        keras.backend.set_image_data_format("channels_first")
        model = keras.Sequential([Conv2D(16, 3, input_shape=(3, 64, 64)), MaxPooling2D(2), Flatten(),
                                  Dense(2, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        train = ImageDataGenerator(rescale=1 / 255).flow_from_directory("data/train", target_size=(64, 64))
        model.fit(train, epochs=1)
    """,
}

# where the format is not fixed by one module-level setter run before the layers: the format
# stays unknown, so these channels-last inputs are not judged
UNFIXED = {
    "setter-under-an-if": """
        import sys
        import keras
        from keras import layers
        from keras import backend as K
        if sys.argv[1] == "th":
            K.set_image_data_format("channels_first")
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])
    """,
    "setter-after-a-model-is-built": """
        import keras
        from keras import layers
        from keras import backend as K
        first = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(16, 5)])
        K.set_image_data_format("channels_first")
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])
    """,
    "two-setters-disagree": """
        import tensorflow as tf
        from tensorflow.keras import layers
        tf.keras.backend.set_image_data_format("channels_first")
        tf.keras.backend.set_image_data_format("channels_last")
        model = tf.keras.Sequential([tf.keras.Input((3, 32, 32)), layers.Conv2D(16, 5)])
    """,
    "setter-in-a-function": """
        import keras
        from keras import layers

        def setup():
            keras.config.set_image_data_format("channels_first")

        setup()
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])
    """,
    "setter-in-a-loop-and-a-try": """
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Conv2D
        for ordering in ["th"]:
            K.set_image_dim_ordering(ordering)
        try:
            K.set_image_data_format("channels_first")
        except AttributeError:
            pass
        model = Sequential([Conv2D(16, (5, 5), input_shape=(32, 32, 3))])
    """,
    "format-from-a-variable-the-program-reads": """
        import os
        import keras
        from keras import layers
        keras.backend.set_image_data_format(os.environ["FORMAT"])
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])
    """,
}

BUGS = {
    # one module-level setter, run before any layer: the format is known from there on
    "keras2-setter-fixes-channels-first": """
        import keras
        from keras import layers
        from keras import backend as K
        K.set_image_data_format("channels_first")
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])  # expect: TL209
    """,
    "tf-keras-setter-then-a-function-builds": """
        import tensorflow as tf
        from tensorflow.keras import layers
        tf.keras.backend.set_image_data_format("channels_first")

        def build():
            inp = tf.keras.Input(shape=(28, 28, 1))
            x = layers.Conv2D(20, 5, activation="relu")(inp)  # expect: TL209
            return tf.keras.Model(inp, x)

        model = build()
    """,
    "keras1-dim-ordering-th-fixed": """
        from keras.models import Sequential
        from keras.layers import Convolution2D
        from keras import backend as K
        K.set_image_dim_ordering("th")
        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode="valid", input_shape=(28, 28, 1)))  # expect: TL209
    """,
    "keras3-config-setter-channels-last": """
        import keras
        from keras import layers
        keras.config.set_image_data_format("channels_last")
        model = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(16, 5)])  # expect: TL209
    """,
    # a format the layer states is still checked where the program changes the default
    "explicit-channels-last-under-setter": """
        import keras
        from keras import layers
        keras.backend.set_image_data_format("channels_first")
        model = keras.Sequential([
            keras.Input((3, 32, 32)),
            layers.Conv2D(16, 5, data_format="channels_last"),  # expect: TL209
        ])
    """,
    # the else branch runs under channels_last: its channels-first input is a bug there
    "tf-keras-else-branch": """
        import tensorflow as tf
        from tensorflow.keras import layers

        def build():
            if tf.keras.backend.image_data_format() == "channels_first":
                inp = tf.keras.Input(shape=(3, 32, 32))
                x = layers.Conv2D(16, 5)(inp)
                x = layers.MaxPooling2D(2)(x)
            else:
                inp = tf.keras.Input(shape=(3, 32, 32))
                x = layers.Conv2D(16, 5)(inp)  # expect: TL209
            x = layers.Flatten()(x)
            return tf.keras.Model(inp, layers.Dense(10)(x))
    """,
    # the channels_first branch given a channels-last input: its width is the channel count
    "keras3-channels-first-branch": """
        import keras
        from keras import layers
        if keras.config.image_data_format() == "channels_first":
            model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 5)])  # expect: TL209
    """,
    # tf.layers are channels_last whatever Keras' default
    "tf-layers-under-setter": """
        import tensorflow as tf
        from tensorflow.keras import backend as K
        K.set_image_data_format("channels_first")
        x = tf.placeholder(tf.float32, [None, 1, 28, 28])
        h = tf.layers.conv2d(x, 32, 5)  # expect: TL209
    """,
    # a file that leaves the format alone reads channels_last, as Keras does
    "default-format": """
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(16, 5)])  # expect: TL209
    """,
}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_channels_first_program_stays_silent(name):
    text = textwrap.dedent(CORRECT[name]).lstrip("\n")
    shape = [f for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code.startswith("TL2")]
    assert shape == []


@pytest.mark.parametrize("name", sorted(UNFIXED))
def test_format_not_fixed_by_one_early_setter_stays_unknown(name):
    text = textwrap.dedent(UNFIXED[name]).lstrip("\n")
    shape = [f for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code.startswith("TL2")]
    assert shape == []


def test_cli_on_a_file_whose_setter_fixes_the_format(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent(BUGS["keras2-setter-fixes-channels-first"]).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--no-cache", "--select", "TL209", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert "net.py:5:" in out.stdout and "TL209" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize("name", sorted(BUGS))
def test_bug_found_where_the_format_is_known(name):
    marked, found = marked_and_found("TL209", name, BUGS[name])
    assert marked and found == marked


def test_cli_on_a_channels_first_vgg(tmp_path):
    path = tmp_path / "vgg.py"
    path.write_text(textwrap.dedent(CORRECT["keras2-dim-ordering-th-vgg"]).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL209,TL218,TL210,TL203", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert "TL209" not in out.stdout and out.returncode == 0, out.stdout + out.stderr


def test_rank_message_names_the_layout_the_layer_reads():
    text = textwrap.dedent("""
        import keras
        from keras import layers
        keras.backend.set_image_data_format("channels_first")
        a = keras.Sequential([keras.Input((28, 28)), layers.Conv2D(8, 3)])
        b = keras.Sequential([keras.Input((28, 28)), layers.Conv2D(8, 3, data_format="channels_first")])
        c = keras.Sequential([keras.Input((28, 28)), layers.Conv2D(8, 3, data_format="channels_last")])
    """).lstrip("\n")
    found = {f.line: f.message for f in analyze(text, "t.py", Config(select=("TL210",))).findings}
    assert sorted(found) == [4, 5, 6]
    assert "[batch, channels, height, width]" in found[4]  # the format the setter fixed
    assert "[batch, channels, height, width]" in found[5]
    assert "[batch, height, width, channels]" in found[6]
    # a setter in a function leaves the format unknown: no layout named
    text = text.replace('keras.backend.set_image_data_format("channels_first")',
                        'def setup():\n    keras.backend.set_image_data_format("channels_first")\nsetup()')
    found = {f.line: f.message for f in analyze(text, "t.py", Config(select=("TL210",))).findings}
    assert "takes rank-4 input;" in found[6]


def test_setter_in_a_project_module(tmp_path):
    (tmp_path / "settings.py").write_text(
        "from keras import backend as K\n\n\ndef setup():\n    K.set_image_data_format('channels_first')\n")
    main = tmp_path / "main.py"
    text = ("import keras\nfrom keras import layers\nfrom settings import setup\n\nsetup()\n"
            "model = keras.Sequential([keras.Input((3, 32, 32)), layers.Conv2D(16, 5)])\n")
    main.write_text(text)
    assert [f.code for f in analyze(text, str(main), Config(select=("ALL",))).findings] == []
    # the same model in a file that imports nothing that changes the format
    alone = tmp_path / "alone.py"
    alone.write_text(text.replace("from settings import setup\n\nsetup()\n", ""))
    assert [f.code for f in analyze(alone.read_text(), str(alone), Config(select=("ALL",))).findings] == ["TL209"]
