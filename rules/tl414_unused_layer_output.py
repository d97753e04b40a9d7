from collections import Counter

import libcst as cst

from tensorlint.cstwalk import kinds_of, statements
from tensorlint.dataflow import all_params, descendants, names_read
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Layer

from tensorlint.syntax import dotted as dotted_name

from ._graph_ops import graph_op, names_in, pass_through, tf_aliases
from ._trees import per_chunk, per_chunk_index, texts_of
from ._statement_facts import StatementFacts, gathered_names
from ._training import parents
from ._dropped_stream import dropped_stream
from ._stream_terms import streams, term_adds, weight
from ._layer_bypass import (
    WEIGHTED, assigned_name, bindings_of, bypassed, first_arg, unpacked_output_overwritten, value_of, weighted_layer,
)


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_ATTRIBUTES = kinds_of(cst.Attribute)
_NAMES = kinds_of(cst.Name)


def scope_statements(scope) -> list:
    """The assignments of `scope`'s own code (nested functions, classes and lambdas are their own),
    from a walk of its statements alone: an assignment is never inside an expression."""
    return [n for n in statements(scope, nested=False) if type(n) is cst.Assign]


def _layer_calls(ctx, ev) -> list:
    """(call, label) of the layer calls in a function's own body, read from the code so the answer
    never depends on which parts of the file ran: `self.fc(x)` where `__init__` made `fc` a
    framework layer or model, and a layer built and applied at once (`Dense(64)(x)`)."""
    from ._common import layer_attributes, text_fact

    func = ev.node
    attrs = layer_attributes(ctx, ev.func.owner) if ev.func.owner is not None else frozenset()
    tf = tf_aliases(ctx)
    if not attrs and not tf and not text_fact(ctx, "calls a call", lambda text: ")(" in text):
        return []  # no layer attribute to call, no TensorFlow graph op, nothing made and called at once
    body = func.body
    if not isinstance(body, cst.IndentedBlock) or (len(body.body) < 2 and isinstance(body.body[0], cst.SimpleStatementLine)
                                                   and len(body.body[0].body) < 2):
        return []  # one simple statement: no later statement to feed a stale value to
    out = term_adds(scope_statements(func)) if tf or attrs else []
    for n in _own_calls(ctx, ev):
        f = n.func
        op = graph_op(n, tf) if tf else None
        if op is not None:
            out.append((n, op))
        elif type(f) is cst.Attribute and type(f.value) is cst.Name and f.value.value == "self" and f.attr.value in attrs:
            out.append((n, f"self.{f.attr.value}"))
        elif type(f) is cst.Call and type(f.func) in (cst.Name, cst.Attribute):  # (exact types: libcst's are ABCs)
            inner = f.func.attr.value if isinstance(f.func, cst.Attribute) else f.func.value
            if inner[:1].isupper():  # a class: a layer made and called in one expression
                out.append((n, inner))
    return out


def _own_calls(ctx, ev) -> list:
    """The calls in the function's own code, in source order."""
    from ._common import scope_calls

    return scope_calls(ctx, ev.func.chunk, ev.node)


