"""PyTorch: tensor factories, tensor methods, nn layers, losses, optimizers, data loading.

Importing the package fills the tables of `tensorlint.frameworks.registry`, in this order:
`tensors` (dtypes, factories, tensor methods; `reshape` holds those that change a shape or layout), `layer_rules` and `layer_table` (nn layers:
shape rules, and the table that names them), `training` (containers, losses, optimizers,
data), `functional` (layer parameters, functional forms of layers), `calls` (torch functions
beside the tensor methods: `torch.max`, arithmetic and comparisons, sampling, `nn.init`,
padding layers, a Sequential filled by `add_module`), `selection` (`sort`, `nonzero`, `diag`), `copies` (`repeat`, `tile`, `type_as`, fills), `distributions` (what `torch.distributions`
give: samples, log-probabilities, entropies), `vision` (torchvision's datasets of known
images and their transforms), `roles` (modules and optimizers known only by how a function
uses them; wrappers that keep a model: `DataParallel`, `torch.compile`).
"""
from __future__ import annotations

from . import (  # noqa: F401  (fill the tables, in order)
    tensors, layer_rules, layer_table, training, module_dicts, functional, calls, selection, copies, distributions, vision, roles, summaries,
)
from .functional import layer_parameter  # noqa: F401
from .dtype_names import TORCH_DTYPES  # noqa: F401
from .reshape import flatten_shape  # noqa: F401
from .training import Scheduler, emitting  # noqa: F401
