"""How many variables each TF1 variable scope holds, for TL448: the graph-building code of a
function is run through the functions and methods of the file it calls, with the variable scopes
they open; anything not modeled leaves the counts unknown."""
import libcst as cst

from tensorlint.cstwalk import code_children
from tensorlint.dataflow import descendants, store_names
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names
from ._trees import per_chunk

# tf.layers functions: the variables each makes, (trainable, not trainable), with its defaults
_WEIGHTED = {"dense": (2, 0), "conv1d": (2, 0), "conv2d": (2, 0), "conv3d": (2, 0), "conv2d_transpose": (2, 0),
             "conv3d_transpose": (2, 0), "batch_normalization": (2, 2)}
_NO_WEIGHTS = frozenset({"dropout", "flatten", "max_pooling1d", "max_pooling2d", "max_pooling3d",
                         "average_pooling1d", "average_pooling2d", "average_pooling3d"})
_BUILTINS = frozenset({"print", "len", "range", "int", "float", "str", "list", "dict", "tuple", "zip", "enumerate",
                       "isinstance", "min", "max", "abs", "round", "sorted", "sum", "bool", "super", "format"})
_COLLECTIONS = {"GLOBAL_VARIABLES": False, "TRAINABLE_VARIABLES": True}  # -> trainable only
_COLLECTION_STRINGS = {"variables": "GLOBAL_VARIABLES", "trainable_variables": "TRAINABLE_VARIABLES"}  # their values
_LISTERS = {"global_variables": False, "trainable_variables": True}
_MAX_DEPTH = 4
# TensorFlow calls that read or initialize variables without making any
_READERS = frozenset({"global_variables_initializer", "variables_initializer", "local_variables_initializer",
                      "global_variables", "trainable_variables", "get_collection", "initialize_all_variables"})


class UnknownCount(Exception):
    """The code does something the count does not model."""


def _literal(node, env):
    """A string, bool or None literal, or a parameter bound to one; `UnknownCount` otherwise."""
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value
    if type(node) is cst.Name:
        if node.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.value]
        if node.value in env and not isinstance(env[node.value], UnknownCount):
            return env[node.value]
    raise UnknownCount()


def _kw(call, key):
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == key), None)


