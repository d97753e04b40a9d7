"""Shape rules of `torch.nn` layers: what a layer makes of its input's shape, and what it expects
of it (`Expectation`). The table that names the layers is `layer_table`."""
from __future__ import annotations

from ...values import ANY, Seq, Tensor, is_int_dtype
from ..registry import Expectation
from .. import shapes as S
from .reshape import flatten_shape



# -- nn layers -----------------------------------------------------------------------------

def facts_int(layer, key):
    v = layer.facts.get(key)
    return v if S.known_int(v) else None


def linear(layer, x, call):
    out = facts_int(layer, "out_features")
    return x.with_(shape=S.prefix(x.shape, 1) + (out,) if x.shape is not None else (ANY, out))


def linear_expects(layer, x):
    n = facts_int(layer, "in_features")
    return [Expectation("features", -1, n, "in_features")] if n is not None else []


def bilinear_expects(layer, x):
    n = facts_int(layer, "in1_features")
    return [Expectation("features", -1, n, "in1_features")] if n is not None else []


def conv(n):
    def transfer(layer, x, call):
        out_c = facts_int(layer, "out_channels")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("stride", 1), n)
        pad = layer.facts.get("padding", 0)
        pd = S.tupled(pad, n) if not isinstance(pad, str) else (pad,) * n
        dl = S.tupled(layer.facts.get("dilation", 1), n)
        spatial = S.last_dims(x.shape, n)
        if spatial is None:
            new_sp = (None,) * n
        else:
            new_sp = tuple(S.conv_out(spatial[i], k[i], st[i], pd[i], dl[i]) for i in range(n))
        if x.rank in (n + 1, n + 2):
            shape = tuple(x.shape[: x.rank - n - 1]) + (out_c,) + new_sp
        else:
            shape = (ANY, out_c) + new_sp
        return x.with_(shape=shape)

    def expects(layer, x):
        c = facts_int(layer, "in_channels")
        if c is None:
            return []
        if x.rank is not None and x.rank not in (n + 1, n + 2):
            return []
        return [Expectation("channels", -(n + 1), c, "in_channels")]

    return transfer, expects


def conv_t(n):
    def transfer(layer, x, call):
        out_c = facts_int(layer, "out_channels")
        k = S.tupled(layer.facts.get("kernel_size"), n)
        st = S.tupled(layer.facts.get("stride", 1), n)
        pd = S.tupled(layer.facts.get("padding", 0), n)
        op = S.tupled(layer.facts.get("output_padding", 0), n)
        dl = S.tupled(layer.facts.get("dilation", 1), n)
        spatial = S.last_dims(x.shape, n)
        new_sp = (None,) * n if spatial is None else tuple(S.conv_transpose_out(spatial[i], k[i], st[i], pd[i], op[i], dl[i]) for i in range(n))
        if x.rank in (n + 1, n + 2):
            shape = tuple(x.shape[: x.rank - n - 1]) + (out_c,) + new_sp
        else:
            shape = (ANY, out_c) + new_sp
        return x.with_(shape=shape)
    return transfer, conv(n)[1]


def pool(n, adaptive=False):
    def transfer(layer, x, call):
        if adaptive:
            size = S.tupled(layer.facts.get("output_size"), n)
            new_sp = tuple(s if S.known_int(s) else None for s in size)
        else:
            k = S.tupled(layer.facts.get("kernel_size"), n)
            st_raw = layer.facts.get("stride")
            st = S.tupled(st_raw if st_raw is not None else layer.facts.get("kernel_size"), n)
            pd = S.tupled(layer.facts.get("padding", 0), n)
            spatial = S.last_dims(x.shape, n)
            new_sp = (None,) * n if spatial is None else tuple(S.conv_out(spatial[i], k[i], st[i], pd[i]) for i in range(n))
        if x.shape is None:
            return x.with_(shape=(ANY,) + (None,) + new_sp if False else None)
        return x.with_(shape=S.prefix(x.shape, n) + new_sp)
    return transfer


def batchnorm_expects(rank_choices, axis_of_rank):
    def expects(layer, x):
        c = facts_int(layer, "num_features")
        if c is None or x.rank is None or x.rank not in rank_choices:
            return []
        return [Expectation("channels", axis_of_rank(x.rank), c, "num_features")]
    return expects


