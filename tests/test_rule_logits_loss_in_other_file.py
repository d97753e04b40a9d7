"""TL304 across the files of a project: a function of the checked file returns a softmax/sigmoid
output, and a file that imports it hands that output to one of TensorFlow's cross-entropies that
take logits (`tf.nn.softmax_cross_entropy_with_logits_v2(logits=...)`). The finding is in the
checked file, at the returned value."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

GRAPH = """\
    import tensorflow as tf


    def model():
        x = tf.placeholder(tf.float32, shape=[None, 784])
        y = tf.placeholder(tf.float32, shape=[None, 10])
        hidden = tf.layers.dense(inputs=x, units=128, activation=tf.nn.relu)
        out = tf.layers.dense(inputs=hidden, units=10, activation={act})
        return x, y, out
"""
TRAIN = """\
    import tensorflow as tf
    {imp}

    x, y, output = model()
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=output, labels=y))
"""


def _write(root: Path, files: dict) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _codes(root: Path, rel: str, config: Config | None = None) -> list:
    path = root / rel
    found = analyze(path.read_text(), str(path), config).findings
    return [(f.code, f.span.start.line) for f in found if f.code == "TL304"]


def test_a_script_beside_the_module(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"),
                      "train.py": TRAIN.format(imp="from model import model")})
    assert _codes(tmp_path, "model.py") == [("TL304", 9)]


def test_a_script_in_the_folder_above_a_package(tmp_path):
    _write(tmp_path, {"include/model.py": GRAPH.format(act="tf.nn.softmax"), "include/__init__.py": "",
                      "train.py": TRAIN.format(imp="from include.model import model")})
    assert _codes(tmp_path, "include/model.py") == [("TL304", 9)]


def test_a_relative_import_a_whole_result_and_a_sigmoid(tmp_path):
    _write(tmp_path, {
        "nets.py": """\
            import tensorflow as tf


            def discriminator(images):
                flat = tf.reshape(images, [-1, 784])
                return tf.nn.sigmoid(tf.layers.dense(flat, 1))
        """,
        "gan.py": """\
            import tensorflow as tf
            from .nets import discriminator as critic


            def losses(real):
                score = critic(real)
                return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=score, labels=tf.ones_like(score)))
        """})
    assert _codes(tmp_path, "nets.py") == [("TL304", 6)]


def test_a_keras_layer_with_a_softmax_activation(tmp_path):
    _write(tmp_path, {
        "heads.py": """\
            import tensorflow as tf


            def classifier(features):
                hidden = tf.keras.layers.Dense(64, activation="relu")(features)
                probs = tf.keras.layers.Dense(5, activation="softmax")(hidden)
                return hidden, probs
        """,
        "run.py": """\
            import tensorflow as tf
            from heads import classifier

            features = tf.random.normal([8, 32])
            labels = tf.one_hot([0, 1, 2, 3, 4, 0, 1, 2], 5)
            _, probs = classifier(features)
            loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=probs)
        """})
    assert _codes(tmp_path, "heads.py") == [("TL304", 7)]


def test_silent_when_the_importer_takes_the_probabilities_as_probabilities(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "train.py": """\
        import tensorflow as tf
        from model import model

        x, y, output = model()
        loss = -tf.reduce_sum(y * tf.log(tf.clip_by_value(output, 1e-10, 1.0)))
    """})
    assert _codes(tmp_path, "model.py") == []


def test_silent_for_a_linear_output(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="None"), "train.py": TRAIN.format(imp="from model import model")})
    assert _codes(tmp_path, "model.py") == []


def test_silent_when_the_loss_gets_another_returned_value(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "train.py": """\
        import tensorflow as tf
        from model import model

        x, y, output = model()
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=x, labels=y))
    """})
    assert _codes(tmp_path, "model.py") == []


def test_silent_when_the_name_is_bound_again(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "train.py": """\
        import tensorflow as tf
        from model import model

        x, y, output = model()
        output = tf.log(output)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=output, labels=y))
    """})
    assert _codes(tmp_path, "model.py") == []


def test_silent_for_a_function_of_the_same_name_from_another_module(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "other.py": GRAPH.format(act="None"),
                      "train.py": TRAIN.format(imp="from other import model")})
    assert _codes(tmp_path, "model.py") == []


def test_silent_for_a_function_with_several_returns(tmp_path):
    _write(tmp_path, {
        "model.py": """\
            import tensorflow as tf


            def model(probabilities):
                x = tf.placeholder(tf.float32, shape=[None, 784])
                y = tf.placeholder(tf.float32, shape=[None, 10])
                logits = tf.layers.dense(inputs=x, units=10)
                if probabilities:
                    return x, y, tf.nn.softmax(logits)
                return x, y, logits
        """,
        "train.py": TRAIN.format(imp="from model import model").replace("model()", "model(False)")})
    assert _codes(tmp_path, "model.py") == []


def test_silent_without_following_imports(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"),
                      "train.py": TRAIN.format(imp="from model import model")})
    assert _codes(tmp_path, "model.py", Config(follow_imports=False)) == []


def test_a_file_that_does_not_parse_beside_the_module(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"),
                      "train.py": "from model import model\nsoftmax_cross_entropy_with_logits(logits=model(\n"})
    assert _codes(tmp_path, "model.py") == []


def test_the_module_imported_whole(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "train.py": """\
        import tensorflow as tf
        import model as net

        x, y, output = net.model()
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=output, labels=y))
    """})
    assert _codes(tmp_path, "model.py") == [("TL304", 9)]


def test_silent_when_the_whole_module_name_is_bound_again(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "other.py": GRAPH.format(act="None"),
                      "train.py": """\
        import tensorflow as tf
        import model as net
        import other as net

        x, y, output = net.model()
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=output, labels=y))
    """})
    assert _codes(tmp_path, "model.py") == []


def test_a_tf1_losses_cross_entropy(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "train.py": """\
        import tensorflow as tf
        from model import model


        def train():
            x, y, output = model()
            loss = tf.compat.v1.losses.softmax_cross_entropy(onehot_labels=y, logits=output)
            return tf.compat.v1.train.AdamOptimizer().minimize(loss)
    """})
    assert _codes(tmp_path, "model.py") == [("TL304", 9)]


def test_silent_for_a_loss_of_probabilities_by_the_same_family_name(tmp_path):
    _write(tmp_path, {"model.py": GRAPH.format(act="tf.nn.softmax"), "train.py": """\
        import tensorflow as tf
        from model import model

        x, y, output = model()
        loss = tf.keras.losses.categorical_crossentropy(y, output)
        other = tf.losses.log_loss(y, predictions=output)
    """})
    assert _codes(tmp_path, "model.py") == []


KERAS_MODEL = """\
    {imports}


    def build(features, classes):
        model = keras.Sequential([
            keras.Input(shape=(features,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(classes, activation={act!r}),
        ])
        return model
"""
KERAS_TRAIN = """\
    import numpy as np
    {imports}
    from nets import build

    model = build(20, 3)
    {between}
    model.compile(optimizer="adam", loss={loss}(from_logits={flag}))
    model.fit(np.random.rand(64, 20), np.random.randint(0, 3, 64), epochs=2)
"""


@pytest.mark.parametrize("imports", ["import keras", "from tensorflow import keras"])
def test_a_keras_model_compiled_by_the_importer_with_from_logits(tmp_path, imports):
    _write(tmp_path, {"nets.py": KERAS_MODEL.format(imports=imports, act="softmax"),
                      "train.py": KERAS_TRAIN.format(imports=imports, between="", flag=True,
                                                     loss="keras.losses.SparseCategoricalCrossentropy")})
    assert _codes(tmp_path, "nets.py") == [("TL304", 10)]


def test_a_functional_tf_keras_model_and_a_sigmoid(tmp_path):
    _write(tmp_path, {
        "nets.py": """\
            import tensorflow as tf


            def build():
                inputs = tf.keras.Input(shape=(16,))
                outputs = tf.keras.layers.Dense(1, activation="sigmoid")(inputs)
                return tf.keras.Model(inputs, outputs)
        """,
        "train.py": """\
            import tensorflow as tf
            from nets import build

            net = build()
            net.compile(optimizer="sgd", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        """})
    assert _codes(tmp_path, "nets.py") == [("TL304", 7)]


@pytest.mark.parametrize("between, act, flag", [
    ("model.add(keras.layers.Dense(3))", "softmax", True),  # the importer puts a linear head on it
    ("", "softmax", False),
    ("", "linear", True),
])
def test_silent_keras_lookalikes(tmp_path, between, act, flag):
    _write(tmp_path, {"nets.py": KERAS_MODEL.format(imports="import keras", act=act),
                      "train.py": KERAS_TRAIN.format(imports="import keras", between=between, flag=flag,
                                                     loss="keras.losses.SparseCategoricalCrossentropy")})
    assert _codes(tmp_path, "nets.py") == []
