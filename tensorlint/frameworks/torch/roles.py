"""Values for what a function receives from callers the file does not show, and wrappers that
keep a model's identity.

A function nobody calls in the file (`def train(model, loader, optimizer, criterion)`) is run
with values judged from how its body uses each parameter (`tensorlint.interp.roles`). Those
values say only what every caller must give for the body to run:

- a *model*: a torch module whose output is backpropagated. Calling it gives a tensor of
  unknown shape and dtype that depends on the model (it needs gradients outside `no_grad`,
  since the body calls `backward()` on something derived from it); `.train()`, `.eval()`,
  `.parameters()`, `.to()`, `.cuda()` work as on any module. Its activation, dtype and layers
  are unknown.
- a *loss*: called with the model's output and a target; its result depends on what it got
  (needs gradients when one of them does), of unknown shape.
- an *optimizer*: a torch optimizer on parameters that are not known.

`nn.DataParallel`, `DistributedDataParallel` and `torch.compile` give back a module that
computes with the same parameters: the analysis keeps the model itself; the function
`nn.parallel.data_parallel(module, input, ...)` gives what the module gives for the input.
"""
from __future__ import annotations

from ...values import UNKNOWN, Container, Instance, Layer, Optimizer, Tensor
from ..common import grad_models, grad_of
from ..registry import CALLS, LayerSpec

OPAQUE = "opaque"  # LayerSpec.category of a module known only by its role


def _forward(layer, x, call):
    args = [*call.args, *call.kwargs.values()]
    interp = call.interp
    if layer.facts.get("role") == "model":
        grad = False if interp.no_grad else True
    else:
        grad = grad_of(*args) if args else None
        if grad is False:
            grad = None  # a loss may hold parameters of its own (a learned weighting)
    own = frozenset((id(layer),)) if layer.facts.get("role") == "model" else frozenset()
    return Tensor(shape=None, dtype=None, fw="torch", node=call.node, depth=call.depth, requires_grad=grad,
                  origin=call.node, tapes=interp.tapes, models=grad_models(*args) | own)


_SPEC = LayerSpec((), "torch", transfer=_forward, float_input=False, category=OPAQUE)


def role_module(role: str, node=None) -> Layer:
    """A torch module known only by its role in a function: "model" or "loss"."""
    return Layer("torch.nn.Module", {"role": role}, "torch", node, dtype=None, spec=_SPEC)


def role_optimizer(node=None) -> Optimizer:
    """A torch optimizer on parameters the function does not show."""
    return Optimizer("torch.optim.Optimizer", UNKNOWN, node)


def is_role_module(value) -> bool:
    return isinstance(value, Layer) and value.spec is _SPEC


def _same_model(call):
    model = call.arg(0, "module")
    if model is None:
        model = call.arg(0, "model")
    if isinstance(model, (Layer, Container)) and model.fw == "torch":
        return model
    if isinstance(model, Instance) and model.cls.kind == "torch.module":
        return model
    return UNKNOWN


for _q in ("torch.nn.DataParallel", "torch.nn.parallel.DataParallel", "torch.nn.parallel.data_parallel.DataParallel",
           "torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.distributed.DistributedDataParallel",
           "torch.compile"):
    CALLS[_q] = _same_model


def _data_parallel(call):
    """`nn.parallel.data_parallel(module, input, device_ids)`: the module applied to the input,
    split over the devices along the batch axis and gathered back."""
    model = _same_model(call)
    x = call.arg(1, "inputs")
    if model is UNKNOWN or not isinstance(x, Tensor):
        return UNKNOWN
    return call.interp.call(model, call.with_args([x]))


for _q in ("torch.nn.parallel.data_parallel", "torch.nn.parallel.data_parallel.data_parallel"):
    CALLS[_q] = _data_parallel

