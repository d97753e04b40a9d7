"""A Keras model's tensors read from the model (`model.output`, `model.input`,
`model.layers[i].output`, `get_layer(...)`, `keras.applications` models) carry the shapes the
model gives them, so the rules check what is built on them: a new model on a pretrained
backbone fitted on data of another size, a head of another width than the targets, logits
expected from a classifier that ends in softmax. Written with tf.keras and Keras 3 spellings,
Sequential and functional; what the program does not show stays unknown."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _findings(code: str) -> list:
    return [(f.code, f.span.start.line) for f in analyze(textwrap.dedent(code), "m.py", ALL).findings]


def _value(code: str, line: int) -> list:
    text = textwrap.dedent(code)
    return [v.text for v in analyze(text, "m.py", ALL, collect_values=True).values
            if v.span.start.line == line and v.span.start.column == 0]


KERAS3 = "import numpy as np\nimport keras\nfrom keras import layers\n"
TF_KERAS = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"


@pytest.mark.parametrize("header", [KERAS3, TF_KERAS])
def test_backbone_input_and_head_checked_against_fit_data(header):
    code = header + textwrap.dedent("""
        base = keras.applications.VGG16(include_top=False, weights="imagenet", input_shape=(64, 64, 3))
        x = layers.GlobalAveragePooling2D()(base.output)
        out = layers.Dense(5, activation="softmax")(x)
        model = keras.Model(inputs=base.input, outputs=out)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        X = np.random.rand(100, 32, 32, 3)
        Y = np.eye(10)[np.random.randint(0, 10, 100)]
        model.fit(X, Y, epochs=1)
    """)
    line = len(code.splitlines())
    assert ("TL203", line) in _findings(code)
    assert ("TL208", line) in _findings(code)


@pytest.mark.parametrize("header", [KERAS3, TF_KERAS])
def test_backbone_fitted_on_its_own_sizes_is_silent(header):
    code = header + textwrap.dedent("""
        base = keras.applications.MobileNetV2(include_top=False, input_shape=(96, 96, 3))
        base.trainable = False
        x = layers.GlobalAveragePooling2D()(base.output)
        out = layers.Dense(10, activation="softmax")(x)
        model = keras.Model(base.input, out)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        X = np.random.rand(100, 96, 96, 3)
        Y = np.eye(10)[np.random.randint(0, 10, 100)]
        model.fit(X, Y, epochs=1)
        inner = keras.Input((96, 96, 3))
        wrapped = keras.Model(inner, layers.Dense(10, activation="softmax")(layers.Flatten()(base(inner))))
        wrapped.compile(optimizer="adam", loss="categorical_crossentropy")
        wrapped.fit(X, Y)
    """)
    assert _findings(code) == []


def test_classifier_top_is_softmax_unless_told():
    code = KERAS3 + textwrap.dedent("""
        clf = keras.applications.ResNet50(weights=None, classes=10)
        clf.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
        raw = keras.applications.ResNet50(weights=None, classes=10, classifier_activation=None)
        raw.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    """)
    assert [c for c in _findings(code) if c[0] == "TL304"] == [("TL304", 6)]


@pytest.mark.parametrize("header", [KERAS3, TF_KERAS])
def test_sequential_layer_output_feeds_a_new_model(header):
    code = header + textwrap.dedent("""
        seq = keras.Sequential([layers.Dense(16, activation="relu", input_shape=(8,)), layers.Dense(3, activation="softmax")])
        feat = keras.Model(seq.inputs, seq.layers[0].output)
        head = layers.Dense(2)(feat.output)
        m2 = keras.Model(feat.input, head)
        m2.compile(optimizer="adam", loss="mse")
        m2.fit(np.random.rand(10, 8), np.random.rand(10, 3))
        same = keras.Model(feat.input, layers.Dense(3)(seq.get_layer(index=0).output))
        same.compile(optimizer="adam", loss="mse")
        same.fit(np.random.rand(10, 8), np.random.rand(10, 3))
    """)
    fitted = [i + 1 for i, text in enumerate(code.splitlines()) if text.startswith("m2.fit(")]
    assert _findings(code) == [("TL208", fitted[0])]


def test_model_tensor_values_on_hover():
    code = KERAS3 + textwrap.dedent("""
        inp = keras.Input((32, 32, 3))
        conv = layers.Conv2D(8, 3)
        h = conv(inp)
        o = layers.Dense(4)(layers.Flatten()(h))
        m = keras.Model(inp, o)
        a = m.output
        b = conv.output
        c = m.outputs[0]
        d = m.input
        e = keras.applications.VGG19(include_top=False, input_shape=(100, 80, 3)).output
        f = keras.applications.DenseNet121(include_top=False, input_shape=(224, 224, 3), pooling="avg").output
        g = keras.applications.EfficientNetB3(weights=None, classes=7).output
    """)
    start = 3 + 7
    assert _value(code, start)[-1] == "Tensor[B, 4] float32"
    assert _value(code, start + 1)[-1] == "Tensor[B, 30, 30, 8] float32"
    assert _value(code, start + 2)[-1] == "Tensor[B, 4] float32"
    assert _value(code, start + 3)[-1] == "Tensor[B, 32, 32, 3] float32"
    assert _value(code, start + 4)[-1] == "Tensor[B, 3, 2, 512] float32"
    assert _value(code, start + 5)[-1] == "Tensor[B, 1024] float32"
    assert _value(code, start + 6)[-1] == "Tensor[B, 7] float32"


def test_what_the_program_does_not_show_stays_unknown():
    code = KERAS3 + textwrap.dedent("""
        def backbone(shape, **kwargs):
            return keras.applications.ResNet50(include_top=False, input_shape=shape, **kwargs)
        a = backbone((224, 224, 3)).output
        b = keras.applications.ResNet50(include_top=False, input_shape=(224, 224, 3)).output
        c = keras.applications.MobileNet(include_top=False, input_shape=(96, 96, 3), alpha=0.5, pooling="avg").output
        d = keras.applications.VGG16(include_top=False).output
        shared = layers.Dense(4)
        x1, x2 = keras.Input((8,)), keras.Input((8,))
        y1, y2 = shared(x1), shared(x2)
        e = shared.output
        seq = keras.Sequential([layers.Dense(4), layers.Dense(2)])
        f = seq.layers[0].output
    """)
    lines = textwrap.dedent(code).splitlines()
    got = {name: _value(code, i + 1) for i, text in enumerate(lines) for name in "abcdef" if text.startswith(name + " = ")}
    assert all(v == [] or v[-1].endswith("float32") for v in got.values())
    assert got["a"] == [] or got["a"][-1] == "Tensor[...] float32"  # `**kwargs` may hold the input tensor
    assert got["b"][-1] == "Tensor[B, ?, ?, 2048] float32"  # the map's size depends on the Keras version
    assert got["c"][-1] == "Tensor[B, ?] float32"  # channels scale with alpha
    assert got["d"][-1] == "Tensor[B, ?, ?, 512] float32"
    assert got["e"] == [] and got["f"] == []


def test_a_model_rewired_by_hand_is_not_followed():
    """Keras 2's way of dropping a classifier: the layer list and outputs set by hand."""
    code = KERAS3 + textwrap.dedent("""
        model = keras.Sequential([layers.Dense(16, input_shape=(8,)), layers.Dense(10, activation="softmax")])
        model.layers.pop()
        model.outputs = [model.layers[-1].output]
        a = model.output
        b = model.layers[-1].output
        head = keras.Model(model.input, layers.Dense(3)(model.output))
    """)
    assert _value(code, 8) == [] and _value(code, 9) == []
    assert _findings(code) == []


@pytest.mark.parametrize("header", [KERAS3, TF_KERAS])
def test_sequential_pop_drops_the_last_layer(header):
    code = header + textwrap.dedent("""
        model = keras.Sequential([layers.Dense(16, input_shape=(8,)), layers.Dense(10, activation="softmax")])
        model.pop()
        a = model.output
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.rand(10, 8), np.random.rand(10, 16))
    """)
    lines = code.splitlines()
    assert _findings(code) == []
    assert _value(code, lines.index("a = model.output") + 1)[-1] == "Tensor[B, 16] float32"
