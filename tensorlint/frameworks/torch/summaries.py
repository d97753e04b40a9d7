"""Model summaries that run the model once on a made-up input: `torchsummary.summary(model,
(1, 28, 28))` draws a batch of 2 of that size (the size leaves the batch axis out);
`torchinfo.summary(model, input_size=(16, 1, 28, 28))` takes the size with its batch axis. The
forward pass they run is the program's first use of the model in many posted programs, so it
is run here as the model call it is. A size that is not a tuple or list of known integers (or
one per input, which these functions also take) leaves the call unknown."""
from __future__ import annotations

from ...values import UNKNOWN, Const, Value, exact_items
from ..registry import CALLS
from .tensors import torch_tensor

_TORCHSUMMARY_BATCH = 2  # torchsummary builds `torch.rand(2, *input_size)`


def _sizes(value) -> tuple | None:
    if isinstance(value, Const) and isinstance(value.value, (tuple, list)):
        items = value.value
    else:
        known = exact_items(value) if value is not None else None
        if known is None:
            return None
        items = tuple(v.value if isinstance(v, Const) else None for v in known)
    if not items or not all(type(i) is int and i > 0 for i in items):
        return None
    return tuple(items)


def _summary(batch_in_size: bool):
    def fn(call) -> Value:
        model = call.arg(0, "model")
        size = _sizes(call.arg(1, "input_size"))
        if model is None or size is None or call.arg(None, "dtypes") is not None:
            return UNKNOWN
        shape = size if batch_in_size else (_TORCHSUMMARY_BATCH,) + size
        call.interp.call(model, call.with_args([torch_tensor(call, shape, "float32")]))
        return UNKNOWN
    return fn


CALLS.update({
    "torchsummary.summary": _summary(batch_in_size=False),
    "torchinfo.summary": _summary(batch_in_size=True),
})
