"""A loss or metric function of the checked file that another file of its project hands to Keras'
`compile` (`from model import age_mae` ... `model.compile(metrics=[age_mae])`) is run as Keras
runs it, on a float32 prediction, in the checked file: its own operations are then checked as
where the same file compiles with it (TL106 for `y_pred * K.arange(0, 101)`, an int32 tensor)."""
from __future__ import annotations

import textwrap
from pathlib import Path

from tensorlint.config import Config
from tensorlint.engine import analyze

METRIC = """\
    from keras import backend as K


    def age_mae(y_true, y_pred):
        true_age = K.sum(y_true * K.arange(0, 101), axis=-1)
        pred_age = K.sum(y_pred * K.arange(0, 101), axis=-1)
        return K.mean(K.abs(true_age - pred_age))
"""
TRAIN = """\
from keras.optimizers import SGD
{imp}

model = build()
model.compile(optimizer=SGD(0.1), loss="categorical_crossentropy", {arg})
"""


def _write(root: Path, files: dict) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _found(root: Path, rel: str, config: Config | None = None) -> list:
    path = root / rel
    found = analyze(path.read_text(), str(path), config).findings
    return [(f.code, f.span.start.line) for f in found if f.code == "TL106"]


def test_a_metric_compiled_by_a_script_beside_the_module(tmp_path):
    _write(tmp_path, {"model.py": METRIC,
                      "train.py": TRAIN.format(imp="from model import age_mae\nfrom nets import build",
                                               arg="metrics=[age_mae]")})
    assert _found(tmp_path, "model.py") == [("TL106", 6)]


def test_a_loss_through_a_relative_import_and_tf_keras(tmp_path):
    _write(tmp_path, {
        "losses.py": """\
            import tensorflow as tf


            def weighted_bins(y_true, y_pred, scale=2.0):
                bins = tf.range(10)
                return tf.reduce_mean(tf.square(y_pred * bins - y_true)) * scale
        """,
        "fit.py": """\
            import tensorflow as tf
            from .losses import weighted_bins


            def main(model):
                model.compile(optimizer="adam", loss=weighted_bins)
        """})
    assert _found(tmp_path, "losses.py") == [("TL106", 6)]


def test_a_module_imported_whole_and_a_dict_of_losses(tmp_path):
    _write(tmp_path, {"model.py": METRIC,
                      "train.py": """\
                          import tensorflow as tf
                          import model as m

                          net = tf.keras.Model()
                          net.compile(optimizer="sgd", loss={"age": m.age_mae, "gender": "binary_crossentropy"})
                      """})
    assert _found(tmp_path, "model.py") == [("TL106", 6)]


def test_a_script_in_the_folder_above_the_package(tmp_path):
    _write(tmp_path, {"lib/model.py": METRIC, "lib/__init__.py": "",
                      "train.py": TRAIN.format(imp="from lib.model import age_mae\nfrom nets import build",
                                               arg="weighted_metrics=(age_mae,)")})
    assert _found(tmp_path, "lib/model.py") == [("TL106", 6)]


def test_a_script_of_the_package_importing_it_by_its_package_name(tmp_path):
    _write(tmp_path, {"lib/model.py": METRIC, "lib/__init__.py": "",
                      "lib/train.py": TRAIN.format(imp="from lib.model import age_mae\nfrom nets import build",
                                                   arg="metrics=[age_mae]")})
    assert _found(tmp_path, "lib/model.py") == [("TL106", 6)]


def test_the_file_on_its_own_and_the_fixed_metric_stay_silent(tmp_path):
    _write(tmp_path, {"model.py": METRIC})
    assert _found(tmp_path, "model.py") == []  # nobody compiles with it: what y_pred is stays unknown
    fixed = METRIC.replace("K.arange(0, 101)", 'K.arange(0, 101, dtype="float32")')
    _write(tmp_path, {"model.py": fixed,
                      "train.py": TRAIN.format(imp="from model import age_mae\nfrom nets import build",
                                               arg="metrics=[age_mae]")})
    assert _found(tmp_path, "model.py") == []


def _silent(tmp_path, train: str, model: str = METRIC, config: Config | None = None) -> None:
    _write(tmp_path, {"model.py": model, "train.py": train})
    assert _found(tmp_path, "model.py", config) == []


def test_a_use_other_than_compile_is_silent(tmp_path):
    # called on tensors the script makes itself, or only imported: what it gets is the script's
    _silent(tmp_path, TRAIN.format(imp="from model import age_mae\nfrom nets import build",
                                   arg="metrics=['mae']") + "print(age_mae)\n")
    _silent(tmp_path, "import re\nfrom model import age_mae\npattern = re.compile('x', age_mae)\n")


