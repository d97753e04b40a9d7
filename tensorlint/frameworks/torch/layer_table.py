"""The `torch.nn` layers as data: constructor parameters in order, shape rule, expectation rule,
and flags (float weights, integer input, activation). One entry per layer."""
from __future__ import annotations

from ..registry import LAYERS, LayerSpec
from .. import shapes as S
from .tensors import weights_dtype
from .layer_rules import (
    batchnorm_expects, bilinear_expects, conv, conv_t, embedding, embedding_bag, facts_int, flatten_layer,
    identity, layernorm_expects, linear, linear_expects, mha, mha_expects, pool, rnn, rnn_expects,
    softmax_layer, unflatten, upsample,
)




def L(params, transfer=None, expects=None, **kw):
    return LayerSpec(tuple(params), "torch", transfer, expects, weights=weights_dtype, **kw)


conv1d, conv1d_e = conv(1)
conv2d, conv2d_e = conv(2)
conv3d, conv3d_e = conv(3)
ACT = dict(float_input=False, category="activation")
LAYERS.update({
    "torch.nn.Linear": L(("in_features", "out_features", "bias"), linear, linear_expects),
    "torch.nn.LazyLinear": L(("out_features", "bias"), linear),
    "torch.nn.Bilinear": L(("in1_features", "in2_features", "out_features"), lambda l, x, c: x.with_(shape=S.prefix(x.shape, 1) + (facts_int(l, "out_features"),) if x.shape is not None else None), bilinear_expects),
    "torch.nn.Conv1d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"), conv1d, conv1d_e),
    "torch.nn.Conv2d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"), conv2d, conv2d_e),
    "torch.nn.Conv3d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"), conv3d, conv3d_e),
    "torch.nn.ConvTranspose1d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"), *conv_t(1)),
    "torch.nn.ConvTranspose2d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"), *conv_t(2)),
    "torch.nn.ConvTranspose3d": L(("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding"), *conv_t(3)),
    "torch.nn.BatchNorm1d": L(("num_features", "eps", "momentum"), identity, batchnorm_expects((2, 3), lambda r: 1 - r)),
    "torch.nn.BatchNorm2d": L(("num_features", "eps", "momentum"), identity, batchnorm_expects((4,), lambda r: -3)),
    "torch.nn.BatchNorm3d": L(("num_features", "eps", "momentum"), identity, batchnorm_expects((5,), lambda r: -4)),
    "torch.nn.InstanceNorm2d": L(("num_features",), identity, batchnorm_expects((3, 4), lambda r: -3)),
    "torch.nn.GroupNorm": L(("num_groups", "num_channels"), identity),
    "torch.nn.LayerNorm": L(("normalized_shape", "eps"), identity, layernorm_expects),
    "torch.nn.Embedding": L(("num_embeddings", "embedding_dim", "padding_idx"), embedding, float_input=False, int_input=True),
    "torch.nn.EmbeddingBag": L(("num_embeddings", "embedding_dim"), embedding_bag, float_input=False, int_input=True),
    "torch.nn.Upsample": L(("size", "scale_factor", "mode"), upsample(), **ACT),
    "torch.nn.UpsamplingNearest2d": L(("size", "scale_factor"), upsample(2), **ACT),
    "torch.nn.UpsamplingBilinear2d": L(("size", "scale_factor"), upsample(2), **ACT),
    "torch.nn.Dropout1d": L(("p",), identity, **ACT),
    "torch.nn.Dropout3d": L(("p",), identity, **ACT),
    "torch.nn.AlphaDropout": L(("p",), identity, **ACT),
    "torch.nn.InstanceNorm1d": L(("num_features",), identity, batchnorm_expects((2, 3), lambda r: 1 - r)),
    "torch.nn.InstanceNorm3d": L(("num_features",), identity, batchnorm_expects((4, 5), lambda r: -4)),
    "torch.nn.AvgPool3d": L(("kernel_size", "stride", "padding"), pool(3), **ACT),
    "torch.nn.AdaptiveMaxPool1d": L(("output_size",), pool(1, True), **ACT),
    "torch.nn.Flatten": L(("start_dim", "end_dim"), flatten_layer, float_input=False, category="reshape"),
    "torch.nn.Unflatten": L(("dim", "unflattened_size"), unflatten, float_input=False, category="reshape"),
    "torch.nn.Dropout": L(("p",), identity, **ACT),
    "torch.nn.Dropout2d": L(("p",), identity, **ACT),
    "torch.nn.Identity": L((), identity, **ACT),
    "torch.nn.MaxPool1d": L(("kernel_size", "stride", "padding"), pool(1), **ACT),
    "torch.nn.MaxPool2d": L(("kernel_size", "stride", "padding"), pool(2), **ACT),
    "torch.nn.MaxPool3d": L(("kernel_size", "stride", "padding"), pool(3), **ACT),
    "torch.nn.AvgPool1d": L(("kernel_size", "stride", "padding"), pool(1), **ACT),
    "torch.nn.AvgPool2d": L(("kernel_size", "stride", "padding"), pool(2), **ACT),
    "torch.nn.AdaptiveAvgPool1d": L(("output_size",), pool(1, True), **ACT),
    "torch.nn.AdaptiveAvgPool2d": L(("output_size",), pool(2, True), **ACT),
    "torch.nn.AdaptiveMaxPool2d": L(("output_size",), pool(2, True), **ACT),
    "torch.nn.AdaptiveAvgPool3d": L(("output_size",), pool(3, True), **ACT),
    "torch.nn.LSTM": L(("input_size", "hidden_size", "num_layers"), rnn, rnn_expects),
    "torch.nn.GRU": L(("input_size", "hidden_size", "num_layers"), rnn, rnn_expects),
    "torch.nn.RNN": L(("input_size", "hidden_size", "num_layers"), rnn, rnn_expects),
    "torch.nn.MultiheadAttention": L(("embed_dim", "num_heads"), mha, mha_expects),
    "torch.nn.Softmax": L(("dim",), softmax_layer, activation="softmax", **ACT),
    "torch.nn.LogSoftmax": L(("dim",), softmax_layer, activation="log_softmax", **ACT),
    "torch.nn.Sigmoid": L((), softmax_layer, activation="sigmoid", **ACT),
    "torch.nn.Softmax2d": L((), softmax_layer, activation="softmax", **ACT),
})
for act in ("ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Tanh", "Mish", "PReLU", "ReLU6", "SELU", "Softplus", "Hardswish", "Hardtanh"):
    LAYERS["torch.nn." + act] = L(("inplace",) if act in ("ReLU", "ReLU6", "SELU", "SiLU") else (), softmax_layer, activation=act.lower(), **ACT)
