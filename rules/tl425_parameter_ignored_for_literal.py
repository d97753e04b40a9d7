import re

import libcst as cst

from tensorlint.cstwalk import kinds_of
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import function_defs, scope_calls, text_fact
from ._trees import calls_written
from ._training import parents

# hyperparameter values: numbers and flags (a string or None names or disables something)
_LITERALS = (cst.Integer, cst.Float)
_NAMED = ("True", "False")
_BOOKKEEPING = ("self", "cls", "name", "scope")
# methods a framework calls itself (Keras `call`, torch `forward`)
_DISPATCHED = ("call", "forward", "__call__", "build", "train_step", "test_step", "predict_step")


# `name=3`, `name=-0.5`, `name=True`, `name=None` after `(`, `,` or at a line's start (a keyword
# after a comment line): the keywords the file gives a literal somewhere, a superset of what the
# tree says (defaults of parameters and plain assignments match too). A line's start is its
# newline (the text is searched with one put before it): a pattern that starts with a set of
# characters is searched faster than one that may also start at `^`
# `=` and a literal after it; the keyword before it is read backwards by hand (a pattern that
# began with the keyword's name would make the regex engine try every position of the text)
_LITERAL_GIVEN = re.compile(r"=\s*(?:[-+]?\s*[\d.]|True\b|False\b|None\b)")


def _keywords_given_literals(text: str) -> frozenset:
    """The names written `name=<literal>` after an opening bracket, a comma or a line start
    (`f(rate=0.1, training=False)`): the keywords some call may give a literal."""
    out = set()
    for m in _LITERAL_GIVEN.finditer(text):
        end = m.start()
        while end and text[end - 1].isspace():
            end -= 1
        start = end
        while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        if start == end:
            continue  # `==`, `<=`, `x[0] = 1`: no name just before the `=`
        before = start
        while before and text[before - 1].isspace():
            before -= 1
        if before == 0 or text[before - 1] in "(," or "\n" in text[before:start]:
            out.add(text[start:end])
    return frozenset(out)


def _literal(node) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, _LITERALS) or isinstance(node, cst.Name) and node.value in _NAMED


def _params(func) -> list:
    """(name, index among the positional parameters or None) of the named parameters."""
    p = func.params
    out = [(x.name.value, i) for i, x in enumerate((*p.posonly_params, *p.params))]
    out += [(x.name.value, None) for x in p.kwonly_params]
    return out


_ARGS = kinds_of(cst.Arg)
_ATTRIBUTES = kinds_of(cst.Attribute)
_NAMES = kinds_of(cst.Name)


def _reads(func) -> set | None:
    """Names the body reads (nested functions and lambdas included); None when it reads its
    locals wholesale (`locals()`, `vars()`) or forwards everything (`**kwargs`)."""
    names, labels = set(), set()
    for n in descendants(func.body):
        kind = type(n)  # (tested by exact type: libcst's classes are ABCs, slow under isinstance)
        if kind in _ARGS:
            if n.keyword is not None:
                labels.add(id(n.keyword))  # `rate=` names the callee's parameter, it reads nothing
        elif kind in _ATTRIBUTES:
            labels.add(id(n.attr))
        elif kind in _NAMES and id(n) not in labels:
            names.add(n.value)
    if {"locals", "vars"} & names:
        return None
    return names


def _keras_base(node) -> bool:
    """A base class that is Keras's layer or model (`Layer`, `keras.Model`, `tf.keras.layers.Layer`)."""
    name = dotted(node) or ""
    return name.rsplit(".", 1)[-1] in ("Layer", "Model") and ("keras" in name or "." not in name or name.startswith("layers."))


def _source_order(ctx, node) -> tuple:
    """Sorts nodes as a walk of the file meets them: by where they start, an outer node first."""
    span = ctx.span(node)
    if span is None:
        return (float("inf"),) * 4
    return (span.start.line, span.start.column, -span.end.line, -span.end.column)


