"""Expressions: names, attributes, subscripts, operators, literals, iteration."""
from __future__ import annotations

import libcst as cst

from .. import events as ev
from ..values import (
    UNKNOWN, BoundMethod, ClassV, Const, Container, Context, Dataset, FeedDict, Func, Instance, KeyedDict, Layer, Loss, MutableList, Optimizer, Ref, Seq, Super, Tensor, Unbound, Unknown, Value, exact_items,
)
from ..frameworks import devices
from ..joins import join
from ..lineage import made, recorded
from ..frameworks import MODEL_TENSOR_ATTRIBUTES, model_attribute
from ..frameworks import LAYER_ATTRIBUTES, OBJECT_ATTRIBUTES, OBJECT_METHODS, canonical, iterate, ref, subscript, tensor_attribute, binary_op, format_test
from ..api import BoundBuiltin, SliceV
from ..frameworks.shapes import broadcast

_ELEMENTWISE = (cst.Equal, cst.NotEqual, cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)
from .frame import MAX_UNROLL, Frame, QUOTES, TRIPLE
from .modules import ProjectRef
from .layer_bases import BASE, BaseInit, library_base
from ..frameworks.configs import configured_dict, dict_read
from .helpers import known_comparison, method_of, truth
from .snippet_imports import conventional


