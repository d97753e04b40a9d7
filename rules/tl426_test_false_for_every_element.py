import re

import libcst as cst

from tensorlint.cstwalk import walk_code
from tensorlint.dataflow import store_names
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._trees import ByName, gathered_by_chunk, per_chunk, per_chunk_statements

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
# a literal list or tuple whose first element is a constant (or a tuple of them), assigned or iterated
_WS = r"(?:\s|\\\n|#[^\n]*\n)*"  # blanks, line continuations and comments (one way to match each)
_CONST = r"(?:[rRbBuU]?['\"]|[-+]?\.?\d)"  # the start of a string or a number
# what follows `in` in a `for` (maybe through `enumerate(`), or `NAME =` (maybe `a = b =`): a
# literal, bracketed or not, whose first element is a constant, or a name. Each blank run is
# bounded by a required character, so a failed match never retries it in pieces.
_OPEN = r"(?:[\[(]" + _WS + r")*"
# (led by the keyword, its word boundary checked behind it: a pattern led by `\b` is tried at
# every position of the text, one led by a literal jumps from `for` to `for`)
_FOR_IN = re.compile(r"for\b(?<=\bfor)[^:]*?\bin\b" + _WS + r"(?:enumerate" + _WS + r"\(" + _WS + r")?" + _OPEN
                     + r"(?:(?P<lit>" + _CONST + r")|(?P<name>[A-Za-z_]\w*))")


def _may_iterate_literal(text: str) -> bool:
    """Text first: a `for` iterates a literal list only where `in` is followed by one, or by a
    name (which the syntax then shows assigned one, or not). A superset of the loops `_check`
    takes: what the text cannot rule out, it lets through."""
    return "if" in text and _FOR_IN.search(text) is not None


# what a test may do to the element (each takes no argument besides what it names)
_STR_METHODS = frozenset({"startswith", "endswith", "lower", "upper", "strip", "lstrip", "rstrip", "isdigit",
                          "isalpha", "isalnum", "isupper", "islower", "split", "find", "count"})
_ORDER = {cst.Equal: lambda a, b: a == b, cst.NotEqual: lambda a, b: a != b, cst.In: lambda a, b: a in b,
          cst.NotIn: lambda a, b: a not in b, cst.LessThan: lambda a, b: a < b,
          cst.LessThanEqual: lambda a, b: a <= b, cst.GreaterThan: lambda a, b: a > b,
          cst.GreaterThanEqual: lambda a, b: a >= b}



class _Unknown(Exception):
    pass