class UnusedLayerOutput(Rule):
    """
    ## What it does
    Finds a layer whose output is computed and never used, inside a model's `forward`/`call`
    or a function that builds a model, while a later layer is fed a value that existed before
    it: `h0 = self.fc1(z)` followed by `h1 = self.fc2(z)` where `fc2` was meant to take `h0`.
    TF1 graph functions count too: `tf.layers.*`, `tf.contrib.layers.*` and the `tf.nn` ops of a
    network (`bn = tf.layers.batch_normalization(x)` followed by `tf.maximum(0.2 * x, x)`). A
    dropout, batch normalization or `stop_gradient` whose output is only returned, while the
    next layer takes its input, is skipped as well. Keras functional models built at module
    level (a notebook) count too, with the `Model(inputs, outputs)` given the skipped layer's
    input as its outputs. And a layer with weights that `__init__` builds but that nothing in the
    file ever calls, in a model class the file instantiates whose `call`/`forward` applies its
    other layers (`self.fc2` defined, `call` going from `self.fc1` to `self.out`). A weight
    added to a layer's stream under a new name that nothing reads counts too, while the next
    layer is fed the stream without it (`conv_gate = output_gate + variables['gate_bias']`
    followed by `tf.sigmoid(output_gate)`, `h = x + self.pos` followed by `self.fc(x)`): the
    bias or positional embedding is never applied. A weight is an attribute of an object, an
    entry of a collection, or a name bound to `tf.Variable`/`tf.get_variable`/`nn.Parameter`/
    `add_weight`; the sum of two values computed from data or a constant shift is not one. A
    softmax left unused beside the log-softmax of the same logits (`probs` and `logprobs` of a
    policy) is the same function in two forms, not a skipped layer.
    A layer with weights whose output, before anything reads it, is replaced by the layer's own
    input counts too, on every path or in one branch (`x = Conv2D(...)(x_up)` followed by
    `else: x = x_up` and `Reshape(...)(x)`): the finding is at that rebinding, and the next
    layer is fed the input on the path through it. A layer without weights (a dropout) bypassed
    that way, and code in a loop, are left alone. At module level, a block with several outputs
    counts too: `residuals, forecast = block(stack_input)`, `block` an instance of a Keras layer
    or model class of the file, followed by `residuals = layers.subtract([stack_input,
    backcast])` before anything reads `residuals`, with `backcast` bound before the block and
    `forecast` read later: that output of the block is dropped for the older value.
    An unread output whose own layer object is applied again to the same input (`v =
    self.net(s)` left over, then `loss(self.net(s))`) skips nothing and is not reported.
    So does a block function of the file whose stream output is dropped: `_, nb_filter, feats =
    dense_block(x, ...)` (or a result never read), `dense_block` a top-level function that
    binds its first parameter again through layers with weights (its own, or those of a
    function of the file it calls) and returns it first on every path, followed by a layer fed
    `x` with no new binding of `x` in between: the block's layers are skipped.

    ## Why is this bad?
    Nothing fails: the skipped layer's weights get no gradient and never change, the model is
    shallower than designed, and results are silently worse. It is a typo that only reading
    the code reveals.

    ## Example
    ```python
    def forward(self, z):
        h = torch.relu(self.fc1(z))
        return torch.tanh(self.fc2(z))
    ```

    ## Use instead
    ```python
    def forward(self, z):
        h = torch.relu(self.fc1(z))
        return torch.tanh(self.fc2(h))
    ```

    ## Fix safety
    There is no automatic fix: which value was meant is for the author to say.
    """

    code = "TL414"
    name = "unused-layer-output"
    severity = Severity.WARNING
    summary = "A layer's output is never used while the next layer is fed an earlier value: the layer is skipped."
    failing = (
        "import torch\nimport torch.nn as nn\n\nclass Generator(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(16, 64)\n        self.fc2 = nn.Linear(16, 2)\n\n    def forward(self, z):\n"
        "        h = torch.relu(self.fc1(z))  # TL414\n        return self.fc2(z)\n\nG = Generator()\nout = G(torch.randn(4, 16))\n",
        "from tensorflow import keras\n\ndef build(n_features):\n    inputs = keras.Input((n_features,))\n"
        "    x = keras.layers.Dense(64, activation='relu')(inputs)\n    x2 = keras.layers.Dense(32, activation='relu')(x)  # TL414\n"
        "    out = keras.layers.Dense(1)(x)\n    return keras.Model(inputs, out)\n\nmodel = build(10)\n",
        "import tensorflow as tf\n\ndef discriminator(x):\n    h = tf.layers.conv2d(x, 64, 5, strides=2)\n"
        "    bn = tf.layers.batch_normalization(h, training=True)  # TL414\n    h = tf.maximum(0.2 * h, h)\n"
        "    return tf.layers.dense(tf.layers.flatten(h), 1)\n",
        "import tensorflow as tf\n\ndef gate(x, weights):\n    g = tf.nn.conv1d(x, weights['gate'], 1, 'VALID')\n"
        "    gb = g + weights['gate_bias']  # TL414\n    return tf.sigmoid(g)\n",
        # a block function's stream output dropped: the classifier reads the block's input
        "from tensorflow.keras import Input, Model, layers\n\ndef dense_block(x, n):\n    feats = []\n"
        "    for _ in range(n):\n        c = layers.Conv2D(12, 3, padding='same')(x)\n        feats.append(c)\n"
        "        x = layers.concatenate([x, c])\n    return x, feats\n\ndef build():\n    inp = Input((32, 32, 3))\n"
        "    x = layers.Conv2D(16, 3, padding='same')(inp)\n    _, feats = dense_block(x, 4)  # TL414\n"
        "    out = layers.Conv2D(2, 1)(x)\n    return Model(inp, out)\n",
    )
    passing = (
        "import torch\nimport torch.nn as nn\n\nclass Generator(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(16, 64)\n        self.fc2 = nn.Linear(64, 2)\n\n    def forward(self, z):\n"
        "        h = torch.relu(self.fc1(z))\n        return self.fc2(h)\n\nG = Generator()\nout = G(torch.randn(4, 16))\n",
    )
    lookalikes = (
        # a residual block uses both the input and the layer output
        "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.Linear(8, 8)\n        self.b = nn.Linear(8, 8)\n\n    def forward(self, x):\n"
        "        h = self.a(x)\n        return self.b(x) + h\n",
        # an output reassigned on purpose (the name is read later)
        "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.Linear(8, 8)\n        self.b = nn.Linear(8, 8)\n\n    def forward(self, x):\n"
        "        out = self.a(x)\n        out = self.b(x)\n        return out\n",
        # an LSTM's final state unpacked and ignored; a value kept under a leading underscore
        "import torch.nn as nn\n\nclass Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.lstm = nn.LSTM(8, 16, batch_first=True)\n        self.fc = nn.Linear(16, 3)\n        self.aux = nn.Linear(8, 1)\n\n"
        "    def forward(self, x):\n        out, (h, c) = self.lstm(x)\n        _unused = self.aux(x)\n        return self.fc(out)\n",
        # a TF1 head returned next to its logits
        "import tensorflow as tf\n\ndef discriminator(x):\n    logits = tf.layers.dense(tf.layers.dense(x, 64), 1)\n"
        "    out = tf.nn.sigmoid(logits)\n    return out, logits\n",
    )

    def on_function(self, ctx, ev):
        scope = ev.node
        if not isinstance(scope, cst.FunctionDef):
            return
        if scope.name.value in ("call", "forward") and ev.func.owner is not None:
            self._never_called(ctx, ev.func.owner, scope)
        calls = _layer_calls(ctx, ev)
        if len(calls) < 2:
            return
        read = names_read(scope)
        if read is not None:
            self._check(ctx, [scope], calls, read, bindings_of(scope), set(all_params(scope)))
            dropped_stream(self, ctx, scope, calls, read, WEIGHTED)

    def on_module(self, ctx, ev):
        """A TF1 script builds its graph at module level, and a notebook its Keras functional
        models: their graph ops and layer calls, across all chunks (what each chunk's tree says
        is kept with the tree)."""
        self._report_never_called(ctx)
        tf = tf_aliases(ctx)
        if "keras" in ctx.text:
            unpacked_output_overwritten(self, ctx)
        keras = "keras" in ctx.text and ")(" in ctx.text
        if not tf and not keras:
            return
        roots = [c.module for c in ctx.chunks]
        calls = [c for part in per_chunk(ctx, ("graph ops", tf), lambda m: _graph_ops(m, tf)) for c in part] if tf else []
        layers, models = _keras_module_calls(ctx) if keras else ([], [])
        if not _never_read(ctx, layers):  # decided from the text: no output bound to a name mentioned once
            layers, models = [], []
        calls += layers + models
        if len(calls) < 2:
            return
        read = set()
        for got in per_chunk(ctx, ("names read",), names_read):
            if got is None:
                return
            read |= got
        self._check(ctx, roots, calls, read, gathered_names(ctx, ("bindings",), bindings_of), set(),
                    keras={id(n) for n, _ in layers + models}, models={id(n) for n, _ in models})

    def _check(self, ctx, roots, calls, read, bindings, params, keras=frozenset(), models=frozenset()):
        par = parents(ctx)
        tf = tf_aliases(ctx)
        # decided by this binding's reads: graph ops, module-level Keras layers, terms added to a stream
        ops = {id(n) for n, label in calls if label.partition(".")[0] in tf or label == "+"} | keras
        facts = None  # statement order and name reads, computed on first need
        done = set()
        for node, layer in calls:  # in source order (the walk's), with no need to compute positions
            stmt = par.statement(node)
            if id(stmt) in done or id(node) in models:
                continue  # a Model is only a consumer here: an unused model skips no layer
            name = assigned_name(stmt, node, bindings)
            if name is None or (id(node) in ops and value_of(stmt) is not node):
                continue
            if id(node) not in ops and name in read:
                if type(roots[0]) is cst.FunctionDef and weighted_layer(par, roots[0], layer):
                    if facts is None:
                        facts = StatementFacts(roots, par, bindings)
                    if bypassed(self, ctx, par, facts, roots[0], stmt, node, name, layer, calls, bindings):
                        done.add(id(stmt))
                continue
            if facts is None:
                facts = StatementFacts(roots, par, bindings, ctx if isinstance(roots[0], cst.Module) else None)
            here = facts.pos(stmt)
            returned_only = False
            if id(node) in ops:  # a graph op: this binding's own reads decide
                reads = facts.binding_reads(stmt, name, here)
                if reads is None and name in read:
                    continue
                if reads:
                    if not pass_through(layer) or not all(_is_return(r) for r in reads):
                        continue
                    returned_only = True
            if type(node) is cst.BinaryOperation:
                xs = streams(node)
                if name in xs:
                    continue  # `h = h + b` updates the stream itself
            else:
                x = first_arg(node) if id(node) in ops else None
                xs = [x.value if isinstance(x, cst.Name) and x.value != name else None]
            for later, later_layer in calls:
                there = facts.pos(par.statement(later))
                if there <= here or type(later) is not cst.Call:
                    continue  # (a sum is never the consumer: it reads both operands alike)
                if par.exclusive(stmt, later):
                    continue  # `if ...: y = f(a) else: y = g(a)`: only one of them runs
                for x in xs:
                    fed = (x if x is not None and x in names_in(_model_outputs(later)) else None) if id(later) in models \
                        else self._stale_input(later, id(later) in ops, x, returned_only)
                    if fed is not None and fed != name:
                        break
                if fed is None or fed == name:
                    continue
                at = facts.binding_positions(fed)
                before = fed in params or any(b < here for b in at)
                rebound = any(here < b < there for b in at)
                if not before or rebound:
                    continue
                if id(node) not in ops and _applied_again(node, layer, later, later_layer, fed):
                    break  # `v = net(s)` left unread, then `loss(net(s))`: the layer runs again, nothing skips it
                if _other_form(layer, later_layer):
                    break  # `probs = softmax(logits)` beside `logprobs = log_softmax(logits)`: the same function twice
                line = ctx.line(stmt)
                if type(node) is cst.BinaryOperation:
                    term = node.right if type(node.right) is not cst.Name or node.right.value != fed else node.left
                    if not weight(ctx, term):
                        break
                    message = (f"`{name}` = `{ctx.source(node)}` (line {line}) is never used: the next layer, "
                               f"`{later_layer}` (line {ctx.line(later)}), is fed `{fed}` without "
                               f"`{ctx.source(term)}`, so that term is never applied")
                else:
                    unused = "is only returned, never fed to a later layer" if returned_only else "is never used"
                    message = (f"`{name}`, the output of `{layer}` (line {line}), {unused}: the next layer, "
                               f"`{later_layer}` (line {ctx.line(later)}), is fed `{fed}`, a value from before it, so "
                               f"the layer is skipped" + ("" if pass_through(layer) else " and its weights never train"))
                ctx.report(self, stmt, message, related=[(later, f"`{fed}` is used here")])
                done.add(id(stmt))
                break

    def _never_called(self, ctx, cls, forward):
        """A layer with weights that `__init__` builds and no code of the file ever reads, in a
        class the file instantiates whose forward pass applies its other layers."""
        from ._common import layer_attributes

        name = cls.node.name.value if isinstance(cls.node, cst.ClassDef) else None
        if name is None:
            return
        attrs = layer_attributes(ctx, cls)
        used = {n.attr.value for n in descendants(forward) if type(n) in _ATTRIBUTES
                and type(n.value) in _NAMES and n.value.value == "self"}
        if not attrs & used:
            return
        proto = ctx.prototype(cls)
        for attr in sorted(attrs - used):
            layer = proto.attrs.get(attr)
            if not isinstance(layer, Layer) or layer.short not in WEIGHTED or layer.node is None:
                continue
            # judged once the whole file is read (`on_module`): another chunk may read it
            ctx.mark("TL414 layers never called", (name, attr, layer.node, layer.short, forward))

    def _report_never_called(self, ctx):
        """The layers `_never_called` noted that the file reads nowhere: one `.attr` in the whole
        text, the assignment (read or bound twice elsewhere: not reported), in a class the file
        builds. Judged on the whole text at every run: another chunk may read or build them."""
        import re

        from ._common import text_fact

        noted = ctx.marked("TL414 layers never called")
        text = ctx.text
        if not noted or text_fact(ctx, "tl414 dynamic access", lambda t: any(w in t for w in _DYNAMIC)):
            return
        for name, attr, node, short, forward in noted:
            # (each `class Name(` holds one `Name(`: counted, the text is not copied)
            if text.count(f"{name}(") <= text.count(f"class {name}("):
                continue  # a class the file never builds: other files may use it in ways not shown
            if len(re.findall(rf"\.{re.escape(attr)}\b", text)) != 1:
                continue
            ctx.report(self, node,
                       f"`self.{attr}` ({short}, line {ctx.line(node)}) is built but nothing in the file "
                       f"ever calls it: `{forward.name.value}` applies the other layers without it, so the layer is "
                       f"skipped and its weights never train",
                       related=[(forward, f"`{forward.name.value}` does not use `self.{attr}`")])

    @staticmethod
    def _stale_input(later, is_op, x, returned_only):
        """The name `later` is fed that may be a stale value: its input when that is a plain name,
        or (a graph op) the input `x` of the skipped op anywhere among its arguments."""
        arg = first_arg(later)
        if not returned_only and isinstance(arg, cst.Name):
            if not is_op or x is None or arg.value == x:
                return arg.value
        if is_op and x is not None:
            for a in later.args:
                if (a.keyword is None or a.value is arg) and x in names_in(a.value):
                    return x
        return None


