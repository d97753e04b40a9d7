"""`keras.applications` models (VGG16, ResNet50, MobileNetV2, DenseNet121, EfficientNetB0...):
a functional model whose input and output shapes are those each application's own code
builds from `include_top`, `input_shape` / `input_tensor`, `pooling`, `classes` (and `alpha`).

With the classifier on top the output is `(batch, classes)`, softmax unless
`classifier_activation` says otherwise; without it, the last feature map `(batch, h, w, c)`,
or `(batch, c)` with `pooling="avg"`/`"max"`. The feature map's size follows from the input
size through the network's strided stages (`_STAGES`); a size the program leaves open (no
`input_shape`, a `None` dim, an argument not known) stays unknown, and so does everything an
argument the program does not show could change. Shapes are checked against Keras itself in
tests/test_keras_applications_shapes.py.
"""
from __future__ import annotations

from ...values import ANY, UNKNOWN, Const, Container, Tensor
from ..registry import CALLS
from ..common import make, shape_value
from .. import shapes as S
from .data_format import FIRST, LAST, global_format
from .tensors import keras_float


def _ceil(t: int) -> int:
    return (t + 1) // 2


def _floor(t: int) -> int:
    return t // 2


def _half_even(t: int):
    """A stride-2 stage that Keras 3 pads ("same": rounds up) and Keras 2 crops (rounds down):
    known for an even size only."""
    return t // 2 if t % 2 == 0 else None


def _valid(k: int, s: int):
    return lambda t: (t - k) // s + 1


def _shrink(k: int):
    return lambda t: t - k + 1


# the size maps of each network's strided (and unpadded) stages, input to last feature map
_FIVE_CEIL = (_ceil,) * 5
_INCEPTION = (_valid(3, 2), _shrink(3), _valid(3, 2), _shrink(3), _valid(3, 2), _valid(3, 2), _valid(3, 2))
_STAGES = {
    "vgg": (_floor,) * 5,
    "resnet": _FIVE_CEIL,
    "mobilenet": (_half_even,) + (_floor,) * 4,
    "mobilenet_v2": _FIVE_CEIL,
    "densenet": (_ceil, _ceil, _floor, _floor, _floor),
    "efficientnet": _FIVE_CEIL,
    "inception": _INCEPTION,
    "xception": (_valid(3, 2), _shrink(3), _ceil, _ceil, _ceil, _ceil),
}

# name -> (family, default input size, channels of the last feature map, parameter order)
_COMMON = ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes", "classifier_activation")
_MOBILENET = ("input_shape", "alpha", "depth_multiplier", "dropout", "include_top", "weights", "input_tensor",
              "pooling", "classes", "classifier_activation")
_MOBILENET_V2 = ("input_shape", "alpha", "include_top", "weights", "input_tensor", "pooling", "classes",
                 "classifier_activation")
APPLICATIONS = {
    "VGG16": ("vgg", 224, 512, _COMMON, "vgg16"),
    "VGG19": ("vgg", 224, 512, _COMMON, "vgg19"),
    "ResNet50": ("resnet", 224, 2048, _COMMON, "resnet50"),
    "ResNet101": ("resnet", 224, 2048, _COMMON, "resnet"),
    "ResNet152": ("resnet", 224, 2048, _COMMON, "resnet"),
    "ResNet50V2": ("resnet", 224, 2048, _COMMON, "resnet_v2"),
    "ResNet101V2": ("resnet", 224, 2048, _COMMON, "resnet_v2"),
    "ResNet152V2": ("resnet", 224, 2048, _COMMON, "resnet_v2"),
    "MobileNet": ("mobilenet", 224, 1024, _MOBILENET, "mobilenet"),
    "MobileNetV2": ("mobilenet_v2", 224, 1280, _MOBILENET_V2, "mobilenet_v2"),
    "DenseNet121": ("densenet", 224, 1024, _COMMON, "densenet"),
    "DenseNet169": ("densenet", 224, 1664, _COMMON, "densenet"),
    "DenseNet201": ("densenet", 224, 1920, _COMMON, "densenet"),
    "InceptionV3": ("inception", 299, 2048, _COMMON, "inception_v3"),
    "InceptionResNetV2": ("inception", 299, 1536, _COMMON, "inception_resnet_v2"),
    "Xception": ("xception", 299, 2048, _COMMON, "xception"),
    **{f"EfficientNetB{i}": ("efficientnet", size, channels, _COMMON, "efficientnet")
       for i, (size, channels) in enumerate(((224, 1280), (240, 1280), (260, 1408), (300, 1536), (380, 1792),
                                             (456, 2048), (528, 2304), (600, 2560)))},
}
# ResNet50 before Keras 2.2.1 pooled its last feature map to 1x1 even without the classifier:
# its spatial size without `pooling` depends on the Keras version, and is left unknown
_VERSION_DEPENDENT_MAP = frozenset(("ResNet50",))


