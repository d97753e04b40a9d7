import libcst as cst

from tensorlint.findings import Severity
from tensorlint.frameworks.keras.images import ArrayBatches
from tensorlint.rule import Rule
from tensorlint.values import Const, Tensor

from ._graph_ops import reaching_value
from ._trees import calls_where

# the number of steps a fit/evaluate call runs per pass, and the data those steps draw from
_STEPS = {"fit": (("steps_per_epoch", None), ("validation_steps", "validation_data")),
          "evaluate": (("steps", None),)}
# the same, read from the syntax: method -> ((steps keyword, its position, data keyword, its position))
_SYNTAX = {
    "fit": (("steps_per_epoch", None, "x", 0), ("validation_steps", None, "validation_data", None)),
    "fit_generator": (("steps_per_epoch", 1, "generator", 0), ("validation_steps", None, "validation_data", None)),
    "evaluate": (("steps", None, "x", 0),), "evaluate_generator": (("steps", 1, "generator", 0),),
}
_FLOW_BATCH = 32  # ImageDataGenerator.flow's default batch_size


def _count_expr(node) -> cst.BaseExpression | None:
    """`len(x)` / `x.shape[0]` -> `x`: an expression that counts the rows of `x`."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len" \
            and len(node.args) == 1 and node.args[0].keyword is None:
        return node.args[0].value
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape" \
            and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        index = node.slice[0].slice.value
        if isinstance(index, cst.Integer) and index.value == "0":
            return node.value.value
    return None


def _arg(call: cst.Call, name: str, index: int | None = None):
    """The expression given for parameter `name` (by keyword, or at position `index`)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if index is not None and index < len(positional) and len(positional) == sum(1 for a in call.args if a.keyword is None):
        return positional[index].value
    return None


def _steps_node(call, steps_name: str):
    if not isinstance(call, cst.Call):
        return None
    method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
    index = next((i for name, i, _, _ in _SYNTAX.get(method, ()) if name == steps_name), None)
    return _arg(call, steps_name, index)


