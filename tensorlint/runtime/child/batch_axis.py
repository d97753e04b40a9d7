"""A softmax taken over the batch axis of a model's output (`torch.softmax(logits.squeeze(), dim=0)`
on [batch, classes] logits): each class's scores are normalized across the samples of the batch,
so the probabilities of one sample do not sum to 1 and an argmax over the classes that follows
picks from numbers that depend on the other samples. Raises nothing; the run sees it.

Only what the run establishes counts: the tensor is the output of a forward pass the run made on
the program's own input (or a view of it, `squeeze()`, `view(...)` of the same shape), it has two
axes, its first is the batch of that input (more than one sample) and the second is of another
size, and the softmax's `dim` names the first. A [batch, batch] output (a similarity matrix,
normalized over either axis on purpose), a [batch, 1] output (one score per sample, which only a
softmax across the samples can normalize: attention over the instances of a bag), a softmax over
the last axis, a tensor the program computed otherwise, and a softmax inside a model's forward say
nothing."""
from __future__ import annotations

import contextlib

NAMES = ("softmax", "log_softmax")


@contextlib.contextmanager
def watching(torch, tf, forwards: list[tuple[dict, object]], found: list[dict]):
    """While the block runs, a softmax over the batch axis of one of `forwards`' outputs
    ((forward record, output tensor) pairs) is added to `found`. torch: `torch.softmax`,
    `F.softmax`, `Tensor.softmax` and their log_softmax; TensorFlow: `tf.nn.softmax`,
    `tf.nn.log_softmax` (the same functions as tf.math's)."""
    def check(tensor, dim, name):
        try:
            if not isinstance(dim, int) or isinstance(dim, bool) or len(tensor.shape) != 2:
                return
            if dim < 0:
                dim += 2
            if dim != 0:
                return
            for record, out in forwards:
                if not _same_values(tensor, out):
                    continue
                batch = _batch(record)
                if batch is None or batch < 2 or int(tensor.shape[0]) != batch or int(out.shape[0]) != batch \
                        or int(tensor.shape[1]) in (1, batch):
                    continue
                found.append({"call": record["id"], "forward_line": record.get("line"), "function": name,
                              "shape": [int(d) for d in tensor.shape]})
                return
        except Exception:  # noqa: BLE001 - a value the check cannot read: nothing is said
            return

    def wrap(fn, name, first_dim, keyword):
        def call(*args, **kwargs):
            # `softmax(x, dim)`, `x.softmax(dim)` (args[0] is x), `tf.nn.softmax(logits, axis=...)`
            tensor = args[0] if args else kwargs.get("input", kwargs.get("logits"))
            if keyword in kwargs or "dim" in kwargs:
                dim = kwargs.get(keyword, kwargs.get("dim"))
            else:
                dim = args[1] if len(args) > 1 else first_dim
            check(tensor, dim, name)
            return fn(*args, **kwargs)

        call.__wrapped__ = fn
        return call

    places = []
    if torch is not None:
        places += [(space, name, None, "dim") for space in (torch, torch.nn.functional, torch.Tensor) for name in NAMES]
    if tf is not None:
        # TensorFlow's default axis is the last: no batch axis unless the program names it
        places += [(space, name, -1, "axis") for space in (tf.nn, tf.math) for name in NAMES]
    saved = []
    for owner, name, first_dim, keyword in places:
        original = getattr(owner, name, None)
        if original is None:
            continue
        try:
            setattr(owner, name, wrap(original, name, first_dim, keyword))
            saved.append((owner, name, original))
        except (AttributeError, TypeError):
            continue
    try:
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


def _same_values(tensor, out) -> bool:
    """`out` itself or a view of it of its shape (`out.squeeze()`): a view made under
    `torch.inference_mode()` does not know its base, but shares its memory."""
    if tensor is out or getattr(tensor, "_base", None) is out:
        return True
    try:
        return tensor.data_ptr() == out.data_ptr() and tuple(tensor.shape) == tuple(out.shape)
    except Exception:  # noqa: BLE001 - a TensorFlow tensor, or one without memory
        return False


def _batch(record: dict) -> int | None:
    """The number of samples of a forward pass's first input, when the run gave it the program's own."""
    if record.get("synthesized_input") or record.get("input_error") or record.get("status") != "ok":
        return None
    inputs = record.get("inputs") or []
    shape = (inputs[0] or {}).get("shape") if inputs and isinstance(inputs[0], dict) else None
    if not shape or not isinstance(shape[0], int):
        return None
    return shape[0]
