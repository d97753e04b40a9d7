"""Keras' image augmentation and resizing layers (`RandomFlip`, `RandomRotation`, `RandomZoom`,
`RandomTranslation`, `RandomContrast`, `RandomBrightness`, `Resizing`, `CenterCrop`,
`RandomCrop`): the input's shape (the crops and `Resizing` set the two spatial dims, channels
last) in the layers' compute dtype, float32 whatever the input's dtype unless `dtype=` or the
file's precision settings say otherwise. Checked against Keras in
tests/differential/test_keras_augment.py."""
from __future__ import annotations

from ..values import ANY, Tensor
from . import shapes as S
from .keras.data_format import LAST, layer_facts, layer_format
from .keras.tensors import keras_float
from .registry import LAYERS, LayerSpec


def out_dtype(layer, call):
    given = layer.facts.get("dtype")
    if given is not None:
        return given if isinstance(given, str) and given.startswith("float") else None
    return keras_float(call, computed=True)


def augment(layer, x, call):
    return x.with_(fw="keras" if x.fw == "keras" else "tf", dtype=out_dtype(layer, call), span=None, magnitude=None,
                   onehot=False)


def resized(layer, x, call):
    """Resizing / CenterCrop / RandomCrop(height, width): channels-last images of that size."""
    h, w = layer.facts.get("height"), layer.facts.get("width")
    shape = None
    if x.shape is not None and len(x.shape) in (3, 4) and ANY not in x.shape[:1] and layer_format(layer) == LAST:
        shape = tuple(x.shape[:-3]) + (h if S.known_int(h) else None, w if S.known_int(w) else None, x.shape[-1])
    elif x.shape is not None and ANY not in x.shape[:1] and len(x.shape) in (3, 4):
        shape = (None,) * len(x.shape)
    return augment(layer, x, call).with_(shape=shape) if isinstance(x, Tensor) else x


def K(params, transfer):
    return LayerSpec(tuple(params), "keras", transfer, None, float_input=False)


AUGMENT = {
    "RandomFlip": K(("mode", "seed"), augment),
    "RandomRotation": K(("factor", "fill_mode", "interpolation", "seed"), augment),
    "RandomZoom": K(("height_factor", "width_factor", "fill_mode", "interpolation", "seed"), augment),
    "RandomTranslation": K(("height_factor", "width_factor", "fill_mode", "interpolation", "seed"), augment),
    "RandomContrast": K(("factor", "seed"), augment),
    "RandomBrightness": K(("factor", "value_range", "seed"), augment),
    "Resizing": K(("height", "width", "interpolation"), resized),
    "CenterCrop": K(("height", "width"), resized),
    "RandomCrop": K(("height", "width", "seed"), resized),
}
for _name in ("Resizing", "CenterCrop", "RandomCrop"):
    AUGMENT[_name].settings = layer_facts  # left out, the format is Keras' global one
for _name, _spec in AUGMENT.items():
    for _module in ("keras.layers.", "keras.layers.experimental.preprocessing."):
        LAYERS.setdefault(_module + _name, _spec)