def test_a_name_rebound_or_shadowed_in_the_importer_is_silent(tmp_path):
    _silent(tmp_path, TRAIN.format(imp="from model import age_mae\nfrom nets import build\n"
                                        "from metrics import age_mae", arg="metrics=[age_mae]"))
    _silent(tmp_path, """\
        from keras.optimizers import SGD
        from model import age_mae


        def train(model, age_mae):
            model.compile(optimizer=SGD(0.1), loss="mse", metrics=[age_mae])
    """)


def test_a_function_of_the_same_name_from_another_module_is_silent(tmp_path):
    _silent(tmp_path, TRAIN.format(imp="from metrics import age_mae\nfrom nets import build",
                                   arg="metrics=[age_mae]"))


def test_an_importer_that_changes_the_float_width_is_silent(tmp_path):
    _silent(tmp_path, "from keras import backend as K\nK.set_floatx('float16')\n"
            + TRAIN.format(imp="from model import age_mae\nfrom nets import build", arg="metrics=[age_mae]"))
    _silent(tmp_path, "import tensorflow as tf\ntf.keras.mixed_precision.set_global_policy('mixed_float16')\n"
            + TRAIN.format(imp="from model import age_mae\nfrom nets import build", arg="metrics=[age_mae]"))


def test_an_importer_without_keras_or_tensorflow_is_silent(tmp_path):
    # `compile(loss=...)` of some other library: what it passes is not Keras' to say
    _silent(tmp_path, "from model import age_mae\nfrom trainer import Trainer\n"
                      "Trainer().compile(loss=age_mae)\n")


def test_a_function_rebound_in_the_checked_file_or_of_other_arity_is_silent(tmp_path):
    train = TRAIN.format(imp="from model import age_mae\nfrom nets import build", arg="metrics=[age_mae]")
    _silent(tmp_path, train, METRIC + "\n\nage_mae = K.mean\n")
    _silent(tmp_path, train, METRIC.replace("def age_mae(y_true, y_pred):", "def age_mae(y_true, y_pred, bins):"))


def test_follow_imports_off_is_silent(tmp_path):
    train = TRAIN.format(imp="from model import age_mae\nfrom nets import build", arg="metrics=[age_mae]")
    _silent(tmp_path, train, config=Config(follow_imports=False))


FACTORY = """\
    import tensorflow as tf


    def focal(alpha=0.25, gamma=2.0):
        def _focal(y_true, y_pred):
            classes = tf.range(10)
            weighted = y_pred * classes
            return alpha * tf.reduce_sum(tf.pow(1.0 - y_pred, gamma) * weighted)
        return _focal
"""


def test_a_loss_made_by_a_factory_the_script_calls(tmp_path):
    _write(tmp_path, {"losses.py": FACTORY,
                      "train.py": """\
                          from tensorflow import keras
                          from losses import focal

                          model = keras.Sequential([keras.layers.Dense(3)])
                          model.compile(optimizer="adam", loss={"classification": focal(gamma=1.5)})
                      """})
    assert _found(tmp_path, "losses.py") == [("TL106", 7)]


def test_a_factory_handed_uncalled_or_a_fixed_one_is_silent(tmp_path):
    # `loss=focal`: Keras would call the factory itself with (y_true, y_pred), not what it returns
    _silent(tmp_path, "from tensorflow import keras\nfrom model import focal\n"
                      "keras.Model().compile(optimizer='adam', loss=focal)\n", FACTORY.replace("losses", "model"))
    fixed = FACTORY.replace("tf.range(10)", "tf.range(10, dtype=tf.float32)")
    _silent(tmp_path, "from tensorflow import keras\nfrom model import focal\n"
                      "keras.Model().compile(optimizer='adam', loss=focal())\n", fixed)


def test_an_importer_that_does_not_parse_or_is_not_text_is_silent(tmp_path):
    _silent(tmp_path, "from keras.optimizers import SGD\nfrom model import age_mae\n"
                      "model.compile(optimizer=SGD(0.1), metrics=[age_mae]\n")  # unclosed
    _write(tmp_path, {"model.py": METRIC})
    (tmp_path / "train.py").write_bytes(b"from model import age_mae\x00\xff\xfe keras .compile(loss=age_mae)\n")
    assert _found(tmp_path, "model.py") == []
