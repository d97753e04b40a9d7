"""TL226: a model built from another model's own layers is trained while the copy the program
made of that model (`clone_model`) is never used. Written several ways: tf.keras and Keras 2
`Sequential(model.layers[:-1])`, Keras 3 with a loop that adds the layers, a functional model
over a layer's output inside a function, the copy made before or after the new model; the
look-alikes build from the copy, use the copy (a target network), never train the model built
from the original's layers, or copy another model."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL226",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "transfer.py", ONLY).findings)


_DATA = "import numpy as np\nx, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)\n"

BUGS = {
    "tf-keras-sequential-of-layers-clone-after": ("""
        from tensorflow import keras
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)
        model_A = keras.models.load_model("my_model_A.h5")
        model_B_on_A = keras.models.Sequential(model_A.layers[:-1])
        model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
        model_A_clone = keras.models.clone_model(model_A)
        model_A_clone.set_weights(model_A.get_weights())
        for layer in model_B_on_A.layers[:-1]:
            layer.trainable = False
        model_B_on_A.compile(loss="binary_crossentropy", optimizer="sgd")
        history = model_B_on_A.fit(x, y, epochs=4)
    """, [5]),
    "keras2-clone-before-sequential": ("""
        from keras.models import Sequential, clone_model, load_model
        from keras.layers import Dense
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)
        base = load_model("base.h5")
        backup = clone_model(base)
        backup.set_weights(base.get_weights())
        head = Sequential(base.layers[:-1] + [Dense(1, activation="sigmoid")])
        head.compile(loss="binary_crossentropy", optimizer="adam")
        head.fit(x, y)
    """, [8]),
    "keras3-loop-adds-the-layers": ("""
        import keras
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)
        pretrained = keras.saving.load_model("pretrained.keras")
        kept = keras.models.clone_model(pretrained)
        kept.set_weights(pretrained.get_weights())
        new_model = keras.Sequential()
        for layer in pretrained.layers[:-1]:
            new_model.add(layer)
        new_model.add(keras.layers.Dense(1))
        new_model.compile(loss="mse", optimizer="adam")
        new_model.fit(x, y)
    """, [8]),
    "tf-keras-functional-inside-function": ("""
        import tensorflow as tf
        import numpy as np


        def transfer(model_a, x, y):
            copy_a = tf.keras.models.clone_model(model_a)
            copy_a.set_weights(model_a.get_weights())
            out = tf.keras.layers.Dense(1)(model_a.layers[-2].output)
            model_b = tf.keras.Model(inputs=model_a.input, outputs=out)
            model_b.compile(loss="mse", optimizer="adam")
            model_b.fit(x, y)
            return model_b


        transfer(tf.keras.models.load_model("a.h5"), np.random.rand(64, 8), np.random.rand(64))
    """, [9]),
}

SILENT = {
    "built-from-the-copy": """
        from tensorflow import keras
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)
        model_A = keras.models.load_model("my_model_A.h5")
        model_A_clone = keras.models.clone_model(model_A)
        model_A_clone.set_weights(model_A.get_weights())
        model_B_on_A = keras.models.Sequential(model_A_clone.layers[:-1])
        model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
        model_B_on_A.compile(loss="binary_crossentropy", optimizer="sgd")
        model_B_on_A.fit(x, y, epochs=4)
    """,
    "built-from-the-original-rebuilt-from-the-copy-before-training": """
        from tensorflow import keras
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)
        model_A = keras.models.load_model("my_model_A.h5")
        model_B_on_A = keras.models.Sequential(model_A.layers[:-1])
        model_A_clone = keras.models.clone_model(model_A)
        model_A_clone.set_weights(model_A.get_weights())
        model_B_on_A = keras.models.Sequential(model_A_clone.layers[:-1])
        model_B_on_A.compile(loss="mse", optimizer="sgd")
        model_B_on_A.fit(x, y)
    """,
    "target-network-copy-is-used": """
        import tensorflow as tf
        import numpy as np
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
        target = tf.keras.models.clone_model(model)
        target.set_weights(model.get_weights())
        head = tf.keras.Sequential(model.layers + [tf.keras.layers.Dense(1)])
        head.compile(loss="mse", optimizer="adam")
        head.fit(np.random.rand(8, 4), target.predict(np.random.rand(8, 4)))
    """,
    "copy-of-another-model": """
        from tensorflow import keras
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.rand(64)
        encoder = keras.models.load_model("encoder.h5")
        decoder = keras.models.load_model("decoder.h5")
        snapshot = keras.models.clone_model(decoder)
        joined = keras.Sequential(encoder.layers + [keras.layers.Dense(1)])
        joined.compile(loss="mse", optimizer="adam")
        joined.fit(x, y)
    """,
    "copy-handed-to-a-function": """
        from tensorflow import keras
        import numpy as np
        x, y = np.random.rand(64, 8), np.random.rand(64)
        model_A = keras.models.load_model("a.h5")
        frozen = keras.models.clone_model(model_A)
        keras.models.save_model(frozen, "frozen.h5")
        model_B = keras.Sequential(model_A.layers[:-1] + [keras.layers.Dense(1)])
        model_B.compile(loss="mse", optimizer="adam")
        model_B.fit(x, y)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_model_built_from_the_original_is_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(SILENT))
def test_lookalikes_stay_silent(name):
    assert _lines(SILENT[name]) == []


def test_cli_names_the_unused_copy(tmp_path):
    path = tmp_path / "transfer.py"
    path.write_text(textwrap.dedent(BUGS["tf-keras-sequential-of-layers-clone-after"][0]).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path), "--select", "TL226"],
                         capture_output=True, text=True).stdout
    assert "transfer.py:5:" in out and "TL226" in out and "model_A_clone" in out and "line 7" in out


def test_partial_programs_do_not_crash():
    for text in ("c = clone_model(\n", "c = keras.models.clone_model()\nm = Sequential(x.layers)\nm.fit()\n",
                 "for l in a.layers:\n    pass\nclone_model(a)\n"):
        analyze(text, "t.py", ONLY)
