"""Statements: assignments, imports, branches, `try`, `with`, definitions."""
from __future__ import annotations

import libcst as cst

from .. import events as ev
from ..values import (
    UNKNOWN, ClassV, Const, Container, Context, Func, Instance, KeyedDict, Layer, Loss, MutableList, Seq, Tensor, UnknownShape, Value, exact_items, unbounded,
)
from ..frameworks import FormatTest, binary_op, sets_format
from ..cstwalk import kinds_of
from ..syntax import dotted
from .branch_states import built_lists, built_models, join_layers, join_list
from .dataclass_fields import class_attribute, dataclass_options, written_fields
from .expressions import EXPRESSION_HANDLERS
from .flag_paths import flag_key
from .frame import Frame, ReturnSignal, class_kind
from .helpers import LOSS_VARIABLE, expects_error, holds_nan, join_envs, static_test, truth


# (exact types: libcst's node classes are ABCs, whose isinstance runs Python code)
_SMALL_STATEMENTS = kinds_of(cst.BaseSmallStatement)


class StatementsMixin:
    def exec_block(self, body, frame: Frame) -> None:
        for stmt in body:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt, frame: Frame) -> None:
        self.steps += 1
        t = type(stmt)
        if t is cst.SimpleStatementLine:
            for small in stmt.body:
                self.exec_small(small, frame)
            return
        if t in _SMALL_STATEMENTS:
            # the body of a one-line compound statement (`if cuda: x = x.cuda()`)
            self.exec_small(stmt, frame)
            return
        method = STATEMENT_HANDLERS.get(t)
        if method is not None:
            method(self, stmt, frame)

    def exec_small(self, small, frame: Frame) -> None:
        t = type(small)
        if t is cst.Assign:
            part = small.value
            method = EXPRESSION_HANDLERS.get(type(part))  # (the dispatch of `eval`, made here: the most frequent statement)
            value = method(self, part, frame) if method is not None else UNKNOWN
            if self.loops and not self.muted and len(small.targets) == 1:
                self._record_accumulation(small, frame, value)
            for target in small.targets:
                self.assign(target.target, value, frame, small)
        elif t is cst.Expr:
            part = small.value
            if type(part) is cst.Call:  # (most expression statements: a call, run without the dispatch of `eval`)
                self.eval_call(part, frame)
            elif type(part) is not cst.SimpleString:  # docstrings
                self.eval(part, frame)
        elif t is cst.AugAssign:
            left = self.eval(small.target, frame)
            right = self.eval(small.value, frame)
            if self.loops and not self.muted:
                for trace in self.loops:
                    trace.augassigns.append((small, left, right))
            if self.wants("augassign"):
                self.emit("augassign", ev.AugAssign(left, right, small))
            op = type(small.operator).__name__.replace("Assign", "")
            if type(left) is MutableList and op == "Add":
                # `layers += [Linear(...), ReLU()]` extends the list in place, as `.extend` does:
                # a later `layers.append(...)` adds to the same list
                if isinstance(right, (Seq, MutableList)):
                    left.extend(right, self.open_loops)
                else:
                    left.exact, left.tail = False, 0
                result = left
            else:
                result = binary_op(self, op, left, right, small)
            if isinstance(left, Tensor) and left.fw == "torch" and isinstance(result, Tensor):
                result = result.with_(node=left.node)  # `w -= x` changes the tensor in place: still the one made there
            self.assign(small.target, result, frame, small)
        elif t is cst.AnnAssign:
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, frame), frame, small)
        elif t is cst.Return:
            frame.returns.append(self.eval(small.value, frame) if small.value is not None else Const(None))
            raise ReturnSignal()
        elif t is cst.Import:
            self.exec_import(small, frame)
        elif t is cst.ImportFrom:
            self.exec_import_from(small, frame)
        elif t is cst.Raise:
            raise ReturnSignal()
        elif t is cst.Del:
            pass
        elif t is cst.Global:
            frame.declared_global = frame.declared_global | {n.name.value for n in small.names}

    def bind(self, frame: Frame, name: str, value: Value) -> None:
        frame.env[name] = value

    def rebind(self, frame: Frame, name: str, value: Value) -> None:
        """Update a name where it is bound (an in-place change: `x.requires_grad = True`); a
        loop variable that is a listed tensor under a second name changes that tensor too."""
        self._rebind(frame, name, value)
        alias = self.loop_aliases.get(name)
        if alias is not None and alias[2] is frame and isinstance(value, Tensor):
            source, item = alias[:2]
            if self._lookup(frame, source) is item:
                changed = value.with_(name=source)
                self._rebind(frame, source, changed)
                self.loop_aliases[name] = (source, changed, frame)

    @staticmethod
    def _lookup(frame: Frame, name: str):
        for env in (frame.env, frame.closure, frame.module.env if frame.module is not None else None):
            if env is not None and name in env:
                return env[name]
        return None

    @staticmethod
    def _rebind(frame: Frame, name: str, value: Value) -> None:
        for env in (frame.env, frame.closure, frame.module.env if frame.module is not None else None):
            if env is not None and name in env:
                env[name] = value
                return
        frame.env[name] = value

    def _record_accumulation(self, small: cst.Assign, frame: Frame, result: Value) -> None:
        """`total = total + x` (also `total = x + total`, `self.total = self.total + x`) is
        recorded in the loop traces like `total += x`."""
        target, value = small.targets[0].target, small.value
        if type(value) is not cst.BinaryOperation or type(value.operator) is not cst.Add:
            return
        name = dotted(target)
        if not name:
            return
        added = value.right if dotted(value.left) == name else value.left if dotted(value.right) == name else None
        if added is None:
            return
        # a plain name or attribute is evaluated again (no effect); of anything else the sum stands in
        plain = isinstance(added, (cst.Name, cst.Attribute)) and dotted(added)
        entry = (small, self.eval(target, frame), self.eval(added, frame) if plain else result)
        for trace in self.loops:
            trace.augassigns.append(entry)

    def assign(self, target, value: Value, frame: Frame, stmt) -> None:
        t = type(target)
        if t is cst.Name:
            name = target.value
            if isinstance(value, Tensor):
                if value.name != name:
                    value = value.with_(name=name)
                if self.collect_values:
                    self.values.append((target, value, frame.chunk, self.unit))
            elif isinstance(value, (Layer, Container, Instance, Loss)) and value.name is None:
                value.name = name
                if isinstance(value, Instance) and LOSS_VARIABLE.search(name):
                    self.mark_loss(value)
            if name in frame.declared_global and frame.module is not None and not self.uncalled:
                frame.module.env[name] = value  # `global model; model = ...` in a called function
            else:
                frame.env[name] = value
        elif t in (cst.Tuple, cst.List):
            elements = target.elements
            if "unpack" in self.handlers and not self.muted:
                self.emit("unpack", ev.Unpack(target, value, stmt))
            items = self.unpack(value, len(elements))
            for i, el in enumerate(elements):
                if type(el) is cst.StarredElement:
                    self.assign(el.value, UNKNOWN, frame, stmt)
                    items = None
                    continue
                self.assign(el.value, items[i] if items is not None else UNKNOWN, frame, stmt)
        elif t is cst.Attribute:
            obj = self.eval(target.value, frame)
            attr = target.attr.value
            # `p._grad = g` is what the `grad` property writes: the same gradient given by hand
            # (a program's own object may keep a `_grad` of its own)
            grad = attr == "grad" or (attr == "_grad" and not isinstance(obj, Instance))
            if grad and not self.muted:
                self.backwards += 1  # a gradient given by hand: `.grad` is no longer None
            if grad and self.loops:
                self.record(obj, "grad=", stmt, (value,))
            if isinstance(obj, Tensor) and attr == "requires_grad" and isinstance(target.value, (cst.Name, cst.Attribute)):
                flag = value.value if isinstance(value, Const) and isinstance(value.value, bool) else None
                if isinstance(target.value, cst.Name):
                    self.rebind(frame, target.value.value, obj.with_(requires_grad=flag))
                else:  # `self.log_alpha.requires_grad = True`: the object's attribute is that tensor now
                    holder = self.eval(target.value.value, frame)
                    if isinstance(holder, Instance):
                        holder.attrs[target.value.attr.value] = obj.with_(requires_grad=flag)
            elif isinstance(obj, Tensor) and grad:
                if self.wants("grad_assign"):
                    self.emit("grad_assign", ev.GradAssign(obj, value, stmt, getattr(stmt, "value", stmt), self.site_for(value, stmt, frame)))
            elif isinstance(obj, Instance):
                if isinstance(value, (Layer, Container)) and value.name is None:
                    value.name = attr
                obj.attrs[attr] = value
            if self.wants("attr_assign"):
                self.emit("attr_assign", ev.AttrAssign(obj, attr, value, stmt))
        elif t is cst.Subscript:
            obj = self.eval(target.value, frame)
            if isinstance(obj, KeyedDict):
                obj.exact = False  # a store, perhaps in one branch or one pass only: lookups no longer followed
            elif isinstance(obj, Container) and obj.kind == "torch.nn.ModuleDict":
                obj.keys = None  # likewise: the module is one of its modules, under a key no longer followed
                obj.layers.append(value)
            for el in target.slice:  # `x[x == np.nan] = 0`: the index is evaluated too (events)
                if isinstance(el.slice, cst.Index):
                    self.eval(el.slice.value, frame)
            base = target.value
            while type(base) is cst.Subscript:  # `out[i][j] = h` writes through the view `out[i]` into `out`
                base = base.value
            if base is not target.value and type(base) is cst.Name:
                whole = self.eval(base, frame)
                if isinstance(whole, Tensor):
                    flag = value.requires_grad if isinstance(value, Tensor) else False if isinstance(value, Const) else None
                    flag = True if whole.requires_grad is True else flag
                    self.rebind(frame, base.value, whole.with_(requires_grad=flag, span=None, nan=holds_nan(value)))
            if isinstance(obj, Tensor) and obj.requires_grad is not True and isinstance(target.value, cst.Name):
                # `out[:, t] = h`: the tensor now carries what was written into it
                flag = value.requires_grad if isinstance(value, Tensor) else False if isinstance(value, Const) else None
                if flag is not False:
                    obj = obj.with_(requires_grad=flag)
                    self.rebind(frame, target.value.value, obj)
            if isinstance(obj, Tensor) and isinstance(target.value, cst.Name) and obj.span is not None and (
                    not isinstance(value, Tensor) or value.span != obj.span or not unbounded(obj.span)):
                # `y[y < 0] = 0` may overwrite the values the span says the data holds; only parts of
                # an unbounded sample written back as such (`Y[i] = Y[i] * 2`) keep it
                obj = obj.with_(span=None)
                self.rebind(frame, target.value.value, obj)
            if isinstance(obj, Tensor) and isinstance(target.value, cst.Name) and holds_nan(value) != obj.nan:
                # `x[5, 2] = np.nan` writes a nan; `x[np.isnan(x)] = 0` (any finite write) may clean it:
                # precision first, a finite write clears what is known
                self.rebind(frame, target.value.value, obj.with_(nan=holds_nan(value)))
            if self.counted and isinstance(obj, Tensor):
                self.note_element_write(stmt, target, value, frame)

    def unpack(self, value: Value, n: int):
        items = exact_items(value)
        if items is not None and len(items) == n:
            return list(items)
        if isinstance(value, UnknownShape):
            return [value.item(i - n) for i in range(n)]  # `b, c, h, w = x.shape`: ints
        return None

    def exec_if(self, stmt: cst.If, frame: Frame) -> None:
        value = self.eval(stmt.test, frame)
        test = static_test(stmt.test)
        if test is None:
            test = truth(value)
        if test is None and self.flag_answers:
            test = self.assumed_answer(stmt.test, frame)
        if test is True:
            self.exec_block(stmt.body.body, frame)
            return
        if test is False:
            # a branch the program's own values rule out (`reverse=False` passed or defaulted)
            if isinstance(stmt.orelse, cst.If):
                self.exec_if(stmt.orelse, frame)
            elif stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, frame)
            return
        before = dict(frame.env)
        # the attributes of `self` are names too: `self.rnn = nn.LSTM(...)` in one branch and
        # `self.rnn = nn.GRU(...)` in the other leave either, not the last one run
        own = frame.self_value.attrs if type(frame.self_value) is Instance else None
        own_before = dict(own) if own is not None else None
        models = built_models(before, own_before)
        lists = built_lists(before, own_before)
        formats = _tested_formats(stmt, value)
        returned_body = self._run_branch(stmt.body.body, frame, formats[0], True)
        after_body = frame.env
        frame.env = dict(before)
        body_models = [(list(m.layers), m.input_shape) for m, _, _ in models]
        for m, layers, shape in models:
            m.layers[:], m.input_shape = layers, shape
        body_lists = [(list(l.items), l.exact, l.tail) for l, _ in lists]
        for l, state in lists:
            l.items[:], l.exact, l.tail = state[0], state[1], state[2]
        if own is not None:
            own_body = dict(own)
            own.clear()
            own.update(own_before)
        returned_else = False
        if stmt.orelse is not None:
            if isinstance(stmt.orelse, cst.If):
                returned_else = self._run_branch([stmt.orelse], frame, formats[1], True)
            else:
                returned_else = self._run_branch(stmt.orelse.body.body, frame, formats[1], True)
        after_else = frame.env
        for (m, layers, shape), (body_layers, body_shape) in zip(models, body_models):
            join_layers(m, layers, shape, body_layers, body_shape, returned_body, returned_else)
        for (l, state), body_state in zip(lists, body_lists):
            join_list(l, state, body_state, returned_body, returned_else)
        if own is not None:  # as the names: the branch that returned leaves nothing
            own_else = dict(own)
            kept = own_else if returned_body else own_body if returned_else else join_envs(own_body, own_else)
            own.clear()
            own.update(kept)
        if returned_body and returned_else:
            frame.env = after_else
            raise ReturnSignal()
        if returned_body:
            frame.env = after_else
        elif returned_else:
            frame.env = after_body
        else:
            frame.env = join_envs(after_body, after_else)

    def assumed_answer(self, test, frame: Frame) -> bool | None:
        """The answer a walk under a flag's answer gives a test tied to it (`flag_paths`): only
        in the checked file, where the tested name is the module's."""
        found = flag_key(test)
        if found is None or found[0] not in self.flag_answers:
            return None
        root = found[0][0][0]
        if frame.project is not None or frame.module is not None and frame.module.project is not None:
            return None
        if frame is not self.root and root in frame.env:
            return None  # a parameter or a local of the running function
        return self.flag_answers[found[0]] != found[1]

    def _run_branch(self, body, frame: Frame, image_format: str | None = None, undecided: bool = False) -> bool:
        saved = self.image_format, self.undecided_at
        if image_format is not None:
            self.image_format = image_format  # the branch of an `if` on Keras' image data format
        if undecided:  # a branch of an `if` whose test the program's values do not decide
            self.undecided_at = len(self.call_path)
        try:
            self.exec_block(body, frame)
        except ReturnSignal:
            return True
        finally:
            self.image_format, self.undecided_at = saved
        return False

    def exec_try(self, stmt, frame: Frame) -> None:
        before = dict(frame.env)
        returned = self._run_branch(stmt.body.body, frame)
        envs = [] if returned else [frame.env]
        for handler in stmt.handlers:
            frame.env = dict(before)
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                frame.env[handler.name.name.value] = UNKNOWN
            if not self._run_branch(handler.body.body, frame):
                envs.append(frame.env)
        if stmt.orelse is not None and not returned:
            frame.env = envs[0] if envs else dict(before)
            self._run_branch(stmt.orelse.body.body, frame)
            envs[0:1] = [frame.env]
        env = envs[0] if envs else dict(before)
        for other in envs[1:]:
            env = join_envs(env, other)
        frame.env = env
        if stmt.finalbody is not None:
            self._run_branch(stmt.finalbody.body.body, frame)

    def exec_with(self, stmt: cst.With, frame: Frame) -> None:
        no_grad, tapes = 0, ()
        for item in stmt.items:
            v = self.eval(item.item, frame)
            if isinstance(v, Context):
                if v.kind == "no_grad":
                    no_grad += 1
                elif v.kind == "enable_grad":
                    no_grad = -self.no_grad
                elif v.kind == "tape":
                    v.node = stmt
                    tapes += (id(v),)
            if item.asname is not None:
                self.assign(item.asname.name, v, frame, stmt)
        saved = (self.no_grad, self.tapes, self.no_grad_at)
        if no_grad > 0 and self.no_grad <= 0:
            self.no_grad_at = len(self.call_path)
        self.no_grad += no_grad
        if tapes:
            self.tapes = self.tapes + tapes
        expected_error = any(expects_error(item.item) for item in stmt.items)
        self.muted += expected_error  # `with pytest.raises(...)`: the failure in the body is meant
        try:
            self.exec_block(stmt.body.body, frame)
        finally:
            self.no_grad, self.tapes, self.no_grad_at = saved
            self.muted -= expected_error

    def exec_funcdef(self, stmt: cst.FunctionDef, frame: Frame, owner: ClassV | None = None) -> Func:
        module = frame if frame.module is None else frame.module
        foreign = module if module.project is not None else None
        func = Func(stmt, owner, frame.env if frame.depth > 0 else None, stmt.name.value, frame.chunk, foreign)
        if foreign is None:  # a project module's functions run when this file calls them
            self.functions.append(func)
            if frame.depth == 0:
                self.def_envs[id(stmt)] = dict(frame.env)
        else:
            self.project_functions[id(stmt)] = func
        if owner is None:
            frame.env[stmt.name.value] = func
        return func

    def exec_classdef(self, stmt: cst.ClassDef, frame: Frame) -> None:
        # a base from a project module (`class Net(BaseModel)`) stays a reference until the class
        # is instantiated (`settle_bases`)
        bases = tuple(self.eval(a.value, frame) for a in stmt.bases)
        cls = ClassV(stmt.name.value, stmt, bases, kind=class_kind(bases))
        options = dataclass_options(self, stmt, frame) if stmt.decorators else None
        fields, kw_only = [], False
        for item in stmt.body.body:
            if isinstance(item, cst.FunctionDef):
                cls.methods[item.name.value] = self.exec_funcdef(item, frame, owner=cls)
            elif isinstance(item, cst.SimpleStatementLine):
                for small in item.body:
                    if isinstance(small, cst.Assign):
                        v = self.eval(small.value, frame)
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                cls.attrs[t.target.value] = v
                    elif isinstance(small, cst.AnnAssign):  # `d_model: int = 512`
                        name, v, declared, kw_only = class_attribute(self, stmt, bases, small, frame, options, kw_only)
                        if v is not None:
                            cls.attrs[name] = v
                        if declared is not None:
                            fields.append(declared)
        cls.fields = written_fields(options, fields)
        frame.env[stmt.name.value] = cls

    # -- expressions ----------------------------------------------------------------------



STATEMENT_HANDLERS = {}


def _tested_formats(stmt: cst.If, value) -> tuple:
    """The image data format each branch of an `if` on Keras' global format runs under (None,
    None for any other `if`, and for one whose code sets the format)."""
    if not isinstance(value, FormatTest) or sets_format(stmt):
        return None, None
    return value.formats
