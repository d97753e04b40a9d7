"""Keras 2 programs under Keras 3: the module paths, names and arguments Keras 3 removed, mapped
to what replaced them, so that a legacy program builds the model it means instead of stopping
(or leaving an empty model) at its imports. Each shim used is reported once."""
from __future__ import annotations

import os
import sys
import types

from . import keras2_names
from .offline import StandInFinder

# legacy layer modules: everything they held is in keras.layers now
LAYER_MODULES = ("core", "convolutional", "recurrent", "embeddings", "normalization", "pooling", "merge",
                 "advanced_activations", "wrappers", "noise", "local", "convolutional_recurrent", "cudnn_recurrent",
                 "experimental", "experimental.preprocessing")


def install(driver) -> None:
    keras = driver.keras
    if keras is None or not str(getattr(keras, "__version__", "")).startswith("3"):
        return
    modules: dict[str, types.ModuleType] = {}
    layers = {k: v for k, v in vars(keras.layers).items() if not k.startswith("__")}
    for prefix in ("keras", "tensorflow.keras"):
        for name in LAYER_MODULES:
            modules[f"{prefix}.layers.{name}"] = types.ModuleType(f"{prefix}.layers.{name}")
            modules[f"{prefix}.layers.{name}"].__dict__.update(layers)
        utils = types.ModuleType(f"{prefix}.utils.np_utils")
        utils.to_categorical = keras.utils.to_categorical
        utils.normalize = keras.utils.normalize
        modules[f"{prefix}.utils.np_utils"] = utils
        for name, names in MOVED_MODULES.items():
            moved = {k: v for k, v in ((k, _find(keras, where)) for k, where in names.items()) if v is not None}
            if moved:
                modules[f"{prefix}.{name}"] = types.ModuleType(f"{prefix}.{name}")
                modules[f"{prefix}.{name}"].__dict__.update(moved)
        try:  # keras.preprocessing.text (Tokenizer, one_hot...): only in Keras 3's legacy package
            from keras.src.legacy.preprocessing import text as legacy_text
        except ImportError:
            legacy_text = None
        if legacy_text is not None:
            text = types.ModuleType(f"{prefix}.preprocessing.text")
            text.__dict__.update({k: v for k, v in vars(legacy_text).items() if not k.startswith("_")})
            modules[f"{prefix}.preprocessing.text"] = text
            try:  # `keras.preprocessing.text.Tokenizer` written as an attribute
                preprocessing = sys.modules.get(f"{prefix}.preprocessing") or __import__(
                    f"{prefix}.preprocessing", fromlist=["sequence"])
                if not hasattr(preprocessing, "text"):
                    preprocessing.text = text
            except Exception:  # noqa: BLE001 - then only the import path is there
                pass

    def on_import(name: str) -> None:
        driver.note_once(f"keras2:{name}", f"line {driver.current_line}: `{name}` is a Keras 2 module: its names were "
                         "taken from their Keras 3 places")

    sys.meta_path.append(StandInFinder(modules, on_import))
    obtain_input_shape(driver)
    image_data_generator(driver)
    optimizer_arguments(driver)
    dense_units(driver)
    model_arguments(driver)
    rnn_initial_state(driver)
    weight_setters(driver)
    backend_functions(driver)
    subclass_build(driver)
    loss_functions(driver)
    keras2_names.install(driver)


# Keras 2 modules Keras 3 removed whose names it keeps elsewhere: module -> {name: its Keras 3 place}
MOVED_MODULES = {
    **{engine: {"Layer": "layers.Layer", "InputSpec": "layers.InputSpec", "Input": "Input", "Model": "Model",
                "get_source_inputs": "utils.get_source_inputs"}
       for engine in ("engine", "engine.topology", "engine.base_layer", "engine.input_spec", "engine.training")},
    "utils.data_utils": {"get_file": "utils.get_file", "Sequence": "utils.Sequence"},
}


def _find(keras, where: str):
    value = keras
    for part in where.split("."):
        value = getattr(value, part, None)
    return value


