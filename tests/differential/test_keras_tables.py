"""The Keras tables against Keras itself: every modeled layer, built with random valid
configurations (a seeded generator, a bounded number), must give the output shape that the
layer's own `compute_output_shape` gives, and Keras's compute dtype. A disagreement is a bug in
the table. Only this test process imports keras (on the PyTorch backend when nothing imported
it before: the shapes do not depend on the backend, and it starts faster than TensorFlow)."""
from __future__ import annotations

import pytest

from ._harness import CASES_PER_FAMILY, check_family, disagreement, import_keras, inferred, known, rng

keras = import_keras()

pytestmark = pytest.mark.differential

HEADER = "import keras\n"


def _shape(r, rank, lo=1, hi=12):
    return tuple(r.randint(lo, hi) for _ in range(rank))


def dense(r):
    return _shape(r, r.randint(1, 3)), f"keras.layers.Dense({r.randint(1, 64)}, activation={r.choice(['None', repr('relu')])})"


def kconv(n, transpose=False):
    def gen(r):
        k = r.randint(1, 5)
        pad = r.choice(["valid", "same"])
        strides = r.randint(1, 3)
        dil = r.randint(1, 2) if strides == 1 and not transpose else 1
        shape = tuple(r.randint(dil * (k - 1) + 1, 24) for _ in range(n)) + (r.randint(1, 4),)
        name = f"Conv{n}DTranspose" if transpose else f"Conv{n}D"
        extra = f", dilation_rate={dil}" if dil > 1 else ""
        return shape, f"keras.layers.{name}({r.randint(1, 8)}, {k}, strides={strides}, padding={pad!r}{extra})"
    return gen


def kseparable(n):
    conv = kconv(n)

    def gen(r):
        shape, ctor = conv(r)
        return shape, ctor.replace(f"keras.layers.Conv{n}D(", f"keras.layers.SeparableConv{n}D(")
    return gen


def kpool(kind, n):
    def gen(r):
        p = r.randint(1, 4)
        shape = _shape(r, n, p, 24) + (r.randint(1, 4),)
        strides = r.choice([None, 1, 2, 3])
        pad = r.choice(["valid", "same"])
        return shape, f"keras.layers.{kind}Pooling{n}D({p}, strides={strides}, padding={pad!r})"
    return gen


def kglobal(r):
    n = r.randint(1, 2)
    kind = r.choice(["Average", "Max"])
    return _shape(r, n + 1), f"keras.layers.Global{kind}Pooling{n}D()"


def kflatten(r):
    return _shape(r, r.randint(1, 4)), "keras.layers.Flatten()"


def kembedding(r):
    return _shape(r, 1), f"keras.layers.Embedding({r.randint(2, 100)}, {r.randint(1, 16)})"


def krnn(r):
    kind = r.choice(["LSTM", "GRU", "SimpleRNN"])
    return _shape(r, 2), f"keras.layers.{kind}({r.randint(1, 16)}, return_sequences={r.random() < 0.5})"


def kupsample(r):
    n = r.randint(1, 2)
    size = r.randint(1, 3)
    return _shape(r, n + 1), f"keras.layers.UpSampling{n}D({size})"


def kzeropad(r):
    pad = r.choice([r.randint(0, 3), _shape(r, 2, 0, 3)])
    return _shape(r, 3), f"keras.layers.ZeroPadding2D({pad})"


def kreshape(r):
    a, b = r.randint(1, 6), r.randint(1, 6)
    target = r.choice([(a, b), (-1, b), (b, a, 1)])
    return (a * b,), f"keras.layers.Reshape({target})"


def krepeat(r):
    return _shape(r, 1), f"keras.layers.RepeatVector({r.randint(1, 6)})"


def kpermute(r):
    return _shape(r, 3), f"keras.layers.Permute({tuple(r.sample([1, 2, 3], 3))})"