def identity(layer, x, call):
    return x


def flatten_layer(layer, x, call):
    start = layer.facts.get("start_dim", 1)
    end = layer.facts.get("end_dim", -1)
    return x.with_(shape=flatten_shape(x.shape, start, end))


def embedding(layer, x, call):
    dim = facts_int(layer, "embedding_dim")
    return x.with_(shape=(x.shape + (dim,)) if x.shape is not None else (ANY, dim), dtype="float32")


def embedding_bag(layer, x, call):
    """(B, L) indices -> (B, dim); 1-D indices with offsets -> one row per bag."""
    dim = facts_int(layer, "embedding_dim")
    rows = x.dim(0) if x.rank == 2 else None
    return x.with_(shape=(rows, dim), dtype="float32")


def upsample(n=None):
    def transfer(layer, x, call):
        size = layer.facts.get("size")
        scale = layer.facts.get("scale_factor")
        if x.rank is None or x.rank < 3:
            return x.with_(shape=None)
        k = n or x.rank - 2
        if x.rank != k + 2:
            return x.with_(shape=None)
        if size is not None:
            new = tuple(d if S.known_int(d) else None for d in S.tupled(size, k))
        else:
            sc = S.tupled(scale, k) if S.known_int(scale) or isinstance(scale, (float, tuple)) else (None,) * k
            if isinstance(scale, float):
                sc = (scale,) * k
            new = tuple(int(d * f) if S.known_int(d) and isinstance(f, (int, float)) and not isinstance(f, bool) else None
                        for d, f in zip(x.shape[2:], sc))
        return x.with_(shape=tuple(x.shape[:2]) + new)
    return transfer


def unflatten(layer, x, call):
    dim, sizes = layer.facts.get("dim"), layer.facts.get("unflattened_size")
    if x.rank is None or not S.known_int(dim) or not isinstance(sizes, tuple) or not -x.rank <= dim < x.rank:
        return x.with_(shape=None)
    d = dim % x.rank
    return x.with_(shape=tuple(x.shape[:d]) + tuple(s if S.known_int(s) and s != -1 else None for s in sizes) + tuple(x.shape[d + 1:]))


def layernorm_expects(layer, x):
    ns = layer.facts.get("normalized_shape")
    if S.known_int(ns):
        return [Expectation("features", -1, ns, "normalized_shape")]
    if isinstance(ns, tuple) and ns and all(S.known_int(d) for d in ns):
        return [Expectation("features", -(len(ns) - i), d, "normalized_shape") for i, d in enumerate(ns)]
    return []


def rnn(layer, x, call):
    hidden = facts_int(layer, "hidden_size")
    bi = layer.facts.get("bidirectional") is True
    out_f = hidden * 2 if (hidden is not None and bi) else hidden
    shape = S.prefix(x.shape, 1) + (out_f,) if x.shape is not None else (ANY, out_f)
    out = x.with_(shape=shape, dtype=layer.dtype, node=call.node, origin=call.node, name=None, activation=None,
                  requires_grad=not call.interp.no_grad, models=x.models | {id(layer)})
    h = Tensor(shape=None, dtype=layer.dtype, fw="torch", node=call.node, depth=call.depth)
    if layer.kind.endswith("LSTM"):
        return Seq("tuple", (out, Seq("tuple", (h, h))))
    return Seq("tuple", (out, h))


def rnn_expects(layer, x):
    n = facts_int(layer, "input_size")
    return [Expectation("features", -1, n, "input_size")] if n is not None else []


def mha(layer, x, call):
    out = x.with_(dtype=layer.dtype, node=call.node, origin=call.node, name=None, activation=None)
    return Seq("tuple", (out, Tensor(shape=None, dtype=layer.dtype, fw="torch", node=call.node, depth=call.depth)))


def mha_expects(layer, x):
    n = facts_int(layer, "embed_dim")
    return [Expectation("features", -1, n, "embed_dim")] if n is not None else []


def softmax_layer(layer, x, call):
    return x.with_(dtype=x.dtype if not is_int_dtype(x.dtype) else "float32")
