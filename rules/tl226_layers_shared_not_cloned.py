import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._trees import per_chunk

# the calls that make a model from layers given to them
_BUILDERS = frozenset({"Sequential", "Model", "Functional"})
# the training calls of a Keras model
_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})
# what a copy may be given without being used: its weights, its compilation, its summary
_SETUP = frozenset({"set_weights", "load_weights", "compile", "summary", "build"})


def _last_name(func) -> str | None:
    if type(func) is cst.Name:
        return func.value
    if type(func) is cst.Attribute:
        return func.attr.value
    return None


def _layers_of(node, derived=None) -> set:
    """The names of the models whose layers the expression reads: `m.layers[:-1]`,
    `m.get_layer("fc")`, `m.output`, or a name bound to a value computed from those."""
    found = set()
    derived = derived or {}

    class _V(cst.CSTVisitor):
        def visit_Attribute(self, a):
            if type(a.value) is cst.Name and a.attr.value in ("layers", "get_layer", "output", "outputs"):
                found.add(a.value.value)

        def visit_Name(self, n):
            found.update(derived.get(n.value, ()))

        def visit_Lambda(self, _):
            return False

    node.visit(_V())
    return found


class _Facts(cst.CSTVisitor):
    """What one scope does, in the order it runs: copies made by `clone_model`, models built from
    another model's layers, training calls, bindings and reads of names."""

    def __init__(self, scope):
        self.scope = scope
        self.facts = []
        self.nested = []  # the functions defined here: scopes of their own
        self.derived = {}  # a name -> the models whose layers its value was computed from

    def _add(self, *fact):
        self.facts.append((self.scope,) + fact)

    def visit_FunctionDef(self, node):
        self.nested.append(node)
        return False

    def visit_ClassDef(self, node):
        for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if type(stmt) is cst.FunctionDef:
                self.nested.append(stmt)
        return False

    def visit_Lambda(self, _):
        return False

    def visit_Assign(self, node):
        node.value.visit(self)
        value = node.value
        for target in node.targets:
            t = target.target
            if type(t) is not cst.Name:
                t.visit(self)
                continue
            name = t.value
            sources = _layers_of(value, self.derived)
            if sources:
                self.derived[name] = sources
            else:
                self.derived.pop(name, None)
            if type(value) is cst.Call and _last_name(value.func) == "clone_model" and value.args \
                    and type(value.args[0].value) is cst.Name:
                self._add("clone", name, value.args[0].value.value, node)
            elif type(value) is cst.Call and _last_name(value.func) in _BUILDERS:
                for source in sorted(sources):
                    self._add("build", name, source, node)
            self._add("bind", name, node)
        return False

    def visit_For(self, node):
        node.iter.visit(self)
        sources = _layers_of(node.iter)
        if sources and type(node.target) is cst.Name:
            var = node.target.value
            added = []

            class _Adds(cst.CSTVisitor):
                def visit_Call(self, c):
                    f = c.func
                    if type(f) is cst.Attribute and f.attr.value == "add" and type(f.value) is cst.Name and c.args \
                            and type(c.args[0].value) is cst.Name and c.args[0].value.value == var:
                        added.append(f.value.value)

            node.body.visit(_Adds())
            for model in sorted(set(added)):
                for source in sorted(sources):
                    self._add("build", model, source, node)
        node.body.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def visit_Call(self, node):
        f = node.func
        if type(f) is cst.Attribute and type(f.value) is cst.Name:
            self._add("read", f.value.value, node, f.attr.value)
            if f.attr.value in _TRAINING:
                self._add("fit", f.value.value, node)
            for arg in node.args:
                arg.visit(self)
            return False
        return True

    def visit_Name(self, node):
        self._add("read", node.value, node, None)


def _scope_facts(module):
    """The facts of the chunk's top-level statements, then of each function it defines."""
    v = _Facts("module")
    for stmt in module.body:
        stmt.visit(v)
    out, todo = list(v.facts), list(v.nested)
    while todo:
        func = todo.pop(0)
        inner = _Facts(id(func))
        func.body.visit(inner)
        out.extend(inner.facts)
        todo.extend(inner.nested)
    return out


def _uses_beyond_setup(facts, name) -> bool:
    """Whether `name` is read anywhere other than as the receiver of a setup call."""
    return any(f[1] == "read" and f[2] == name and f[4] not in _SETUP for f in facts)