def kbidirectional(r):
    return _shape(r, 2), f"keras.layers.Bidirectional(keras.layers.LSTM({r.randint(1, 8)}, return_sequences={r.random() < 0.5}))"


def kidentity(r):
    layer = r.choice(["keras.layers.Dropout(0.2)", "keras.layers.BatchNormalization()", "keras.layers.LayerNormalization()",
                      "keras.layers.Activation('relu')", "keras.layers.LeakyReLU()", "keras.layers.Softmax()",
                      "keras.layers.ReLU()", "keras.layers.GaussianNoise(0.1)"])
    return _shape(r, r.randint(1, 3)), layer


FAMILIES = {
    "Dense": dense, "Conv1D": kconv(1), "Conv2D": kconv(2), "Conv3D": kconv(3), "Conv2DTranspose": kconv(2, True), "SeparableConv1D": kseparable(1),
    "MaxPooling1D": kpool("Max", 1), "MaxPooling2D": kpool("Max", 2), "AveragePooling2D": kpool("Average", 2),
    "GlobalPooling": kglobal, "Flatten": kflatten, "Embedding": kembedding, "RNN": krnn, "UpSampling": kupsample,
    "ZeroPadding2D": kzeropad, "Reshape": kreshape, "RepeatVector": krepeat, "Permute": kpermute,
    "Bidirectional": kbidirectional, "same-shape layers": kidentity,
}


def _real(shape, ctor):
    layer = eval(ctor, {"keras": keras})  # noqa: S307 - generated test code
    return layer.compute_output_shape((None,) + shape), layer.compute_dtype


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_table_agrees_with_keras(family):
    r = rng("keras:" + family)
    cases = [FAMILIES[family](r) for _ in range(CASES_PER_FAMILY)]
    check_family(((HEADER + f"x = keras.Input({shape})\nout = {ctor}(x)", lambda s=shape, c=ctor: _real(s, c))
                  for shape, ctor in cases), batch_symbol="B")


def test_merge_layers_agree_with_keras():
    r = rng("keras:merge")
    for _ in range(CASES_PER_FAMILY):
        a = _shape(r, r.randint(1, 3))
        axis = r.randint(-len(a), len(a) - 1) if len(a) > 1 else -1
        other = list(a)
        other[axis] = r.randint(1, 6)
        for ctor, b in ((f"keras.layers.Concatenate(axis={axis + 1 if axis >= 0 else axis})", tuple(other)),
                        ("keras.layers.Add()", a), ("keras.layers.Multiply()", a)):
            real = eval(ctor, {"keras": keras}).compute_output_shape([(None,) + a, (None,) + b])  # noqa: S307
            code = f"a = keras.Input({a})\nb = keras.Input({b})\nout = {ctor}([a, b])"
            engine = inferred(HEADER + code)
            assert disagreement(engine, real, "float32", batch_symbol="B") is None, (code, engine, real)
            assert known(engine), (code, engine, real)


def test_dot_layer_agrees_with_keras():
    r = rng("keras:dot")
    for _ in range(CASES_PER_FAMILY):
        a = _shape(r, r.randint(1, 3))
        i = r.randint(1, len(a))  # Keras counts the batch axis: feature axes are 1..rank
        b = list(_shape(r, r.randint(1, 3)))
        j = r.randint(1, len(b))
        b[j - 1] = a[i - 1]
        b = tuple(b)
        axes = r.choice([f"({i}, {j})", f"({i - len(a) - 1}, {j})"]) if (i, j) != (len(a), len(b)) else r.choice(["-1", f"({i}, {j})"])
        ctor = f"keras.layers.Dot(axes={axes})"
        real = eval(ctor, {"keras": keras}).compute_output_shape([(None,) + a, (None,) + b])  # noqa: S307
        code = f"a = keras.Input({a})\nb = keras.Input({b})\nout = {ctor}([a, b])"
        engine = inferred(HEADER + code)
        assert disagreement(engine, real, "float32", batch_symbol="B") is None, (code, engine, real)
        assert known(engine), (code, engine, real)
