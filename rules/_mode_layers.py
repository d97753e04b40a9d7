"""Which torch layers behave differently in training and in evaluation mode (TL415, TL407)."""
from __future__ import annotations

import libcst as cst

from tensorlint.values import Const, Layer

# layers whose forward differs between train() and eval()
_SENSITIVE = ("torch.nn.Dropout", "torch.nn.AlphaDropout", "torch.nn.FeatureAlphaDropout", "torch.nn.BatchNorm",
              "torch.nn.SyncBatchNorm", "torch.nn.LazyBatchNorm")
_RNNS = ("torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN")


def recurrent_dropout(layer: Layer):
    """The dropout between the stacked layers of a torch RNN/LSTM/GRU, which acts only in training
    mode: its value when the program gives it, 0 when it is left at its default or there is one
    layer, None when it cannot be told (an unknown value or layer count, or given by position)."""
    if isinstance(layer.node, cst.Call) and sum(a.keyword is None and not a.star for a in layer.node.args) > 5:
        return None  # given by position
    p = layer.facts.get("dropout", 0)
    p = p.value if isinstance(p, Const) else p
    if not isinstance(p, (int, float)) or isinstance(p, bool):
        return None
    n = layer.facts.get("num_layers", 1)
    n = n.value if isinstance(n, Const) else n
    if isinstance(n, int) and not isinstance(n, bool) and n <= 1:
        return 0  # a single layer: nothing between layers to drop (PyTorch warns that it does nothing)
    return p if isinstance(n, int) and not isinstance(n, bool) or p == 0 else None


def sensitive_layer(layer: Layer) -> bool:
    if layer.fw != "torch":
        return False
    if layer.kind.startswith(_SENSITIVE):
        return not _drops_nothing(layer)
    if layer.kind in _RNNS:  # dropout between stacked recurrent layers, only when training
        p = recurrent_dropout(layer)
        return p is not None and p > 0
    return False


def _drops_nothing(layer: Layer) -> bool:
    """A dropout whose rate the program gives as 0 (`nn.Dropout(0.0)`, or a constructor's argument
    given as 0): the identity in both modes."""
    p = layer.facts.get("p") if "Dropout" in layer.kind else None
    p = p.value if isinstance(p, Const) else p
    return isinstance(p, (int, float)) and not isinstance(p, bool) and p == 0