class VariableCount:
    """The variables a function's graph-building code makes before a given `zip` call, with the
    path of the variable scope of each, and the lengths of the collections it reads."""

    def __init__(self, ctx, tf, zip_call, definitions, module_words):
        self.ctx, self.tf, self.zip_call = ctx, tf, zip_call
        self.env_imports = module_names(ctx)
        self.made = []  # (scope path ending in '/', trainable or None)
        self.visited = set()  # ids of the variable-making calls run
        self.lengths = {}  # binding text -> length or None
        self.words = dict(module_words)  # binding text -> ("key", collection) or ("str", text) it holds
        self.optimized = False  # an optimizer's slots exist: a global collection is no longer counted
        self.funcs, self.methods = definitions  # (`file_definitions`, once per run)
        self.module_words = module_words  # the file's names bound once to a collection key or a string
        self.result = None

    # -- running the code ----------------------------------------------------------------------

    def block(self, stmts, prefix, env, cls, depth):
        for stmt in stmts:
            if self.result is not None:
                return
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self.simple(small, prefix, env, cls, depth)
                    if isinstance(small, cst.Return):
                        return
            elif isinstance(stmt, cst.With):
                self.with_(stmt, prefix, env, cls, depth)
            elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            else:  # a branch or a loop: only code that makes no variable and calls nothing of the file
                for n in descendants(stmt):
                    if n is self.zip_call:
                        raise UnknownCount()
                    if type(n) is cst.Call:
                        self.call(n, prefix, env, cls, depth, inert=True)
                    elif type(n) in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.AsName):
                        self.forget_target(n.target if type(n) is not cst.AsName else n.name)

    def with_(self, stmt, prefix, env, cls, depth):
        for item in stmt.items:
            call = item.item
            op = self.tf_op(call) if type(call) is cst.Call else None
            if op == "variable_scope":
                if any(a.keyword is not None and a.keyword.value != "name_or_scope" for a in call.args):
                    raise UnknownCount()  # reuse=, default_name=, values=: scopes not modeled
                first = call.args[0].value if call.args else None
                word = self.word(first) if first is not None and not (type(first) is cst.Name and first.value in env) \
                    else None
                name = word[1] if word is not None and word[0] == "str" else \
                    _literal(first, env) if first is not None else None
                if not isinstance(name, str) or not name:
                    raise UnknownCount()
                prefix = prefix + name + "/"
            elif op == "name_scope":
                raise UnknownCount()  # (tf.Variable takes its name from it)
            elif type(call) is cst.Call:
                self.call(call, prefix, env, cls, depth)
        self.block(stmt.body.body, prefix, env, cls, depth)

    def simple(self, small, prefix, env, cls, depth):
        for n in _calls_in_order(small):
            self.call(n, prefix, env, cls, depth)
            if self.result is not None:
                return
        if isinstance(small, cst.Assign):
            for target in small.targets:
                self.bind(target.target, small.value, env)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self.bind(small.target, small.value, env)
        elif isinstance(small, cst.AugAssign):
            key = _key(small.target)
            before = self.lengths.get(key) if key is not None else None
            self.forget_target(small.target)
            if before is not None and type(small.operator) is cst.AddAssign:  # a list extended by another
                added = self.length(small.value, env)
                self.lengths[key] = None if added is None else before + added
        elif isinstance(small, (cst.Global, cst.Nonlocal)):
            for item in small.names:
                self.forget(item.name.value)

    def bind(self, target, value, env):
        """`target = value`: the length of the list and the key or text the target now holds,
        and those of the entries of a dict, list or tuple literal under its subscripts."""
        if type(target) in (cst.Tuple, cst.List) and type(value) in (cst.Tuple, cst.List) \
                and len(target.elements) == len(value.elements) \
                and not any(type(e) is cst.StarredElement for e in (*target.elements, *value.elements)):
            pairs = [(t.value, self.length(v.value, env), self.word(v.value)) for t, v in zip(target.elements, value.elements)]
            for t, _, _ in pairs:  # (all values are read before any name is bound)
                self.forget_target(t)
            for t, n, w in pairs:
                if (key := _key(t)) is not None:
                    self.lengths[key], self.words[key] = n, w
            return
        key = _key(target)
        length, word = self.length(value, env), self.word(value)
        self.forget_target(target)
        if key is None:
            return
        self.lengths[key], self.words[key] = length, word
        if type(value) is cst.Dict:
            for el in value.elements:
                if type(el) is not cst.DictElement:
                    return  # `**other`: its entries are not known
                index = _index(el.key)
                if index is not None:
                    self.lengths[f"{key}[{index}]"] = self.length(el.value, env)
        elif type(value) in (cst.List, cst.Tuple):
            for i, el in enumerate(value.elements):
                if type(el) is cst.StarredElement:
                    return
                self.lengths[f"{key}[{i}]"] = self.length(el.value, env)

    def forget_target(self, target):
        """A target rebound to something not followed: what it (and its entries) held is unknown."""
        if type(target) in (cst.Tuple, cst.List):
            for e in target.elements:  # (an Element or a StarredElement: the target is its value)
                self.forget_target(e.value)
        elif type(target) is cst.Subscript:
            key = _key(target)
            if key is not None:
                self.forget(key)
            else:
                base = target.value
                while type(base) is cst.Subscript:
                    base = base.value
                if (key := _key(base)) is not None:
                    self.forget(key, entries_only=True)  # x[i] = ...: any entry may have changed
        elif (key := _key(target)) is not None:
            self.forget(key)

    def forget(self, key, entries_only=False):
        for d in (self.lengths, self.words):
            for k in [k for k in d if k.startswith(key + "[") or k == key and not entries_only]:
                del d[k]

    def word(self, node):
        return _word(node, self.tf, self.words)

    def call(self, call, prefix, env, cls, depth, inert=False):
        if call is self.zip_call:
            self.result = [self.length(a.value, env) for a in call.args]
            return
        op = self.tf_op(call)
        func = call.func
        if op is not None:
            self.tf_call(call, op, prefix, env, inert)
        elif type(func) is cst.Name and func.value in self.funcs and not inert:
            self.enter(self.funcs[func.value], call, prefix, env, None, depth, method=False)
        elif type(func) is cst.Name and func.value in _BUILTINS:
            return
        elif type(func) is cst.Attribute and type(func.value) is cst.Name and func.value.value == "self" \
                and cls is not None and func.attr.value in self.methods.get(cls, {}) and not inert:
            self.enter(self.methods[cls][func.attr.value], call, prefix, env, cls, depth, method=True)
        elif (q := imported_qualname(self.env_imports, func)) is not None and not q.startswith("tensorflow"):
            return  # numpy, math, gym, ...: no graph variable
        elif type(func) is cst.Attribute and func.attr.value in ("minimize", "apply_gradients"):
            self.optimized = True
        elif type(func) is cst.Attribute and func.attr.value in ("assign", "assign_add", "assign_sub"):
            return  # a variable's update makes none
        else:
            raise UnknownCount()

    def tf_call(self, call, op, prefix, env, inert):
        parts = op.split(".")
        if op in ("get_variable", "Variable") or parts[0] == "layers" and parts[-1] in _WEIGHTED:
            if inert:
                raise UnknownCount()
            trainable = _kw(call, "trainable")
            trainable = True if trainable is None else _literal(trainable, env)
            if op in ("get_variable", "Variable"):
                counts = (1, 0)
            else:
                counts = _WEIGHTED[parts[-1]]
                for key in ("use_bias", "center", "scale"):
                    value = _kw(call, key)
                    if value is not None and _literal(value, env) is not True:
                        raise UnknownCount()
            self.visited.add(id(call))
            self.made += [(prefix, trainable)] * counts[0] + [(prefix, False)] * counts[1]
        elif parts[0] == "layers" and parts[-1] not in _NO_WEIGHTS:
            raise UnknownCount()
        elif parts[0] in ("contrib", "keras", "estimator") or any(w in op for w in ("rnn", "template", "variable", "Variable")):
            if op not in _READERS:
                raise UnknownCount()

    def enter(self, func, call, prefix, env, cls, depth, method):
        if depth >= _MAX_DEPTH:
            raise UnknownCount()
        params = func.params
        names = [p.name.value for p in params.params]
        if method:
            names = names[1:]
        bound = {}
        for p in params.params:
            if p.default is not None:
                try:
                    bound[p.name.value] = _literal(p.default, {})
                except UnknownCount as e:
                    bound[p.name.value] = e
        positional = [a for a in call.args if a.keyword is None]
        if any(a.star for a in call.args) or len(positional) > len(names):
            raise UnknownCount()
        for name, a in zip(names, positional):
            bound[name] = self.value(a.value, env)
        for a in call.args:
            if a.keyword is not None:
                bound[a.keyword.value] = self.value(a.value, env)
        # the callee's own names: the caller's plain names are not in its scope, its parameters
        # hide the file's names
        saved = self.words
        shown = {k: v for k, v in self.module_words.items() if k not in names}
        self.words = {**shown, **{k: v for k, v in saved.items() if k.startswith("self.")}}
        try:
            self.block(func.body.body, prefix, bound, cls, depth + 1)
        finally:
            kept = {k: v for k, v in saved.items() if not k.startswith("self.")}
            self.words = {**kept, **{k: v for k, v in self.words.items() if k.startswith("self.")}}

    @staticmethod
    def value(node, env):
        try:
            return _literal(node, env)
        except UnknownCount as e:
            return e

    def tf_op(self, call):
        path = dotted(call.func)
        head, _, rest = path.partition(".")
        if head not in self.tf or not rest:
            return None
        return rest[len("compat.v1."):] if rest.startswith("compat.v1.") else rest

    # -- the lists' lengths --------------------------------------------------------------------

    def length(self, node, env=None):
        """The number of variables in a list: a collection read with a known key and scope
        (literals, or names bound to them), a name, attribute or literal subscript bound to
        one, the sum of two such lists; None when unknown."""
        if type(node) is cst.BinaryOperation and type(node.operator) is cst.Add:
            a, b = self.length(node.left, env), self.length(node.right, env)
            return None if a is None or b is None else a + b
        key = _key(node)
        if key is not None:
            return self.lengths.get(key)
        if type(node) is not cst.Call:
            return None
        op = self.tf_op(node)
        scope = _kw(node, "scope")
        if op == "get_collection" and node.args and node.args[0].keyword is None:
            word = self.word(node.args[0].value)
            which = word[1] if word is not None and word[0] == "key" else \
                _COLLECTION_STRINGS.get(word[1]) if word is not None else None
            trainable_only = _COLLECTIONS.get(which)
            if scope is None and len(node.args) > 1 and node.args[1].keyword is None:
                scope = node.args[1].value
        elif op in _LISTERS:
            trainable_only = _LISTERS[op]
        else:
            return None
        if trainable_only is None or scope is None:
            return None
        text = self.word(scope)
        if text is not None:
            text = text[1] if text[0] == "str" else None
        elif type(scope) is cst.Name and env and scope.value in env:
            text = self.value(scope, env)
        if not isinstance(text, str):
            return None
        if not trainable_only and self.optimized:
            return None
        return self.matching(text, trainable_only)

    def matching(self, scope, trainable_only):
        """The variables whose names start with `scope` (a collection's `scope=` is matched at
        the start of each name)."""
        n = 0
        for prefix, trainable in self.made:
            if prefix.startswith(scope):
                if trainable_only and trainable is None:
                    return None
                n += 1 if trainable or not trainable_only else 0
            elif scope.startswith(prefix):
                return None  # the scope reaches into the layers' own names, not counted here
        return n or None