def obtain_input_shape(driver) -> None:
    """`from keras.applications.imagenet_utils import _obtain_input_shape` (Keras 2's private
    helper of the applications, which model files copied from them import): Keras 3 keeps it, with
    the same arguments, as `obtain_input_shape` in its own package (Keras 2.0 named its fifth
    argument include_top=, later ones require_flatten=)."""
    try:
        from keras.src.applications.imagenet_utils import obtain_input_shape as moved
        import keras.applications.imagenet_utils as public
    except ImportError:
        return
    if not hasattr(public, "_obtain_input_shape"):
        def _obtain_input_shape(*args, **kwargs):
            if "include_top" in kwargs and "require_flatten" not in kwargs:
                kwargs["require_flatten"] = kwargs.pop("include_top")
            driver.note_once("keras2:obtain_input_shape", "`_obtain_input_shape` (Keras 2) ran as Keras 3's "
                             "`obtain_input_shape`, which takes the same arguments")
            return moved(*args, **kwargs)
        public._obtain_input_shape = _obtain_input_shape


def image_data_generator(driver) -> None:
    """keras.preprocessing.image.ImageDataGenerator and keras.preprocessing.sequence's generators,
    kept by Keras 3 only in its legacy package."""
    import importlib

    for module, names in (("image", ("ImageDataGenerator", "NumpyArrayIterator", "DirectoryIterator")),
                          ("sequence", ("TimeseriesGenerator", "skipgrams", "make_sampling_table"))):
        try:
            legacy = importlib.import_module(f"keras.src.legacy.preprocessing.{module}")
            public = importlib.import_module(f"keras.preprocessing.{module}")
        except ImportError:
            continue
        for name in names:
            if not hasattr(public, name) and hasattr(legacy, name):
                setattr(public, name, getattr(legacy, name))


# Keras 2's keras.backend functions that keras.ops has under the same name, arguments and defaults
SAME_IN_OPS = ("abs", "clip", "mean", "sum", "max", "min", "prod", "square", "sqrt", "exp", "log", "sign", "round",
               "tanh", "sigmoid", "softplus", "softmax", "stop_gradient", "cast", "equal", "not_equal", "greater",
               "greater_equal", "less", "less_equal", "maximum", "minimum", "reshape", "transpose", "squeeze", "std",
               "var", "any", "all", "dot", "cos", "sin", "shape")
# ... and those whose axis defaults to the last one in Keras 2 (keras.ops: the first, none, or required)
LAST_AXIS_IN_KERAS2 = ("argmax", "argmin", "concatenate", "expand_dims")
# ... and those it renamed, with the same arguments in the same order
RENAMED_IN_OPS = {"pow": "power", "conv1d": "conv", "conv2d": "conv", "conv3d": "conv"}


def backend_functions(driver) -> None:
    """`from keras import backend as K; K.clip(x, 0, 1)`: Keras 3's keras.backend kept few of
    Keras 2's functions; those keras.ops has with the same meaning are found there."""
    keras = driver.keras
    backend, ops = getattr(keras, "backend", None), getattr(keras, "ops", None)
    if backend is None or ops is None:
        return

    def moved(name, fn, last_axis=False):
        def call(*args, **kwargs):
            driver.note_once(f"keras2:K.{name}", f"`keras.backend.{name}` (Keras 2) ran as `keras.ops.{fn.__name__}`")
            if last_axis and len(args) < 2 and "axis" not in kwargs:
                kwargs["axis"] = -1
            return fn(*args, **kwargs)
        call.__name__ = name
        return call

    table = [(n, n, False) for n in SAME_IN_OPS] + [(n, n, True) for n in LAST_AXIS_IN_KERAS2] + [(n, new, False) for n, new in RENAMED_IN_OPS.items()]
    for name, new, last_axis in table:
        if not hasattr(backend, name) and hasattr(ops, new):
            setattr(backend, name, moved(name, getattr(ops, new), last_axis))
    if not hasattr(backend, "int_shape"):
        backend.int_shape = moved("int_shape", lambda x: tuple(x.shape))


# Keras 2's loss functions that Keras 3's tf.keras.losses lacks (keras.losses keeps them)
LOSS_FUNCTIONS = ("mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
                  "mean_squared_logarithmic_error", "kl_divergence", "log_cosh")


class LossBroadcastError(ValueError):
    """Keras 2's loss of a target and a prediction whose shapes broadcast to more elements than
    either holds (broadcasts.py names the PyTorch case alike)."""


