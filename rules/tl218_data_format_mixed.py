import libcst as cst

from tensorlint.cstwalk import statements
from tensorlint.findings import Severity
from tensorlint.frameworks.keras.data_format import format_changed
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._trees import per_chunk

# Keras layers that read spatial axes, and so a data format (`data_format=`, default channels_last)
_DIMS = ("1D", "2D", "3D")
_SPATIAL = frozenset(
    [f"{base}{d}" for d in _DIMS for base in (
        "Conv", "Convolution", "SeparableConv", "SeparableConvolution", "DepthwiseConv",
        "MaxPooling", "MaxPool", "AveragePooling", "AvgPool", "GlobalMaxPooling", "GlobalMaxPool",
        "GlobalAveragePooling", "GlobalAvgPool", "UpSampling", "ZeroPadding", "Cropping", "LocallyConnected")]
    + ["Conv2DTranspose", "Conv3DTranspose", "Conv1DTranspose", "Convolution2DTranspose", "ConvLSTM2D"])
# layers whose output keeps the input's layout (per-position, per-axis-given, or identity in training)
_KEEPS_LAYOUT = frozenset({
    "Activation", "BatchNormalization", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "GaussianNoise", "GaussianDropout", "AlphaDropout", "LeakyReLU", "ReLU", "PReLU", "ELU", "ThresholdedReLU",
    "Softmax", "ActivityRegularization", "Masking",
})
_LAST, _FIRST = "channels_last", "channels_first"


