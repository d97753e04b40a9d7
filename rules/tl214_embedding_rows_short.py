import libcst as cst

from tensorlint.cstwalk import statements
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._graph_ops import reaching_value
from ._trees import per_chunk

_LAYERS = ("Embedding",)  # nn.Embedding(num, dim), keras.layers.Embedding(input_dim, output_dim)
_RANDOM = ("random_uniform", "random_normal", "truncated_normal", "uniform", "normal", "zeros", "ones")


def _int(node) -> int | None:
    return int(node.value, 0) if isinstance(node, cst.Integer) else None


def _embedding_calls(module) -> list:
    """The calls of the tree that may make an embedding (`...Embedding(...)`,
    `...embedding_lookup(...)`), in source order."""
    out = []
    for call in descendants(module):
        if isinstance(call, cst.Call):
            last = dotted(call.func).rsplit(".", 1)[-1]
            if last in _LAYERS or last == "embedding_lookup":
                out.append(call)
    return out


def _id_maps(module) -> dict:
    """Names bound to `{w: i for i, w in enumerate(xs, s)}` (or `{w: i + s for i, w in
    enumerate(xs)}`) -> (s, the enumerated expression's text, the assignment): ids s .. len(xs)+s-1."""
    out = {}
    for node in statements(module):  # (an assignment is a statement: no walk into expressions)
        if not (type(node) is cst.Assign and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)):
            continue
        comp = node.value
        if not (isinstance(comp, cst.DictComp) and comp.for_in.inner_for_in is None and not comp.for_in.ifs):
            continue
        it = comp.for_in.iter
        if not (isinstance(it, cst.Call) and dotted(it.func) == "enumerate" and it.args):
            continue
        target = comp.for_in.target
        if not (isinstance(target, cst.Tuple) and len(target.elements) == 2 and isinstance(target.elements[0].value, cst.Name)):
            continue
        index = target.elements[0].value.value
        start = 0
        for pos, a in enumerate(it.args[1:]):
            if a.keyword is None and pos == 0 or a.keyword is not None and a.keyword.value == "start":
                start = _int(a.value)
        value = comp.value
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and dotted(value.left) == index:
            shift = _int(value.right)
            start = None if shift is None or start is None else start + shift
        elif dotted(value) != index:
            continue
        if start:
            out[node.targets[0].target.value] = (start, dotted(it.args[0].value), node)
    return out


class EmbeddingRowsShort(Rule):
    """
    ## What it does
    Finds an embedding sized by the length of a vocabulary whose ids start at 1 (or more): the
    word-to-id map is built as `{w: i for i, w in enumerate(vocab, 1)}` (0 kept for padding), and
    the embedding gets `len(vocab_to_int)` rows (`nn.Embedding(len(vocab_to_int), d)`,
    `keras.layers.Embedding(n_words, d)`, a TF1 `tf.Variable(tf.random_uniform((n_words, d)))`
    read by `tf.nn.embedding_lookup`), directly or through a name.

    ## Why is this bad?
    The largest id is `len(vocab_to_int)`, one past the last row. PyTorch raises `IndexError:
    index out of range in self`, TensorFlow on a CPU `InvalidArgumentError: indices[...] = n is
    not in [0, n)`, and on a GPU `embedding_lookup` silently returns zeros for that word.

    ## Example
    ```python
    vocab_to_int = {word: ii for ii, word in enumerate(vocab, 1)}
    n_words = len(vocab_to_int)
    embedding = tf.Variable(tf.random_uniform((n_words, embed_size), -1, 1))
    ```

    ## Use instead
    ```python
    n_words = len(vocab_to_int) + 1  # ids start at 1; 0 pads
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL214"
    triggers = ("enumerate",)
    name = "embedding-rows-short"
    severity = Severity.ERROR
    summary = "An embedding sized by a vocabulary whose ids start at 1 has one row too few for the largest id."
    failing = (
        "import torch.nn as nn\n\nvocab = ['a', 'b', 'c']\nvocab_to_int = {w: i for i, w in enumerate(vocab, 1)}\n"
        "embedding = nn.Embedding(len(vocab_to_int), 8)  # TL214\n",
    )
    passing = (
        "import torch.nn as nn\n\nvocab = ['a', 'b', 'c']\nvocab_to_int = {w: i for i, w in enumerate(vocab, 1)}\n"
        "embedding = nn.Embedding(len(vocab_to_int) + 1, 8)\n",
    )
    lookalikes = (
        # ids from 0: len() rows are enough
        "import torch.nn as nn\n\nvocab = ['a', 'b', 'c']\nvocab_to_int = {w: i for i, w in enumerate(vocab)}\n"
        "embedding = nn.Embedding(len(vocab_to_int), 8)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "enumerate" not in text or not ("Embedding" in text or "embedding_lookup" in text):
            return
        maps = {}
        for found in per_chunk(ctx, ("tl214 id maps",), _id_maps):
            maps.update(found)
        if not maps:
            return
        for calls in per_chunk(ctx, ("tl214 embeddings",), _embedding_calls):
            for call in calls:
                rows = self._rows(ctx, call)
                if rows is not None:
                    self._check(ctx, call, rows, maps)

    @staticmethod
    def _rows(ctx, call):
        """The expression of the row count of an embedding made by `call`."""
        path = dotted(call.func)
        last = path.rsplit(".", 1)[-1]
        if last in _LAYERS:
            for i, a in enumerate(call.args):
                if (a.keyword is None and i == 0) or (a.keyword is not None and a.keyword.value in ("num_embeddings", "input_dim")):
                    return a.value
            return None
        if last == "embedding_lookup" and call.args and isinstance(call.args[0].value, cst.Name):
            var = reaching_value(ctx, call, call.args[0].value.value, into_with=True)
            if isinstance(var, cst.Call) and dotted(var.func).rsplit(".", 1)[-1] in ("Variable", "get_variable"):
                init = var.args[0].value if var.args and var.args[0].keyword is None else None
                shape = None
                if isinstance(init, cst.Call) and dotted(init.func).rsplit(".", 1)[-1] in _RANDOM and init.args:
                    shape = init.args[0].value
                for a in var.args:
                    if a.keyword is not None and a.keyword.value == "shape":
                        shape = a.value
                if isinstance(shape, (cst.Tuple, cst.List)) and len(shape.elements) == 2:
                    return shape.elements[0].value
        return None

    def _check(self, ctx, call, rows, maps):
        expr, through = rows, None
        if isinstance(rows, cst.Name):
            value = reaching_value(ctx, call, rows.value, into_with=True)
            if value is None:
                return
            expr, through = value, rows.value
        extra = 0
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            extra = _int(expr.right)
            expr = expr.left
        if extra is None or not (isinstance(expr, cst.Call) and dotted(expr.func) == "len" and len(expr.args) == 1):
            return
        counted = dotted(expr.args[0].value)
        for name, (start, enumerated, made) in maps.items():
            if counted in (name, enumerated) and counted and extra < start:
                via = f" (`{through}`)" if through else ""
                ctx.report(self, call,
                           f"this embedding has `len({counted})`{f' + {extra}' if extra else ''} rows{via}, but the "
                           f"ids of `{name}` (line {ctx.line(made)}) start at {start}: the largest id is "
                           f"`len({counted})`{f' + {start - 1}' if start > 1 else ''}, past the last row (IndexError "
                           f"in PyTorch, InvalidArgumentError in TensorFlow on CPU, zeros on GPU); add {start - extra} "
                           f"to the number of rows",
                           related=[(made, "ids start here"), (rows, "the number of rows")])
                return
