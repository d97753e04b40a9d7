"""The Keras layers as data: constructor parameters in order, shape rule and flags, one entry
per layer; the merge layers' functional forms (`keras.layers.add`)."""
from __future__ import annotations

from ...values import UNKNOWN, Seq
from ..registry import CALLS, LAYERS, LayerSpec
from .data_format import layer_facts
from .layer_rules import (
    dense, kbidirectional, kdot, kconv, kconv_t, kembedding, kflatten, kid, kpermute, kpool, krepeat, kreshape,
    klambda, krnn, kupsample, kzero_pad, merge, padded, spatial_map,
)


def K(params, transfer, **kw):
    return LayerSpec(tuple(params), "keras", transfer, None, float_input=False, **kw)


KERAS_LAYERS = {
    "Dense": K(("units", "activation", "use_bias"), dense),
    "Conv1D": K(("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation"), kconv(1)),
    "Conv2D": K(("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation"), kconv(2)),
    "Conv3D": K(("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation"), kconv(3)),
    "MaxPooling1D": K(("pool_size", "strides", "padding", "data_format"), kpool(1)),
    "MaxPooling2D": K(("pool_size", "strides", "padding", "data_format"), kpool(2)),
    "AveragePooling2D": K(("pool_size", "strides", "padding", "data_format"), kpool(2)),
    "MaxPool2D": K(("pool_size", "strides", "padding", "data_format"), kpool(2)),
    "GlobalAveragePooling2D": K(("data_format",), kpool(2, True)),
    "GlobalMaxPooling2D": K(("data_format",), kpool(2, True)),
    "GlobalAveragePooling1D": K(("data_format",), kpool(1, True)),
    "Flatten": K(("data_format",), kflatten),
    "Reshape": K(("target_shape",), kreshape),
    "Embedding": K(("input_dim", "output_dim"), kembedding, int_input=True),
    "LSTM": K(("units", "activation"), krnn),
    "GRU": K(("units", "activation"), krnn),
    "SimpleRNN": K(("units", "activation"), krnn),
    "Dropout": K(("rate",), kid),
    "Masking": K(("mask_value",), kid),
    "BatchNormalization": K(("axis",), kid),
    "LayerNormalization": K(("axis",), kid),
    "Normalization": K(("axis",), kid),
    "Rescaling": K(("scale", "offset"), kid),
    "Activation": K(("activation",), kid, category="activation"),
    "Softmax": K(("axis",), kid, activation="softmax"),
    "ReLU": K((), kid, activation="relu"),
    "InputLayer": K(("input_shape",), kid),
    "Cropping2D": K(("cropping", "data_format"), spatial_map(2, padded(-1))),
}




CONV_PARAMS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation")
POOL_PARAMS = ("pool_size", "strides", "padding", "data_format")
KERAS_LAYERS.update({
    "Conv2DTranspose": K(("filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate", "activation"), kconv_t(2)),
    "SeparableConv1D": K(CONV_PARAMS[:6] + ("depth_multiplier", "activation"), kconv(1)),
    "SeparableConv2D": K(CONV_PARAMS[:6] + ("depth_multiplier", "activation"), kconv(2)),
    "AveragePooling1D": K(POOL_PARAMS, kpool(1)),
    "MaxPooling3D": K(POOL_PARAMS, kpool(3)),
    "AveragePooling3D": K(POOL_PARAMS, kpool(3)),
    "GlobalMaxPooling1D": K(("data_format",), kpool(1, True)),
    "GlobalAveragePooling3D": K(("data_format",), kpool(3, True)),
    "GlobalMaxPooling3D": K(("data_format",), kpool(3, True)),
    "UpSampling1D": K(("size",), kupsample(1)),
    "UpSampling2D": K(("size", "data_format", "interpolation"), kupsample(2)),
    "UpSampling3D": K(("size", "data_format"), kupsample(3)),
    "ZeroPadding2D": K(("padding", "data_format"), kzero_pad),
    "RepeatVector": K(("n",), krepeat),
    "Permute": K(("dims",), kpermute),
    "Bidirectional": K(("layer", "merge_mode"), kbidirectional),
    "LeakyReLU": K(("negative_slope",), kid, activation="leaky_relu", category="activation"),
    "PReLU": K((), kid, activation="prelu"),
    "ELU": K(("alpha",), kid, activation="elu", category="activation"),
    "ThresholdedReLU": K(("theta",), kid, activation="relu", category="activation"),
    "SpatialDropout1D": K(("rate",), kid),
    "SpatialDropout2D": K(("rate",), kid),
    "GaussianNoise": K(("stddev",), kid),
    "GaussianDropout": K(("rate",), kid),
    "AlphaDropout": K(("rate",), kid),
    "ActivityRegularization": K(("l1", "l2"), kid),
    "Masking": K(("mask_value",), kid),
    "Lambda": K(("function", "output_shape", "mask", "arguments"), klambda),
    "Add": K((), merge(), category="merge"),
    "Subtract": K((), merge(), category="merge"),
    "Multiply": K((), merge(), category="merge"),
    "Average": K((), merge(), category="merge"),
    "Maximum": K((), merge(), category="merge"),
    "Minimum": K((), merge(), category="merge"),
    "Concatenate": K(("axis",), merge(concat=True), category="merge"),
    "Dot": K(("axes", "normalize"), kdot, category="merge"),
})
for _name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
              "BatchNormalization", "LayerNormalization", "Masking", "ActivityRegularization"):
    KERAS_LAYERS[_name].category = "activation"  # what comes out is what came in, activation included
for _name, _spec in KERAS_LAYERS.items():
    if "data_format" in _spec.params:
        _spec.settings = layer_facts  # left out, the format is Keras' global one
    LAYERS["keras.layers." + _name] = _spec


def _merge_function(name):
    """`keras.layers.add([a, b])`, `concatenate([a, b], axis=1)`: build the layer and apply it."""
    def fn(call):
        from ..models import call_layer

        spec = LAYERS["keras.layers." + name]
        kwargs = {k: v for k, v in call.kwargs.items() if k not in ("inputs",)}
        layer = spec.construct(call.with_args(list(call.args[1:]), kwargs, list(call.arg_nodes[1:]), call.kwarg_nodes),
                               "keras.layers." + name)
        inputs = call.arg(0, "inputs", UNKNOWN)
        return call_layer(call.with_args([inputs], arg_nodes=[call.arg_node(0, "inputs")]), layer)
    return fn


for _name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"):
    CALLS["keras.layers." + _name.lower()] = _merge_function(_name)


def _batch_dot(call):
    """`K.batch_dot(x, y, axes)`: the product the Dot layer computes."""
    from ..models import call_layer

    layer = LAYERS["keras.layers.Dot"].construct(
        call.with_args([], {"axes": call.arg(2, "axes", UNKNOWN)}, [], {}), "keras.layers.Dot")
    pair = Seq("list", (call.arg(0, "x", UNKNOWN), call.arg(1, "y", UNKNOWN)))
    return call_layer(call.with_args([pair], arg_nodes=[call.node]), layer)


CALLS["keras.backend.batch_dot"] = _batch_dot
