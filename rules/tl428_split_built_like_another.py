import ast

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import module_names
from ._split_records import kept_source, scope_records
from ._trees import node_memo, per_chunk

_ROLES = {"train": "training data", "valid": "validation data", "test": "evaluation data",
          "predict": "data the trained model predicts on"}

_DATA = (
    "import numpy as np\nimport keras\n\n"
    "def load_split(path):\n    data = np.load(path)\n    return data['x'], data['y']\n\n"
    "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation='sigmoid')])\n"
    "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
)


class SplitBuiltLikeAnother(Rule):
    """
    ## What it does
    Finds two data sets that a Keras program uses in different roles (the training data of
    `fit`, its `validation_data`, the data given to `evaluate` or `predict`) under two different names,
    each built by the same expression over the same unchanged names:
    `valid_set = make_dataset(train_files)` next to `train_set = make_dataset(train_files)`,
    `val_ds = tfds.load('imdb_reviews', split='train')` next to the same call for `train_ds`,
    `test_set = dataset(files[:5])` next to the same call for `valid_set`.

    ## Why is this bad?
    The program names the sets apart, so they were meant to hold different examples, but an
    expression evaluated twice on the same inputs reads the same rows: the validation (or test)
    set is the training (or validation) set. The validation loss then follows the training loss,
    early stopping and model selection see no overfitting, and the reported test accuracy is a
    training accuracy. Nothing raises; the numbers just look better than they are. Usually one
    argument was copied from the line above and not changed.

    Calls of the file's own data function that differ only in keyword arguments the function
    uses to shuffle, batch, cache or prefetch the examples (or to tune parallel reads) count as
    alike: `train_set = make_dataset(train_files, shuffle_buffer_size=10000)` and
    `valid_set = make_dataset(train_files)` read the same examples.

    A set counts in the role of the set made from it by steps that keep its examples (`.map`,
    `.batch`, `.shuffle`, `.cache`, `.prefetch`, or a function of the file that applies only
    such steps to its first argument): `validation_data=crop(valid_set)` makes `valid_set` the
    validation data. A set given to `predict` after a `fit` with validation data counts as
    evaluation data, but only against the validation data and only when built exactly alike
    (predicting on a copy of the training data to plot the fit, or on the validation set
    batched anew for a confusion matrix, is a choice).

    Calls that draw new data on each call (`next`, `get_next`, `sample`, random draws) are left
    alone: two of them need not return the same rows.

    ## Example
    ```python
    train_set = make_dataset(train_files, shuffle=True)
    valid_set = make_dataset(valid_files)
    test_set = make_dataset(valid_files)
    model.fit(train_set, validation_data=valid_set)
    model.evaluate(test_set)
    ```

    ## Use instead
    ```python
    test_set = make_dataset(test_files)
    ```

    ## Fix safety
    There is no automatic fix: which data the set should read is the author's choice.
    """

    code = "TL428"
    triggers = ("validation_data",)
    name = "split-built-like-another"
    severity = Severity.WARNING
    summary = ("Two data sets used in different roles (fit's training data, validation_data, evaluate) are built by "
               "the same expression over the same names, so they hold the same examples.")
    failing = (
        _DATA + "x_train, y_train = load_split('train.npz')\nx_val, y_val = load_split('valid.npz')\n"
        "x_test = np.load('valid.npz')['x']\ny_test = np.load('valid.npz')['y']\n"
        "x_valid = np.load('valid.npz')['x']  # TL428\n"
        "model.fit(x_train, y_train, validation_data=(x_valid, y_val))\nmodel.evaluate(x_test, y_test)\n",
        "import tensorflow as tf\nimport tensorflow_datasets as tfds\n"
        "train_ds = tfds.load('imdb_reviews', split='train', batch_size=32, as_supervised=True)\n"
        "val_ds = tfds.load('imdb_reviews', split='train',  # TL428\n"
        "                   batch_size=32, as_supervised=True)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))\n"
        "model.fit(train_ds, validation_data=val_ds, epochs=3)\n",
    )
    passing = (
        _DATA + "x_train, y_train = load_split('train.npz')\nx_val, y_val = load_split('valid.npz')\n"
        "x_test = np.load('test.npz')['x']\ny_test = np.load('test.npz')['y']\n"
        "x_valid = np.load('valid.npz')['x']\n"
        "model.fit(x_train, y_train, validation_data=(x_valid, y_val))\nmodel.evaluate(x_test, y_test)\n",
        "import tensorflow as tf\nimport tensorflow_datasets as tfds\n"
        "train_ds = tfds.load('imdb_reviews', split='train[:80%]', batch_size=32, as_supervised=True)\n"
        "val_ds = tfds.load('imdb_reviews', split='train[80%:]', batch_size=32, as_supervised=True)\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))\n"
        "model.fit(train_ds, validation_data=val_ds, epochs=3)\n",
    )
    lookalikes = (
        # the same expression, but a name it reads changed in between
        _DATA + "files = ['train.npz']\nx_train = np.load(files[0])['x']\ny_train = np.load(files[0])['y']\n"
        "files = ['valid.npz']\nx_val = np.load(files[0])['x']\ny_val = np.load(files[0])['y']\n"
        "model.fit(x_train, y_train, validation_data=(x_val, y_val))\n",
        # each call draws a new batch from a generator
        _DATA + "gen = (np.random.rand(32, 8) for _ in range(100))\nx_train = next(gen)\nx_val = next(gen)\n"
        "y = np.ones((32, 1))\nmodel.fit(x_train, y, validation_data=(x_val, y))\n",
        # the set rebound after it was built alike: the value that reaches fit differs
        _DATA + "x_train = np.load('all.npz')['x']\nx_val = np.load('all.npz')['x']\n"
        "x_train, x_val = x_train[:800], x_val[800:]\ny = np.ones((800, 1))\n"
        "model.fit(x_train, y, validation_data=(x_val, y[:200]))\n",
        # the same name in both roles: a choice the program makes openly, not a copied line
        _DATA + "x = np.load('all.npz')['x']\ny = np.load('all.npz')['y']\nmodel.fit(x, y, validation_data=(x, y))\n",
        # random draws from one pool
        _DATA + "x_train = np.random.rand(100, 8)\nx_val = np.random.rand(100, 8)\ny = np.ones((100, 1))\n"
        "model.fit(x_train, y, validation_data=(x_val, y))\n",
    )

    def on_module(self, ctx, ev):
        text = ctx.text
        if "keras" not in text or "validation_data" not in text:
            return  # two roles need a fit(validation_data=...): evaluate() counts only after one
        scopes: dict = {}
        drawing_defs: dict = {}
        for ci, (found, defs) in enumerate(per_chunk(ctx, ("split roles",), scope_records)):
            for key, records in found:
                scopes.setdefault(key, []).extend((ci, *r) for r in records)
            for name, got in defs.items():
                drawing_defs[name] = None if name in drawing_defs else got  # None: defined twice
        drawing = _drawing_functions({k: v for k, v in drawing_defs.items() if v is not None})
        self.order_only = {k: v[2] for k, v in drawing_defs.items() if v is not None}
        self.keeping = frozenset(k for k, v in drawing_defs.items() if v is not None and v[3])
        global_names = {n for records in scopes.values() for r in records if r[1] == "global" for n in r[2]}
        env = module_names(ctx)
        for records in scopes.values():
            if any(r[1] == "use" for r in records):
                _Scope(self, ctx, records, global_names, drawing, env, self.order_only, self.keeping).check()


