"""A library file's Keras factory whose parameters without a default are sizes of the input it
declares (`def fcn(image_size, ch_in=3): inputs = Input(shape=(*image_size, ch_in))`) is built
with sizes the check chooses, twice (as it chooses a declared input's free sides), and run on a
batch of each. A branch of the functional graph that the factory computes from the model's inputs
and that reaches no model's outputs (a head built and then bypassed) is said at its last layer:
its weights get no gradient. Keras applications' pretrained weights, which cannot be downloaded
here, leave the model its initial weights."""
from __future__ import annotations

# a small FCN: the head (two convolutions) is meant to be upsampled; {up} says what is
FCN = """\
from tensorflow.keras import layers
from tensorflow.keras.models import Model


def fcn(image_size, ch_in=3, ch_out=2):
    inputs = layers.Input(shape={shape}, name="input")
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    f = layers.MaxPooling2D(2)(x)
    head = layers.Conv2D(8, 3, padding="same", activation="relu")(f)
    head = layers.Dropout(0.5)(head)
    head = layers.Conv2D(ch_out, 1, padding="same")(head)
    up = layers.Conv2DTranspose(ch_out, 4, strides=2, padding="same")({up})
    return Model(inputs, up)
"""
SHAPES = ("(*image_size, ch_in)", "(image_size, image_size, ch_in)")


def layer_problems(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.kind == "layer"}


def test_a_bypassed_head_of_a_sized_factory_is_found(tf_python, text_check):
    for shape in SHAPES:
        report = text_check(FCN.format(shape=shape, up="f"))
        assert report.status == "problems", (shape, report.message)
        found = layer_problems(report)
        assert set(found) == {11}, (shape, report.diagnostics())
        assert "never read" in found[11] and "line 9" in found[11] and "model made at line 13" in found[11], found
        (call,) = report.calls
        assert call["status"] == "ok" and "the check chose" in call["synthesized_input"], call


def test_the_head_that_is_upsampled_stays_could_not_check(tf_python, text_check):
    for shape in SHAPES:
        report = text_check(FCN.format(shape=shape, up="head"))
        assert report.status == "could-not-check", (shape, report.message)
        assert not report.diagnostics() or not layer_problems(report), report.diagnostics()
        assert "built with sizes the check chose" in report.message, report.message


def test_a_branch_another_model_reads_is_not_unread(tf_python, text_check):
    # an encoder and its classifier share the graph: the classifier's layers are in a model
    text = FCN.format(shape=SHAPES[0], up="f").replace(
        "    return Model(inputs, up)\n", "    Model(inputs, head)\n    return Model(inputs, up)\n")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert not layer_problems(report), report.diagnostics()


def test_a_dense_factory_sized_by_its_features(tf_python, text_check):
    text = """\
from tensorflow import keras


def mlp(n_features):
    inputs = keras.Input((n_features,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    side = keras.layers.Dense(4)(hidden)
    outputs = keras.layers.Dense(1)({into})
    return keras.Model(inputs=inputs, outputs=outputs)
"""
    report = text_check(text.format(into="hidden"))
    assert report.status == "problems", report.message
    assert set(layer_problems(report)) == {7}, report.diagnostics()
    report = text_check(text.format(into="side"))
    assert report.status == "could-not-check" and not layer_problems(report), report.diagnostics()


def test_a_size_the_model_reads_elsewhere_is_not_chosen(tf_python, text_check):
    # `n_classes` sizes a layer, not the declared input: the check does not choose it
    text = FCN.format(shape=SHAPES[0], up="f").replace("def fcn(image_size, ch_in=3, ch_out=2)",
                                                        "def fcn(image_size, ch_out, ch_in=3)")
    report = text_check(text)
    assert report.status == "could-not-check", report.message
    assert "none could be given an input" in report.message, report.message
    assert not report.calls, report.calls


def test_a_shape_that_fails_for_the_chosen_sizes_alike_is_the_programs_error(tf_python, text_check):
    # the head is added to the unpooled features: 2 channels against 8, whatever the sides
    text = FCN.format(shape=SHAPES[0], up="head").replace(
        "    return Model(inputs, up)\n", "    return Model(inputs, layers.add([up, x]))\n")
    report = text_check(text)
    assert report.status == "errors", report.message
    assert 13 in {d.line for d in report.diagnostics() if d.severity == "error"}, report.diagnostics()
    assert any("both times" in n for n in report.notes), report.notes


def test_pretrained_keras_weights_keep_the_initial_weights(tf_python, text_check):
    text = """\
from tensorflow.keras import layers
from tensorflow.keras.applications import MobileNetV2
from tensorflow.keras.models import Model


def classifier(image_size, n_classes=3):
    inputs = layers.Input(shape=(*image_size, 3))
    base = MobileNetV2(include_top=False, weights={weights}, input_tensor=inputs, alpha=0.35)
    x = layers.GlobalAveragePooling2D()(base.output)
    unused = layers.Dense(n_classes)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return Model(inputs, outputs)
"""
    report = text_check(text.format(weights='"imagenet"'))
    assert report.status == "problems", report.message
    assert set(layer_problems(report)) == {10}, report.diagnostics()
    assert any("pretrained weights cannot be downloaded" in n for n in report.notes), report.notes
    report = text_check(text.format(weights="None").replace("    unused = layers.Dense(n_classes)(x)\n", ""))
    assert report.status == "could-not-check" and not layer_problems(report), report.diagnostics()
