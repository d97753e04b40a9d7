"""Parameters of layers (`layer.weight`) and the functional forms of layers (`F.max_pool2d`)."""
from __future__ import annotations

from ...values import UNKNOWN, Tensor
from ..registry import CALLS, LAYERS
from .. import shapes as S



# -- parameters of layers: layer.weight / layer.bias ---------------------------------------------

def _param(shape, layer):
    flag = layer.facts.get("_requires_grad", True)  # False after `layer.requires_grad_(False)`
    return Tensor(shape=shape, dtype=layer.dtype, fw="torch", node=layer.node, origin=layer.node,
                  requires_grad=flag, param=True)


def layer_parameter(layer, name):
    """`weight` / `bias` of a PyTorch layer, with their shapes where the constructor gives them."""
    f = layer.facts
    short = layer.short
    ints = lambda *keys: tuple(f.get(k) if S.known_int(f.get(k)) else None for k in keys)  # noqa: E731
    if short in ("Linear",):
        out_f, in_f = ints("out_features", "in_features")
        shapes = {"weight": (out_f, in_f), "bias": (out_f,)}
    elif short.startswith("Conv") and not short.startswith("ConvTranspose"):
        n = int(short[4]) if short[4:5].isdigit() else 2
        out_c, in_c = ints("out_channels", "in_channels")
        groups = f.get("groups", 1)
        per_group = in_c // groups if in_c is not None and S.known_int(groups) and groups and in_c % groups == 0 else None
        shapes = {"weight": (out_c, per_group) + tuple(S.tupled(f.get("kernel_size"), n)), "bias": (out_c,)}
    elif short.startswith("BatchNorm") or short == "LayerNorm" and S.known_int(f.get("normalized_shape")):
        (c,) = ints("num_features") if short.startswith("BatchNorm") else ints("normalized_shape")
        shapes = {"weight": (c,), "bias": (c,)}
    elif short == "Embedding":
        shapes = {"weight": ints("num_embeddings", "embedding_dim")}
    else:
        return None
    shape = shapes.get(name)
    if shape is None or not all(S.known_int(d) for d in shape):
        return None if shape is None else _param(None, layer)
    return _param(shape, layer)


# -- functional forms of layers: `F.max_pool2d(x, 2)` is `nn.MaxPool2d(2)(x)` ------------------

def _functional_layer(qualname):
    def fn(call):
        from ..models import call_layer

        x = call.arg(0, "input")
        if not isinstance(x, Tensor):
            return UNKNOWN
        rest = call.with_args(list(call.args[1:]), {k: v for k, v in call.kwargs.items() if k != "input"},
                              list(call.arg_nodes[1:]), call.kwarg_nodes)
        layer = LAYERS[qualname].construct(rest, qualname)
        layer.node = None  # made by the call itself, not defined anywhere
        return call_layer(call.with_args([x], arg_nodes=list(call.arg_nodes[:1])), layer)
    return fn


for _f, _q in (("max_pool1d", "MaxPool1d"), ("max_pool2d", "MaxPool2d"), ("max_pool3d", "MaxPool3d"),
               ("avg_pool1d", "AvgPool1d"), ("avg_pool2d", "AvgPool2d"),
               ("adaptive_avg_pool1d", "AdaptiveAvgPool1d"), ("adaptive_avg_pool2d", "AdaptiveAvgPool2d")):
    CALLS["torch.nn.functional." + _f] = _functional_layer("torch.nn." + _q)
