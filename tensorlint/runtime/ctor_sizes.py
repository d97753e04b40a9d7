"""Which constructor parameters of a library file's model classes are only sizes (`class
Actor(nn.Module): def __init__(self, state_dim, action_dim): self.l1 = nn.Linear(state_dim,
400)`), so that the check may build the class with sizes it makes up, twice, as it chooses the free
sides of an input (child/library.py); and which are only keys of a table the file defines
(`cfg = {'VGG11': [...], ...}` ... `self._make_layers(cfg[vgg_name])`), so that the class may be
built with one of the file's own keys."""
from __future__ import annotations

import libcst as cst

# layers and the positions of their arguments that are sizes (widths, channel and class counts);
# kernel sizes, strides, head counts and rates are not among them
SIZE_POSITIONS = {
    "Linear": (0, 1), "Bilinear": (0, 1, 2), "LazyLinear": (0,),
    "Conv1d": (0, 1), "Conv2d": (0, 1), "Conv3d": (0, 1),
    "ConvTranspose1d": (0, 1), "ConvTranspose2d": (0, 1), "ConvTranspose3d": (0, 1),
    "Embedding": (0, 1), "EmbeddingBag": (0, 1),
    "BatchNorm1d": (0,), "BatchNorm2d": (0,), "BatchNorm3d": (0,),
    "InstanceNorm1d": (0,), "InstanceNorm2d": (0,), "InstanceNorm3d": (0,), "LayerNorm": (0,), "GroupNorm": (1,),
    "LSTM": (0, 1), "GRU": (0, 1), "RNN": (0, 1), "LSTMCell": (0, 1), "GRUCell": (0, 1), "RNNCell": (0, 1),
    "MultiheadAttention": (0,), "TransformerEncoderLayer": (0, 2), "TransformerDecoderLayer": (0, 2),
    # Keras
    "Dense": (0,), "Conv1D": (0,), "Conv2D": (0,), "Conv3D": (0,), "Conv2DTranspose": (0,), "Conv1DTranspose": (0,),
    "SeparableConv2D": (0,), "SimpleRNN": (0,), "SimpleRNNCell": (0,),
}
SIZE_KEYWORDS = frozenset({
    "in_features", "out_features", "in1_features", "in2_features", "in_channels", "out_channels", "num_features",
    "num_channels", "num_embeddings", "embedding_dim", "input_size", "hidden_size", "normalized_shape", "embed_dim",
    "d_model", "dim_feedforward", "units", "filters", "input_dim", "output_dim",
})
# calls whose positional arguments are all sizes: a range, a tensor made or viewed in a given shape
SHAPE_CALLS = frozenset({"range", "view", "reshape", "zeros", "ones", "empty", "randn", "rand", "new_zeros",
                         "new_ones", "new_empty", "expand"})
ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide)