def _key(node):
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == "self":
        return "self." + node.attr.value
    if type(node) is cst.Subscript and len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index:
        base, index = _key(node.value), _index(node.slice[0].slice.value)
        return None if base is None or index is None else f"{base}[{index}]"
    return None


def _index(node):
    """A dict key or list index written as a literal: its text, the same for `'a'` and `"a"`."""
    if type(node) is cst.SimpleString:
        value = node.evaluated_value
        return repr(value) if isinstance(value, str) else None
    if type(node) is cst.Integer:
        return repr(node.evaluated_value)
    return None


def _word(node, tf, words):
    """The collection key (`tf.GraphKeys.GLOBAL_VARIABLES`) or the text a value is, or what a
    name bound to one holds (`words`); None otherwise."""
    if type(node) is cst.SimpleString:
        value = node.evaluated_value
        return ("str", value) if isinstance(value, str) else None
    if type(node) is cst.Attribute:
        path = dotted(node)
        head, _, rest = path.partition(".")
        rest = rest[len("compat.v1."):] if rest.startswith("compat.v1.") else rest
        if head in tf and rest.startswith("GraphKeys.") and rest.count(".") == 1:
            return ("key", rest.rpartition(".")[2])
    key = _key(node)
    return words.get(key) if key is not None else None