# an activation with a log form computed from the same input: `log_softmax(logits)` is the log of
# `softmax(logits)`, taken beside it (an entropy reads both), never after it
_LOG_FORMS = {"softmax": "log_softmax"}


def _other_form(layer: str, later_layer: str) -> bool:
    """Whether the two ops are one activation and its log form (either order): siblings on the
    same logits, not a layer the later one skips."""
    a, b = layer.rpartition(".")[2], later_layer.rpartition(".")[2]
    return _LOG_FORMS.get(a) == b or _LOG_FORMS.get(b) == a


def _applied_again(node, layer, later, later_layer, fed) -> bool:
    """Whether the later call is the unused call's own layer object (`self.net`, or a name bound
    to one) applied to the same input (`fed`): the output left unread is computed again there,
    so the layer is not skipped. A call that builds its layer (`Dense(32)(x)`,
    `tf.layers.dense(x, 64)`) makes a new one each time."""
    if type(node) is not cst.Call or later_layer != layer:
        return False
    path = dotted_name(node.func)
    if not path or path != dotted_name(later.func) or (type(node.func) is not cst.Name and not path.startswith("self.")):
        return False
    own = first_arg(node)
    return isinstance(own, cst.Name) and own.value == fed


def _graph_ops(root, tf) -> list:
    """(call, op) of the TensorFlow graph ops in the module-level code of `root`."""
    own = list(descendants(root, prune=_SCOPES))
    return term_adds([n for n in own if type(n) is cst.Assign]) + \
        [(n, op) for n in own if type(n) is cst.Call and (op := graph_op(n, tf)) is not None]