def _const(node):
    """The value of a literal made of constants (strings, numbers, tuples and lists of them)."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
        return node.evaluated_value
    if isinstance(node, cst.ConcatenatedString):
        v = node.evaluated_value
        if isinstance(v, (str, bytes)):
            return v
        raise _Unknown
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(
            node.expression, (cst.Integer, cst.Float)):
        return -node.expression.evaluated_value
    if isinstance(node, (cst.Tuple, cst.List)) and all(isinstance(e, cst.Element) for e in node.elements):
        return tuple(_const(e.value) for e in node.elements)
    raise _Unknown


class _Eval:
    """Evaluates a test for one element: `env` binds the loop's names; `derived` records whether
    the test looked inside the element (an index, a slice, a method, `len`, a substring)."""

    def __init__(self, env: dict):
        self.env, self.derived, self.used = env, False, False

    def __call__(self, node):
        if isinstance(node, cst.Name):
            if node.value in self.env:
                self.used = True
                return self.env[node.value]
            if node.value in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.value]
            raise _Unknown
        if isinstance(node, cst.Comparison):
            left = self(node.left)
            for target in node.comparisons:
                op = _ORDER.get(type(target.operator))
                if op is None:
                    raise _Unknown
                right = self(target.comparator)
                if isinstance(target.operator, (cst.In, cst.NotIn)) and isinstance(right, str):
                    self.derived = self.derived or self._reads_element(node)
                try:
                    ok = op(left, right)
                except TypeError:
                    raise _Unknown from None
                if not ok:
                    return False
                left = right
            return True
        if isinstance(node, cst.BooleanOperation):
            left = self(node.left)
            if isinstance(node.operator, cst.And):
                return left and self(node.right)
            return left or self(node.right)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return not self(node.expression)
        if isinstance(node, cst.Subscript) and len(node.slice) == 1:
            value, index = self(node.value), node.slice[0].slice
            if not isinstance(value, (str, tuple)):
                raise _Unknown
            try:
                if isinstance(index, cst.Index):
                    got = value[self(index.value)]
                elif isinstance(index, cst.Slice) and index.step is None:
                    lo = None if index.lower is None else self(index.lower)
                    hi = None if index.upper is None else self(index.upper)
                    got = value[lo:hi]
                else:
                    raise _Unknown
            except (IndexError, TypeError):
                raise _Unknown from None  # the program would raise, not take the branch
            self.derived = True
            return got
        if isinstance(node, cst.Call) and not any(a.keyword is not None or a.star for a in node.args):
            f = node.func
            if isinstance(f, cst.Name) and f.value == "len" and len(node.args) == 1:
                v = self(node.args[0].value)
                if not isinstance(v, (str, tuple)):
                    raise _Unknown
                self.derived = True
                return len(v)
            if isinstance(f, cst.Attribute) and f.attr.value in _STR_METHODS:
                v = self(f.value)
                if not isinstance(v, str):
                    raise _Unknown
                args = [self(a.value) for a in node.args]
                try:
                    got = getattr(v, f.attr.value)(*args)
                except (TypeError, ValueError):
                    raise _Unknown from None
                self.derived = True
                return tuple(got) if isinstance(got, list) else got
            raise _Unknown
        return _const(node)

    def _reads_element(self, comparison) -> bool:
        """`'c' in name`: a substring test on the element itself."""
        return isinstance(comparison.comparisons[0].comparator, cst.Name) and comparison.comparisons[0].comparator.value in self.env


def _candidates(found):
    """(for statements, name -> the values assigned to it by `name = ...` statements) of the
    chunk, from its statements alone (`found`): what `_check` needs before it reads how names
    are used."""
    loops, assigned = [], {}
    for n in found:
        kind = type(n)
        if kind is cst.For:
            loops.append(n)
        elif kind is cst.Assign:
            for t in n.targets:
                if type(t.target) is cst.Name:
                    assigned.setdefault(t.target.value, []).append(n.value)
    return loops, assigned


def _iterated(it):
    """(what a loop iterates, how: "plain", or "enumerate" for `enumerate(xs)` of one argument)."""
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Name) and it.func.value == "enumerate" and len(
            it.args) == 1 and not it.args[0].keyword and not it.args[0].star:
        return it.args[0].value, "enumerate"
    return it, "plain"


def _uses(module):
    """How every name of the chunk is read and bound, from a walk of its whole tree: name ->
    [whether each read takes it as a whole sequence (iterated, `len`, assigned)], and name ->
    how many times a `for` or an assignment binds it."""
    uses, bindings = {}, {}
    allowed = set()
    attrs = set()
    for n in walk_code(module):
        if isinstance(n, cst.Attribute):
            attrs.add(id(n.attr))
        elif isinstance(n, cst.Arg) and n.keyword is not None:
            attrs.add(id(n.keyword))
        elif isinstance(n, (cst.For, cst.CompFor)):
            it, _ = _iterated(n.iter)
            if isinstance(it, cst.Name):
                allowed.add(id(it))
            for name in store_names(n.target):
                bindings[name] = bindings.get(name, 0) + 1
        elif isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == "len" and len(n.args) == 1:
            if isinstance(n.args[0].value, cst.Name):
                allowed.add(id(n.args[0].value))
        elif isinstance(n, cst.Assign):
            for t in n.targets:
                if isinstance(t.target, cst.Name):
                    allowed.add(id(t.target))
                for name in store_names(t.target):
                    bindings[name] = bindings.get(name, 0) + 1
        elif isinstance(n, cst.Name) and id(n) not in attrs:
            uses.setdefault(n.value, []).append(id(n) in allowed)
    return uses, bindings


def _read_whole(ctx, name: str) -> bool:
    """`name` is bound once in the file and read only as a whole sequence (iterated, `len`)."""
    uses = bindings = 0
    whole = True
    for u, b in per_chunk(ctx, ("tl426 uses",), _uses):
        bindings += b.get(name, 0)
        if name in u:
            uses += 1
            whole = whole and all(u[name])
    return bindings == 1 and uses > 0 and whole


def _bound_in(body, names: set) -> bool:
    """Does the loop body rebind any of `names`?"""
    for n in walk_code(body, prune=_SCOPES):
        if isinstance(n, cst.Assign):
            if any(names & set(store_names(t.target)) for t in n.targets):
                return True
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor)):
            if names & set(store_names(n.target)):
                return True
        elif isinstance(n, (cst.AsName, cst.NamedExpr)):
            target = n.name if isinstance(n, cst.AsName) else n.target
            if names & set(store_names(target)):
                return True
        elif isinstance(n, (cst.Global, cst.Nonlocal)):
            return True
    return False


def _tests(body):
    """The `if`/`elif` chains in the loop body (nested definitions excluded): [(if node, tests)]."""
    out, inner = [], set()
    for n in walk_code(body, prune=_SCOPES):
        if isinstance(n, cst.If) and id(n) not in inner:
            chain, node = [], n
            while isinstance(node, cst.If):
                chain.append(node.test)
                inner.add(id(node))
                node = node.orelse
            out.append((n, chain))
    return out


class TestFalseForEveryElement(Rule):
    """
    ## What it does
    Finds an `if` (with its `elif`s) inside a `for` loop over a literal list or tuple of
    constants whose every test, applied to the element, is false for every element of the list:
    a test that looks inside the element (`name[1] == 'c'`, `name.startswith('Conv')`,
    `name[:4] == 'relu'`, `'pool' in name`, `len(name) > 8`). The list is a literal in the `for`
    or a name assigned that literal once in the file and otherwise only iterated.

    ## Why is this bad?
    The loop dispatches on a property that no element has, so none of its branches ever runs:
    every element takes the `else` (or nothing). A network built from a list of layer names
    typed by the wrong character, prefix or case (`layer[1] == 'c'` for `'conv1_1'`) gets none of
    the layers the branches build, and trains or runs without an error. The test is decided
    entirely by the literal list, so the program establishes that the branches are dead. Tests
    that compare the whole element (`name == 'vgg'`) stay silent: a list cut down to the cases
    one wants to run is common and deliberate.

    ## Example
    ```python
    layers = ('conv1_1', 'relu1_1', 'pool1', 'conv2_1', 'relu2_1', 'pool2')
    for i, layer in enumerate(layers):
        if layer[1] == 'c':
            net = tf.nn.conv2d(net, weights[i], (1, 1, 1, 1), 'SAME')
        elif layer[1] == 'r':
            net = tf.nn.relu(net)
        else:
            net = tf.nn.max_pool(net, (1, 2, 2, 1), (1, 2, 2, 1), 'SAME')
    ```

    ## Use instead
    ```python
    for i, layer in enumerate(layers):
        if layer[0] == 'c':   # or layer.startswith('conv')
            ...
    ```

    ## Fix safety
    There is no automatic fix: which part of the element the test meant to read is the
    program's to say.
    """

    code = "TL426"
    name = "test-false-for-every-element"
    severity = Severity.WARNING
    summary = "A test in a loop over a literal list is false for every element: its branches never run."
    failing = (
        "import tensorflow as tf\n\nlayers = ('conv1_1', 'relu1_1', 'pool1', 'conv2_1', 'relu2_1')\n\n\n"
        "def vgg(net, weights):\n    for i, layer in enumerate(layers):\n"
        "        if layer[1] == 'c':  # TL426\n            net = tf.nn.conv2d(net, weights[i], (1, 1, 1, 1), 'SAME')\n"
        "        elif layer[1] == 'r':\n            net = tf.nn.relu(net)\n        else:\n"
        "            net = tf.nn.max_pool(net, (1, 2, 2, 1), (1, 2, 2, 1), 'SAME')\n    return net\n",
        "import torch.nn as nn\n\nmods = []\nfor kind, width in [('Conv', 32), ('ReLU', 0), ('Conv', 64)]:\n"
        "    if kind.startswith('conv'):  # TL426\n        mods.append(nn.LazyConv2d(width, 3))\n"
        "    if kind.lower() == 'relu':\n        mods.append(nn.ReLU())\nnet = nn.Sequential(*mods)\n",
    )
    passing = (
        "import tensorflow as tf\n\nlayers = ('conv1_1', 'relu1_1', 'pool1', 'conv2_1', 'relu2_1')\n\n\n"
        "def vgg(net, weights):\n    for i, layer in enumerate(layers):\n"
        "        if layer[0] == 'c':\n            net = tf.nn.conv2d(net, weights[i], (1, 1, 1, 1), 'SAME')\n"
        "        elif layer[0] == 'r':\n            net = tf.nn.relu(net)\n        else:\n"
        "            net = tf.nn.max_pool(net, (1, 2, 2, 1), (1, 2, 2, 1), 'SAME')\n    return net\n",
    )
    lookalikes = (
        # a whole-element test against a list cut down to one case: deliberate
        "import torch\n\nfor name in ['resnet', 'densenet']:\n    if name == 'vgg':\n        print(name)\n",
        # the list is extended before the loop: its contents are not the literal's
        "import torch\n\nlayers = ['conv1', 'pool1']\nlayers.append('relu1')\nfor layer in layers:\n"
        "    if layer.startswith('r'):\n        print(layer)\n",
        # the element is rebound in the body before the test
        "import torch\n\nfor layer in ['conv1', 'pool1']:\n    layer = layer.upper()\n    if layer[0] == 'C':\n"
        "        print(layer)\n",
        # one test of the chain matches some element: the dispatch works
        "import torch\n\nfor layer in ['conv1', 'pool1']:\n    if layer[1] == 'c':\n        print(1)\n"
        "    elif layer[0] == 'p':\n        print(2)\n",
        # an index past the end of an element would raise, not skip the branch
        "import torch\n\nfor layer in ['c', 'pool1']:\n    if layer[1] == 'x':\n        print(layer)\n",
        # the list is a parameter's default, which callers may replace
        "import torch\n\ndef build(layers=('conv1', 'pool1')):\n    for layer in layers:\n"
        "        if layer[1] == 'x':\n            print(layer)\n",
    )

    def on_module(self, ctx, ev):
        if not _may_iterate_literal(ctx.text):
            return
        facts = per_chunk_statements(ctx, ("tl426 candidates",), _candidates)
        parts = [a for _, a in facts]
        # a name's values gathered when a loop asks, from the last run's for the chunks an edit did not change
        assigned = ByName(lambda name: [v for _, values in gathered_by_chunk(ctx, ("tl426 candidates",), parts, name)
                                    for v in values])
        for loops, _ in facts:
            for loop in loops:
                self._check(ctx, loop, assigned)

    def _check(self, ctx, loop, assigned) -> None:
        target = loop.target
        it, how = _iterated(loop.iter)
        names = set(store_names(target))
        if not names or not isinstance(target, (cst.Name, cst.Tuple, cst.List)):
            return
        seq, where = it, None
        if isinstance(it, cst.Name):
            values = assigned.get(it.value, [])
            if len(values) != 1:
                return
            seq, where = values[0], it
        if not isinstance(seq, (cst.List, cst.Tuple)):
            return
        try:
            elements = _const(seq)
        except _Unknown:
            return
        if len(elements) < 2 or _bound_in(loop.body, names):
            return
        envs = []
        for i, el in enumerate(elements):
            env = self._bind(target, (i, el) if how == "enumerate" else el)
            if env is None:
                return
            envs.append(env)
        checked = where is None
        for node, chain in _tests(loop.body):
            if self._never(chain, envs):
                # assigned once in the file, read only as a whole sequence (iterated, `len`):
                # asked last, as it reads every name of the file
                if not checked and not _read_whole(ctx, where.value):
                    return
                checked = True
                through = f" (`{where.value}`)" if where is not None else ""
                ctx.report(self, node,
                           f"the test `{_short(ctx, chain[0])}`{' and its elifs are' if len(chain) > 1 else ' is'} "
                           f"false for every element of the literal list{through}: "
                           f"{'none of these branches ever runs' if len(chain) > 1 else 'this branch never runs'}",
                           related=[(seq, "the list the loop iterates")])

    @staticmethod
    def _bind(target, value):
        if isinstance(target, cst.Name):
            return {target.value: value}
        if not isinstance(value, tuple) or len(value) != len(target.elements):
            return None
        env = {}
        for e, v in zip(target.elements, value):
            if isinstance(e.value, cst.Name):
                env[e.value.value] = v
            elif isinstance(e.value, (cst.Tuple, cst.List)):
                inner = TestFalseForEveryElement._bind(e.value, v)
                if inner is None:
                    return None
                env.update(inner)
            else:
                return None
        return env

    @staticmethod
    def _never(chain, envs) -> bool:
        """Every test of the chain reads the element, looks inside it, and is false for all."""
        for test in chain:
            for env in envs:
                ev = _Eval(env)
                try:
                    got = ev(test)
                except _Unknown:
                    return False
                if not ev.used or not ev.derived or got:
                    return False
        return True


def _short(ctx, node) -> str:
    code = ctx.source(node)
    return code if len(code) <= 40 else code[:37] + "..."
