"""Framework knowledge: what calls, layers, losses and tensor methods do to values.

The tables live in `registry` (one name per API, its entry: a transfer function, a
`LayerSpec`, a `LossSpec`); one package or module per framework fills them (`numpy`,
`torch`, `keras`, `builtins`), written against `tensorlint.api` and `tensorlint.values` only.
Shared helpers: `common` (dtypes, tensors made and derived), `ops` (arithmetic, joins,
reductions), `methods` (tensor attributes and methods, subscripts, iteration), `models`
(layers, containers and models applied to values). `numpy_calls` adds NumPy functions that
need the torch tensor methods; `opaque` lists the names left unmodeled on purpose (I/O, devices,
seeds, sessions, configuration objects), which bench/coverage.py counts as covered.
"""
from __future__ import annotations

from .registry import (  # noqa: F401
    ALIASES, CALLS, CONSTANTS, DTYPES, Expectation, LAYERS, LOSSES, LayerSpec, LossSpec,
    MODEL_CALLS, MODULE_ALIASES, OBJECT_ATTRIBUTES, OBJECT_METHODS, TENSOR_METHODS, canonical, known_api, plain, ref,
    register_aliases,
)
from .common import (  # noqa: F401
    DTYPE_NAMES, STRING_DTYPES, derive, dtype_arg, dtype_given, dtype_of, grad_models, grad_of,
    literal_data, make, recorded, shape_from_args, shape_value,
)
from .ops import (  # noqa: F401
    binary_op, concat_tensors, concatenate, elementwise, emit_join, emit_matmul, emit_reduce,
    promote, reduce_shape, stack_tensors,
)
from .methods import (  # noqa: F401
    EnumerateV, ZipV, iterate, size_value, subscript, tensor_attribute, tensor_method,
)
from .models import (  # noqa: F401
    LAYER_ATTRIBUTES, ParamsV, apply_any, apply_layer, call_layer, container_method,
    expected_inputs, layer_attribute, model_dtype, object_method, run_sequential,
)

from . import numpy, numpy_random, torch, keras, builtins, numpy_calls, einsum  # noqa: E402,F401  (fill the tables, in this order)
from . import numpy_arrays, torch_arrays, tf_arrays, tf1_models, keras_augment  # noqa: E402,F401  (array manipulation, selection, statistics)
from .opaque import OPAQUE  # noqa: E402,F401  (names left unmodeled on purpose)
from .keras.model_tensors import MODEL_TENSOR_ATTRIBUTES, model_attribute  # noqa: E402,F401  (a Keras model's tensors)
from .keras.data_format import FormatTest, format_test, sets_format  # noqa: E402,F401  (Keras' global image data format)