class LayersSharedNotCloned(Rule):
    """
    ## What it does
    Finds a Keras model built from another model's own layers (`Sequential(model_A.layers[:-1])`,
    a loop that `add`s `model_A.layers`, `Model(...)` over `model_A.layers[i].output`) and then
    trained, in a program that also makes a copy of that other model with `clone_model` (its
    weights usually copied in with `set_weights`) and never uses the copy: the new model was
    meant to be built from the copy's layers.

    ## Why is this bad?
    A layer belongs to every model built from it: the new model and the original share the
    same weights, so training the new one changes the original too. Making the copy says the
    original was meant to stay as it is (to be evaluated, compared or reused later); built
    from the original's layers instead, the copy is left unused and the original is silently
    retrained for the new task.

    ## Example
    ```python
    model_B_on_A = keras.models.Sequential(model_A.layers[:-1])
    model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
    model_A_clone = keras.models.clone_model(model_A)
    model_A_clone.set_weights(model_A.get_weights())
    model_B_on_A.compile(loss="binary_crossentropy", optimizer="sgd")
    model_B_on_A.fit(X_train_B, y_train_B, epochs=4)
    ```

    ## Use instead
    ```python
    model_A_clone = keras.models.clone_model(model_A)
    model_A_clone.set_weights(model_A.get_weights())
    model_B_on_A = keras.models.Sequential(model_A_clone.layers[:-1])
    ```

    ## Fix safety
    There is no automatic fix: which model should own the trained layers is the author's choice.
    """

    code = "TL226"
    name = "layers-shared-not-cloned"
    severity = Severity.WARNING
    summary = "A model built from another model's layers is trained while the copy made of that model (clone_model) is never used."
    triggers = ("clone_model",)
    failing = (
        "from tensorflow import keras\nimport numpy as np\nx, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)\n"
        "model_A = keras.models.load_model('model_a.h5')\n"
        "model_B_on_A = keras.models.Sequential(model_A.layers[:-1])  # TL226\n"
        "model_B_on_A.add(keras.layers.Dense(1, activation='sigmoid'))\n"
        "model_A_clone = keras.models.clone_model(model_A)\nmodel_A_clone.set_weights(model_A.get_weights())\n"
        "model_B_on_A.compile(loss='binary_crossentropy', optimizer='sgd')\nmodel_B_on_A.fit(x, y, epochs=2)\n",
    )
    passing = (
        "from tensorflow import keras\nimport numpy as np\nx, y = np.random.rand(64, 8), np.random.randint(0, 2, 64)\n"
        "model_A = keras.models.load_model('model_a.h5')\n"
        "model_A_clone = keras.models.clone_model(model_A)\nmodel_A_clone.set_weights(model_A.get_weights())\n"
        "model_B_on_A = keras.models.Sequential(model_A_clone.layers[:-1])\n"
        "model_B_on_A.add(keras.layers.Dense(1, activation='sigmoid'))\n"
        "model_B_on_A.compile(loss='binary_crossentropy', optimizer='sgd')\nmodel_B_on_A.fit(x, y, epochs=2)\n",
    )
    lookalikes = (
        # a target network: the copy is used (predict), the model built from layers is not a copy's job
        "from tensorflow import keras\nimport numpy as np\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
        "target = keras.models.clone_model(model)\ntarget.set_weights(model.get_weights())\n"
        "q_next = target.predict(np.random.rand(8, 4))\nmodel.compile(loss='mse', optimizer='adam')\n"
        "model.fit(np.random.rand(8, 4), q_next)\n",
        # built from the original's layers but never trained, then rebuilt from the copy
        "from tensorflow import keras\nmodel_A = keras.models.load_model('a.h5')\n"
        "model_B = keras.Sequential(model_A.layers[:-1])\nclone = keras.models.clone_model(model_A)\n"
        "model_B = keras.Sequential(clone.layers[:-1])\nmodel_B.compile(loss='mse', optimizer='sgd')\n"
        "model_B.fit(None, None)\n",
    )

    def on_module(self, ctx, ev):
        if "clone_model" not in ctx.text:
            return
        facts = [f for chunk in per_chunk(ctx, ("TL226 facts",), _scope_facts) for f in chunk]
        for i, fact in enumerate(facts):
            if fact[1] != "clone":
                continue
            scope, _, copy, source, clone_node = fact
            if _uses_beyond_setup(facts, copy):
                continue
            self._check_builds(ctx, facts, scope, source, copy, clone_node)

    def _check_builds(self, ctx, facts, scope, source, copy, clone_node):
        own = [f for f in facts if f[0] == scope]
        clone_at = next(k for k, f in enumerate(own) if f[1] == "clone" and f[4] is clone_node)
        for j, f in enumerate(own):
            if f[1] != "build" or f[3] != source:
                continue
            lo, hi = sorted((j, clone_at))
            if any(g[1] == "bind" and g[2] == source for g in own[lo + 1:hi]):
                continue  # the original was bound again between them: another model
            model = f[2]
            if not self._trained(own, j, model, f[4]):
                continue
            ctx.report(self, f[4],
                       f"`{model}` is built from `{source}`'s own layers and trained, so training it changes `{source}` "
                       f"too; the copy `{copy}` made of `{source}` (line {ctx.line(clone_node)}) is never used: build "
                       f"`{model}` from `{copy}`'s layers",
                       related=[(clone_node, "the unused copy")])

    @staticmethod
    def _trained(own, j, model, build_node) -> bool:
        """Whether `model`, as built at fact j, is trained before it is bound again."""
        for g in own[j + 1:]:
            if g[1] == "bind" and g[2] == model and g[3] is not build_node:
                return False
            if g[1] == "fit" and g[2] == model:
                return True
        return False
