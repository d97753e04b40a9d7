"""What the parts of the check process share: the scope of a replay and small helpers."""
from __future__ import annotations

import re

# set (by the sandbox) where the program's folder is a private copy that takes its writes
FOLDER_COPY = "TENSORLINT_SHAPECHECK_FOLDER_COPY"


ANSI = re.compile(r"\x1b\[[0-9;]*m")
TORCH_LOSS_KEYWORDS = ("target", "targets", "labels", "label", "y", "y_true")
# layers whose weights must have the input's dtype; the meta device does not check it
TORCH_DTYPE_STRICT = (
    "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
    "ConvTranspose3d", "RNN", "LSTM", "GRU",
)

ABSENT = object()  # a name the scope did not have


class Scope:
    """A namespace the replay runs in: the module's, or a loop body's copy of it."""

    def __init__(self, ns: dict, top: bool = False) -> None:
        self.ns = ns
        self.top = top
        self.outputs: dict[str, dict] = {}  # name -> forward record it holds the output of
        self.failed: dict[str, dict] = {}  # name -> why it has no value
        self.synthetic: dict[str, dict] = {}  # name -> the synthetic data it holds or was made from
        self.derived: dict[str, int] = {}  # name -> the forward record whose output alone it was computed from
        self.forward_state: dict[int, tuple] = {}
        self.tapes: dict[int, object] = {}
        self.untaped: set[int] = set()  # forward passes the program's own tapes do not record
        self.outer: dict[str, dict] = {}  # save -> the caller's names a followed function's body rebinds

    def child(self) -> "Scope":
        inner = Scope(dict(self.ns))
        inner.outputs = dict(self.outputs)
        inner.failed = dict(self.failed)
        inner.synthetic = dict(self.synthetic)
        inner.derived = dict(self.derived)
        inner.forward_state = self.forward_state
        inner.tapes = self.tapes
        inner.untaped = self.untaped
        inner.outer = self.outer
        return inner

    def forget(self, name: str) -> None:
        self.outputs.pop(name, None)
        self.failed.pop(name, None)
        self.synthetic.pop(name, None)
        self.derived.pop(name, None)

    def keep_outer(self, token: str, names: list[str]) -> None:
        """Before a followed function's body: what the caller's `names` hold, and what is known of
        them (a model's output, a failed line's, made-up data), to be put back after it."""
        kinds = (self.outputs, self.failed, self.synthetic, self.derived)
        self.outer[token] = {n: (self.ns.get(n, ABSENT), [k.get(n, ABSENT) for k in kinds])
                             for n in names if n in self.ns or n in self.failed}

    def put_back(self, token: str) -> None:
        """After the body: the caller's names as they were; those it did not have stay as the body left them."""
        kinds = (self.outputs, self.failed, self.synthetic, self.derived)
        for name, (value, known) in self.outer.pop(token, {}).items():
            if value is ABSENT:
                self.ns.pop(name, None)
            else:
                self.ns[name] = value
            for kind, was in zip(kinds, known):
                if was is ABSENT:
                    kind.pop(name, None)
                else:
                    kind[name] = was

    def close(self) -> None:
        self.tapes.clear()


def same_value(torch, a, b) -> bool:
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and bool(torch.equal(a, b))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b):
        return all(same_value(torch, x, y) for x, y in zip(a, b))
    return False


def same_tf(tf, a, b) -> bool:
    try:
        a, b = tf.convert_to_tensor(a), tf.convert_to_tensor(b)
    except Exception:  # noqa: BLE001
        return False
    return a.shape == b.shape and bool(tf.reduce_all(tf.equal(a, b)))


def take_samples(value, n: int):
    try:
        if hasattr(value, "shape") and len(value.shape) > 0 and value.shape[0] is not None and value.shape[0] > n:
            return value[:n]
        if isinstance(value, list) and len(value) > n:
            return value[:n]
    except Exception:  # noqa: BLE001
        pass
    return value


def sample_count(value):
    try:
        return int(value.shape[0])
    except Exception:  # noqa: BLE001
        return None


# Keras layers whose output has its input's axes, in the same order
KEEPS_LAYOUT = ("BatchNormalization", "LayerNormalization", "Activation", "Dropout", "SpatialDropout2D", "SpatialDropout3D",
                "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "GaussianNoise", "GaussianDropout", "AlphaDropout",
                "ActivityRegularization")

# the layers whose data_format says which axes are the spatial ones (Flatten's only orders its output)
SPATIAL = re.compile(r"Conv|Pooling|UpSampling|ZeroPadding|Cropping|LocallyConnected")
