import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import calls_written


def _argument_name(node: cst.BaseExpression) -> str | None:
    """The name an argument is written as: `embedding_dim`, `self.alpha` (the attribute's name);
    None for another expression and for a one-letter name, which does not say what it holds."""
    if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == "self":
        node = node.attr  # (the attribute of another object names a part of it: `config.data`, `x.dtype`)
    name = node.value if type(node) is cst.Name else None
    return name if name is not None and len(name) > 1 else None


def _positional_names(call: cst.Call) -> list:
    given = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            break  # past a `*args` the positions are not the text's
        given.append(_argument_name(arg.value))
    return given


def _written_name(call: cst.Call) -> str | None:
    func = call.func
    return func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else None


def _parameter_names(func) -> list:
    """The names of a definition's positional parameters, in order."""
    params = func.params
    return [p.name.value for p in (*params.posonly_params, *params.params)]


# words that name the two ends of one flow: a definition's `in_channels` given the caller's
# `out_channels` (a decoder mirroring its encoder) is a deliberate order, not a mix-up
_ENDS = frozenset(map(frozenset, (
    ("in", "out"), ("input", "output"), ("inputs", "outputs"), ("inp", "out"), ("src", "dst"), ("src", "tgt"),
    ("src", "trg"), ("source", "target"), ("enc", "dec"), ("encoder", "decoder"), ("from", "to"))))


def _words(name: str) -> list:
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]


def related(a: str, b: str) -> bool:
    """Names of one kind of quantity, which a program passes for each other on purpose: one name
    is the other with words added (`dim` given as `out_dim` when blocks are chained), or the two
    differ in one word where the words name the two ends of one flow (`out_channels` given as
    `in_channels` by a decoder, `outputs` as `inputs`, `src` as `tgt`)."""
    x, y = _words(a), _words(b)
    if set(x) <= set(y) or set(y) <= set(x):
        return True
    differ = [(p, q) for p, q in zip(x, y) if p != q]
    return len(x) == len(y) and len(differ) == 1 and frozenset(differ[0]) in _ENDS


def misplaced(call: cst.Call, func, bound: int) -> list:
    """`(i, j)` for each positional argument `i` of `call` written as the name of another
    positional parameter `j` of `func` (after its `bound` leading ones), where the call also
    fills parameter `j` by position, with an argument written as another name."""
    names = _parameter_names(func)[bound:]
    given = _positional_names(call)[:len(names)]
    found = []
    for i, name in enumerate(given):
        if name is None or name == names[i] or name not in names[:len(given)] or given.count(name) > 1:
            continue  # (a name given twice fills two parameters on purpose: `Block(dim, hidden, dim)`)
        j = names.index(name)
        if given[j] is not None and given[j] != names[j] and not related(name, names[i]):
            found.append((i, j))
    return found