def class_sizes(module: cst.Module) -> dict[str, list]:
    """{class: its constructor's parameters without a default, in order} for each top-level class
    whose `__init__` needs arguments that are all sizes: read only as a layer's width, channel or
    class count, a `range`, a slice's bound, or the shape of a tensor made or viewed (`x.view(-1, self.latent_dim)`),
    directly, in integer arithmetic (`hidden * 4`, `state_dim + action_dim`) or through an attribute
    of the instance set to it and read only so. A parameter read only as the key of a table the file
    defines at its top level (a dict literal of constant keys, bound once: `cfg[vgg_name]`) is one
    too, given as {"name": parameter, "table": the dict's name, "keys": its keys in order}: the file
    fixes its values. So is an object the constructor reads only for fields, each read as a size
    (`nn.Embedding(params.vocab_size, params.embedding_dim)`), given as {"name": parameter,
    "fields": [field]}. A parameter read anywhere else (a string looked up elsewhere, a flag tested,
    a rate multiplied, an object's field read as anything but a size, the object kept on the
    instance) leaves the class out."""
    out = {}
    known = tables(module)
    for stmt in module.body:
        if not isinstance(stmt, cst.ClassDef) or not isinstance(stmt.body, cst.IndentedBlock):
            continue
        init = next((s for s in stmt.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
        if init is None or init.decorators or not isinstance(init.body, cst.IndentedBlock):
            continue
        p = init.params
        positional = [*p.posonly_params, *p.params]
        if not positional:
            continue
        required = [q.name.value for q in [*positional[1:], *p.kwonly_params] if q.default is None]
        if not required:
            continue
        uses = _Uses(set(required), positional[0].name.value, tables=known)
        init.body.visit(uses)
        if uses.other:
            continue
        attrs = _Uses(set(), None, attributes=uses.attributes, sources=set(required), tables=known)
        for method in stmt.body.body:
            if isinstance(method, cst.FunctionDef) and method.params.params:
                attrs.receiver = method.params.params[0].name.value
                method.body.visit(attrs)
        for attr in attrs.sized_attributes:
            uses.sized[uses.attributes[attr]] = True
        for attr, table in attrs.keyed_attributes.items():
            uses.keyed.setdefault(uses.attributes[attr], set()).update(table)
        if attrs.other or not all(_one_kind(uses, name) for name in required):
            continue
        out[stmt.name.value] = [name if uses.sized[name] else {"name": name, "fields": uses.fields[name]}
                                if name in uses.fields else _key(name, uses.keyed[name], known) for name in required]
    return out


def _one_kind(uses: "_Uses", name: str) -> bool:
    """Read only as a size, only as the key of one table, or only for fields read as sizes."""
    keyed = uses.keyed.get(name, set())
    if name in uses.fields and name in uses.attributes.values():
        return False  # the object itself kept on the instance: a part of the model, not only its fields
    return [uses.sized[name], bool(keyed), name in uses.fields].count(True) == 1 and len(keyed) <= 1


def _key(name: str, table: set[str], known: dict[str, list]) -> dict:
    (which,) = table
    return {"name": name, "table": which, "keys": known[which]}


def tables(module: cst.Module) -> dict[str, list]:
    """{name: its keys in order} for each name the module's top level binds once, to a dict literal
    whose keys are all constant strings or integers (`cfg = {'VGG11': [...], 'VGG13': [...]}`)."""
    bound: dict[str, int] = {}
    found: dict[str, list] = {}
    for stmt in module.body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            bound[stmt.name.value] = bound.get(stmt.name.value, 0) + 1
            continue
        if not isinstance(stmt, cst.SimpleStatementLine):
            for name in _bound_names(stmt):
                bound[name] = bound.get(name, 0) + 1
            continue
        for small in stmt.body:
            for name in _bound_names(small):
                bound[name] = bound.get(name, 0) + 1
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                keys = _constant_keys(small.value)
                if keys:
                    found[small.targets[0].target.value] = keys
    return {name: keys for name, keys in found.items() if bound.get(name) == 1}


def _bound_names(node: cst.CSTNode) -> set[str]:
    """The names a top-level statement binds (assigned, imported, a loop's or a with's target)."""
    names: set[str] = set()

    class Targets(cst.CSTVisitor):
        def visit_AssignTarget(self, n: cst.AssignTarget) -> None:
            names.update(_names(n.target))

        def visit_AugAssign(self, n: cst.AugAssign) -> None:
            names.update(_names(n.target))

        def visit_AnnAssign(self, n: cst.AnnAssign) -> None:
            names.update(_names(n.target))

        def visit_For(self, n: cst.For) -> None:
            names.update(_names(n.target))

        def visit_AsName(self, n: cst.AsName) -> None:
            names.update(_names(n.name))

        def visit_ImportAlias(self, n: cst.ImportAlias) -> None:
            if n.asname is None:
                first = n.name
                while isinstance(first, cst.Attribute):
                    first = first.value
                names.update(_names(first))

        def visit_FunctionDef(self, n: cst.FunctionDef) -> bool:
            names.add(n.name.value)
            return False

        def visit_ClassDef(self, n: cst.ClassDef) -> bool:
            names.add(n.name.value)
            return False

    node.visit(Targets())
    return names


def _names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in _names(e.value)}
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return set()


def _constant_keys(value: cst.BaseExpression) -> list:
    """The keys of a dict literal when each is a constant string or integer, else []."""
    if not isinstance(value, cst.Dict) or not value.elements:
        return []
    keys = []
    for element in value.elements:
        if not isinstance(element, cst.DictElement):
            return []  # a `**other` spread: keys not all written here
        key = element.key
        if isinstance(key, cst.SimpleString):
            keys.append(key.evaluated_value)
        elif isinstance(key, cst.Integer):
            keys.append(int(key.value, 0))
        else:
            return []
    return keys if len(set(map(repr, keys))) == len(keys) and all(isinstance(k, (str, int)) for k in keys) else []


class _Uses(cst.CSTVisitor):
    """Sorts each read of the parameters in `names` (or of the receiver's attributes in
    `attributes`) into a size read or another read (`other`); `self.x = name` records x (as
    {attribute: parameter})."""

    def __init__(self, names: set[str], receiver: str | None, attributes: dict[str, str] | None = None,
                 sources: set[str] | None = None, tables: dict[str, list] | None = None) -> None:
        self.names = names
        self.tables = tables or {}
        self.keyed: dict[str, set[str]] = {}
        self.fields: dict[str, list[str]] = {}
        self.keyed_attributes: dict[str, set[str]] = {}
        self.sources = sources or set()
        self.receiver = receiver
        self.attributes = attributes if attributes is not None else {}
        self.sized_attributes: set[str] = set()
        self.collect = attributes is None
        self.sized = {n: False for n in names}
        self.other: list[str] = []
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        if isinstance(node, cst.Name) and node.value in self.names:
            self.name_read(node)
        elif isinstance(node, cst.Attribute) and self.receiver is not None and isinstance(node.value, cst.Name) \
                and node.value.value == self.receiver and node.attr.value in self.attributes and not self.collect:
            self.attribute_read(node)
            return False
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()

    def parent(self, depth: int = 1):
        return self.stack[-1 - depth] if len(self.stack) > depth else None

    def name_read(self, node: cst.Name) -> None:
        parent = self.parent()
        if isinstance(parent, cst.Attribute) and parent.attr is node or isinstance(parent, cst.Arg) and parent.keyword is node:
            return  # an attribute's or a keyword's name, not the parameter
        if self.stored(node):
            return
        if self.collect and isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
            target = parent.targets[0].target
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) \
                    and target.value.value == self.receiver:
                if self.attributes.setdefault(target.attr.value, node.value) != node.value:
                    self.other.append(node.value)  # one attribute set to two parameters
                return
        if isinstance(parent, cst.Attribute) and parent.value is node and self.collect:
            self.field_read(node, parent)
        elif self.in_size_position(node):
            self.sized[node.value] = True
        elif self.key_of(node) is not None:
            self.keyed.setdefault(node.value, set()).add(self.key_of(node))
        else:
            self.other.append(node.value)

    def field_read(self, node: cst.Name, attribute: cst.Attribute) -> None:
        """`args.hidden_size`: a field of an object the constructor takes, read as a size or not."""
        top = self.stack.pop()
        try:
            sized = not self.stored(attribute) and self.in_size_position(attribute)
        finally:
            self.stack.append(top)
        if sized:
            fields = self.fields.setdefault(node.value, [])
            if attribute.attr.value not in fields:
                fields.append(attribute.attr.value)
        else:
            self.other.append(node.value)

    def attribute_read(self, node: cst.Attribute) -> None:
        if self.stored(node):
            assign = self.parent(2)
            value = assign.value if isinstance(assign, cst.Assign) and len(assign.targets) == 1 else None
            if not (isinstance(value, cst.Name) and value.value in self.sources):
                self.other.append(node.attr.value)  # set again to something else
            return
        if self.in_size_position(node):
            self.sized_attributes.add(node.attr.value)
        elif self.key_of(node) is not None:
            self.keyed_attributes.setdefault(node.attr.value, set()).add(self.key_of(node))
        else:
            self.other.append(node.attr.value)

    def key_of(self, node) -> str | None:
        """The table's name when the node is read as its one key (`cfg[vgg_name]`), not stored into
        or deleted from it."""
        index, element, subscript = self.parent(), self.parent(2), self.parent(3)
        if not (isinstance(index, cst.Index) and index.value is node and isinstance(element, cst.SubscriptElement)
                and isinstance(subscript, cst.Subscript) and len(subscript.slice) == 1
                and isinstance(subscript.value, cst.Name) and subscript.value.value in self.tables):
            return None
        outer = self.parent(4)
        if isinstance(outer, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)) and outer.target is subscript \
                or isinstance(outer, cst.Del):
            return None
        return subscript.value.value

    def stored(self, node) -> bool:
        """The node is what an assignment binds (`in_channels = h_dim`, `self.x = ...`)."""
        parent = self.parent()
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return True
        return isinstance(parent, (cst.AugAssign, cst.AnnAssign)) and parent.target is node

    def in_size_position(self, node) -> bool:
        """Read, alone or in integer arithmetic, as a size argument of a layer or a shape call, or as
        a bound of a slice."""
        depth, child = 1, node
        while isinstance(self.parent(depth), (cst.BinaryOperation, cst.UnaryOperation)):
            op = self.parent(depth)
            if isinstance(op, cst.BinaryOperation) and not isinstance(op.operator, ARITHMETIC) \
                    or isinstance(op, cst.UnaryOperation) and not isinstance(op.operator, cst.Minus):
                return False
            child, depth = op, depth + 1
        arg, call = self.parent(depth), self.parent(depth + 1)
        if isinstance(arg, cst.Slice) and child in (arg.lower, arg.upper):
            return True  # a bound of a slice (`stats[:, :self.latent_dim]`)
        if not isinstance(arg, cst.Arg) or arg.value is not child or not isinstance(call, cst.Call) or arg.star:
            return False
        func = call.func
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
        if name is None:
            return False
        if arg.keyword is not None:
            return arg.keyword.value in SIZE_KEYWORDS or (name in SHAPE_CALLS and arg.keyword.value == "size")
        index = next(i for i, a in enumerate(call.args) if a is arg)
        if name in SHAPE_CALLS:
            return True
        return index in SIZE_POSITIONS.get(name, ())
