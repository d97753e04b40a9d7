"""Keras 1/2 spellings as data: legacy module paths, renamed layers, renamed and positional
arguments, mapped onto today's layers."""
from __future__ import annotations

from ..registry import LAYERS, LayerSpec, register_aliases
from .layer_table import KERAS_LAYERS


# -- Keras 1/2 spellings: legacy module paths, renamed layers and arguments (table data) ---------

LEGACY_LAYER_MODULES = (
    "core", "convolutional", "recurrent", "pooling", "normalization", "embeddings", "merge", "advanced_activations",
    "noise", "wrappers", "local", "convolutional_recurrent", "cudnn_recurrent", "dense_attention", "attention",
    "reshaping", "activation", "activations", "regularization", "rnn", "preprocessing", "merging", "serialization",
)
LEGACY_MODULES = {
    "keras.utils.np_utils": "keras.utils", "keras.utils.data_utils": "keras.utils",
    "keras.engine.training": "keras.models", "keras.engine.sequential": "keras.models",
    "keras.engine.topology": "keras.layers", "keras.engine.input_layer": "keras.layers",
    "keras.engine.functional": "keras.models", "keras.optimizers.legacy": "keras.optimizers",
    "keras.optimizer_v2.adam": "keras.optimizers", "keras.optimizer_v2.gradient_descent": "keras.optimizers",
    "keras.optimizers.optimizer_v2.adam": "keras.optimizers",
    # TF 2.3-2.5 kept the preprocessing layers (Normalization, Rescaling, TextVectorization) here
    "keras.layers.experimental.preprocessing": "keras.layers", "keras.layers.experimental": "keras.layers",
}
LEGACY_NAMES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Deconvolution2D": "Conv2DTranspose", "Deconv2D": "Conv2DTranspose", "Conv2DTranspose": "Conv2DTranspose",
    "MaxPool1D": "MaxPooling1D", "MaxPool3D": "MaxPooling3D", "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D", "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D", "CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU",
}
# Keras 1 argument names -> Keras 2/3 names; `output_dim` is `units` except on Embedding
LEGACY_KWARGS = {
    "output_dim": "units", "nb_filter": "filters", "border_mode": "padding", "subsample": "strides",
    "subsample_length": "strides", "filter_length": "kernel_size", "pool_length": "pool_size", "stride": "strides",
    "dim_ordering": "data_format", "init": "kernel_initializer", "p": "rate", "atrous_rate": "dilation_rate",
    "input_length": "input_length",
}
LEGACY_VALUES = {"data_format": {"th": "channels_first", "tf": "channels_last"}}
# Keras 1 positional forms: Convolution2D(nb_filter, nb_row, nb_col, ...)
LEGACY_POSITIONAL = {
    "Convolution1D": ("Conv1D", ("filters", "filter_length")),
    "Convolution2D": ("Conv2D", ("filters", "nb_row", "nb_col")),
    "Convolution3D": ("Conv3D", ("filters", "kernel_dim1", "kernel_dim2", "kernel_dim3")),
    "Deconvolution2D": ("Conv2DTranspose", ("filters", "nb_row", "nb_col")),
}
KERNEL_PARTS = {"nb_row": 0, "nb_col": 1, "kernel_dim1": 0, "kernel_dim2": 1, "kernel_dim3": 2}


def _legacy_facts(keep_output_dim=False):
    def normalize(facts):
        out = {}
        for k, v in facts.items():
            if k == "output_dim" and keep_output_dim:
                out[k] = v
                continue
            key = LEGACY_KWARGS.get(k, k)
            if key not in out or k == key:
                out[key] = LEGACY_VALUES.get(key, {}).get(v, v) if isinstance(v, str) else v
        parts = sorted((KERNEL_PARTS[k], v) for k, v in facts.items() if k in KERNEL_PARTS)
        if parts and "kernel_size" not in facts:
            out["kernel_size"] = tuple(v for _, v in parts)
        return out
    return normalize


for _name, _spec in KERAS_LAYERS.items():
    _spec.normalize = _legacy_facts(keep_output_dim=_name == "Embedding")
for _old, (_new, _params) in LEGACY_POSITIONAL.items():
    _base = KERAS_LAYERS[_new]
    # the layer made is today's (`Conv2D`): what rules know of a layer they know by that name
    LAYERS["keras.layers." + _old] = LayerSpec(_params + _base.params[2:], "keras", _base.transfer, None, float_input=False,
                                               normalize=_base.normalize, settings=_base.settings,
                                               kind="keras.layers." + _new)
register_aliases(
    {"keras.layers." + old: "keras.layers." + new for old, new in LEGACY_NAMES.items() if old not in LEGACY_POSITIONAL},
    {**{"keras.layers." + m: "keras.layers" for m in LEGACY_LAYER_MODULES}, **LEGACY_MODULES},
)