class ExpressionsMixin:
    def eval(self, node, frame: Frame) -> Value:
        method = EXPRESSION_HANDLERS.get(type(node))
        if method is None:
            return UNKNOWN
        return method(self, node, frame)

    def eval_name(self, node: cst.Name, frame: Frame) -> Value:
        v = frame.lookup(node.value)
        if v is UNKNOWN:
            if self.star_modules or self.project_stars:
                if self.project_stars and not self.in_project_module(frame):
                    found = self.project_star_name(node.value)
                    if found is not UNKNOWN or not self.star_modules:
                        return found
                return self._star_name(node.value)
            if frame.binds_nowhere(node.value):
                if "unbound_name" in self.handlers and not self.muted:
                    self.emit("unbound_name", node)  # a NameError, unless a scope the run did not see binds it
                if not self.in_project_module(frame):
                    return conventional(self, node.value)  # a snippet that left its imports out
            return v
        if type(v) is Unbound:
            return UNKNOWN
        if self.collect_values and isinstance(v, Tensor):  # hover on a use, not only on assignments
            self.values.append((node, v, frame.chunk, self.unit))
        return v

    def _star_name(self, name: str) -> Value:
        """A name no assignment made: one that a `*` import brings, when the framework tables
        know it under that module."""
        from ..frameworks import known_api

        for mod in reversed(self.star_modules):
            q = canonical(mod + "." + name)
            if known_api(q):
                return ref(q)
        return UNKNOWN

    def eval_attribute(self, node: cst.Attribute, frame: Frame) -> Value:
        value = node.value
        # (the object is most often a plain name: looked up without the dispatch of `eval`)
        obj = self.eval_name(value, frame) if type(value) is cst.Name else self.eval(value, frame)
        attr = node.attr.value
        if attr in MODEL_TENSOR_ATTRIBUTES and isinstance(obj, (Layer, Container)) and obj.fw == "keras":
            got = model_attribute(self, obj, attr, node, frame)  # a Keras model's tensors
            if got is not None:
                return got
        return self.get_attr(obj, attr, node)

    def get_attr(self, obj: Value, attr: str, node) -> Value:
        if type(obj) is Unknown:  # (the most frequent: none of the kinds below, only the tables at the end)
            return self._by_type_name(obj, attr)
        if isinstance(obj, ProjectRef):
            return self.project_attribute(obj, attr)
        if isinstance(obj, Ref):
            return ref(obj.qualname + "." + attr)
        if isinstance(obj, Instance):
            v = obj.attrs.get(attr)
            if v is not None:
                return v
            m = obj.cls.lookup(attr)
            if isinstance(m, Func):
                return method_of(m, obj.cls, obj)
            if m is None and attr in ("trainable_variables", "trainable_weights"):
                from ..frameworks import ParamsV

                return ParamsV(obj)
            if m is not None:
                return m
            return BoundBuiltin(obj, attr)
        if isinstance(obj, ClassV):
            m = obj.lookup(attr)
            if isinstance(m, Func):
                return method_of(m, obj, None)
            return m if m is not None else UNKNOWN
        if isinstance(obj, Tensor):
            return tensor_attribute(self, obj, attr, node)
        if isinstance(obj, Super):
            cls = obj.cls
            for b in (cls.bases if cls else ()):
                if isinstance(b, ClassV):
                    m = b.lookup(attr)
                    if isinstance(m, Func):
                        # (`super()` in a class method: its `cls`, the class it runs for)
                        of = obj.instance if isinstance(obj.instance, ClassV) else getattr(obj.instance, "cls", None)
                        return method_of(m, of, None if isinstance(obj.instance, ClassV) else obj.instance)
            return self._library_super(obj, attr)
        if isinstance(obj, Layer) and attr in LAYER_ATTRIBUTES:
            from ..frameworks import layer_attribute

            return layer_attribute(obj, attr)
        if isinstance(obj, Layer) and obj.fw == "torch" and attr in ("weight", "bias"):
            from ..frameworks.torch import layer_parameter

            param = layer_parameter(obj, attr)
            if param is not None:
                return param.with_(name=f"{obj.name}.{attr}" if obj.name else attr)
        if type(obj) is Seq and attr in obj.fields:
            return obj.items[obj.fields.index(attr)]  # a named tuple's field (`torch.topk(x, k).indices`)
        if isinstance(obj, (Layer, Container, Loss, Optimizer, Dataset, MutableList, Seq, Context, KeyedDict)):
            if attr in ("trainable_variables", "trainable_weights") and isinstance(obj, (Layer, Container)):
                from ..frameworks import ParamsV

                return ParamsV(obj)
            return BoundBuiltin(obj, attr)
        return self._by_type_name(obj, attr)

    def _library_super(self, obj: Super, attr: str) -> Value:
        """`super().__init__` and `super().forward` where the class's base is the torch layer (or
        nn.Sequential) it is followed as (`layer_bases`); anything else is unknown."""
        inst, cls = obj.instance, obj.cls
        if not isinstance(inst, Instance) or cls is None or len(cls.bases) != 1 or not isinstance(cls.bases[0], Ref):
            return UNKNOWN
        if library_base(inst.cls, self.layer_bases) is not cls.bases[0]:
            return UNKNOWN
        if attr == "__init__":
            return BaseInit(inst)
        base = inst.attrs.get(BASE)
        if attr == "forward" and isinstance(base, (Layer, Container)):
            return BoundBuiltin(base, "forward")
        return UNKNOWN

    @staticmethod
    def _by_type_name(obj: Value, attr: str) -> Value:
        """An attribute of a table-driven object (scalers, RNGs), by the name of its type."""
        if (type(obj).__name__, attr) in OBJECT_METHODS:
            return BoundBuiltin(obj, attr)
        attribute = OBJECT_ATTRIBUTES.get((type(obj).__name__, attr))
        if attribute is not None:
            return attribute(obj)
        return UNKNOWN

    def eval_subscript(self, node: cst.Subscript, frame: Frame) -> Value:
        obj = self.eval(node.value, frame)
        idx = []
        for el in node.slice:
            sl = el.slice
            if isinstance(sl, cst.Index):
                idx.append(self.eval(sl.value, frame))
            else:
                idx.append(SliceV(
                    self.eval(sl.lower, frame) if sl.lower is not None else Const(None),
                    self.eval(sl.upper, frame) if sl.upper is not None else Const(None),
                    self.eval(sl.step, frame) if sl.step is not None else Const(None),
                ))
        if self.wants("subscript") and any(isinstance(v, Tensor) for v in idx):
            self.emit("subscript", ev.Subscript(node, obj, idx, [el.slice.value if isinstance(el.slice, cst.Index) else el.slice for el in node.slice]))
        if isinstance(obj, KeyedDict) and obj.config and not dict_read(self, node.value, frame):
            return UNKNOWN
        out = subscript(self, obj, idx, node)
        if type(out) is Tensor and type(obj) is Tensor and obj.lineage is not None:
            out = out.with_(lineage=made(node, (obj,), [v for v in idx if isinstance(v, Tensor)], frame=frame))  # (an index: by value)
        return out

    def eval_binop(self, node: cst.BinaryOperation, frame: Frame) -> Value:
        left = self.eval(node.left, frame)
        right = self.eval(node.right, frame)
        out = binary_op(self, type(node.operator).__name__, left, right, node)
        if type(out) is Tensor and recorded(left, right):
            out = out.with_(lineage=made(node, (left, right), frame=frame))
        return out

    def eval_unary(self, node: cst.UnaryOperation, frame: Frame) -> Value:
        v = self.eval(node.expression, frame)
        if isinstance(v, Const) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool):
            if isinstance(node.operator, cst.Minus):
                return Const(-v.value)
            if isinstance(node.operator, cst.Plus):
                return v
        if isinstance(v, Tensor) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return v.with_(node=node)
        if isinstance(node.operator, cst.Not) and truth(v) is not None:
            return Const(not truth(v))
        return UNKNOWN

    def eval_compare(self, node: cst.Comparison, frame: Frame) -> Value:
        left = self.eval(node.left, frame)
        ops = [(c.operator, self.eval(c.comparator, frame), c.comparator) for c in node.comparisons]
        if self.wants("compare"):
            self.emit("compare", ev.Compare(node, left, ops))
        if isinstance(left, Tensor):
            # True/False: a category of each element, none of the operand's values; an
            # elementwise comparison with another array broadcasts the two
            # (`np.arange(10) == labels[:, None]` is one-hot rows, (N, 10))
            shape = left.shape
            if len(ops) == 1 and isinstance(ops[0][1], Tensor) and ops[0][1].shape != shape and type(ops[0][0]) in _ELEMENTWISE:
                shape = broadcast(left.shape, ops[0][1].shape)
            return left.with_(dtype="bool", node=node, origin=node, requires_grad=False, span=None, classes=True, onehot=False,
                              magnitude=None, scale=None, normalized=False, scale_mix=False, activation=None, shape=shape)
        if len(ops) == 1 and type(ops[0][0]) in (cst.Is, cst.IsNot):
            return self._identity_with_none(left, ops[0])
        tested = format_test(left, ops)  # `K.image_data_format() == "channels_first"`
        return tested if tested is not None else known_comparison(left, ops)

    def _identity_with_none(self, left, op) -> Value:
        """`x is None` / `x is not None` where the program fixes `x` to a literal: a number or
        a string is not None. A None that a function run on its own holds (its parameter's
        default) stands for whatever its callers pass: unknown there."""
        operator, right, _ = op
        if isinstance(left, Const) and left.value is None and isinstance(right, Const) and type(right.value) in (str, int, float, bool):
            left, right = right, left  # `None is x`
        if not (isinstance(right, Const) and right.value is None and isinstance(left, Const)
                and type(left.value) in (str, int, float, bool, type(None))):
            return UNKNOWN
        if left.value is None and self.uncalled:
            return UNKNOWN
        same = left.value is None
        return Const(same if type(operator) is cst.Is else not same)

    def eval_int(self, node: cst.Integer, frame: Frame) -> Value:
        try:
            return Const(int(node.value.replace("_", ""), 0))
        except ValueError:
            try:
                return Const(int(node.value.replace("_", "")))
            except ValueError:
                return UNKNOWN

    def eval_float(self, node: cst.Float, frame: Frame) -> Value:
        try:
            return Const(float(node.value.replace("_", "")))
        except ValueError:
            return UNKNOWN

    def eval_yield(self, node, frame: Frame) -> Value:
        frame.generator = True
        if isinstance(node.value, cst.BaseExpression):
            value = self.eval(node.value, frame)
            if isinstance(node, cst.Yield) and not isinstance(node.value, cst.From):
                frame.yields.append(value)
        return UNKNOWN

    def eval_string(self, node, frame: Frame) -> Value:
        if type(node) is cst.SimpleString:
            raw = node.value
            if raw[:1] in QUOTES and "\\" not in raw and raw[:3] not in TRIPLE:
                return Const(raw[1:-1])
            v = self.strings.get(raw, _ABSENT)
            if v is _ABSENT:  # (libcst asks CPython's parser to read the literal: once per analysis)
                try:
                    v = node.evaluated_value
                except Exception:
                    v = None
                self.strings[raw] = v
            return Const(v) if isinstance(v, str) else UNKNOWN
        try:
            v = node.evaluated_value
        except Exception:
            return UNKNOWN
        return Const(v) if isinstance(v, str) else UNKNOWN

    def eval_tuple(self, node, frame: Frame) -> Value:
        items = []
        for el in node.elements:
            if type(el) is cst.StarredElement:
                v = self.eval(el.value, frame)
                known = exact_items(v)  # a list grown in a loop of unknown length has no known items
                if known is not None:
                    items.extend(known)
                    continue
                return UNKNOWN
            items.append(self.eval(el.value, frame))
        return Seq("tuple" if isinstance(node, cst.Tuple) else "list", tuple(items))

    def eval_list(self, node: cst.List, frame: Frame) -> Value:
        v = self.eval_tuple(node, frame)
        if isinstance(v, Seq):
            return MutableList(list(v.items), level=self.open_loops)
        return v

    def eval_dict(self, node: cst.Dict, frame: Frame) -> Value:
        """A dict literal: followed as the feed of a TF1 graph (tensors among its keys), as a dict
        of tensors under constant keys (a TF1 model's weights) and as a configuration under
        constant keys (`cfg = {"hidden": 128}`, `{**base, "lr": 0.1}`: `configured_dict`)."""
        pairs = []
        for el in node.elements:
            if not isinstance(el, cst.DictElement):  # `**other`: its items when they are all known
                other = self.eval(el.value, frame)
                if not isinstance(other, KeyedDict) or not other.exact or (other.config and not dict_read(self, el.value, frame)):
                    return UNKNOWN
                pairs.extend((Const(k), v, None, None) for k, v in other.items.items())
                continue
            pairs.append((self.eval(el.key, frame), self.eval(el.value, frame), el.key, el.value))
        if any(isinstance(k, Tensor) for k, _, _, _ in pairs):
            return FeedDict(pairs) if all(k is not None for _, _, k, _ in pairs) else UNKNOWN
        if pairs and all(isinstance(k, Const) and isinstance(k.value, (str, int)) for k, _, _, _ in pairs):
            if any(isinstance(v, Tensor) for _, v, _, _ in pairs):
                return KeyedDict({k.value: v for k, v, _, _ in pairs})
            return configured_dict({k.value: v for k, v, _, _ in pairs})
        return UNKNOWN

    def eval_lambda(self, node: cst.Lambda, frame: Frame) -> Value:
        func = Func(node, None, frame.env if frame.depth > 0 else None, "<lambda>", frame.chunk)
        self.functions.append(func)
        return func

    def eval_ifexp(self, node: cst.IfExp, frame: Frame) -> Value:
        self.eval(node.test, frame)
        body, orelse = self.eval(node.body, frame), self.eval(node.orelse, frame)
        return devices.chosen(body, orelse) or join(body, orelse)

    def eval_boolop(self, node: cst.BooleanOperation, frame: Frame) -> Value:
        return join(self.eval(node.left, frame), self.eval(node.right, frame))

    def eval_paren_free(self, node, frame: Frame) -> Value:
        return self.eval(node.value, frame)

    def eval_named(self, node: cst.NamedExpr, frame: Frame) -> Value:
        v = self.eval(node.value, frame)
        self.assign(node.target, v, frame, node)
        return v

    def eval_comp(self, node, frame: Frame) -> Value:
        """A list comprehension with one `for` and no `if`, over items the program fixes
        (`range(n)` of a known n, a list or tuple of known length, at most MAX_UNROLL), is run
        pass by pass and gives the list it builds: `nn.ModuleList([Block(d) for _ in
        range(3)])` holds three blocks. Any other comprehension evaluates its iterables (for their
        events) and is unknown."""
        return self.comp_list(node, frame) if type(node) is cst.ListComp else self._comp_iterables(node, frame)

    def comp_list(self, node, frame: Frame) -> Value:
        """The list a list comprehension builds, or a generator expression consumed whole
        (`nn.Sequential(*(Block(d) for _ in range(3)))`), where eval_comp says it is known."""
        f = node.for_in
        if f.inner_for_in is None and not f.ifs and f.asynchronous is None:
            items = self._comp_items(f.iter, frame)
            names = _target_names(f.target)
            return UNKNOWN if items is None or names is None else self._run_comp(node.elt, names, items, frame)
        return self._comp_iterables(node, frame)

    def _comp_iterables(self, node, frame: Frame) -> Value:
        f = node.for_in
        while f is not None:
            self.eval(f.iter, frame)
            f = f.inner_for_in
        return UNKNOWN

    def _comp_items(self, it, frame: Frame) -> list | None:
        """The items a comprehension runs over, where the program fixes them, else None (the
        iterable is evaluated once either way)."""
        if (type(it) is cst.Call and type(it.func) is cst.Name and it.func.value == "range" and 1 <= len(it.args) <= 2
                and all(a.keyword is None and not a.star for a in it.args)):
            func = self.eval(it.func, frame)
            if isinstance(func, Ref) and func.qualname == "builtins.range":
                bounds = [self.eval(a.value, frame) for a in it.args]
                nums = [b.value if isinstance(b, Const) and type(b.value) is int else None for b in bounds]
                if None in nums:
                    return None
                lo, hi = (0, nums[0]) if len(nums) == 1 else nums
                return [Const(i) for i in range(lo, hi)] if hi - lo <= MAX_UNROLL else None
        items = exact_items(self.eval(it, frame))
        return list(items) if items is not None and len(items) <= MAX_UNROLL else None

    def _run_comp(self, elt, names: list, items: list, frame: Frame) -> Value:
        """The list the comprehension builds; its target names are bound for each pass only (a
        comprehension has its own scope)."""
        env = frame.env
        saved = {n: env[n] for n in names if n in env}
        out = []
        try:
            for item in items:
                parts = [item] if len(names) == 1 else exact_items(item)
                if parts is None or len(parts) != len(names):
                    parts = [UNKNOWN] * len(names)
                env.update(zip(names, parts))
                out.append(self.eval(elt, frame))
        finally:
            for n in names:
                env.pop(n, None)
            env.update(saved)
        return MutableList(out, level=self.open_loops)

    # -- iteration ------------------------------------------------------------------------

    def iter_items(self, it: Value):
        items = exact_items(it)
        if items is not None:
            return list(items)
        if isinstance(it, Container) and it.kind in ("torch.nn.ModuleList", "torch.nn.Sequential"):
            return list(it.layers)
        return None

    def iter_element(self, it: Value) -> Value:
        return iterate(self, it)




def _target_names(target) -> list | None:
    """The names a comprehension's target binds: a name or a flat tuple of names."""
    if type(target) is cst.Name:
        return [target.value]
    if type(target) in (cst.Tuple, cst.List) and all(type(e) is cst.Element and type(e.value) is cst.Name
                                                     for e in target.elements):
        return [e.value.value for e in target.elements]
    return None


EXPRESSION_HANDLERS = {}
_ABSENT = object()