class DataFormatMixed(Rule):
    """
    ## What it does
    Finds a Keras spatial layer (pooling, convolution, upsampling, padding, cropping) left at the
    default data format that is fed the output of a layer built with
    `data_format='channels_first'`: in a `Sequential` (a list or `model.add(...)` calls) or a
    functional chain (`x = MaxPooling2D()(x)`), with only layers that keep the layout
    (activations, batch normalization, dropout) between them. Files that read or set the image data
    format, and Keras 1 programs (`dim_ordering`), are left alone: their default is not known.

    ## Why is this bad?
    `data_format` is a per-layer setting, and its default is `channels_last`. A layer left at the
    default reads the channels-first tensor `[N, C, H, W]` as `[N, H, W, C]`: a pooling layer pools
    over the channel and height axes instead of height and width (`[N, 128, 28, 28]` becomes
    `[N, 64, 14, 28]`), a convolution treats the width as channels. The shapes usually still fit
    the next layers, so nothing raises; the model just learns from scrambled features.

    ## Example
    ```python
    model.add(Conv2D(128, 3, padding='same', data_format='channels_first', input_shape=(1, 28, 28)))
    model.add(MaxPooling2D(pool_size=2))
    ```

    ## Use instead
    ```python
    model.add(Conv2D(128, 3, padding='same', data_format='channels_first', input_shape=(1, 28, 28)))
    model.add(MaxPooling2D(pool_size=2, data_format='channels_first'))
    ```

    ## Fix safety
    There is no automatic fix: the author may mean to set the format for every layer at once
    (`keras.backend.set_image_data_format`).
    """

    code = "TL218"
    triggers = (_FIRST,)
    name = "data-format-mixed"
    severity = Severity.WARNING
    summary = "A spatial layer left at the default channels_last format is fed a channels_first layer's output."
    failing = (
        "import keras\nfrom keras import layers\nmodel = keras.Sequential()\n"
        "model.add(layers.Conv2D(16, 3, padding='same', data_format='channels_first', input_shape=(1, 28, 28)))\n"
        "model.add(layers.BatchNormalization(axis=1))\nmodel.add(layers.MaxPooling2D(2))  # TL218\n",
        "import tensorflow as tf\ninputs = tf.keras.Input((3, 32, 32))\n"
        "x = tf.keras.layers.Conv2D(8, 3, data_format='channels_first')(inputs)\n"
        "x = tf.keras.layers.Activation('relu')(x)\nx = tf.keras.layers.UpSampling2D()(x)  # TL218\n",
    )
    passing = (
        "import keras\nfrom keras import layers\nmodel = keras.Sequential()\n"
        "model.add(layers.Conv2D(16, 3, padding='same', data_format='channels_first', input_shape=(1, 28, 28)))\n"
        "model.add(layers.BatchNormalization(axis=1))\nmodel.add(layers.MaxPooling2D(2, data_format='channels_first'))\n",
    )
    lookalikes = (
        # the file sets the format for every layer
        "import keras\nfrom keras import layers\nkeras.backend.set_image_data_format('channels_first')\n"
        "model = keras.Sequential([layers.Conv2D(16, 3, data_format='channels_first', input_shape=(1, 28, 28)),\n"
        "                          layers.MaxPooling2D(2)])\n",
        # a Permute in between restores channels-last
        "import keras\nfrom keras import layers\n"
        "model = keras.Sequential([layers.Conv2D(16, 3, data_format='channels_first', input_shape=(1, 28, 28)),\n"
        "                          layers.Permute((2, 3, 1)), layers.MaxPooling2D(2)])\n",
        # channels_last stated explicitly, then the default
        "import keras\nfrom keras import layers\n"
        "model = keras.Sequential([layers.Conv2D(16, 3, data_format='channels_last', input_shape=(28, 28, 1)),\n"
        "                          layers.MaxPooling2D(2)])\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        # a file that sets or reads the global format, or a Keras 1 one (`dim_ordering=`): the
        # default a layer takes is not known
        if _FIRST not in text or format_changed(text) or "dim_ordering" in text:
            return
        env, done = None, set()
        # a chain runs across top-level statements (`model.add(...)` lines, `x = Layer()(x)` lines),
        # and each of them may be a chunk of its own: the module's statements are read as one
        # body; what each chunk holds (its module-level statements, its functions' chains) is
        # kept with its tree
        parts = per_chunk(ctx, ("TL218 chains",), _chunk_parts)
        chains = [chain for chain in _scope_chains([s for top, _ in parts for s in top]) if len(chain) >= 2]
        for chain in chains + [chain for _, inner in parts for chain in inner]:
            if env is None:
                env = module_names(ctx)
            self._check(ctx, env, chain, done)

    def _check(self, ctx, env, chain, done):
        state, source = None, None  # the layout of the tensor flowing in, and the layer that set it
        for call in chain:
            short = _keras_layer(env, call)
            fmt = _format_kwarg(call)
            if fmt == "":
                state, source = None, None  # a format the program does not fix
            elif fmt is not None:
                state, source = fmt, call
            elif short in _SPATIAL:
                if state == _FIRST and id(call) not in done:
                    done.add(id(call))
                    self._report(ctx, call, short, source)
                if short.startswith("Global"):
                    state, source = None, None
            elif short not in _KEEPS_LAYOUT:
                state, source = None, None  # Flatten, Dense, Permute, a layer the file does not show

    def _report(self, ctx, call, short, source):
        made = dotted(source.func) if isinstance(source.func, (cst.Name, cst.Attribute)) else "the layer"
        ctx.report(self, call,
                   f"{short} takes the default data_format='channels_last', but the {made.rpartition('.')[2]} "
                   f"before it (line {ctx.line(source)}) makes channels-first output [N, C, ...]: it reads the channel "
                   f"axis as a spatial one (pooling or sliding over channels and height, not height and width). "
                   f"Pass data_format='channels_first' here too",
                   related=[(source, "channels_first set here")])


def _keras_layer(env, call) -> str | None:
    """`MaxPooling2D` for a call that builds a Keras layer, read through the file's imports."""
    q = imported_qualname(env, call.func)
    if q and q.startswith("keras.layers."):
        return q.rpartition(".")[2]
    return None


def _format_kwarg(call):
    """The `data_format=` a layer is built with: "channels_first" / "channels_last", "" for a value
    that is not a literal, None when not given."""
    for a in call.args:
        if a.keyword is not None and a.keyword.value == "data_format":
            v = a.value
            if isinstance(v, cst.SimpleString) and v.evaluated_value in (_FIRST, _LAST):
                return v.evaluated_value
            return ""
    return None


def _chunk_parts(module) -> tuple:
    """A chunk's part of the layer sequences (`_scope_chains`): its module-level statements that
    may hold one, and the sequences of its functions (two layers or more)."""
    top = [s for s in statements(module, nested=False) if isinstance(s, (cst.Assign, cst.Expr, cst.If))]
    inner = [chain for s in statements(module) if isinstance(s, cst.FunctionDef)
             for chain in _scope_chains(statements(s, nested=False)) if len(chain) >= 2]
    return top, inner


def _scope_chains(stmts) -> list:
    """The layer sequences of one scope's own statements (`stmts`, in source order), as lists of
    layer constructor calls in the order data flows through them: each `Sequential([...])`
    list, each receiver's `model.add(Layer(...))` calls (a new sequence when the name is bound
    again; one sequence per way through the `if` statements that add to it: `if first:
    add(A) else: add(B)` then `add(C)` gives A, C and B, C), and each functional chain
    `y = Layer(...)(x)` followed from `x`."""
    out, adds, made = [], {}, {}
    stmts = list(stmts)
    branches = _branches(stmts)
    for stmt in stmts:
        if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0].target, cst.Name):
            target = stmt.targets[0].target.value
            if target in adds:
                out.extend(_calls(adds.pop(target)))
            value = stmt.value
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Call) and value.args:
                x = value.args[0].value
                prev = made.get(x.value) if isinstance(x, cst.Name) else None
                made[target] = (prev or []) + [value.func]
                out.append(made[target])
                continue
            made.pop(target, None)
            if (isinstance(value, cst.Call) and dotted(value.func).endswith("Sequential") and value.args
                    and isinstance(value.args[0].value, cst.List)):
                out.append([e.value for e in value.args[0].value.elements if isinstance(e.value, cst.Call)])
        elif isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
            f = stmt.value.func
            if (isinstance(f, cst.Attribute) and f.attr.value == "add" and isinstance(f.value, cst.Name)
                    and stmt.value.args and isinstance(stmt.value.args[0].value, cst.Call)):
                _add(adds.setdefault(f.value.value, [[]]), stmt, stmt.value.args[0].value, branches)
    for ways in adds.values():
        out.extend(_calls(ways))
    return out


