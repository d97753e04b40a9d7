import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Layer

from ._common import calls_any, imported_qualname, module_calls, module_names
from ._training import parents, unpack_target

_PACKED = "a PackedSequence (data, batch_sizes, sorted_indices, unsorted_indices)"
_PAIR = "a (values, indices) pair"


def _dim_given(call: cst.Call) -> bool:
    """`torch.max(x, 1)` / `torch.max(x, dim=1)`: the reduction form, not the element-wise one."""
    pos = [a for a in call.args if a.keyword is None and not a.star]
    return any(a.keyword is not None and a.keyword.value == "dim" for a in call.args) or (
        len(pos) >= 2 and isinstance(pos[1].value, (cst.Integer, cst.UnaryOperation)))


def _compute_uv(call: cst.Call) -> bool:
    return not any(a.keyword is not None and a.keyword.value == "compute_uv" for a in call.args)


# qualified name -> (number of values, what they are, condition on the call or None)
_ARITY = {
    "torch.nn.utils.rnn.pack_padded_sequence": (4, _PACKED, None),
    "torch.nn.utils.rnn.pack_sequence": (4, _PACKED, None),
    "torch.nn.utils.rnn.pad_packed_sequence": (2, "a (padded, lengths) pair", None),
    "torch.max": (2, _PAIR, _dim_given),
    "torch.min": (2, _PAIR, _dim_given),
    "torch.median": (2, _PAIR, _dim_given),
    "torch.sort": (2, _PAIR, None),
    "torch.topk": (2, _PAIR, None),
    "torch.kthvalue": (2, _PAIR, None),
    "torch.mode": (2, _PAIR, None),
    "torch.std_mean": (2, "a (std, mean) pair", None),
    "torch.var_mean": (2, "a (var, mean) pair", None),
    "torch.linalg.qr": (2, "a (Q, R) pair", None),
    "torch.linalg.eigh": (2, "an (eigenvalues, eigenvectors) pair", None),
    "torch.linalg.slogdet": (2, "a (sign, logabsdet) pair", None),
    "torch.linalg.svd": (3, "a (U, S, Vh) triple", None),
    "torch.svd": (3, "a (U, S, V) triple", None),
    "tensorflow.nn.moments": (2, "a (mean, variance) pair", None),
    "tensorflow.math.top_k": (2, _PAIR, None),
    "tensorflow.nn.top_k": (2, _PAIR, None),
    "tensorflow.unique": (2, "a (y, idx) pair", None),
    "numpy.histogram": (2, "a (counts, bin_edges) pair", None),
    "numpy.linalg.eig": (2, "an (eigenvalues, eigenvectors) pair", None),
    "numpy.linalg.eigh": (2, "an (eigenvalues, eigenvectors) pair", None),
    "numpy.linalg.slogdet": (2, "a (sign, logdet) pair", None),
    "numpy.linalg.svd": (3, "a (U, S, Vh) triple", _compute_uv),
}
_LAST = frozenset(q.rsplit(".", 1)[-1] for q in _ARITY)
_CALLED = {name: (name + "(",) for name in _LAST}
# a line that unpacks a call of one of those names (`a, b = torch.max(`): the text is searched
# for each name first
_UNPACKING = re.compile(r"[ \t]*[\w(\[][\w \t,()\[\].]*,[\w \t,()\[\].]*=[ \t]*[\w.]*$")


def _unpacks_a_call(ctx) -> bool:
    """Whether a line of the text unpacks (`a, b = ...`) a call of one of the checked names: each
    name the text calls is searched for (most files call none of them: the text's calls, gathered
    once, say so without a pass over the text for each name)."""
    text = ctx.text
    for name in _LAST:
        if not calls_any(ctx, _CALLED[name]):
            continue
        i = text.find(name + "(")
        while i != -1:
            if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):
                if _UNPACKING.match(text, text.rfind("\n", 0, i) + 1, i):
                    return True
            i = text.find(name + "(", i + 1)
    return False
# torch recurrent layers return (output, hidden state): the LSTM's state is an (h, c) pair
_RECURRENT = ("torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN")


