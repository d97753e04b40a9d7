import libcst as cst

from tensorlint.dataflow import descendants, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._graph_ops import reaching_value
from ._trees import per_chunk

_SPLITS = ("train", "validation", "test")
_SIZE_ATTRS = ("labels", "images", "num_examples")
# the sizes of the TF1 MNIST helper's splits with the default validation_size=5000
_MNIST = {"train": 55000, "validation": 5000, "test": 10000}
_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _data_sets(module) -> dict:
    """Names bound to `read_data_sets(...)` (the TF1 tutorial data sets) -> whether the call
    keeps the default split sizes."""
    out = {}
    for node in descendants(module):
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
            if dotted(node.value.func).rsplit(".", 1)[-1] == "read_data_sets":
                default = not any(a.keyword is not None and a.keyword.value == "validation_size" for a in node.value.args)
                for t in node.targets:
                    for name in store_names(t.target):
                        out[name] = default and len(node.value.args) <= 5
    return out


def _range_loops(module) -> list:
    """The `for ... in range(...)` loops of the tree, in source order."""
    return [loop for loop in descendants(module)
            if isinstance(loop, cst.For) and isinstance(loop.iter, cst.Call) and dotted(loop.iter.func) == "range"]


def _split_of(node, data) -> str | None:
    """`mnist.test` in `mnist.test.labels` / `mnist.test.num_examples` -> "test"."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute):
        inner = node.value
        if isinstance(inner.value, cst.Name) and inner.value.value in data and inner.attr.value in _SPLITS:
            return inner.attr.value
    return None


class EpochLengthFromOtherSplit(Rule):
    """
    ## What it does
    Finds a training loop whose number of iterations is computed from the size of one split of a
    data set (`len(mnist.test.labels) // batch_size`, `mnist.validation.num_examples // n`) while
    each iteration draws its batch from another split (`mnist.train.next_batch(batch_size)`).

    ## Why is this bad?
    The epoch is as long as the other split, not the one it trains on: with the TF1 MNIST helper,
    counting test images (10,000) while drawing training batches (55,000 images) makes every
    "epoch" see less than a fifth of the training data, so training runs far fewer steps than
    the epoch count says; counting the training split while drawing test batches evaluates the
    test set many times over.

    ## Example
    ```python
    for epoch in range(n_epochs):
        for iteration in range(len(mnist.test.labels) // batch_size):
            X_batch, y_batch = mnist.train.next_batch(batch_size)
            sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
    ```

    ## Use instead
    ```python
    for iteration in range(mnist.train.num_examples // batch_size):
        X_batch, y_batch = mnist.train.next_batch(batch_size)
    ```

    ## Fix safety
    There is no automatic fix: which split the loop should count is the author's choice.
    """

    code = "TL424"
    triggers = ("read_data_sets",)
    name = "epoch-length-from-other-split"
    severity = Severity.WARNING
    summary = "A loop counts the batches of one data split but draws them from another: the epoch has the wrong length."
    failing = (
        "from tensorflow.examples.tutorials.mnist import input_data\n\nmnist = input_data.read_data_sets('/tmp/data/')\n"
        "for iteration in range(len(mnist.test.labels) // 50):  # TL424\n"
        "    X_batch, y_batch = mnist.train.next_batch(50)\n",
    )
    passing = (
        "from tensorflow.examples.tutorials.mnist import input_data\n\nmnist = input_data.read_data_sets('/tmp/data/')\n"
        "for iteration in range(mnist.train.num_examples // 50):\n"
        "    X_batch, y_batch = mnist.train.next_batch(50)\n",
    )
    lookalikes = (
        # an evaluation loop over the test split, counted by the test split
        "from tensorflow.examples.tutorials.mnist import input_data\n\nmnist = input_data.read_data_sets('/tmp/data/')\n"
        "for i in range(mnist.test.num_examples // 100):\n    xs, ys = mnist.test.next_batch(100)\n",
    )

    def on_module(self, ctx, ev):
        if "read_data_sets" not in ctx.text or "next_batch" not in ctx.text:
            return
        data = {}
        for found in per_chunk(ctx, ("tl424 data sets",), _data_sets):
            data.update(found)
        if not data:
            return
        for loops in per_chunk(ctx, ("tl424 range loops",), _range_loops):
            for loop in loops:
                self._check(ctx, loop, data)

    def _check(self, ctx, loop, data):
        exprs = [loop.iter]
        for n in descendants(loop.iter):
            if isinstance(n, cst.Name) and n.value not in data:
                value = reaching_value(ctx, loop.iter, n.value)  # `n_batches = mnist.test.num_examples // size`
                if value is not None:
                    exprs.append(value)
        counted = {s: n for e in exprs for n in descendants(e) if (s := _split_of(n, data)) is not None}
        if len(counted) != 1:
            return
        drawn = {}
        for n in descendants(loop.body, prune=_OWN):
            if (isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "next_batch"
                    and isinstance(n.func.value, cst.Attribute)):
                inner = n.func.value
                if isinstance(inner.value, cst.Name) and inner.value.value in data and inner.attr.value in _SPLITS:
                    drawn.setdefault(inner.attr.value, n)
        (count_split, count_node), = counted.items()
        if len(drawn) != 1 or count_split in drawn:
            return
        (draw_split, draw_node), = drawn.items()
        name = count_node.value.value.value
        sizes = ""
        if data.get(name):
            sizes = (f" ({_MNIST[count_split]:,} images, while {name}.{draw_split} holds "
                     f"{_MNIST[draw_split]:,})")
        ctx.report(self, loop.iter,
                   f"this loop runs as many iterations as `{name}.{count_split}` has batches{sizes}, but each "
                   f"iteration draws a batch from `{name}.{draw_split}` (line {ctx.line(draw_node)}): the epoch "
                   f"has the length of the wrong split; count `{name}.{draw_split}.num_examples`",
                   related=[(draw_node, f"the batch comes from {name}.{draw_split}")])