class ArgumentForOtherParameter(Rule):
    """
    ## What it does
    Finds a call of the program's own function, method, class or model that passes, by
    position, an argument written as the name of another of the definition's parameters, while
    the parameter of that name gets another positional argument of the same call:
    `Encoder(vocab_size, embedding_dim, maxlen)` for `def __init__(self, vocab_size,
    num_timesteps, embedding_dim)`, `focal_loss(gt, pr, self.alpha, self.gamma)` for
    `def focal_loss(gt, pr, gamma=2.0, alpha=0.25)`. The argument's name is a plain name or the
    name of an attribute of `self` (`self.alpha`). The definition is the one
    the analysis follows the call into (of the file or of a project module it imports).

    Both arguments are written as names of more than one letter, so the call's text says what
    each value is. Calls are left alone where the order may be deliberate: another call of the
    same name with the two arguments in the other order (a comparison made both ways),
    names of one kind of quantity (an argument
    `dim` given to `out_dim` when blocks are chained, `out_channels` given to `in_channels` by a
    decoder, `outputs` to `inputs`), a function calling itself, and a function that passes its
    own parameters on in another order (`def gt(a, b): return lt(b, a)`).

    The rule is opt-in: a name can mean another thing at the call than in the definition (a
    caller's `num_channels` is the channel count so far, a dense block's `num_channels` its
    growth; a symmetric error takes `targets` and `predictions` in either order), which the
    names alone do not tell apart from a mix-up.

    ## Why is this bad?
    Python binds positional arguments by their position, not their names: the embedding width
    becomes the sequence length and the sequence length the embedding width, the focal loss's
    class weight becomes its focusing exponent. Nothing fails when the sizes happen to fit; the
    model is built or trained with the wrong hyperparameters. The names written at the call say
    which parameter each value was meant for.

    ## Example
    ```python
    class Encoder(tf.keras.Model):
        def __init__(self, vocab_size, num_timesteps, embedding_dim):
            super().__init__()
            self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)

    encoder = Encoder(vocab_size, embedding_dim, maxlen)
    ```

    ## Use instead
    ```python
    encoder = Encoder(vocab_size, maxlen, embedding_dim)
    # or, whatever the order of the definition:
    encoder = Encoder(vocab_size, num_timesteps=maxlen, embedding_dim=embedding_dim)
    ```

    ## Fix safety
    There is no automatic fix: whether the call or the definition has the intended order is the
    program's.
    """

    code = "TL008"
    name = "argument-for-other-parameter"
    severity = Severity.WARNING
    default = False  # opt-in: a name can mean another thing at the call than in the definition
    summary = ("A positional argument written as the name of another parameter of the called function, class or model, "
               "while that parameter gets a different argument (arguments in another order than the definition).")
    failing = (
        "import tensorflow as tf\n\nclass Encoder(tf.keras.Model):\n"
        "    def __init__(self, vocab_size, num_timesteps, embedding_dim, units):\n        super().__init__()\n"
        "        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)\n"
        "        self.rnn = tf.keras.layers.GRU(units)\n\n    def call(self, x):\n        return self.rnn(self.embedding(x))\n\n"
        "vocab_size, embedding_dim, maxlen = 5000, 256, 40\n"
        "encoder = Encoder(vocab_size, embedding_dim, maxlen, 1024)  # TL008\n",
        "import tensorflow as tf\n\ndef focal_loss(gt, pr, gamma=2.0, alpha=0.25):\n"
        "    pr = tf.clip_by_value(pr, 1e-7, 1.0 - 1e-7)\n    return -gt * alpha * (1 - pr) ** gamma * tf.math.log(pr)\n\n"
        "class FocalLoss(tf.keras.losses.Loss):\n    def __init__(self, alpha=0.25, gamma=2.0):\n        super().__init__()\n"
        "        self.alpha = alpha\n        self.gamma = gamma\n\n    def call(self, gt, pr):\n"
        "        return focal_loss(gt, pr, self.alpha, self.gamma)  # TL008\n",
        "import torch\nimport torch.nn as nn\n\nclass TextNet(nn.Module):\n    def __init__(self, vocab_size, hidden_size, n_classes):\n"
        "        super().__init__()\n        self.embed = nn.EmbeddingBag(vocab_size, hidden_size)\n"
        "        self.out = nn.Linear(hidden_size, n_classes)\n\n    def forward(self, tokens, offsets):\n"
        "        return self.out(self.embed(tokens, offsets))\n\n"
        "vocab_size, hidden_size = 20000, 64\nmodel = TextNet(hidden_size, vocab_size, 4)  # TL008\n"
        "tokens, offsets = torch.randint(0, 64, (10,)), torch.tensor([0, 5])\nlogits = model(offsets, tokens)  # TL008\n",
    )
    passing = (
        "import tensorflow as tf\n\nclass Encoder(tf.keras.Model):\n"
        "    def __init__(self, vocab_size, num_timesteps, embedding_dim, units):\n        super().__init__()\n"
        "        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)\n"
        "        self.rnn = tf.keras.layers.GRU(units)\n\n    def call(self, x):\n        return self.rnn(self.embedding(x))\n\n"
        "vocab_size, embedding_dim, maxlen = 5000, 256, 40\n"
        "encoder = Encoder(vocab_size, maxlen, embedding_dim, 1024)\n"
        "decoder = Encoder(vocab_size, num_timesteps=maxlen, embedding_dim=embedding_dim, units=1024)\n",
    )
    lookalikes = (
        # names that are no other parameter's, the same name twice, a keyword for the other
        # parameter, an argument past a star argument
        "import torch.nn as nn\n\ndef block(in_channels, out_channels, stride=1):\n    return nn.Conv2d(in_channels, out_channels, 3, stride)\n\n"
        "channels, out_channels, in_channels = 3, 16, 8\nsizes = (8, 16)\n"
        "a = block(channels, out_channels)\nb = block(in_channels, in_channels)\nc = block(out_channels, in_channels=8)\n"
        "d = block(*sizes, out_channels)\ne = block(16, in_channels)\n",
        # a decoder mirroring its encoder: the caller's output size is the block's input size
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self, in_channels, out_channels):\n"
        "        super().__init__()\n        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)\n\n"
        "class AutoEncoder(nn.Module):\n    def __init__(self, in_channels=3, out_channels=16):\n        super().__init__()\n"
        "        self.encode = Block(in_channels, out_channels)\n        self.decode = Block(out_channels, in_channels)\n\n"
        "n_in, n_out = 8, 4\nlayer = Block(n_out, n_in)\n",
        # deliberate orders: recursion, and a function that passes its own parameters on reordered
        "import torch\n\ndef less(a, b):\n    return torch.lt(a, b)\n\ndef greater(a, b):\n    return less(b, a)\n\n"
        "def gcd(a, b):\n    return a if b == 0 else gcd(b, a % b)\n\nprint(greater(torch.ones(2), torch.zeros(2)), gcd(12, 8))\n",
        # a call of a function the analysis does not see: nothing is known of its parameters
        "import torch\nfrom somewhere import focal_loss\n\nalpha, gamma = 0.25, 2.0\n"
        "loss = focal_loss(torch.ones(3), torch.ones(3), alpha, gamma)\n",
    )

    def on_user_call(self, ctx, ev):
        func = ev.func.node
        if type(func) is not cst.FunctionDef or ev.caller is not None and ev.caller.node is func:
            return
        if ev.bound and any(dotted(d.decorator) == "staticmethod" for d in func.decorators):
            return
        found = misplaced(ev.node, func, ev.bound)
        if not found or ctx.line(ev.node) is None:
            return
        names = _parameter_names(func)[ev.bound:]
        own = set(_parameter_names(ev.caller.node)) if ev.caller is not None and type(ev.caller.node) is cst.FunctionDef else set()
        found = [(i, j) for i, j in found if not {names[i], names[j]} <= own]
        if found and _written_name(ev.node) is not None:
            # another call of the same name with the same two arguments in the other order: the
            # program uses both orders (a comparison made in each direction)
            given = _positional_names(ev.node)
            others = [_positional_names(c) for c in calls_written(ctx, (_written_name(ev.node),)) if c is not ev.node]
            found = [(i, j) for i, j in found if not any(len(o) > max(i, j) and o[j] == given[i] and o[i] == given[j]
                                                         for o in others)]
        if not found:
            return
        args = [ctx.source(a.value) for a in ev.node.args]
        parts = []
        for i, j in found:
            if (j, i) not in found:
                parts.append(f"`{args[i]}` to the parameter `{names[i]}`, while `{names[j]}` gets `{args[j]}`")
            elif i < j:
                parts.append(f"`{args[i]}` and `{args[j]}` to the parameters `{names[i]}` and `{names[j]}`")
        owner = ev.func.owner
        title = f"{owner.name}.{func.name.value}" if owner is not None else func.name.value
        line = ctx.line(func) if ev.func.module is None else None
        where = f"line {line}" if line is not None else ev.where or ctx.foreign_where(func) or "another module"
        ctx.report(self, ev.node.args[found[0][0]].value,
                   f"this call passes {'; '.join(parts)}: {title}({', '.join(names)}), defined at {where}, takes its "
                   f"positional arguments in another order than their names say",
                   related=[(func, f"{func.name.value} defined here")] if line is not None else ())