class ParameterIgnoredForLiteral(Rule):
    """
    ## What it does
    Finds a function parameter that the body never reads while the body passes a literal for
    a keyword of the same name (`alpha=0.2` where `alpha=alpha` was meant), in a function whose
    callers in the file pass that parameter: the value they give has no effect. Keras is such a
    caller of every layer's and model's `call(self, inputs, training=None)`: it passes the
    training flag (True in `fit`, False in `predict` and `evaluate`), so a `call` that never reads
    `training` and calls a sublayer with `training=True` keeps that sublayer's dropout and batch
    statistics in training mode at inference.

    ## Why is this bad?
    The hyperparameter the caller tunes (a leaky-ReLU slope, a dropout rate, a learning rate, a
    momentum) never reaches the layer, loss or optimizer: every run trains with the literal, and
    experiments that vary it compare identical models.

    ## Example
    ```python
    class GAN:
        def __init__(self, real_size, z_size, learning_rate, alpha=0.2):
            self.d_loss, self.g_loss = model_loss(self.input_real, self.input_z, real_size[2], alpha=0.2)

    net = GAN(real_size, z_size, learning_rate, alpha=alpha)


    class ResidualBlock(keras.layers.Layer):
        def call(self, inputs, training=None):
            return inputs + self.dropout(self.conv(inputs), training=True)
    ```

    ## Use instead
    ```python
            self.d_loss, self.g_loss = model_loss(self.input_real, self.input_z, real_size[2], alpha=alpha)

            return inputs + self.dropout(self.conv(inputs), training=training)
    ```
    Monte Carlo dropout (`super().call(inputs, training=True)` in a `Dropout` subclass, or a
    `call` that takes no flag) and a backbone frozen with `training=False` are not this finding.

    ## Fix safety
    There is no automatic fix: passing the parameter through changes what the program trains.
    """

    code = "TL425"
    name = "parameter-ignored-for-literal"
    severity = Severity.WARNING
    summary = "A parameter the callers set is never read: the body passes a literal for the keyword of the same name."
    failing = (
        "import tensorflow as tf\n\n\ndef block(x, rate=0.5):\n    return tf.nn.dropout(x, rate=0.1)  # TL425\n\n\n"
        "h = block(tf.ones([2, 4]), rate=0.3)\n",
        "import keras\n\n\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n"
        "        self.drop = keras.layers.Dropout(0.3)\n\n    def call(self, x, training=None):\n"
        "        return self.drop(x, training=True)  # TL425\n",
    )
    passing = (
        "import tensorflow as tf\n\n\ndef block(x, rate=0.5):\n    return tf.nn.dropout(x, rate=rate)\n\n\n"
        "h = block(tf.ones([2, 4]), rate=0.3)\n",
        "import keras\n\n\nclass Block(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n"
        "        self.drop = keras.layers.Dropout(0.3)\n\n    def call(self, x, training=None):\n"
        "        return self.drop(x, training=training)\n",
    )
    lookalikes = (
        # Monte Carlo dropout: the layer's own call keeps dropout on at inference, deliberately
        "import keras\n\n\nclass MCDropout(keras.layers.Dropout):\n    def call(self, inputs, training=None):\n"
        "        return super().call(inputs, training=True)\n",
        # nobody passes the parameter: the literal is what runs, as every caller expects
        "import tensorflow as tf\n\n\ndef block(x, rate=0.5):\n    return tf.nn.dropout(x, rate=0.1)\n\n\n"
        "h = block(tf.ones([2, 4]))\n",
    )

    def on_module(self, ctx, ev):
        if "def " not in ctx.text:
            return
        p = None
        keyed = text_fact(ctx, "keywords given literals", _keywords_given_literals)
        for chunk, func in function_defs(ctx):
            keras_call = func.name.value == "call" and "training" in keyed
            if func.params.star_kwarg is not None and not keras_call:
                continue
            params = {name for name, _ in _params(func)} - set(_BOOKKEEPING)
            if not params & keyed:
                continue  # no call in the file gives any of its parameters' names a literal
            literal = {k: a for k, a in self._literal_keywords(ctx, chunk, func).items() if k in params}
            if not literal:
                continue
            reads = _reads(func)
            if reads is None:
                continue
            for name, index in _params(func):
                if name in reads or name not in literal or name in _BOOKKEEPING:
                    continue
                p = p or parents(ctx)
                if keras_call and name == "training":
                    self._training_forced(ctx, p, chunk, func)
                    continue
                if func.params.star_kwarg is not None:
                    continue
                site = self._caller_passing(ctx, p, func, name, index)
                if site is None:
                    continue
                arg = literal[name]
                label = self._label(p, func)
                ctx.report(self, arg,
                           f"`{name}` of {label} is never read: this call passes `{name}={ctx.source(arg.value)}` "
                           f"instead, so the `{name}` its caller gives (line {ctx.line(site)}) has no effect; "
                           f"pass `{name}={name}`",
                           related=[(func.name, f"{label} takes `{name}` here"), (site, f"the caller sets `{name}`")])

    def _training_forced(self, ctx, p, chunk, func):
        """`call(self, inputs, training=None)` of a Keras layer or model that never reads
        `training` and calls a sublayer with `training=True`: Keras gives `call` the flag (True in
        `fit`, False in `predict` and `evaluate`), and the sublayer's dropout or batch statistics
        stay in training mode at inference. A call through `super()` or an explicit `.call` is the
        layer's own behaviour (Monte Carlo dropout) and says nothing."""
        holder = p.parent.get(p.parent.get(func))
        if not isinstance(holder, cst.ClassDef) or not any(_keras_base(b.value) for b in holder.bases):
            return
        for call in scope_calls(ctx, chunk, func):
            f = call.func
            if isinstance(f, cst.Attribute) and (f.attr.value in ("call", "__call__") or (
                    isinstance(f.value, cst.Call) and dotted(f.value.func) == "super")):
                continue
            for a in call.args:
                if a.keyword is not None and a.keyword.value == "training" and isinstance(a.value, cst.Name) \
                        and a.value.value == "True":
                    label = f"`{holder.name.value}.call`"
                    ctx.report(self, a,
                               f"`training` of {label} is never read: this call passes `training=True`, so "
                               f"`{ctx.source(f)}` runs in training mode in `predict` and `evaluate` too (Keras "
                               f"gives `call` its flag: True in `fit`, False at inference); pass `training=training`",
                               related=[(func.name, f"{label} takes `training` here")])
                    return

    @staticmethod
    def _literal_keywords(ctx, chunk, func) -> dict:
        """keyword -> the first argument of a call in `func`'s own code that gives it a number or flag."""
        out = {}
        for call in scope_calls(ctx, chunk, func):
            for a in call.args:
                if a.keyword is not None and _literal(a.value):
                    out.setdefault(a.keyword.value, a)
        return out

    @staticmethod
    def _label(p, func) -> str:
        holder = p.parent.get(p.parent.get(func))
        if isinstance(holder, cst.ClassDef):
            return f"`{holder.name.value}.{func.name.value}`"
        return f"`{func.name.value}`"

    @staticmethod
    def _caller_passing(ctx, p, func, name, index):
        """A call in the file that passes `name` to `func` (by keyword, or by position when
        `func` is a plain function); None when none does."""
        holder = p.parent.get(p.parent.get(func))
        method = isinstance(holder, cst.ClassDef)
        if method and func.name.value in _DISPATCHED:
            return None  # the framework calls it, with the arguments it likes
        if method and func.name.value != "__init__" and sum(
                1 for _, n in function_defs(ctx) if n.name.value == func.name.value) != 1:
            return None  # `obj.fit(...)` could reach another class's method of that name
        if method and func.name.value == "__init__":
            callee, offset = holder.name.value, 1
        else:
            callee, offset = func.name.value, 1 if method else 0
        found = []
        for call in calls_written(ctx, (callee,)):  # (one index per chunk tree: no walk of the file per parameter)
            f = call.func
            called = f.value if isinstance(f, cst.Name) else f.attr.value if isinstance(f, cst.Attribute) else None
            if called != callee or (method and func.name.value != "__init__" and not isinstance(f, cst.Attribute)):
                continue
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Call) and dotted(f.value.func) == "super":
                continue
            if p.inside(call, func):
                continue  # `super().call(inputs, training=True)` inside the method is not a caller
            if any(a.keyword is not None and a.keyword.value == name for a in call.args):
                found.append(call)
                continue
            positional = [a for a in call.args if a.keyword is None]
            if index is not None and not any(a.star for a in positional) and len(positional) > index - offset >= 0:
                found.append(call)
        return min(found, key=lambda call: _source_order(ctx, call), default=None)