class ResultUnpackedIntoWrongCount(Rule):
    """
    ## What it does
    Finds the result of a framework call whose number of values is fixed by the API unpacked
    into another number of names: `scores, _ = pack_padded_sequence(...)` (a `PackedSequence`
    has four fields), `values, indices, extra = torch.max(x, dim=1)`, `out, h, c = self.lstm(x)`
    (an LSTM returns `output, (h, c)`), `mean, var, n = tf.nn.moments(x, [0])`,
    `u, s = np.linalg.svd(a)`. Only calls whose result count does not depend on the data
    are checked (`torch.max` only in its reduction form, with a `dim`).

    ## Why is this bad?
    Unpacking needs exactly as many names as there are values: the statement raises
    `ValueError: too many values to unpack` or `not enough values to unpack`. Some of these
    counts changed between releases (`PackedSequence` grew from two fields to four in
    PyTorch 1.1), so code that once ran fails after an upgrade.

    ## Example
    ```python
    scores, _ = pack_padded_sequence(scores, decode_lengths, batch_first=True)
    ```

    ## Use instead
    ```python
    scores = pack_padded_sequence(scores, decode_lengths, batch_first=True).data
    ```

    ## Fix safety
    There is no automatic fix: which of the values was meant is for the author to say.
    """

    code = "TL222"
    name = "result-unpacked-into-wrong-count"
    severity = Severity.ERROR
    summary = "A framework call's result, whose number of values the API fixes, is unpacked into another number of names."
    failing = (
        "from torch.nn.utils.rnn import pack_padded_sequence\n\ndef loss_of(scores, targets, lengths, criterion):\n"
        "    scores, _ = pack_padded_sequence(scores, lengths, batch_first=True)  # TL222\n"
        "    targets, _ = pack_padded_sequence(targets, lengths, batch_first=True)  # TL222\n"
        "    return criterion(scores, targets)\n",
        "import torch\nimport torch.nn as nn\n\nclass Encoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.lstm = nn.LSTM(16, 32, batch_first=True)\n\n    def forward(self, x):\n"
        "        out, h, c = self.lstm(x)  # TL222\n        return out, h, c\n\n"
        "scores = torch.randn(8, 10)\nbest, index, rest = torch.max(scores, dim=1)  # TL222\n",
        "import numpy as np\nimport tensorflow as tf\n\nu, s = np.linalg.svd(np.eye(3))  # TL222\n"
        "x = tf.zeros([4, 3])\nmean, var, n = tf.nn.moments(x, axes=[0])  # TL222\n",
    )
    passing = (
        "from torch.nn.utils.rnn import pack_padded_sequence\n\ndef loss_of(scores, targets, lengths, criterion):\n"
        "    scores = pack_padded_sequence(scores, lengths, batch_first=True).data\n"
        "    targets, *_ = pack_padded_sequence(targets, lengths, batch_first=True)\n"
        "    return criterion(scores, targets)\n",
    )
    lookalikes = (
        # element-wise torch.max of two tensors, unpacked along its first axis of two rows
        "import torch\n\na = torch.randn(2, 5)\nb = torch.randn(2, 5)\nlo, hi = torch.max(a, b)\n"
        "values, indices = torch.max(a, 1)\ns, v = torch.sort(a)\n",
        # a GRU's (output, hidden); an LSTM's state unpacked one level down; a user function named like an API
        "import torch.nn as nn\n\nclass Enc(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.gru = nn.GRU(8, 8)\n        self.lstm = nn.LSTM(8, 8)\n\n    def forward(self, x):\n"
        "        out, h = self.gru(x)\n        out, (h, c) = self.lstm(out)\n        return out, h, c\n\n"
        "def moments(x):\n    return x, x, x\n\nm, v, n = moments(3)\n",
        # numpy's svd without the vectors
        "import numpy as np\n\ns = np.linalg.svd(np.eye(3), compute_uv=False)\nu, s, vh = np.linalg.svd(np.eye(3))\n",
    )

    def on_module(self, ctx, ev):
        if not _unpacks_a_call(ctx):
            return
        env = None
        p = None
        for call in module_calls(ctx):
            f = call.func
            last = f.attr.value if isinstance(f, cst.Attribute) else f.value if isinstance(f, cst.Name) else None
            if last not in _LAST:
                continue
            env = env if env is not None else module_names(ctx)
            q = imported_qualname(env, f)
            entry = _ARITY.get(q or "")
            if entry is None or (entry[2] is not None and not entry[2](call)):
                continue
            p = p or parents(ctx)
            target = unpack_target(p, call)
            if target is not None and len(target.elements) != entry[0]:
                self._report(ctx, call, target, q.rsplit(".", 1)[-1], entry[0], entry[1])

    def on_layer_call(self, ctx, ev):
        layer = ev.layer
        if not isinstance(layer, Layer) or layer.kind not in _RECURRENT:
            return
        target = unpack_target(parents(ctx), ev.node)
        if target is None or len(target.elements) == 2:
            return
        kind = layer.kind.rsplit(".", 1)[-1]
        what = "(output, (h, c))" if kind == "LSTM" else "(output, h)"
        self._report(ctx, ev.node, target, kind, 2, f"a pair {what}")

    def _report(self, ctx, call, target, name, n, what):
        k = len(target.elements)
        error = f"too many values to unpack (expected {k})" if k < n else f"not enough values to unpack (expected {k}, got {n})"
        ctx.report(self, target,
                   f"`{name}` returns {what}: {n} values, unpacked here into {k} names (ValueError: {error}). "
                   f"Unpack {n} names, or take the value you need by name or index")
