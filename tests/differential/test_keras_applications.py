"""The `keras.applications` table against Keras itself: each application, built without
weights in a few seeded configurations (with and without the classifier, pooled or not, input
sizes drawn at random), must give the output shape that the model Keras builds has, and the
same shape whether the engine reads the model's output or the model called on an input. Only
this test process imports keras (on the PyTorch backend when nothing imported it before)."""
from __future__ import annotations

import os

import pytest

from tensorlint.frameworks.keras.applications import APPLICATIONS

from ._harness import disagreement, import_keras, inferred, known, rng

keras = import_keras()

pytestmark = pytest.mark.differential

_MIN = {"inception": 75, "xception": 71}
# feature maps whose size differs between Keras versions (the engine may leave it unknown)
_VERSION_DEPENDENT = ("ResNet50", "MobileNet")
# the largest builds (10 to 30 seconds each on a CPU): checked when TENSORLINT_DIFFERENTIAL_ALL is set;
# each shares its stages with a smaller member of its family that is always checked
_LARGE = frozenset(("EfficientNetB2", "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6",
                    "EfficientNetB7", "DenseNet169", "DenseNet201", "ResNet152", "ResNet152V2", "InceptionResNetV2"))


def _check(code: str, real: tuple, may_be_unknown: bool, problems: list, unknown: list) -> None:
    engine = inferred(code)
    why = disagreement(engine, real, None, batch_symbol="B")
    if why is not None:
        problems.append(f"{code!r}: {why}")
    elif not known(engine) and not may_be_unknown:
        unknown.append(f"{code!r}: engine {engine}, real {real}")


@pytest.mark.parametrize("name", sorted(APPLICATIONS))
def test_application_shapes_agree_with_keras(name):
    """One model built per application (no classifier, an input size drawn at random): its
    feature map, read as `model.output` and from the model called on an input, and its pooled
    features (the map's channels)."""
    if name in _LARGE and not os.environ.get("TENSORLINT_DIFFERENTIAL_ALL"):
        pytest.skip("a large build: set TENSORLINT_DIFFERENTIAL_ALL=1")
    family = APPLICATIONS[name][0]
    r = rng("applications:" + name)
    lo = _MIN.get(family, 32)
    side, other = r.randint(lo, lo + 90), r.randint(lo, lo + 90)
    model = getattr(keras.applications, name)(include_top=False, weights=None, input_shape=(side, other, 3))
    real = tuple(model.output.shape)
    del model
    problems, unknown = [], []
    args = f"include_top=False, weights=None, input_shape=({side}, {other}, 3)"
    loose = name in _VERSION_DEPENDENT
    _check(f"import keras\nm = keras.applications.{name}({args})\nout = m.output\n", real, loose, problems, unknown)
    _check(f"import keras\nm = keras.applications.{name}({args})\nx = keras.Input(({side}, {other}, 3))\nout = m(x)\n",
           real, loose, problems, unknown)
    pool = r.choice(["avg", "max"])
    _check(f"import keras\nm = keras.applications.{name}({args}, pooling={pool!r})\nout = m.output\n",
           (None, real[-1]), False, problems, unknown)
    assert not problems, "\n".join(problems)
    assert not unknown, "the table leaves known dims unknown:\n" + "\n".join(unknown)


@pytest.mark.parametrize("activation", [None, "softmax"])
def test_classifier_output_agrees_with_keras(activation):
    """With the classifier: `(batch, classes)` whatever the input size (MobileNet, the smallest)."""
    r = rng(f"applications:top:{activation}")
    classes, side = r.randint(2, 40), r.choice([96, 128, 160])
    args = f"include_top=True, weights=None, classes={classes}, input_shape=({side}, {side}, 3), classifier_activation={activation!r}"
    model = eval(f"keras.applications.MobileNet({args})")  # noqa: S307 - the test's own text
    real = tuple(model.output.shape)
    problems, unknown = [], []
    _check(f"import keras\nm = keras.applications.MobileNet({args})\nout = m.output\n", real, False, problems, unknown)
    assert not problems and not unknown, problems + unknown