def loss_functions(driver) -> None:
    """`loss_fn = tf.keras.losses.mean_squared_error` (Keras 2): Keras 3's tf.keras.losses has only
    the short names (`mse`), its keras.losses the same functions. Keras 2's took the difference of
    the target and the prediction as they are, so a [batch] target against a [batch, 1]
    prediction broadcast to [batch, batch], every prediction against every target: a wrong loss
    that trains without raising. Keras 3's squeezes the unit axis first. The name runs as Keras 3's
    function where the two agree (same shapes, or one side alone grows), and the crossed
    broadcast Keras 2 computed, between operands of different ranks, is the program's error."""
    import importlib

    keras = driver.keras
    try:
        tf_losses = importlib.import_module("keras._tf_keras.keras.losses")
    except ImportError:
        return
    from .broadcasts import broadcast, count, text

    def keras2(name, fn):
        def call(y_true, y_pred, *args, **kwargs):
            driver.note_once(f"keras2:losses.{name}", f"line {driver.current_line}: `tf.keras.losses.{name}` "
                             f"(Keras 2) ran as Keras 3's `keras.losses.{name}`")
            given, target = _static_shape(y_pred), _static_shape(y_true)
            if given is not None and target is not None and len(given) != len(target):
                both = broadcast(given, target)
                if both is not None and count(both) > max(count(given), count(target)):
                    raise LossBroadcastError(
                        f"{name} is given a target of shape {text(target)} and a prediction of shape {text(given)}, "
                        f"which Keras 2 broadcasts to {text(both)}: every prediction is compared with every target, "
                        "not with its own (Keras 3's function of that name squeezes the unit axis first)")
            return fn(y_true, y_pred, *args, **kwargs)
        call.__name__ = name
        return call

    for name in LOSS_FUNCTIONS:
        fn = getattr(keras.losses, name, None)
        if fn is not None and not hasattr(tf_losses, name):
            setattr(tf_losses, name, keras2(name, fn))


def _static_shape(value) -> list[int] | None:
    """The whole shape of an array or eager tensor; None for a symbolic one or anything else."""
    shape = getattr(value, "shape", None)
    if shape is None or isinstance(value, (list, tuple)):
        return None
    try:
        dims = [int(d) for d in tuple(shape)]
    except (TypeError, ValueError):
        return None
    return dims


WEIGHTS = ("kernel", "bias", "embeddings", "recurrent_kernel", "depthwise_kernel", "pointwise_kernel")


def weight_setters(driver) -> None:
    """A Keras 2 subclass of Dense or Conv2D assigns `self.kernel = self.add_weight(...)` in its
    build; Keras 3 made `kernel` (and `embeddings`) read-only properties over `_kernel`. The
    assignment stores the weight where the property reads it."""
    import inspect

    keras = driver.keras
    done = set()
    for cls in [c for c in vars(keras.layers).values() if inspect.isclass(c)]:
        for base in cls.__mro__:
            for name in WEIGHTS:
                attr = vars(base).get(name)
                if not isinstance(attr, property) or attr.fset is not None or (base, name) in done:
                    continue
                done.add((base, name))
                setattr(base, name, property(attr.fget, _store(driver, name), attr.fdel, attr.__doc__))


def _store(driver, name: str):
    def fset(layer, value):
        setattr(layer, f"_{name}", value)
        driver.note_once(f"keras2:set:{name}", f"`self.{name} = ...` in a layer's build (Keras 2) was stored where "
                         f"Keras 3's read-only `{name}` reads it")
    return fset


def optimizer_arguments(driver) -> None:
    """`SGD(lr=0.01, decay=1e-6)`: Keras 3 calls it learning_rate and has no decay."""
    try:
        from keras.src.optimizers import base_optimizer
    except ImportError:
        return
    base = base_optimizer.BaseOptimizer
    original = base.__init__
    if getattr(original, "_tensorlint", False):
        return

    def init(self, *args, **kwargs):
        if "lr" in kwargs:
            lr = kwargs.pop("lr")
            if args:
                args = (lr, *args[1:])
            else:
                kwargs["learning_rate"] = lr
            driver.note_once("keras2:lr", "the optimizer's Keras 2 argument lr= was passed as learning_rate=")
        if "decay" in kwargs:
            kwargs.pop("decay")
            driver.note_once("keras2:decay", "the optimizer's Keras 2 argument decay= was dropped (Keras 3 has none)")
        return original(self, *args, **kwargs)

    init._tensorlint = True
    base.__init__ = init