def module_words(ctx, tf) -> dict:
    """The file's names bound, at module level, to a collection key or a string, and bound
    nowhere else in the file (not as a parameter either): what they hold anywhere."""
    found, stored = {}, {}
    for chunk_found, chunk_stored in per_chunk(ctx, ("TL448 module bindings",), _bindings):
        for name, values in chunk_found.items():
            found.setdefault(name, []).extend(values)
        for name, n in chunk_stored.items():
            stored[name] = stored.get(name, 0) + n
    words = {}
    for name, values in found.items():
        if len(values) == 1 and stored.get(name) == 1:
            word = _word(values[0], tf, {})
            if word is not None:
                words[name] = word
    return words


def _bindings(module):
    """The values a chunk's module-level `name = value` statements bind, and how many times the
    chunk binds each name anywhere (parameters, loop targets, imports and `global` included)."""
    found, stored = {}, {}
    for stmt in module.body:
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
                    found.setdefault(small.targets[0].target.value, []).append(small.value)
    for n in descendants(module):
        kind = type(n)
        if kind in (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr):
            names = store_names(n.target)
        elif kind is cst.AsName:
            names = store_names(n.name)
        elif kind is cst.Param:
            names = [n.name.value]
        elif kind in (cst.Global, cst.Nonlocal):
            names = [item.name.value for item in n.names]
        elif kind in (cst.FunctionDef, cst.ClassDef):
            names = [n.name.value]
        else:
            continue
        for name in names:
            stored[name] = stored.get(name, 0) + 1
    return found, stored


def _calls_in_order(node) -> list:
    """The calls of a statement in the order they run (arguments before the call)."""
    out = []

    def visit(n):
        for child in code_children(n):
            if type(child) not in (cst.Lambda, cst.FunctionDef):
                visit(child)
        if type(n) is cst.Call:
            out.append(n)
    visit(node)
    return out


def file_definitions(ctx):
    """The file's module-level functions by name, and each class's methods by class node id
    (each chunk's kept with its tree)."""
    funcs, methods = {}, {}
    for chunk_funcs, chunk_methods in per_chunk(ctx, ("TL448 definitions",), _chunk_definitions):
        funcs.update(chunk_funcs)
        methods.update(chunk_methods)
    return funcs, methods


def _chunk_definitions(module) -> tuple:
    funcs, methods = {}, {}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            funcs[stmt.name.value] = stmt
        elif isinstance(stmt, cst.ClassDef):
            methods[id(stmt)] = {s.name.value: s for s in stmt.body.body if isinstance(s, cst.FunctionDef)}
    return funcs, methods


def zip_of_lists(call) -> bool:
    """`zip(a, b, ...)` of two or more plain arguments."""
    return type(call.func) is cst.Name and call.func.value == "zip" and len(call.args) >= 2 \
        and not any(a.star or a.keyword is not None for a in call.args)


def makes_variables(call, tf) -> bool:
    path = dotted(call.func)
    head, _, rest = path.partition(".")
    if head not in tf:
        return False
    rest = rest[len("compat.v1."):] if rest.startswith("compat.v1.") else rest
    parts = rest.split(".")
    return rest in ("get_variable", "Variable") or parts[0] == "layers" and parts[-1] in _WEIGHTED
