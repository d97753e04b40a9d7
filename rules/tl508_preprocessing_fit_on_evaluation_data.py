import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import text_fact
from ._data_order import name_reads
from ._trees import calls_written, per_chunk
from ._training import parents

# preprocessing whose fit learns statistics or a vocabulary from the rows it is given (label
# encoders are left out: the set of classes is no property of a split)
_PREPROCESSING = frozenset({
    "Tokenizer", "TextVectorization", "Normalization", "StringLookup", "IntegerLookup", "Discretization",
    "StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "QuantileTransformer", "PowerTransformer",
    "TfidfVectorizer", "CountVectorizer", "VocabularyProcessor", "PCA"})
_FITTING = ("fit_on_texts", "fit_on_sequences", "adapt", "fit", "fit_transform", "partial_fit")
_JOINING = frozenset({"concatenate", "vstack", "row_stack", "concat"})  # rows joined (axis 0)
_OWN = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})
_EVALUATING = frozenset({"evaluate", "evaluate_generator", "test_on_batch"})
_GROWING = frozenset({"append", "extend", "update", "add"})  # `x.append(v)`: x holds v


def _parts(expr) -> list | None:
    """The names joined by `a + b (+ ...)`, `np.concatenate([a, b])`, `pd.concat((a, b))` (each
    part a name, or its rows: `a['text']`, `list(a)`, `a.tolist()`, `a.values`); None for
    anything else. `+` joins rows only of lists: the parts of a sum are names or lists made
    from a name (`a.values + b.values` adds arrays element by element)."""
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add:
        left, right = _parts(expr.left), _parts(expr.right)
        return left + right if left is not None and right is not None else None
    if type(expr) is cst.Name:
        return [expr.value]
    if type(expr) is cst.Call and type(expr.func) in (cst.Name, cst.Attribute):
        made = expr.func.value if type(expr.func) is cst.Name else expr.func.attr.value
        if made in ("list", "tolist", "to_list"):
            single = _rows_of(expr)
            return [single] if single is not None else None
    if (type(expr) is cst.Call and dotted(expr.func).rpartition(".")[2] in _JOINING and expr.args
            and expr.args[0].keyword is None and type(expr.args[0].value) in (cst.List, cst.Tuple)
            and not any(type(e) is cst.StarredElement for e in expr.args[0].value.elements)):
        axis = [a.value for a in expr.args[1:] if a.keyword is None or a.keyword.value == "axis"]
        if axis and not (type(axis[0]) is cst.Integer and axis[0].value == "0"):
            return None  # columns side by side, not rows
        items = [_rows_of(e.value) for e in expr.args[0].value.elements]
        return items if None not in items else None
    return None


def _rows_of(expr) -> str | None:
    """The name whose rows `expr` is: `x`, `x['text']`, `list(x)`, `x.tolist()`, `x.values`."""
    kind = type(expr)
    if kind is cst.Name:
        return expr.value
    if kind is cst.Attribute and expr.attr.value == "values":
        return _rows_of(expr.value)
    if (kind is cst.Subscript and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Index
            and type(expr.slice[0].slice.value) is cst.SimpleString):
        return _rows_of(expr.value)  # a column of a frame: its rows are the frame's
    if kind is cst.Call and not any(a.keyword is not None or a.star for a in expr.args):
        if type(expr.func) is cst.Name and expr.func.value in ("list", "tuple") and len(expr.args) == 1:
            return _rows_of(expr.args[0].value)
        if type(expr.func) is cst.Attribute and expr.func.attr.value in ("tolist", "to_list", "to_numpy") and not expr.args:
            return _rows_of(expr.func.value)
    return None


def _names(node) -> set:
    """The variables an expression reads (not the attribute names or keywords it spells)."""
    return {n.value for n in name_reads(node)}


def _target_names(target) -> list | None:
    """The names of a tuple target, in order; None when an element is not a plain name."""
    if type(target) is cst.Name:
        return [target.value]
    if type(target) in (cst.Tuple, cst.List) and all(type(e.value) is cst.Name for e in target.elements):
        return [e.value.value for e in target.elements]
    return None