def dense_units(driver) -> None:
    """`Dense(np.prod(shape))`, `Dense(tf.reduce_prod(shape))`: Keras 2 took `units` as
    `int(units)`; Keras 3 refuses anything but a Python int. A whole number of an integer dtype (a
    NumPy integer, a 0-d integer array or tensor) is passed as that int, as Keras 2 did; a float, an
    array of several numbers or a size below 1 goes to Keras 3 as it is, which refuses it."""
    try:
        from keras.src.layers.core.dense import Dense
    except ImportError:
        return
    original = Dense.__init__
    if getattr(original, "_tensorlint", False):
        return

    def init(self, *args, **kwargs):
        if args:
            units = _whole(args[0])
            if units is not None:
                args = (units, *args[1:])
        elif "units" in kwargs:
            units = _whole(kwargs["units"])
            if units is not None:
                kwargs["units"] = units
        return original(self, *args, **kwargs)

    init._tensorlint = True
    Dense.__init__ = init


def _whole(value) -> int | None:
    """A positive size of an integer dtype that is not a Python int, as that int; None otherwise."""
    if isinstance(value, (bool, int)):
        return None
    dtype = getattr(value, "dtype", None)
    try:
        scalar = tuple(value.shape) == ()
    except (AttributeError, TypeError):
        return None
    if dtype is None or not scalar:
        return None
    if not str(getattr(dtype, "name", dtype)).startswith(("int", "uint")):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


# Keras 1's names of a functional model's arguments
MODEL_ARGUMENTS = {"input": "inputs", "output": "outputs"}


def model_arguments(driver) -> None:
    """`Model(input=a, output=b)` (Keras 1; Keras 2 still took it): Keras 3 knows only inputs= and
    outputs=, and refuses the call. The old names are passed as the new ones."""
    try:
        from keras.src.models.functional import Functional
        from keras.src.models.model import Model
    except ImportError:
        return
    if getattr(Model.__new__, "_tensorlint", False):
        return

    def renamed(kwargs):
        if not any(old in kwargs and new not in kwargs for old, new in MODEL_ARGUMENTS.items()):
            return kwargs
        kwargs = dict(kwargs)
        for old, new in MODEL_ARGUMENTS.items():
            if old in kwargs and new not in kwargs:
                kwargs[new] = kwargs.pop(old)
        driver.note_once("keras2:model-input", "`Model(input=..., output=...)` (Keras 1) ran as "
                         "`Model(inputs=..., outputs=...)`")
        return kwargs

    original_new, original_init = Model.__new__, Functional.__init__

    def new(cls, *args, **kwargs):
        return original_new(cls, *args, **renamed(kwargs))

    def init(self, *args, **kwargs):
        return original_init(self, *args, **renamed(kwargs))

    new._tensorlint = init._tensorlint = True
    Model.__new__ = staticmethod(new)
    Functional.__init__ = init


def rnn_initial_state(driver) -> None:
    """A custom RNN cell's `get_initial_state(inputs=None, batch_size=None, dtype=None)`: Keras 2's
    RNN layer passed the dtype, Keras 3's passes only batch_size=, and `tf.zeros(..., dtype=None)`
    then fails. A cell whose method takes `dtype` gets the cell's own, as Keras 2 gave it."""
    import inspect

    try:
        from keras.src.layers.rnn.rnn import RNN
    except ImportError:
        return
    original = RNN.get_initial_state
    if getattr(original, "_tensorlint", False):
        return

    def get_initial_state(layer, batch_size):
        fn = getattr(layer.cell, "get_initial_state", None)
        try:
            takes_dtype = fn is not None and "dtype" in inspect.signature(fn).parameters
        except (TypeError, ValueError):
            takes_dtype = False
        if not takes_dtype:
            return original(layer, batch_size)
        driver.note_once("keras2:rnn-dtype", "a custom RNN cell's `get_initial_state` was given `dtype=` as Keras 2's "
                         "RNN layer gave it (Keras 3 passes only batch_size=)")
        state = fn(batch_size=batch_size, dtype=layer.cell.compute_dtype)
        return list(state) if isinstance(state, (list, tuple)) else [state]

    get_initial_state._tensorlint = True
    RNN.get_initial_state = get_initial_state


