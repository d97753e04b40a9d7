import libcst as cst

from tensorlint.cstwalk import statements
from tensorlint.dataflow import descendants, store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._trees import per_chunk

_SPLIT = ("skip", "take")


class SplitOfReshuffledDataset(Rule):
    """
    ## What it does
    Finds a `tf.data` dataset cut into two parts with `take(n)` and `skip(n)` (a training and a
    validation split) when the dataset before the cut is shuffled anew on every pass:
    `tf.data.Dataset.list_files(pattern)` (which shuffles unless `shuffle=False`) or
    `.shuffle(buffer)` (which reshuffles each iteration unless `reshuffle_each_iteration=False`),
    with no `.cache()` after the shuffle to freeze the order.

    ## Why is this bad?
    `take` and `skip` are evaluated lazily, each time the split is iterated. Every epoch (and every
    validation pass) draws a new order, so the examples that fall into the first `n` change: over
    the epochs the model trains on nearly all the examples the validation split scores it on, and
    the validation accuracy measures memorization. A later `.shuffle(..., reshuffle_each_iteration=
    False)` does not help when the files were already reshuffled before it.

    ## Example
    ```python
    files = tf.data.Dataset.list_files("images/*/*.jpg")
    val_ds = files.take(200)
    train_ds = files.skip(200)
    ```

    ## Use instead
    ```python
    files = tf.data.Dataset.list_files("images/*/*.jpg", shuffle=False)
    files = files.shuffle(image_count, reshuffle_each_iteration=False)
    val_ds = files.take(200)
    train_ds = files.skip(200)
    ```

    ## Fix safety
    There is no automatic fix: a seed, `shuffle=False` or a cache each change what the program
    does.
    """

    code = "TL504"
    triggers = (".skip(",)
    name = "split-of-reshuffled-dataset"
    severity = Severity.WARNING
    summary = "A take/skip split of a tf.data dataset that is reshuffled on every pass: the parts overlap across epochs."
    failing = (
        "import tensorflow as tf\nfiles = tf.data.Dataset.list_files('data/*.csv')  # TL504\n"
        "val_files = files.take(10)\ntrain_files = files.skip(10)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.fit(train_files.map(len), validation_data=val_files.map(len))\n",
        "import numpy as np\nimport tensorflow as tf\n"
        "ds = tf.data.Dataset.from_tensor_slices((np.zeros((100, 4)), np.zeros(100)))\n"
        "ds = ds.shuffle(100)  # TL504\nds = ds.map(lambda x, y: (x * 2, y))\n"
        "train_ds, val_ds = ds.skip(20).batch(8), ds.take(20).batch(8)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.fit(train_ds, validation_data=val_ds)\n",
    )
    passing = (
        "import tensorflow as tf\nfiles = tf.data.Dataset.list_files('data/*.csv', shuffle=False)\n"
        "files = files.shuffle(100, reshuffle_each_iteration=False)\n"
        "val_files = files.take(10)\ntrain_files = files.skip(10)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.fit(train_files.map(len), validation_data=val_files.map(len))\n",
    )
    lookalikes = (
        # shuffled once, then cached: every pass reads the first order
        "import numpy as np\nimport tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 4)))\n"
        "ds = ds.shuffle(100).cache()\ntrain_ds = ds.skip(20)\nval_ds = ds.take(20)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.fit(train_ds, validation_data=val_ds)\n",
        # the shuffle comes after the split
        "import numpy as np\nimport tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 4)))\n"
        "train_ds = ds.skip(20).shuffle(80)\nval_ds = ds.take(20)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.fit(train_ds, validation_data=val_ds)\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if ".skip(" not in text or ".take(" not in text or ("list_files" not in text and ".shuffle(" not in text):
            return
        if "validation_data" not in text and ".evaluate(" not in text:
            return  # no split the program trains and validates on
        module_records: list = []
        for found in per_chunk(ctx, ("take-skip records",), _scope_records):
            for key, records in found:
                if key == "module":
                    module_records.extend(records)
                else:
                    self._check(ctx, records)
        self._check(ctx, module_records)

    def _check(self, ctx, records):
        parts: dict = {}  # (binding index of the dataset, method) -> the split call
        for i, r in enumerate(records):
            if r[0] != "plain":
                continue
            for call in r[4]:
                source = call.func.value
                if isinstance(source, cst.Name):
                    b = _reaching(records, source.value, i)
                    if b is not None:
                        parts.setdefault((b, call.func.attr.value), call)
        for (b, method), call in sorted(parts.items(), key=lambda kv: kv[0]):
            if method != "take" or (b, "skip") not in parts:
                continue
            shuffle = _reshuffled(records, b)
            if shuffle is None:
                continue
            step, why = shuffle
            other = parts[(b, "skip")]
            ctx.report(self, step,
                       f"{why}, and the dataset is then split with take() (line {ctx.line(call)}) and skip() (line "
                       f"{ctx.line(other)}): each pass reshuffles before the split, so every epoch puts other examples "
                       f"in each part and the model trains on the examples it is validated on. Shuffle once with "
                       f"reshuffle_each_iteration=False (and list_files(..., shuffle=False)), or cache before splitting",
                       related=[(call, "take() here"), (other, "skip() here")])


def _reshuffled(records, b):
    """(the call, why) when the data flowing into binding `b` is shuffled anew on each pass and
    not cached after that; None otherwise or when the flow is not all plain bindings."""
    steps = _steps(records, b, set())
    if steps is None:
        return None
    found, cached = None, False
    for call in steps:
        last = dotted(call.func).rpartition(".")[2]
        if last == "list_files" and not _literal_false(call, "shuffle", 1):
            found, cached = (call, "list_files() shuffles the file names anew on every pass (shuffle=True is its default)"), False
        elif last == "shuffle" and isinstance(call.func, cst.Attribute) and not _literal_false(call, "reshuffle_each_iteration", 2):
            found, cached = (call, "shuffle() reshuffles on every pass (reshuffle_each_iteration=True is its default)"), False
        elif last == "cache":
            cached = True
    return None if found is None or cached else found


def _steps(records, b, seen):
    """The calls that made binding `b`, in the order the data flows through them; None when
    part of the flow comes from a binding that is not `name = expression`."""
    if b in seen:
        return None
    seen.add(b)
    r = records[b]
    if r[0] != "plain":
        return None
    return _flow(records, r[3], b, seen)


def _flow(records, node, at, seen):
    if isinstance(node, cst.Name):
        j = _reaching(records, node.value, at)
        return [] if j is None else _steps(records, j, seen)
    if isinstance(node, cst.Call):
        head = node.func.value if isinstance(node.func, cst.Attribute) else None
        before = _flow(records, head, at, seen) if head is not None else []
        return None if before is None else before + [node]
    if isinstance(node, cst.Attribute):
        return _flow(records, node.value, at, seen)
    return []


def _literal_false(call, keyword, position) -> bool:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return isinstance(a.value, cst.Name) and a.value.value == "False"
    if len(positional) > position:
        v = positional[position].value
        return isinstance(v, cst.Name) and v.value == "False"
    return False


def _reaching(records, name, at):
    for j in range(at - 1, -1, -1):
        if records[j][1] == name:
            return j
    return None


def _split_calls(value) -> tuple:
    return tuple(n for n in [value, *descendants(value)] if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)
                 and n.func.attr.value in _SPLIT)


def _scope_records(module) -> list:
    """(scope, records) for the module and each function of one chunk; a record is
    ("plain", name, statement, value, its take/skip calls) for `name = value` (or one part of
    `a, b = x, y`) at the scope's own level (name "" for a `return` or an expression
    statement), ("other", name) for any other binding, in source order."""
    out = [("module", _records(module.body))]
    for stmt in statements(module):
        if isinstance(stmt, cst.FunctionDef) and isinstance(stmt.body, cst.IndentedBlock):
            out.append((id(stmt), _records(stmt.body.body)))
    return out


def _records(body) -> list:
    records = []
    for top in body:
        if isinstance(top, cst.SimpleStatementLine):
            for small in top.body:
                records.extend(_binds(small, True))
        elif not isinstance(top, (cst.FunctionDef, cst.ClassDef)):
            for inner in [top, *statements(top, nested=False)]:
                records.extend(_binds(inner, False))
        else:
            records.append(("other", top.name.value))
    return records


def _binds(stmt, plain):
    if isinstance(stmt, (cst.Return, cst.Expr)) and stmt.value is not None and plain:
        yield ("plain", "", stmt, stmt.value, _split_calls(stmt.value))  # binds nothing; its splits count
        return
    if isinstance(stmt, cst.Assign) and plain and len(stmt.targets) == 1:
        t = stmt.targets[0].target
        if isinstance(t, cst.Name):
            yield ("plain", t.value, stmt, stmt.value, _split_calls(stmt.value))
            return
        if (isinstance(t, cst.Tuple) and isinstance(stmt.value, cst.Tuple) and len(t.elements) == len(stmt.value.elements)
                and all(isinstance(e.value, cst.Name) for e in t.elements)):
            for e, v in zip(t.elements, stmt.value.elements):
                yield ("plain", e.value.value, stmt, v.value, _split_calls(v.value))
            return
    targets = []
    if isinstance(stmt, cst.Assign):
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, (cst.AugAssign, cst.AnnAssign, cst.For)):
        targets = [stmt.target]
    elif isinstance(stmt, cst.With):
        targets = [item.asname.name for item in stmt.items if item.asname is not None]
    for t in targets:
        for name in store_names(t):
            yield ("other", name)
