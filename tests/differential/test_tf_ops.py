"""TensorFlow and Keras backend functions the engine models as real scripts call them
(`tf.add`, `tf.transpose`, `tf.expand_dims`, `tf.shape`, `K.square`, `keras.ops.cast`...), against
TensorFlow run eagerly on small tensors: random valid configurations (a seeded generator, a
bounded number) must give the shape and dtype TensorFlow gives. Keras merge layers whose inputs
differ in rank are checked against Keras's own `compute_output_shape`. Only this test process
imports tensorflow."""
from __future__ import annotations

import pytest

from ._harness import CASES_PER_FAMILY, EINSUM, broadcastable, check_generated, einsum_equation, random_shape, rng

tf = pytest.importorskip("tensorflow")

pytestmark = pytest.mark.differential

HEADER = "import tensorflow as tf\nfrom tensorflow.keras import backend as K\n"




def _normal(shape) -> str:
    return f"tf.random.normal({list(shape)})"


def binary(r):
    a = random_shape(r, r.randint(1, 4))
    b = broadcastable(r, a)
    if r.random() < 0.5:
        a, b = b, a
    fn = r.choice(["tf.add", "tf.subtract", "tf.multiply", "tf.divide", "tf.maximum", "tf.minimum", "tf.pow",
                   "tf.math.add", "tf.math.multiply", "tf.math.maximum", "tf.math.squared_difference",
                   "tf.greater", "tf.math.less_equal"])
    return f"a = {_normal(a)}\nb = {_normal(b)}\nout = {fn}(a, b)"


def unary(r):
    shape = random_shape(r, r.randint(1, 4))
    fn = r.choice(["tf.sqrt", "tf.math.sqrt", "tf.math.rsqrt", "tf.sin", "tf.cos", "tf.negative", "tf.identity",
                   "tf.ones_like", "tf.zeros_like", "tf.nn.softplus", "tf.math.tanh", "tf.nn.elu", "tf.nn.leaky_relu",
                   "tf.clip_by_value", "K.square", "K.exp", "K.sqrt", "K.abs", "K.tanh", "K.relu"])
    if fn == "tf.clip_by_value":
        return f"x = {_normal(shape)}\nout = tf.clip_by_value(x, -1.0, 1.0)"
    return f"x = {_normal(shape)}\nout = {fn}(x)"


def transpose(r):
    shape = random_shape(r, r.randint(1, 4))
    if r.random() < 0.3:
        return f"x = {_normal(shape)}\nout = tf.transpose(x)"
    perm = list(range(len(shape)))
    r.shuffle(perm)
    fn = r.choice(["tf.transpose(x, perm={p})", "tf.transpose(x, {p})", "K.permute_dimensions(x, {p})"])
    return f"x = {_normal(shape)}\nout = " + fn.format(p=perm)


def expand_squeeze(r):
    shape = list(random_shape(r, r.randint(1, 3)))
    if r.random() < 0.5:
        axis = r.randint(-len(shape) - 1, len(shape))
        fn = r.choice(["tf.expand_dims(x, {a})", "tf.expand_dims(x, axis={a})", "K.expand_dims(x, {a})"])
        return f"x = {_normal(shape)}\nout = " + fn.format(a=axis)
    i = r.randint(0, len(shape))
    shape.insert(i, 1)
    if r.random() < 0.5:
        return f"x = {_normal(shape)}\nout = tf.squeeze(x, axis={i})"
    return f"x = {_normal(shape)}\nout = tf.squeeze(x, [{i}])"


def shape_and_range(r):
    shape = random_shape(r, r.randint(1, 4))
    n = r.randint(1, 9)
    op = r.choice([f"tf.shape(x)", f"tf.range({n})", f"tf.range(0, {n}, 2)", f"tf.range({n}.0)", "tf.size(x)",
                   f"tf.fill([{n}, 2], 1.5)", f"tf.fill([{n}], 3)", "tf.rank(x)"])
    return f"x = {_normal(shape)}\nout = {op}"


def casts(r):
    shape = random_shape(r, r.randint(1, 3))
    dtype = r.choice(["tf.int32", "tf.float64", "tf.float16", "tf.int64", "'float32'", "'int32'"])
    fn = r.choice(["K.cast", "tf.cast"])
    return f"x = {_normal(shape)}\nout = {fn}(x, {dtype})"