def _element_wise(names: list, value) -> list | None:
    """What each of `names` reads when the value is built item by item: `a, b = x, y` and
    `a, b = (f(s) for s in [x, y])` (each name reads its own item and the shared expression)."""
    if type(value) in (cst.Tuple, cst.List) and len(value.elements) == len(names):
        return [_names(e.value) for e in value.elements]
    if type(value) in (cst.GeneratorExp, cst.ListComp) and value.for_in.inner_for_in is None and not value.for_in.ifs:
        source = value.for_in.iter
        if type(source) in (cst.List, cst.Tuple) and len(source.elements) == len(names):
            shared = _names(value.elt) - _names(value.for_in.target)
            return [_names(e.value) | shared for e in source.elements]
    return None


def _reads(scope) -> list:
    """(name, names its value reads) for every assignment in the scope's own body, every loop
    variable (it reads what the loop runs over) and every list grown in place (`x.append(v)`)."""
    out = []
    for node in descendants(scope, prune=_OWN):
        kind = type(node)
        if kind is cst.Assign:
            for t in node.targets:
                names = _target_names(t.target)
                if names is None:
                    continue
                items = _element_wise(names, node.value) if len(names) > 1 else None
                read = _names(node.value)
                out += [(n, items[i] if items is not None else read) for i, n in enumerate(names)]
        elif kind in (cst.AugAssign, cst.AnnAssign) and type(node.target) is cst.Name and node.value is not None:
            out.append((node.target.value, _names(node.value) | {node.target.value}))
        elif kind is cst.For:
            read = _names(node.iter)
            out += [(n, read) for n in _names(node.target)]
        elif (kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in _GROWING
              and type(node.func.value) is cst.Name):
            out.append((node.func.value.value, set().union(*(_names(a.value) for a in node.args))))
    return out


def _derived(reads: list, start: str) -> set:
    """`start` and every name whose value is computed from it, through any chain of assignments."""
    got = {start}
    grew = True
    while grew:
        grew = False
        for name, read in reads:
            if name not in got and read & got:
                got.add(name)
                grew = True
    return got


def _scope_facts(scope) -> tuple:
    """What the rule reads of one scope's own body (a function, or a chunk of the module's
    top-level code): (name -> the kinds of the values assigned to it, the assignments' reads,
    [(receiver name or None, names read by the trained data, names read by the evaluated data)]
    for the `fit` / `train_on_batch` calls, and the names read by the data of `evaluate` /
    `test_on_batch`)."""
    kinds: dict = {}
    fits, evaluated = [], set()
    for node in descendants(scope, prune=_OWN):
        kind = type(node)
        if kind is cst.Assign:
            value = node.value
            made = dotted(value.func).rpartition(".")[2] if type(value) is cst.Call else None
            for t in node.targets:
                if type(t.target) is cst.Name:
                    kinds.setdefault(t.target.value, set()).add(made)
        if kind is not cst.Call or type(node.func) is not cst.Attribute:
            continue
        method = node.func.attr.value
        receiver = node.func.value
        if method in _TRAINING:
            trained, held = set(), set()
            for a in node.args:
                key = a.keyword.value if a.keyword is not None else None
                if key == "validation_data":
                    held |= _names(a.value)
                elif key in (None, "x", "y", "generator"):
                    trained |= _names(a.value)
            fits.append((receiver.value if type(receiver) is cst.Name else None, trained, held))
        elif method in _EVALUATING:
            for a in node.args:
                if a.keyword is None or a.keyword.value in ("x", "y"):
                    evaluated |= _names(a.value)
    return kinds, _reads(scope), fits, evaluated


def _merged(parts: list) -> tuple:
    """(name -> preprocessing class, reads, trained names, evaluated names) of a scope from the
    facts of its pieces: a name is a preprocessing object when every assignment of it makes one
    of one class, and the `fit` of a preprocessing object trains no model."""
    kinds: dict = {}
    reads, fits, evaluated = [], [], set()
    for part_kinds, part_reads, part_fits, part_evaluated in parts:
        for name, made in part_kinds.items():
            kinds.setdefault(name, set()).update(made)
        reads += part_reads
        fits += part_fits
        evaluated |= part_evaluated
    objects = {name: next(iter(k)) for name, k in kinds.items() if len(k) == 1 and next(iter(k)) in _PREPROCESSING}
    trained = set()
    for receiver, fit_trained, fit_held in fits:
        if receiver not in objects:
            trained |= fit_trained
            evaluated |= fit_held
    return objects, reads, trained, evaluated