def subclass_build(driver) -> None:
    """`model.build(input_shape=[(None, 5000), (None, 5000)])` on a subclassed model: Keras 2 ran
    the model's `call` on placeholders of those shapes (float32, no values), so a shape error in
    `call` showed at that line; Keras 3 only marks the model built. A build the program calls
    itself, on a subclass that defines no `build`, runs `call` on Keras 3's symbolic tensors of the
    program's shapes, as Keras 2 did; the builds Keras makes on its own stay as they are."""
    try:
        from keras.src import backend, utils
        from keras.src.models.model import Model
    except ImportError:
        return
    previous = Model.build
    if getattr(previous, "_tensorlint", False):
        return
    keras = driver.keras
    root = os.path.dirname(os.path.abspath(keras.__file__)) + os.sep

    @utils.default
    def build(self, input_shape=None):
        inputs = _symbolic(keras, input_shape)
        if inputs is None or getattr(self, "_tensorlint_building", False) or not _called_by(driver.path, root):
            return previous(self, input_shape)
        driver.note_once(f"keras2:build:{driver.current_line}", f"line {driver.current_line}: `build(input_shape)` ran "
                         "the subclassed model's `call` on symbolic inputs of those shapes, as Keras 2's build did "
                         "(Keras 3 only marks the model built)")
        driver.called_models.add(id(self))
        object.__setattr__(self, "_tensorlint_building", True)
        try:  # what Keras 3 runs for a symbolic call, without the error it wraps around the program's
            out = backend.compute_output_spec(self.call, inputs)
        finally:
            object.__setattr__(self, "_tensorlint_building", False)
        driver.symbolic_build(self, inputs, out)

    build._tensorlint = True
    Model.build = build


def _symbolic(keras, shape):
    """Symbolic tensors (float32, as Keras 2's placeholders) of a build's input shape: one shape (a
    tuple of ints and None, a `TensorShape`), a list or a dict of them; None for anything else."""
    def one(s):
        if hasattr(s, "as_list") and getattr(s, "rank", None) is not None:  # tf.TensorShape([None, 10])
            s = s.as_list()
        if isinstance(s, (list, tuple)) and s and all(d is None or (isinstance(d, int) and d > 0) for d in s):
            return keras.KerasTensor(tuple(s), dtype="float32")
        return None

    if isinstance(shape, dict) and shape:
        many = {k: one(v) for k, v in shape.items()}
        return None if any(v is None for v in many.values()) else many
    single = one(shape)
    if single is not None:
        return single
    if isinstance(shape, (list, tuple)) and shape:
        many = [one(s) for s in shape]
        return None if any(v is None for v in many) else many
    return None


def _called_by(path: str, keras_root: str) -> bool:
    """Whether the program's file called build itself: its caller, past the wrapper Keras puts
    around every build, is the program, not Keras building a model on its first call (whose
    caller is Keras's own `__call__`, whatever line of the program made that call)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name == "build_wrapper" \
            and os.path.abspath(frame.f_code.co_filename).startswith(keras_root):
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename == path


def scalar_list(driver, value, line: int, what: str):
    """Keras 2's fit/predict/evaluate read a (nested) list of plain numbers, `model.predict([17.0])`,
    as one array; Keras 3 refuses it. Such a list becomes that array (with a note); any other value
    is returned as it is."""
    keras = driver.keras
    if keras is None or not str(getattr(keras, "__version__", "")).startswith("3") or not _numbers(value):
        return value
    import numpy as np

    array = np.asarray(value)
    if array.dtype.kind == "f":
        array = array.astype("float32")
    driver.note_once(f"keras2:scalars:{line}:{what}", f"line {line}: the {what}, a list of numbers, were read as one "
                     f"array of shape {list(array.shape)}, as Keras 2 reads them (Keras 3 refuses a list)")
    return array


def _numbers(value, depth: int = 0) -> bool:
    """A non-empty list or tuple whose every leaf is an int or a float, nested evenly."""
    if depth > 8 or not isinstance(value, (list, tuple)) or not value:
        return False
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return True
    return all(_numbers(v, depth + 1) for v in value) and len({len(v) for v in value}) == 1