def reductions(r):
    shape = random_shape(r, r.randint(1, 4))
    axis = r.randint(-len(shape), len(shape) - 1)
    keep = r.random() < 0.4
    fn = r.choice(["K.sum", "K.mean", "K.max", "K.min", "K.prod", "tf.reduce_prod", "tf.math.reduce_std", "tf.reduce_any"])
    arg = "x > 0" if fn == "tf.reduce_any" else "x"
    return f"x = {_normal(shape)}\nout = {fn}({arg}, axis={axis}, keepdims={keep})"


def where_gather(r):
    shape = random_shape(r, r.randint(1, 3))
    if r.random() < 0.5:
        return f"x = {_normal(shape)}\nout = tf.where(x > 0, x, tf.zeros_like(x))"
    axis = r.randint(0, len(shape) - 1)
    k = r.randint(1, 4)
    return f"x = {_normal(shape)}\nout = tf.gather(x, tf.zeros([{k}], dtype=tf.int32), axis={axis})"


def tile_pad(r):
    shape = random_shape(r, r.randint(1, 3))
    if r.random() < 0.5:
        mult = [r.randint(1, 3) for _ in shape]
        return f"x = {_normal(shape)}\nout = tf.tile(x, {mult})"
    pads = [[r.randint(0, 2), r.randint(0, 2)] for _ in shape]
    return f"x = {_normal(shape)}\nout = tf.pad(x, {pads})"


def matmul_dot(r):
    n, k, m = random_shape(r, 3)
    return f"a = {_normal((n, k))}\nb = {_normal((k, m))}\nout = K.dot(a, b)"


def k_concat_reshape(r):
    shape = random_shape(r, r.randint(1, 3))
    if r.random() < 0.5:
        return f"a = {_normal(shape)}\nout = K.concatenate([a, a], axis=-1)"
    if r.random() < 0.5:
        return f"a = {_normal(shape)}\nout = K.flatten(a)"
    return f"a = {_normal(shape)}\nout = K.reshape(a, (-1,))"


def split_unstack(r):
    shape = random_shape(r, r.randint(1, 3))
    axis = r.randint(-len(shape), len(shape) - 1)
    n = shape[axis]
    k = r.choice([d for d in range(1, n + 1) if n % d == 0])
    i = r.randint(0, k - 1)
    if r.random() < 0.5:
        return f"x = {_normal(shape)}\nout = tf.split(x, {k}, axis={axis})[{i}]"
    return f"x = {_normal(shape)}\nout = tf.unstack(x, axis={axis})[{r.randint(0, n - 1)}]"


def image_resize(r):
    h, w, c = random_shape(r, 3, 2, 9)
    size = list(random_shape(r, 2, 1, 12))
    batch = (r.randint(1, 3),) if r.random() < 0.7 else ()
    return f"x = {_normal(batch + (h, w, c))}\nout = tf.image.resize(x, {size})"


def pad_sequences(r):
    rows, maxlen = r.randint(1, 5), r.randint(1, 9)
    seqs = [[1] * r.randint(1, 12) for _ in range(rows)]
    return f"out = tf.keras.preprocessing.sequence.pad_sequences({seqs}, maxlen={maxlen})"


def arg_reductions(r):
    shape = random_shape(r, r.randint(1, 4))
    axis = r.randint(-len(shape), len(shape) - 1)
    fn = r.choice(["tf.argmax", "tf.math.argmax", "tf.argmin", "K.argmax"])
    form = r.choice([f"axis={axis}", f"{axis}", f"axis={axis}, output_type=tf.int32"])
    if fn == "K.argmax" and "output_type" in form:
        form = f"axis={axis}"
    return f"x = {_normal(shape)}\nout = {fn}(x, {form})"


def einsum(r):
    form, shapes = einsum_equation(r, r.choice(EINSUM))
    return f"out = tf.einsum({form!r}, " + ", ".join(_normal(s) for s in shapes) + ")"


def _literal(r, shape, kind):
    if not shape:
        return repr(r.randint(0, 5) if kind == "int" else round(r.random(), 2))
    return "[" + ", ".join(_literal(r, shape[1:], kind) for _ in range(shape[0])) + "]"