# layers with weights to train (a parameter-free layer left unused changes no weights)
# ways to reach attributes without naming them: a layer may be used after all
_DYNAMIC = ("getattr(", "__dict__", "vars(", ".children()", ".named_children(", ".modules()", ".named_modules(",
            "self.layers", "._modules", "setattr(")
_MODELS = frozenset({"keras.Model", "keras.models.Model"})


def _keras_module_calls(ctx) -> tuple:
    """The module-level Keras layers made and applied at once (`Dense(64)(x)`) and the
    `Model(inputs, outputs)` calls, as (call, label) lists, read through the file's imports."""
    from ._common import imported_qualname, module_names, scope_calls

    env = module_names(ctx)
    layers, models = [], []
    def candidates(i, module):  # the module's own calls (the shared index) that may be either, once per tree
        return [c for c in scope_calls(ctx, i, module)
                if (isinstance(c.func, cst.Call) and c.args) or dotted_name(c.func).endswith("Model")]

    for part in per_chunk_index(ctx, ("TL414 keras calls",), lambda i: candidates(i, ctx.chunks[i].module)):
        for call in part:
            made = isinstance(call.func, cst.Call)
            q = imported_qualname(env, call.func.func if made else call.func)
            if q and made and q.startswith("keras.layers."):
                layers.append((call, q.rpartition(".")[2]))
            elif q in _MODELS and not made:
                models.append((call, dotted_name(call.func)))
    return layers, models