def _parsed(source: str):
    """The `ast` of an expression's source (None: it does not parse alone); kept per node."""
    try:
        return ast.parse("(" + source.strip() + "\n)", mode="eval")
    except (SyntaxError, ValueError):
        return None


class _Scope:
    """The data sets of one scope (the module, or a function), compared by what they are built
    from: each plain `name = expression` read with the names it uses replaced by what they were
    bound to, so `val = load(x).map(f)` equals `train = load(x).map(f)` however many steps apart."""

    def __init__(self, rule, ctx, records, global_names, drawing, env, order_only, keeping):
        self.rule, self.ctx, self.records, self.order_only = rule, ctx, records, order_only
        self.keeping = keeping
        self.global_names, self.drawing, self.env = global_names, drawing, env
        self.memo: dict = {}
        self.loose: set = set()  # bindings compared without keywords that only order or batch examples

    def check(self):
        records = self.records
        uses = [(i, r) for i, r in enumerate(records) if r[1] == "use"]
        trained = {r[4] for _, r in uses if r[2] == "valid"}  # receivers of a fit with validation data
        reached = []  # (role, name, binding index, the use's call)
        made = []  # the same for sets bound some other way (a step given a lambda): only their sources count
        for i, (_, _, role, name, receiver, call) in uses:
            if role in ("test", "predict") and receiver not in trained:
                continue  # evaluate() of an object that no fit(validation_data=...) shows to be a Keras model
            if not isinstance(name, str):
                name = kept_source(name, self.keeping)
                if name is None:
                    continue
            b = self.reaching(name, i)
            if isinstance(b, int) and name not in self.global_names:
                (reached if records[b][4] is not None else made).append((role, name, b, call))
        reached += self.sources(reached + made)
        done = set()
        for k, (role_a, name_a, ia, call_a) in enumerate(reached):
            for role_b, name_b, ib, call_b in reached[k + 1:]:
                if role_a == role_b or name_a == name_b or ia == ib:
                    continue
                if "predict" in (role_a, role_b) and {role_a, role_b} != {"predict", "valid"}:
                    continue  # predicting on data built like the training data (to plot the fit) is common
                key = self.canon(ia)
                if key is None or key != self.canon(ib):
                    continue
                if "predict" in (role_a, role_b) and self.loose & set(self.chain(ia) + self.chain(ib)):
                    continue  # a copy of the validation set batched or ordered anew for predict(): a choice
                first, second = self.first_copy(ia, ib)
                if (first, second) in done:
                    continue
                done.add((first, second))
                uses_of = {name_a: (role_a, call_a), name_b: (role_b, call_b)}
                self.report(first, second, ia, ib, uses_of)

    def sources(self, reached) -> list:
        """The data sets the used ones are made from by steps that keep their examples (`.map`,
        `.batch`, `.shuffle`, ... or a function of the file that applies only those to its first
        argument): `cropped = crop(valid_set)` used as validation data makes valid_set the
        validation examples too. Each as (role, name, binding index, the use's call)."""
        out, seen = [], {(role, b) for role, _, b, _ in reached}
        stack = list(reached)
        while stack:
            role, name, b, call = stack.pop()
            stmt = self.records[b][3]
            value = self.records[b][4]
            if value is None and isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0].target, cst.Name):
                value = stmt.value
            source = kept_source(value, self.keeping)
            if source is None or source in self.global_names:
                continue
            j = self.reaching(source, b)
            if isinstance(j, int) and (role, j) not in seen:
                seen.add((role, j))
                stack.append((role, source, j, call))
                if self.records[j][4] is not None:
                    out.append(stack[-1])
        return out

    def reaching(self, name, at):
        """The index of the store of `name` that reaches record `at`, or None when the scope does
        not bind it before."""
        for j in range(at - 1, -1, -1):
            r = self.records[j]
            if r[1] == "store" and r[2] == name:
                return j
        return None

    def canon(self, i):
        """The expression of the plain binding `i` with every name it reads replaced by what it
        was bound to (a name bound some other way, or not in this scope, stays a name, told
        apart by the store it comes from); None when it may draw new data per call or grows
        too long to compare."""
        if i in self.memo:
            return self.memo[i]
        self.memo[i] = None  # a cycle cannot happen (a binding reads earlier ones), but stay safe
        tree = node_memo(self.ctx, ("TL428 expression",), lambda node: _parsed(self.ctx.source(node)))(self.records[i][4])
        out = self._serialize(tree.body, i) if tree is not None else None
        self.memo[i] = out if out is not None and len(out) <= 4000 else None
        return self.memo[i]

    def _serialize(self, node, at):
        if isinstance(node, ast.Name):
            if node.id in self.drawing:
                return None
            j = self.reaching(node.id, at)
            if j is None:
                return f"{node.id}@free"
            if self.records[j][4] is None:
                return f"{node.id}@{j}"
            inner = self.canon(j)
            return None if inner is None else f"<{inner}>"
        if isinstance(node, ast.Call) and _sklearn_generator(self.env, node.func):
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.keywords:
            dropped = self.order_only.get(node.func.id)
            j = self.reaching(node.func.id, at) if dropped else None
            if dropped and (j is None or self.records[j][4] is None) and any(k.arg in dropped for k in node.keywords):
                # the file's own data function: keywords that only order or batch the examples
                node = ast.Call(node.func, node.args, [k for k in node.keywords if k.arg not in dropped])
                self.loose.add(at)
        if isinstance(node, ast.AST):
            parts = []
            for f in node._fields:
                if f == "ctx":
                    continue
                p = self._serialize(getattr(node, f), at)
                if p is None:
                    return None
                parts.append(p)
            return type(node).__name__ + "(" + ",".join(parts) + ")"
        if isinstance(node, list):
            parts = [self._serialize(n, at) for n in node]
            return None if None in parts else "[" + ",".join(parts) + "]"
        return repr(node)

    def chain(self, i) -> list:
        """Binding `i` and the plain bindings its expression is built from, transitively."""
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            if j in out:
                continue
            out.append(j)
            for name in self.records[j][5]:
                k = self.reaching(name, j)
                if isinstance(k, int) and self.records[k][4] is not None:
                    stack.append(k)
        return out

    def first_copy(self, ia, ib):
        """The earliest two bindings of different names, one in each set's chain, built alike:
        where the two sets stopped differing (the copied line)."""
        best = None
        for s in self.chain(ia):
            for t in self.chain(ib):
                if self.records[s][2] == self.records[t][2]:
                    continue
                c = self.canon(s)
                if c is not None and c == self.canon(t):
                    pair = tuple(sorted((s, t)))
                    if best is None or (pair[1], pair[0]) < (best[1], best[0]):
                        best = pair
        return best or tuple(sorted((ia, ib)))

    def report(self, first, second, ia, ib, uses_of):
        ctx, records = self.ctx, self.records
        name_a, name_b = records[ia][2], records[ib][2]
        copied, original = (name_b, name_a) if ib >= ia else (name_a, name_b)
        stmt1, expr1, bound1 = records[first][3], records[first][4], records[first][2]
        stmt2, bound2 = records[second][3], records[second][2]
        shown = " ".join(ctx.source(expr1).split())
        if len(shown) > 80:
            shown = shown[:77] + "..."
        alike = ("the same way, up to arguments that only shuffle, batch or cache the examples, as"
                 if self.loose & set(self.chain(ia) + self.chain(ib)) else "exactly as")
        how = (f"{bound2} is built {alike} {bound1} at line {ctx.line(stmt1)} ({shown}), over the same names"
               if (bound1, bound2) in ((name_a, name_b), (name_b, name_a)) else
               f"{bound2} (which {copied} is made from) is built {alike} {bound1} at line {ctx.line(stmt1)} "
               f"({shown}), over the same names, and the later steps are the same too")
        role_c, role_o = _ROLES[uses_of[copied][0]], _ROLES[uses_of[original][0]]
        message = (f"{how}, so the {role_c} ({copied}) are the {role_o} ({original}): the scores measured on them "
                   f"say nothing about unseen examples. Build {copied} from its own part of the data")
        ctx.report(self.rule, stmt2, message, related=[(stmt1, f"{bound1} built here"),
                                                       (uses_of[original][1], f"{original} used as {role_o}"),
                                                       (uses_of[copied][1], f"{copied} used as {role_c}")])


def _drawing_functions(defs: dict) -> frozenset:
    """The functions of the file that draw random data or consume an iterator (directly or
    through another such function): two calls with the same arguments need not agree."""
    drawing = {name for name, (calls, draws, *_) in defs.items() if draws}
    grew = True
    while grew:
        grew = False
        for name, (calls, *_) in defs.items():
            if name not in drawing and calls & drawing:
                drawing.add(name)
                grew = True
    return frozenset(drawing)


def _sklearn_generator(env, func) -> bool:
    """`make_classification(...)` and the other sklearn.datasets generators: random unless seeded."""
    from tensorlint.values import Ref

    head = func
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name):
        return False
    last = func.attr if isinstance(func, ast.Attribute) else func.id
    v = env.get(head.id)
    return isinstance(v, Ref) and v.qualname.startswith("sklearn") and last.startswith("make_")