def _candidate(call: cst.Call) -> bool:
    """A `fit`/`evaluate` (or `*_generator`) call given a number of steps."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in _SYNTAX:
        return False
    return any(_arg(call, steps, index) is not None for steps, index, _, _ in _SYNTAX[func.attr.value])


def _through_name(ctx, node, expr):
    """`expr`, or the value last bound to it where it is a name (`gen = datagen.flow(...)`)."""
    if isinstance(expr, cst.Name):
        bound = reaching_value(ctx, node, expr.value)
        return bound if bound is not None else expr
    return expr


def _flow_call(expr) -> bool:
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "flow"


def _literal_batch(ctx, flow: cst.Call) -> int | None:
    """The batch size of `datagen.flow(x, y, batch_size=...)` where the program writes it as a
    number (directly or in the name it last bound), the default where it gives none."""
    given = _arg(flow, "batch_size", 2)
    if given is None:
        return _FLOW_BATCH
    given = _through_name(ctx, flow, given)
    if isinstance(given, cst.Integer):
        return int(given.evaluated_value)
    return None


class StepsPerEpochCountsSamples(Rule):
    """
    ## What it does
    Finds a Keras `fit` (or `fit_generator`) whose `steps_per_epoch` is the number of samples of
    the arrays that `ImageDataGenerator.flow(x, y, batch_size=...)` serves in batches:
    `steps_per_epoch=len(x_train)` or `x_train.shape[0]` (or the same number written another
    way), and the same for `validation_steps` and `evaluate`'s `steps`.

    ## Why is this bad?
    A step is one batch, not one sample: with `batch_size=32`, `steps_per_epoch=len(x_train)`
    makes every "epoch" go over the training data 32 times, so training runs 32 times longer than
    the epoch count says (and callbacks, learning-rate schedules and early stopping see epochs 32
    times too long); tf.keras stops with "Your input ran out of data" where the iterator does not
    repeat.

    ## Example
    ```python
    model.fit(datagen.flow(x_train, y_train, batch_size=32), steps_per_epoch=len(x_train), epochs=50)
    ```

    ## Use instead
    ```python
    model.fit(datagen.flow(x_train, y_train, batch_size=32), steps_per_epoch=len(x_train) // 32, epochs=50)
    ```

    ## Fix safety
    There is no automatic fix: dividing by the batch size, or leaving the argument out (Keras then
    takes one pass over the data), is the author's choice.
    """

    code = "TL321"
    name = "steps-per-epoch-counts-samples"
    severity = Severity.WARNING
    summary = "steps_per_epoch (or validation_steps) is the number of samples, where each step draws a whole batch."
    failing = (
        "import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
        "x = np.zeros((1000, 32, 32, 3), dtype='float32')\ny = np.zeros((1000, 10), dtype='float32')\n"
        "model = tf.keras.Sequential([tf.keras.Input((32, 32, 3)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])\n"
        "model.compile(optimizer='adam', loss='mse')\ndatagen = ImageDataGenerator(horizontal_flip=True)\n"
        "model.fit(datagen.flow(x, y, batch_size=32), steps_per_epoch=len(x), epochs=5)  # TL321\n",
    )
    passing = (
        "import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
        "x = np.zeros((1000, 32, 32, 3), dtype='float32')\ny = np.zeros((1000, 10), dtype='float32')\n"
        "model = tf.keras.Sequential([tf.keras.Input((32, 32, 3)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])\n"
        "model.compile(optimizer='adam', loss='mse')\ndatagen = ImageDataGenerator(horizontal_flip=True)\n"
        "model.fit(datagen.flow(x, y, batch_size=32), steps_per_epoch=len(x) // 32, epochs=5)\n",
    )
    lookalikes = (
        # one sample per batch: a step is a sample
        "import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
        "x = np.zeros((100, 8, 8, 1), dtype='float32')\ny = np.zeros((100, 2), dtype='float32')\n"
        "model = tf.keras.Sequential([tf.keras.Input((8, 8, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])\n"
        "model.compile(optimizer='adam', loss='mse')\n"
        "model.fit(ImageDataGenerator().flow(x, y, batch_size=1), steps_per_epoch=len(x), epochs=2)\n",
        # the samples of another array: how many steps the author wants is not known to be wrong
        "import numpy as np\nimport tensorflow as tf\nfrom tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
        "x = np.zeros((640, 8, 8, 1), dtype='float32')\ny = np.zeros((640, 2), dtype='float32')\nval = np.zeros((20, 8, 8, 1))\n"
        "model = tf.keras.Sequential([tf.keras.Input((8, 8, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])\n"
        "model.compile(optimizer='adam', loss='mse')\n"
        "model.fit(ImageDataGenerator().flow(x, y, batch_size=32), steps_per_epoch=len(val), epochs=2)\n",
    )

    def on_fit(self, ctx, ev):
        for steps_name, data_name in _STEPS.get(ev.method, ()):
            steps = ev.kwargs.get(steps_name)
            data = ev.data if data_name is None else ev.kwargs.get(data_name)
            if steps is None or not isinstance(data, ArrayBatches) or not data.tensors:
                continue
            size = data.batch_size
            x = data.tensors[0]
            if size is None or size <= 1 or not isinstance(x, Tensor):
                continue
            node = _steps_node(ev.node, steps_name)
            if not self._counts_rows(ctx, steps, node, x, data.node):
                continue
            self._report(ctx, node if node is not None else ev.node, steps_name, size, data.node,
                         ctx.source(node) if node is not None else str(steps.value))

    def on_module(self, ctx, ev):
        """The same where the model is not known (built in another module, or by code the analysis
        does not follow): read from the syntax, the flow call given inline or bound to a name."""
        text = ctx.text
        if "ImageDataGenerator" not in text or ".flow(" not in text or ("steps" not in text and "_generator(" not in text):
            return
        for call in calls_where(ctx, "tl321 fit with steps", _candidate):
            for steps_name, index, data_name, data_index in _SYNTAX[call.func.attr.value]:
                node = _arg(call, steps_name, index)
                data = _arg(call, data_name, data_index)
                if node is None or data is None:
                    continue
                flow = _through_name(ctx, call, data)
                if not _flow_call(flow) or not flow.args or flow.args[0].keyword is not None:
                    continue
                size = _literal_batch(ctx, flow)
                counted = _count_expr(_through_name(ctx, call, node))
                if size is None or size <= 1 or counted is None or not counted.deep_equals(flow.args[0].value):
                    continue
                self._report(ctx, node, steps_name, size, flow, ctx.source(node))

    def _report(self, ctx, node, steps_name, size, flow, steps_text):
        ctx.report(self, node,
                   f"`{steps_name}` is the number of samples ({steps_text}), but each step draws a batch of "
                   f"{size} from `{_flow_text(ctx, flow)}`: every "
                   f"{'epoch' if steps_name == 'steps_per_epoch' else 'pass'} goes over the data {size} times; "
                   f"divide by the batch size ({steps_name}=len(x) // {size}) or leave it out",
                   related=[(flow, f"batches of {size} made here")] if flow is not None else [])

    @staticmethod
    def _counts_rows(ctx, steps, node, x, flow) -> bool:
        """Whether `steps` is the number of rows of `x`: equal to its known first dimension, or
        written as `len(a)` / `a.shape[0]` of the expression `flow` was given as `x`."""
        rows = x.shape[0] if x.shape else None
        if isinstance(steps, Const) and type(steps.value) is int and type(rows) is int:
            return steps.value == rows and rows > 1
        counted = _count_expr(node) if node is not None else None
        given = flow.args[0].value if isinstance(flow, cst.Call) and flow.args and flow.args[0].keyword is None else None
        return counted is not None and given is not None and counted.deep_equals(given)


def _flow_text(ctx, node) -> str:
    text = ctx.source(node) if node is not None else None
    return text if text is not None and len(text) <= 60 else "flow(...)"