def _never_read(ctx, layers) -> list:
    """The layer calls bound at the module's top level to a name the file's text mentions only
    there: outputs nothing reads."""
    import re

    assigned = {}
    for part in per_chunk(ctx, ("TL414 assigned at top level",), _assigned_at_top):
        assigned.update(part)
    names = {assigned.get(id(call)) for call, _ in layers} - {None}
    if not names:
        return []
    # one pass over the text for all the names (each chunk's kept with its tree while the names
    # are the same: `texts_of`): an identifier that matches one of them matches no other (each
    # match is a whole identifier), so the counts are those of a search per name
    either = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.])(?:{either})\b")
    mentions = Counter()
    for part in texts_of(ctx, ("TL414 mentions", either), lambda t: Counter(pattern.findall(t))):
        mentions.update(part)
    return [(call, label) for call, label in layers if mentions.get(assigned.get(id(call))) == 1]


def _assigned_at_top(module) -> dict:
    """id(value) -> name, for the chunk's top-level statements `name = value`."""
    out = {}
    for stmt in module.body:
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            out[id(small.value)] = small.targets[0].target.value
    return out


def _model_outputs(call):
    """The `outputs` a `Model(inputs, outputs)` call is given."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value == "outputs":
            return a.value
    return positional[1].value if len(positional) > 1 else cst.Name("_")


def _is_return(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and bool(stmt.body) and isinstance(stmt.body[0], cst.Return)


