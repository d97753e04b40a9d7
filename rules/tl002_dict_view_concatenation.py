import re

import libcst as cst

from tensorlint.cstwalk import code_children
from tensorlint.dataflow import all_params, descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import text_fact
from ._trees import per_chunk

VIEWS = ("values", "keys", "items")
DICT_CALLS = ("dict", "OrderedDict", "collections.OrderedDict", "defaultdict", "collections.defaultdict")


def _dotted(node) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def _is_dict_value(node) -> bool:
    if isinstance(node, (cst.Dict, cst.DictComp)):
        return True
    return isinstance(node, cst.Call) and _dotted(node.func) in DICT_CALLS


def _binding_kinds(root) -> dict:
    """Per name bound anywhere in `root`: whether every one of those bindings is a dict display
    or a dict(...) call."""
    kinds: dict[str, bool] = {}

    def bind(target, is_dict):
        if isinstance(target, cst.Name):
            kinds[target.value] = kinds.get(target.value, True) and is_dict
        elif isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                bind(el.value, False)
        elif isinstance(target, cst.StarredElement):
            bind(target.value, False)

    for n in descendants(root):
        if isinstance(n, cst.Assign):
            for t in n.targets:
                bind(t.target, _is_dict_value(n.value))
        elif isinstance(n, (cst.AnnAssign, cst.AugAssign)):
            bind(n.target, isinstance(n, cst.AnnAssign) and n.value is not None and _is_dict_value(n.value))
        elif isinstance(n, (cst.For, cst.CompFor)):
            bind(n.target, False)
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            bind(n.asname.name, False)
        elif isinstance(n, (cst.Import, cst.ImportFrom)) and not isinstance(n.names, cst.ImportStar):
            for alias in n.names:
                bind(alias.asname.name if alias.asname else cst.Name(_dotted(alias.name).split(".")[0]), False)
        elif isinstance(n, (cst.FunctionDef, cst.ClassDef)):
            bind(n.name, False)
    return kinds


def _dict_names(per_root) -> set:
    """Names every binding of which, anywhere in the file, is a dict display or a dict(...) call
    (`per_root`: `_binding_kinds` of each chunk)."""
    kinds: dict[str, bool] = {}
    for chunk_kinds in per_root:
        for name, is_dict in chunk_kinds.items():
            kinds[name] = kinds.get(name, True) and is_dict
    return {name for name, is_dict in kinds.items() if is_dict}


# a view next to a `+` in the text (`d.values() + e.values()`, `x + d.items()`): the two forms
# searched apart, each led by a literal (the bracket, the view's name checked behind it; the
# plus), as one pattern of both is tried at every position of the text
_VIEW_ADDED = (re.compile(r"\((?:(?<=\.values\()|(?<=\.keys\()|(?<=\.items\())\s*\)\s*\+"),
               re.compile(r"\+\s*[\w.]+\.(?:values|keys|items)\("))


def _view_call(node) -> tuple[str, str] | None:
    """`d.values()` (keys, items) of a plain name: (`d`, `values`)."""
    if (isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in VIEWS and isinstance(node.func.value, cst.Name)):
        return node.func.value.value, node.func.attr.value
    return None


def _view_additions(root) -> list:
    """Every `+` in `root` with a view call of a plain name on either side, in source order:
    (node, left view, right view, the parameters of the functions and lambdas around it)."""
    out = []

    def scan(node, shadowed):
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            shadowed = shadowed | frozenset(all_params(node))
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left, right = _view_call(node.left), _view_call(node.right)
            if left or right:
                out.append((node, left, right, shadowed))
        for child in code_children(node):
            scan(child, shadowed)

    scan(root, frozenset())
    return out


class DictViewConcatenation(Rule):
    """
    ## What it does
    Finds `+` applied to a dict view, `d.values()`, `d.keys()` or `d.items()` of a name the file
    only ever binds to a dict (a `{...}` display, `dict(...)`, `OrderedDict(...)`): most often
    `weights.values() + biases.values()` collecting the variables of a hand-written TensorFlow 2
    model for `tape.gradient` and the optimizer.

    ## Why is this bad?
    In Python 2 these methods returned lists; in Python 3 they return views, which do not support
    `+`. The training step raises `TypeError: unsupported operand type(s) for +: 'dict_values' and
    'dict_values'` the first time it runs.

    ## Example
    ```python
    trainable_variables = weights.values() + biases.values()
    gradients = tape.gradient(loss, trainable_variables)
    ```

    ## Use instead
    ```python
    trainable_variables = list(weights.values()) + list(biases.values())
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "TL002"
    triggers = (".values(", ".keys(", ".items(")
    python3_only = True  # dict.keys() / values() / items() are lists in Python 2
    name = "dict-view-concatenation"
    severity = Severity.ERROR
    summary = "`+` on dict views (`d.values() + e.values()`): a TypeError in Python 3."
    failing = (
        "import tensorflow as tf\nweights = {'h1': tf.Variable(tf.random.normal([784, 256])), 'out': tf.Variable(tf.random.normal([256, 10]))}\n"
        "biases = {'b1': tf.Variable(tf.zeros([256])), 'out': tf.Variable(tf.zeros([10]))}\n"
        "trainable_variables = weights.values() + biases.values()  # TL002\n",
    )
    passing = (
        "import tensorflow as tf\nweights = {'h1': tf.Variable(tf.random.normal([784, 256])), 'out': tf.Variable(tf.random.normal([256, 10]))}\n"
        "biases = {'b1': tf.Variable(tf.zeros([256])), 'out': tf.Variable(tf.zeros([10]))}\n"
        "trainable_variables = list(weights.values()) + list(biases.values())\n",
    )
    lookalikes = (
        # a name also bound to something else: its .values() may be a list
        "import tensorflow as tf\nparams = {'w': tf.Variable(1.0)}\nparams = [tf.Variable(1.0)]\n"
        "class Store:\n    def values(self):\n        return [tf.Variable(2.0)]\nboth = Store().values() + [tf.Variable(3.0)]\n",
    )

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "view added", lambda text: any(p.search(text) is not None for p in _VIEW_ADDED)):
            return  # no `.values() +` / `+ d.items()` in the text: nothing to walk for
        # what each chunk's tree says, kept per tree: an edit reads the chunks it changed
        additions = [a for per in per_chunk(ctx, "TL002 view additions", _view_additions) for a in per]
        if not additions:
            return
        dicts = _dict_names(per_chunk(ctx, "TL002 binding kinds", _binding_kinds))
        for node, left, right, shadowed in additions:
            view = next((v for v in (left, right) if v and v[0] in dicts and v[0] not in shadowed), None)
            if view is None:
                continue
            text = f"{view[0]}.{view[1]}()"
            ctx.report(self, node,
                       f"`{text}` is a dict_{view[1]} view in Python 3, and views do not support +: this raises TypeError; "
                       f"wrap each view in list(...) first")