class _Args:
    """The application's arguments by name: the value given, the default when not given, None
    where the call does not show it (`**kwargs`, `*args`)."""

    def __init__(self, call, order: tuple):
        self.call, self.order = call, order
        self.hidden = "**" in call.kwargs or any(a.star == "*" for a in getattr(call.node, "args", ()))

    def get(self, name: str, default):
        call = self.call
        index = self.order.index(name) if name in self.order else None
        v = call.arg(index, name)
        if v is None:
            return None if self.hidden else Const(default)
        return v


def _const(v, kinds) -> object:
    """The constant a value is, when of one of `kinds`; UNKNOWN otherwise."""
    if isinstance(v, Const) and (v.value is None or isinstance(v.value, kinds)) and not isinstance(v.value, bool) \
            or isinstance(v, Const) and isinstance(v.value, bool) and bool in kinds:
        return v.value
    return UNKNOWN


def _application(name: str):
    family, size, channels, order, _ = APPLICATIONS[name]

    def build(call):
        args = _Args(call, order)
        top = _const(args.get("include_top", True), (bool,))
        pooling = _const(args.get("pooling", None), (str,))
        classes = _const(args.get("classes", 1000), (int,))
        activation = args.get("classifier_activation", "softmax")
        alpha = _const(args.get("alpha", 1.0), (int, float)) if "alpha" in order else 1.0
        fmt = global_format(call)
        dtype = keras_float(call, computed=True)
        given = args.get("input_tensor", None)
        tensor = given if isinstance(given, Tensor) else None
        declared = args.get("input_shape", None)
        input_shape = shape_value(declared) if declared is not None and not (
            isinstance(declared, Const) and declared.value is None) else None
        if declared is None or (input_shape is None and not (isinstance(declared, Const) and declared.value is None)):
            input_shape = UNKNOWN  # given, not known
        # the input the model is built on
        if tensor is not None:
            inp = tensor
        elif given is None or not (isinstance(given, Const) and given.value is None):
            inp = None  # an input tensor the program does not show
        else:
            if input_shape is UNKNOWN:
                shape = None
            elif input_shape is None:
                if top is True:
                    shape = (size, size, 3) if fmt == LAST else (3, size, size) if fmt == FIRST else None
                elif top is False:
                    shape = (None, None, 3) if fmt == LAST else (3, None, None) if fmt == FIRST else None
                else:
                    shape = None
            else:
                shape = tuple(input_shape)
            inp = make(call, ("B",) + shape if shape is not None else None, keras_float(call), "keras")
        out = _output(call, name, family, channels, inp, top, pooling, classes, activation, alpha, fmt, dtype)
        model = Container("keras.Model", [], "keras", call.node, inputs=(inp,) if inp is not None else (),
                          outputs=out, input_value=inp)
        if isinstance(inp, Tensor) and inp.shape is not None and inp.shape[:1] != (ANY,):
            model.input_shape = tuple(inp.shape[1:])
        return model
    return build


def _output(call, name, family, channels, inp, top, pooling, classes, activation, alpha, fmt, dtype):
    batch = inp.shape[0] if isinstance(inp, Tensor) and inp.shape and inp.shape[0] is not ANY else None
    if top is True:
        act = activation.value if isinstance(activation, Const) else UNKNOWN
        act = "linear" if act is None else act if isinstance(act, str) else None
        n = classes if isinstance(classes, int) else None
        return make(call, (batch, n), dtype, "keras", activation=act, requires_grad=True)
    if top is not False:
        return make(call, None, dtype, "keras", requires_grad=True)
    c = channels if alpha == 1.0 else None
    if pooling in ("avg", "max"):
        return make(call, (batch, c), dtype, "keras", requires_grad=True)
    if pooling is not None or fmt not in (LAST, FIRST):
        return make(call, None if pooling is not None else (batch, None, None, None), dtype, "keras",
                    requires_grad=True)
    spatial = _spatial(inp, fmt)
    if name in _VERSION_DEPENDENT_MAP:
        spatial = (None, None)
    else:
        spatial = tuple(_through(_STAGES[family], d) for d in spatial)
    shape = (batch,) + spatial + (c,) if fmt == LAST else (batch, c) + spatial
    return make(call, shape, dtype, "keras", requires_grad=True)


def _spatial(inp, fmt) -> tuple:
    if not isinstance(inp, Tensor) or inp.shape is None or len(inp.shape) != 4 or inp.shape[0] is ANY:
        return (None, None)
    dims = inp.shape[1:3] if fmt == LAST else inp.shape[2:4]
    return tuple(d if S.known_int(d) else None for d in dims)


def _through(stages, d):
    if d is None:
        return None
    for stage in stages:
        d = stage(d)
        if d is None or d < 1:
            return None  # Keras refuses an input this small
    return d


for _name, (_family, _size, _channels, _order, _module) in APPLICATIONS.items():
    CALLS["keras.applications." + _name] = _application(_name)
    CALLS[f"keras.applications.{_module}.{_name}"] = CALLS["keras.applications." + _name]