def k_factories(r):
    """The Keras 2 backend's factories give Keras' float type unless `dtype=` names another,
    whatever the value's own dtype."""
    shape = random_shape(r, r.randint(0, 3), 1, 4)
    kind = r.choice(["int", "float"])
    n, m = random_shape(r, 2)
    return "out = " + r.choice([
        f"K.variable({_literal(r, shape, kind)})", f"K.variable({_literal(r, shape, kind)}, dtype='float64')",
        f"K.constant({_literal(r, shape, kind)})", f"K.constant({_literal(r, shape, kind)}, dtype='int32')",
        f"K.zeros({list(shape)})", f"K.ones({tuple(shape)}, dtype='int64')", f"K.eye({n})", f"K.eye({n}, dtype='float16')",
        f"K.get_value(K.variable({_literal(r, shape, kind)}))", f"K.zeros(shape={tuple(shape)}, dtype='float32')",
    ])


def k_shapes(r):
    """`K.int_shape` read as sizes, `K.batch_flatten`."""
    shape = random_shape(r, r.randint(2, 4))
    return f"x = {_normal(shape)}\nout = " + r.choice([
        "K.batch_flatten(x)", "K.zeros(K.int_shape(x))", f"K.ones((K.int_shape(x)[-1], {r.randint(1, 5)}))",
        "tf.reshape(x, (K.int_shape(x)[0], -1))", "K.batch_flatten(K.permute_dimensions(x, "
        f"{tuple(reversed(range(len(shape))))}))",
    ])


def tf1_casts_logical(r):
    a = random_shape(r, r.randint(1, 3))
    b = broadcastable(r, a)
    x = r.choice([_normal(a), f"tf.range({a[0]})", f"tf.cast(tf.range({a[0]}), tf.int64)"])
    return r.choice([
        f"x = {x}\nout = tf.compat.v1.to_float(x)", f"x = {x}\nout = tf.compat.v1.to_int32(x)",
        f"x = {x}\nout = tf.compat.v1.to_int64(x)", f"x = {x}\nout = tf.compat.v1.to_double(x)",
        f"a = {_normal(a)}\nb = {_normal(b)}\nout = tf.logical_and(a > 0, b < 0)",
        f"a = {_normal(a)}\nb = {_normal(b)}\nout = tf.math.logical_or(a > 0, b < 0)",
        f"a = {_normal(a)}\nout = tf.logical_not(a > 0)",
    ])


FAMILIES = {
    "K factories": k_factories, "K int_shape/batch_flatten": k_shapes, "TF1 casts/logical": tf1_casts_logical,
    "argmax/argmin": arg_reductions, "einsum": einsum,
    "split/unstack": split_unstack, "image.resize": image_resize, "pad_sequences": pad_sequences,
    "binary": binary, "unary": unary, "transpose": transpose, "expand/squeeze": expand_squeeze,
    "shape/range": shape_and_range, "casts": casts, "reductions": reductions, "where/gather": where_gather,
    "tile/pad": tile_pad, "dot": matmul_dot, "K concatenate/reshape": k_concat_reshape,
}


def _real(code: str):
    from tensorflow.keras import backend as K

    env = {"tf": tf, "K": K}
    exec(code, env)  # noqa: S102 - generated test code
    out = env["out"]
    return tuple(out.shape), getattr(out.dtype, "name", str(out.dtype))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_tf_ops_agree_with_tensorflow(family):
    check_generated("tf-ops:" + family, FAMILIES[family], HEADER, _real)


def test_merge_layers_of_different_ranks_agree_with_keras():
    """`multiply([a, b])` with a (None, n) and b (None, 1, n): Keras expands the lower-rank input
    at axis 1 (not NumPy broadcasting); the engine must give what compute_output_shape gives."""
    from ._harness import disagreement, inferred, known

    keras = tf.keras
    r = rng("tf-ops:merge-ranks")
    for _ in range(CASES_PER_FAMILY):
        n = r.randint(1, 9)
        extra = tuple(1 if r.random() < 0.6 else r.randint(1, 4) for _ in range(r.randint(1, 2)))
        a, b = (n,), extra + (n,)
        if r.random() < 0.5:
            a, b = b, a
        for fn, cls in (("multiply", "Multiply"), ("add", "Add"), ("subtract", "Subtract"), ("maximum", "Maximum"),
                        ("average", "Average")):
            real = getattr(keras.layers, cls)().compute_output_shape([(None,) + a, (None,) + b])
            for code in (f"a = tf.keras.Input({a})\nb = tf.keras.Input({b})\nout = tf.keras.layers.{fn}([a, b])",
                         f"a = tf.keras.Input({a})\nb = tf.keras.Input({b})\nout = tf.keras.layers.{cls}()([a, b])"):
                engine = inferred(HEADER + code)
                assert disagreement(engine, real, "float32", batch_symbol="B") is None, (code, engine, real)
                assert known(engine), (code, engine, real)