class PreprocessingFitOnEvaluationData(Rule):
    """
    ## What it does
    Finds a preprocessing step fitted on the training data joined with the evaluation data: a
    Keras `Tokenizer.fit_on_texts`, a `TextVectorization` / `Normalization` / `StringLookup`
    `adapt`, or a scikit-learn scaler or vectorizer `fit` / `fit_transform`, given `a + b`,
    `np.concatenate([a, b])` or `pd.concat([a, b])` where one part is the data the model is
    validated or evaluated on (what is computed from it reaches `validation_data=` of `fit`, or
    `evaluate`, and never the training data) and another part is the training data (what is
    computed from it reaches the data `fit` trains on). Names are followed through assignments in
    the same function, item by item where a tuple is unpacked (`a, b = (pad(s) for s in [x, y])`).
    Label encoders are not this rule: the set of classes is no property of a split.

    ## Why is this bad?
    The vocabulary, the scaling statistics or the components are chosen with the held-out rows:
    words that occur only in the validation sentences get their own ids and embedding rows, the
    scaler's mean and range include the test rows. The validation score is then measured on data
    the preprocessing has seen, which makes it better than it will be on new data, and the
    model's vocabulary size depends on the evaluation set. Nothing raises.

    ## Example
    ```python
    tokenizer = Tokenizer(num_words=10000, oov_token="?")
    tokenizer.fit_on_texts(texts_train + texts_val)
    x_train = pad_sequences(tokenizer.texts_to_sequences(texts_train), maxlen=40)
    x_val = pad_sequences(tokenizer.texts_to_sequences(texts_val), maxlen=40)
    model.fit(x_train, y_train, validation_data=(x_val, y_val))
    ```

    ## Use instead
    ```python
    tokenizer.fit_on_texts(texts_train)
    ```

    ## Fix safety
    There is no automatic fix: the rows to fit on are the training rows, which the program names.
    """

    code = "TL508"
    triggers = ("validation_data", ".evaluate(")
    name = "preprocessing-fit-on-evaluation-data"
    severity = Severity.WARNING
    summary = ("A tokenizer, normalization layer or scaler is fitted on the training data joined with the "
               "validation or test data: the held-out rows choose the vocabulary or the statistics.")
    failing = (
        "import numpy as np\nimport keras\nfrom keras.preprocessing.text import Tokenizer\n"
        "from keras.utils import pad_sequences\n\n"
        "texts_train = ['a good film', 'a bad film'] * 50\ntexts_val = ['an awful plot', 'great acting'] * 10\n"
        "y_train = np.random.randint(0, 2, 100)\ny_val = np.random.randint(0, 2, 20)\n"
        "tokenizer = Tokenizer(num_words=1000)\ntokenizer.fit_on_texts(texts_train + texts_val)  # TL508\n"
        "x_train = pad_sequences(tokenizer.texts_to_sequences(texts_train), maxlen=8)\n"
        "x_val = pad_sequences(tokenizer.texts_to_sequences(texts_val), maxlen=8)\n"
        "model = keras.Sequential([keras.layers.Embedding(1000, 16), keras.layers.GlobalAveragePooling1D(),\n"
        "                          keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "model.fit(x_train, y_train, epochs=2, validation_data=(x_val, y_val))\n",
        "import numpy as np\nimport tensorflow as tf\n\n"
        "x_train, x_test = np.random.rand(800, 8), np.random.rand(200, 8)\n"
        "y_train, y_test = np.random.rand(800), np.random.rand(200)\n"
        "norm = tf.keras.layers.Normalization()\nnorm.adapt(np.concatenate([x_train, x_test]))  # TL508\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), norm, tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(x_train, y_train, epochs=2)\n"
        "print(model.evaluate(x_test, y_test))\n",
    )
    passing = (
        "import numpy as np\nimport keras\nfrom keras.preprocessing.text import Tokenizer\n"
        "from keras.utils import pad_sequences\n\n"
        "texts_train = ['a good film', 'a bad film'] * 50\ntexts_val = ['an awful plot', 'great acting'] * 10\n"
        "y_train = np.random.randint(0, 2, 100)\ny_val = np.random.randint(0, 2, 20)\n"
        "tokenizer = Tokenizer(num_words=1000)\ntokenizer.fit_on_texts(texts_train)\n"
        "x_train = pad_sequences(tokenizer.texts_to_sequences(texts_train), maxlen=8)\n"
        "x_val = pad_sequences(tokenizer.texts_to_sequences(texts_val), maxlen=8)\n"
        "model = keras.Sequential([keras.layers.Embedding(1000, 16), keras.layers.GlobalAveragePooling1D(),\n"
        "                          keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "model.fit(x_train, y_train, epochs=2, validation_data=(x_val, y_val))\n",
    )
    lookalikes = (
        # extra unlabeled rows joined with the training rows: no evaluation data among them
        "import numpy as np\nimport tensorflow as tf\n\n"
        "x_train, x_extra, x_test = np.random.rand(800, 8), np.random.rand(500, 8), np.random.rand(200, 8)\n"
        "y_train, y_test = np.random.rand(800), np.random.rand(200)\n"
        "norm = tf.keras.layers.Normalization()\nnorm.adapt(np.concatenate([x_train, x_extra]))\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), norm, tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(x_train, y_train, epochs=2)\n"
        "print(model.evaluate(x_test, y_test))\n",
        # the joined rows are all trained on: the validation data is another set
        "import numpy as np\nimport tensorflow as tf\n\n"
        "x_a, x_b, x_val = np.random.rand(400, 8), np.random.rand(400, 8), np.random.rand(100, 8)\n"
        "y, y_val = np.random.rand(800), np.random.rand(100)\nx_all = np.concatenate([x_a, x_b])\n"
        "norm = tf.keras.layers.Normalization()\nnorm.adapt(np.concatenate([x_a, x_b]))\n"
        "model = tf.keras.Sequential([tf.keras.Input((8,)), norm, tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(x_all, y, validation_data=(x_val, y_val))\n",
        # class labels of both splits encoded together: the set of classes, not a statistic
        "import numpy as np\nimport keras\nfrom sklearn.preprocessing import LabelEncoder\n\n"
        "x_train, x_test = np.random.rand(80, 4), np.random.rand(20, 4)\n"
        "y_train, y_test = np.array(['a', 'b'] * 40), np.array(['a', 'b'] * 10)\n"
        "enc = LabelEncoder()\nenc.fit(np.concatenate([y_train, y_test]))\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(x_train, enc.transform(y_train), validation_data=(x_test, enc.transform(y_test)))\n",
    )

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "TL508 join fitted", lambda t: ("validation_data" in t or ".evaluate(" in t)
                         and ("+" in t or "concat" in t or "stack" in t) and any(f"{m}(" in t for m in _FITTING)):
            return
        p = parents(ctx)
        facts: dict = {}
        for call in calls_written(ctx, _FITTING):
            func = call.func
            if (type(func) is not cst.Attribute or type(func.value) is not cst.Name or not call.args
                    or call.args[0].keyword is not None):
                continue
            parts = _parts(call.args[0].value)
            if parts is None or len(set(parts)) < 2:
                continue
            scope = p.scope(call)
            if scope is None or type(scope) is cst.Lambda:
                continue
            if id(scope) not in facts:
                # the module's top-level code is read chunk by chunk (each kept with its tree)
                pieces = per_chunk(ctx, ("TL508 facts",), _scope_facts) if type(scope) is cst.Module else [
                    _scope_facts(scope)]
                facts[id(scope)] = _merged(pieces)
            objects, reads, trained, evaluated = facts[id(scope)]
            kind = objects.get(func.value.value)
            if kind is None:
                continue
            held, fitted = [], []
            for part in dict.fromkeys(parts):
                derived = _derived(reads, part)
                if derived & evaluated and not derived & trained:
                    held.append(part)
                elif derived & trained:
                    fitted.append(part)
            if held and fitted:
                ctx.report(self, call,
                           f"the {kind} is fitted on `{held[0]}` joined with the training data `{fitted[0]}`, but "
                           f"`{held[0]}` is what the model is validated or evaluated on: the held-out rows choose "
                           f"the vocabulary or statistics; fit it on the training data alone")
