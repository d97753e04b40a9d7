"""TensorFlow and Keras (tf.keras and Keras 3): tensors, layers, models, losses, datasets.

Importing the package fills the tables of `tensorlint.frameworks.registry`, in this order:
`tensors`, `layer_rules` and `layer_table` (layers: shape rules, and the table that names
them), `legacy` (Keras 1/2 spellings as data), `models` (Sequential, Model, compile, fit),
`training` (losses, datasets, GradientTape, optimizers), `tf` (TF1 graph code, tf.nn,
tf.data, tf.losses), `tf_ops` (tf / keras.backend / keras.ops arithmetic, shapes and indexing), `backend` (the Keras 2
backend's factories in Keras' float type, `K.int_shape`, `K.batch_flatten`), `graph` (TF1 sessions and feeds, tf.layers, the MNIST helper), `images` (images read from folders),
`sklearn_wrappers` (Keras models wrapped for scikit-learn and fitted by a search or cross-validation),
`data_format` (the global image data format, and what reads it), `model_tensors` (a model's
tensors read from it: `model.output`, `model.layers[i].output`), `applications` (the
`keras.applications` models).
"""
from __future__ import annotations

from . import (  # noqa: F401  (fill the tables, in order)
    tensors, layer_rules, layer_table, legacy, models, training, tf, tf_ops, backend, graph, images, sklearn_wrappers,
    data_format, model_tensors, applications,
)
from .layer_table import KERAS_LAYERS  # noqa: F401
from .models import declared_input_shape, keras_forward, keras_model_call  # noqa: F401
from .tensors import TF_DTYPES  # noqa: F401
from .training import loss_kind  # noqa: F401