def _branches(stmts) -> dict:
    """{id of a statement: [(id of an `if` around it, 0 in its body or 1 in its else)]}."""
    where: dict = {}
    for stmt in stmts:
        if type(stmt) is cst.If:
            for side, block in ((0, stmt.body), (1, stmt.orelse)):
                if block is not None:
                    for inner in statements(block):
                        where.setdefault(id(inner), []).append((id(stmt), side))
    return where


def _exclusive(a, b, branches) -> bool:
    """No run executes both statements: they lie in different branches of one `if`."""
    sides = dict(branches.get(id(a), ()))
    return any(sides.get(node, side) != side for node, side in branches.get(id(b), ()))


def _add(ways: list, stmt, call, branches) -> None:
    """`model.add(call)` at `stmt`, onto each way of building the model that can run it; where
    none can (the other branch of an `if` built them), a new way: such a way's steps outside
    that branch, then this one."""
    open_ways = [way for way in ways if not any(_exclusive(s, stmt, branches) for s, _ in way)]
    if not open_ways:
        forks = {}
        for way in ways:
            kept = [step for step in way if not _exclusive(step[0], stmt, branches)]
            forks.setdefault(tuple(id(c) for _, c in kept), kept)
        ways.extend(open_ways := list(forks.values()))
    for way in open_ways:
        way.append((stmt, call))


def _calls(ways: list) -> list:
    return [[call for _, call in way] for way in ways if way]
