import libcst as cst

from tensorlint.cstwalk import statements
from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, keyword_arg
from ._graph_ops import reaching_value
from ._trees import module_names, per_chunk

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


# the Keras text tokenizer, whose `word_index` numbers the words from 1 (0 is left for padding)
_TOKENIZERS = frozenset({"keras.preprocessing.text.Tokenizer", "keras.legacy.preprocessing.text.Tokenizer",
                         "keras_preprocessing.text.Tokenizer"})


def _tokenizer_parts(module) -> tuple:
    """({name: the `Tokenizer(...)` calls bound to it}, [(name, tokenizer name, assignment) for
    `name = tokenizer.word_index`]) of the tree, read from the syntax (the imports are checked
    later)."""
    made, indexes = {}, []
    for node in statements(module):
        if not (type(node) is cst.Assign and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)):
            continue
        name, value = node.targets[0].target.value, node.value
        if isinstance(value, cst.Call) and dotted(value.func).rsplit(".", 1)[-1] == "Tokenizer":
            made.setdefault(name, []).append(value)
        elif isinstance(value, cst.Attribute) and value.attr.value == "word_index" and isinstance(value.value, cst.Name):
            indexes.append((name, value.value.value, node))
    return made, indexes


def _num_words(call):
    """The text of the `num_words` a `Tokenizer(...)` call keeps (its first argument), None when
    it keeps every word."""
    arg = keyword_arg(call, "num_words")
    if arg is None and call.args and call.args[0].keyword is None and not call.args[0].star:
        arg = call.args[0]
    if arg is None or isinstance(arg.value, cst.Name) and arg.value.value == "None":
        return None
    return dotted(arg.value) or "?"


def _is_len(node) -> bool:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        node = node.left
    return isinstance(node, cst.Call) and dotted(node.func) == "len"


class EmbeddingRowsShort(Rule):
    """
    ## What it does
    Finds an embedding sized by the length of a vocabulary whose ids start at 1 (or more): the
    word-to-id map is built as `{w: i for i, w in enumerate(vocab, 1)}` (0 kept for padding), and
    the embedding gets `len(vocab_to_int)` rows (`nn.Embedding(len(vocab_to_int), d)`,
    `keras.layers.Embedding(n_words, d)`, a TF1 `tf.Variable(tf.random_uniform((n_words, d)))`
    read by `tf.nn.embedding_lookup`), directly or through a name. The `word_index` of a Keras
    `Tokenizer` numbers its words from 1 as well: an embedding of `len(tokenizer.word_index)`
    rows, or of `min(MAX_WORDS, len(word_index))` rows where the tokenizer keeps
    `num_words=MAX_WORDS`, is one row short whenever the vocabulary is smaller than the limit
    (a tokenizer that keeps fewer words than the vocabulary, with an embedding of
    `len(word_index)` rows, never makes the largest id and is left alone).

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
    triggers = ("enumerate", "word_index")
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
        # a Keras tokenizer's ids need len(word_index) + 1 rows
        "from tensorflow.keras.layers import Embedding\nfrom tensorflow.keras.preprocessing.text import Tokenizer\n\n"
        "tokenizer = Tokenizer()\ntokenizer.fit_on_texts(['a b', 'b c'])\n"
        "embedding = Embedding(len(tokenizer.word_index) + 1, 8)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if not ("enumerate" in text or "word_index" in text) or not ("Embedding" in text or "embedding_lookup" in text):
            return
        maps = {}
        if "enumerate" in text:
            for found in per_chunk(ctx, ("tl214 id maps",), _id_maps):
                maps.update(found)
        limits = self._tokenizer_maps(ctx, maps) if "word_index" in text else {}
        if not maps:
            return
        for calls in per_chunk(ctx, ("tl214 embeddings",), _embedding_calls):
            for call in calls:
                rows = self._rows(ctx, call)
                if rows is not None:
                    self._check(ctx, call, rows, maps, limits)

    @staticmethod
    def _tokenizer_maps(ctx, maps) -> dict:
        """Adds to `maps` the `word_index` of each Keras `Tokenizer` the file makes, by the name
        bound to it and as `tokenizer.word_index` (ids from 1); returns {map name: the text of
        the tokenizer's `num_words`, None when it keeps every word}."""
        env = module_names(ctx)
        made, indexes = {}, []
        for chunk_made, chunk_indexes in per_chunk(ctx, ("tl214 tokenizers",), _tokenizer_parts):
            for name, calls in chunk_made.items():
                made.setdefault(name, []).extend(calls)
            indexes += chunk_indexes
        limits = {}
        for name, calls in made.items():
            if any(imported_qualname(env, call.func) not in _TOKENIZERS for call in calls):
                continue
            call = calls[0]
            kept = {_num_words(c) for c in calls}
            whole = f"{name}.word_index"
            maps.setdefault(whole, (1, whole, call))
            # tokenizers of one name that keep different numbers of words: none of them is known
            limits[whole] = kept.pop() if len(kept) == 1 else "?"
            for bound, tokenizer, node in indexes:
                if tokenizer == name and bound not in maps:
                    maps[bound] = (1, whole, node)
                    limits[bound] = limits[whole]
        return limits

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

    def _check(self, ctx, call, rows, maps, limits):
        expr, through = rows, None
        if isinstance(rows, cst.Name):
            value = reaching_value(ctx, call, rows.value, into_with=True)
            if value is None:
                return
            expr, through = value, rows.value
        bound = None  # `min(bound, len(ids))`: the rows are capped
        if (isinstance(expr, cst.Call) and dotted(expr.func) == "min" and len(expr.args) == 2
                and all(a.keyword is None and not a.star for a in expr.args)):
            first, second = (a.value for a in expr.args)
            expr, bound = (second, first) if _is_len(second) else (first, second)
        extra = 0
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            extra = _int(expr.right)
            expr = expr.left
        if extra is None or not (isinstance(expr, cst.Call) and dotted(expr.func) == "len" and len(expr.args) == 1):
            return
        counted = dotted(expr.args[0].value)
        for name, (start, enumerated, made) in maps.items():
            if counted in (name, enumerated) and counted and extra < start:
                if name in limits and limits[name] is not None and (bound is None or dotted(bound) != limits[name]):
                    continue  # the tokenizer keeps fewer words than it numbers: its largest id may stay below the rows
                if bound is not None and name not in limits:
                    continue
                via = f" (`{through}`)" if through else ""
                if bound is not None:
                    via += f" whenever the vocabulary has fewer than `{dotted(bound) or ctx.source(bound)}` words"
                ctx.report(self, call,
                           f"this embedding has `len({counted})`{f' + {extra}' if extra else ''} rows{via}, but the "
                           f"ids of `{name}` (line {ctx.line(made)}) start at {start}: the largest id is "
                           f"`len({counted})`{f' + {start - 1}' if start > 1 else ''}, past the last row (IndexError "
                           f"in PyTorch, InvalidArgumentError in TensorFlow on CPU, zeros on GPU); add {start - extra} "
                           f"to the number of rows",
                           related=[(made, "ids start here"), (rows, "the number of rows")])
                return
