"""Calls: framework calls through the tables, the program's own functions, classes and
module instances."""
from __future__ import annotations

import libcst as cst

from .. import events as ev
from ..values import (
    ANY, UNKNOWN, BoundMethod, ClassV, Const, Container, Func, GraphOp, Instance, KeyedDict, Layer, Loss, MutableList, Optimizer, Ref, Seq, Tensor, Unknown, Value, exact_items, known_tail,
)
from ..joins import join
from ..frameworks import CALLS, LAYERS, LOSSES, call_layer, container_method, object_method, tensor_method
from ..frameworks import devices
from ..frameworks.builtins import Partial
from ..frameworks.registry import INSTANCE_BUILT, MODEL_CALLS
from ..frameworks.keras.graph import feed_of, record_op
from ..api import BoundBuiltin, CallInfo
from .expressions import EXPRESSION_HANDLERS
from .frame import Frame, MAX_DEPTH, ReturnSignal
from .modules import ProjectRef
from .layer_bases import BASE, BaseInit, library_base
from .dataclass_fields import generated_init, init_instance
from ..frameworks.configs import dict_read
from .binding import fitted, note_project_call
from .helpers import carries_training_state, const_key, fresh_copy, interesting, is_static, no_grad_decorated, yielded_batches


_CALL_METHOD = {"torch.module": "forward", "keras.layer": "call", "keras.model": "call", "keras.loss": "call"}


def call_method(cls):
    """What calling an instance of `cls` runs: the framework's hook (`forward`, `call`) where the
    class defines one, else its own `__call__`. A model or layer class that defines `__call__`
    and no hook replaces the framework's `__call__` (the one that would call the hook), so
    Python runs the class's `__call__`. Where the class defines both, the hook is followed (its
    `__call__` usually adds to the framework's and calls it)."""
    hook = _CALL_METHOD.get(cls.kind)
    method = cls.lookup(hook or "__call__")
    if hook is not None and not isinstance(method, Func):
        own = cls.lookup("__call__")
        if isinstance(own, Func):
            return own
    return method


def runs_own_method(func) -> bool:
    """Calling `func` runs a method of the program's own class (`forward`, `call`, `__call__`),
    which the analysis follows: what it does to the loop is seen there, not hidden."""
    return isinstance(func, Instance) and isinstance(call_method(func.cls), Func)


# the calls given gradients for their outputs: (the outputs' parameter, (position, name) of the gradients)
_GRADIENTS_GIVEN = {
    "torch.autograd.grad": ("outputs", (2, "grad_outputs")),
    "torch.autograd.backward": ("tensors", (1, "grad_tensors")),
}


class CallsMixin:
    def eval_call(self, node: cst.Call, frame: Frame) -> Value:
        # (the dispatch of `eval`, made here for the callee and each argument: calls are the most
        # frequent expressions, and most of their parts are names, attributes and other calls)
        handlers = EXPRESSION_HANDLERS
        part = node.func
        method = handlers.get(type(part))
        func = method(self, part, frame) if method is not None else UNKNOWN
        args, kwargs, arg_nodes, kwarg_nodes = [], {}, [], {}
        for a in node.args:
            # a generator expression spread into the call is consumed whole, like a list
            part = a.value
            if a.star == "*" and type(part) is cst.GeneratorExp:
                v = self.comp_list(part, frame)
            else:
                method = handlers.get(type(part))
                v = method(self, part, frame) if method is not None else UNKNOWN
            if a.star == "*":
                seq = exact_items(v)
                if seq is None and isinstance(v, MutableList):
                    seq = [UNKNOWN] + known_tail(v)  # `*layers` grown in a loop: what ends it is known
                if seq is None:
                    args.append(UNKNOWN)
                    args = None if args is None else args
                    arg_nodes.append(a.value)
                    continue
                args.extend(seq)
                arg_nodes.extend([a.value] * len(seq))
            elif a.star == "**":
                # a configuration spread into the call (`nn.Linear(**cfg)`): its items, when all are known
                if isinstance(v, KeyedDict) and v.exact and v.config and dict_read(self, part, frame) and \
                        all(type(k) is str for k in v.items) and "**" not in kwargs:
                    kwargs.update(v.items)
                    kwarg_nodes.update(dict.fromkeys(v.items, part))
                else:
                    kwargs["**"] = UNKNOWN
            elif a.keyword is not None:
                kwargs[a.keyword.value] = v
                kwarg_nodes[a.keyword.value] = a.value
            else:
                args.append(v)
                arg_nodes.append(a.value)
        call = CallInfo(self, node, frame, args, kwargs, arg_nodes, kwarg_nodes)
        callee = node.func
        if type(callee) is cst.Attribute and callee.attr.value == "minimize":
            return self.minimize(func, call)
        if "feed_dict" in kwargs or (type(callee) is cst.Attribute and callee.attr.value in ("run", "eval")):
            feed = feed_of(call)  # (only such a call can feed a TF1 graph: most calls skip the look)
            if feed is not None:
                self.record_feed(feed)
        return self.call(func, call)

    def minimize(self, func, call) -> Value:
        """`opt.minimize(loss, global_step, var_list)`: of a TF1 graph loss, announced to rules,
        and the training op it makes reads the loss (when the optimizer is not followed)."""
        loss = call.arg(0, "loss")
        recorded = isinstance(loss, Tensor) and loss.lineage is not None
        if recorded and self.wants("graph_minimize"):
            given = call.arg(2, "var_list")
            var_list = "**" in call.kwargs or (given is not None and not (isinstance(given, Const) and given.value is None))
            self.emit("graph_minimize", ev.GraphMinimize(loss, var_list, call.node))
        out = self.call(func, call)
        if recorded and out is UNKNOWN:
            from ..lineage import made

            return GraphOp(made(call.node, (loss,), frame=call.frame))
        return out

    def record_feed(self, feed) -> None:
        """Values fed to TF1 placeholders: kept for the second walk (`run` below), and announced
        to rules. A function run again with unknown arguments after the program called it
        feeds nothing new."""
        if self.muted:
            return
        for key, value, _, value_node in feed.pairs:
            if not isinstance(key, Tensor) or key.node is not key.origin:
                continue
            declared = self.placeholders.get(id(key.origin))
            self.note_feed_unit(("feed", id(key.origin), value, not self.feeds_off, declared))
            if declared is None:
                continue
            if not self.feeds_off:
                self.feeds.setdefault(id(key.origin), []).append(value)
            self.emit("feed", ev.Feed(declared.with_(name=key.name), value, value_node))

    def call(self, func: Value, call: "CallInfo") -> Value:
        if type(func) is Unknown and not self.loops:
            # (a third of the calls: something unknown called outside a loop gives nothing, and
            # counts only as a backward pass, as below)
            callee = getattr(call.node, "func", None)
            if not self.muted and type(callee) is cst.Attribute and callee.attr.value == "backward":
                self.backwards += 1
            return UNKNOWN
        if isinstance(func, ProjectRef):
            pref, func = func, self.resolve_project(func, called=True)
            if self.uncalled and not isinstance(func, Func) and self.wants("user_call"):
                note_project_call(self, pref, call)
        if ProjectRef in map(type, call.args) or ProjectRef in map(type, call.kwargs.values()):  # (no generator per call)
            self.resolve_arguments(func, call)
        callee = getattr(call.node, "func", None)
        if not self.muted and (isinstance(func, Unknown) and type(callee) is cst.Attribute and callee.attr.value == "backward"
                               or isinstance(func, Ref) and func.qualname.endswith("autograd.backward")):
            self.backwards += 1
        if self.loops and isinstance(func, Unknown) and type(callee) is cst.Attribute:
            # a method of something unknown (`self.opt.zero_grad()`): traces keep it by name
            self.record(UNKNOWN, call.node.func.attr.value, call.node, call.args, call.kwargs)
        if isinstance(func, (BoundMethod, BoundBuiltin)) and self.wants("module_method"):
            receiver = func.self_value if isinstance(func, BoundMethod) else func.obj
            if isinstance(receiver, (Instance, Layer, Container)):
                method = func.func.name if isinstance(func, BoundMethod) else func.attr
                self.emit("module_method", ev.ModuleMethod(receiver, method, call.node, call.frame.self_value))
        if self.loops and not isinstance(func, (Func, BoundMethod, ClassV, BoundBuiltin, Layer, Container, Loss, Partial)) \
                and not runs_own_method(func):
            known = isinstance(func, Ref) and (func.qualname in CALLS or func.qualname in LAYERS or func.qualname in LOSSES)
            reach = carries_training_state(call) if not known else None
            if reach:
                self.mark_opaque(reach)
            elif not known:
                self.note_unknown_given(call, func)
        if isinstance(func, Ref):
            if func.qualname in _GRADIENTS_GIVEN and self.wants("grad_outputs"):
                self.emit_grad_outputs(call, *_GRADIENTS_GIVEN[func.qualname])
            handler = CALLS.get(func.qualname)
            if handler is not None:
                out = handler(call)
                if type(out) is Tensor and func.qualname.startswith("tensorflow."):
                    out = record_op(call, func.qualname, out)
                elif isinstance(out, (Layer, Container)) and out.fw == "keras":
                    self.keras_built += 1
                return out
            spec = LAYERS.get(func.qualname)
            if spec is not None:
                layer = spec.construct(call, func.qualname)
                if isinstance(layer, (Layer, Container)) and layer.fw == "keras":
                    self.keras_built += 1
                if "device" in call.kwargs and isinstance(layer, Layer) and layer.fw == "torch":
                    # `nn.Conv2d(..., device=DEVICE)`: its parameters are made there
                    layer.device = "cuda" if devices.kind_of(call.kwargs["device"]) == "cuda" else None
                return layer
            spec = LOSSES.get(func.qualname)
            if spec is not None:
                return spec.construct(call, func.qualname)
            return UNKNOWN
        if isinstance(func, Func):
            args, kwargs = self.bind_call(func, call.args, call.kwargs, call, 0)
            return self.call_function(func, args, kwargs, call.node, frame=call.frame, arg_nodes=call.arg_nodes)
        if isinstance(func, BoundMethod):
            args, kwargs = self.bind_call(func.func, [func.self_value] + call.args, call.kwargs, call, 1)
            return self.call_function(func.func, args, kwargs, call.node, frame=call.frame, arg_nodes=[None] + call.arg_nodes)
        if isinstance(func, ClassV):
            return self.instantiate(func, call)
        if isinstance(func, Partial):
            return self.call(func.func, func.bind(call))
        if isinstance(func, BaseInit):
            func.instance.attrs[BASE] = self.call(library_base(func.instance.cls, self.layer_bases), call)
            return Const(None)
        if isinstance(func, Instance):
            return self.call_instance(func, call)
        if isinstance(func, (Layer, Container)):
            return call_layer(call, func)
        if isinstance(func, Loss):
            return LOSSES[func.kind].call(call, func) if func.kind in LOSSES else UNKNOWN
        if isinstance(func, BoundBuiltin):
            return self.call_bound_builtin(func, call)
        return object_method(call, func, "__call__")  # a table's object the program calls (a transform)

    def bind_call(self, func: Func, args: list, kwargs: dict, call: "CallInfo", bound: int) -> tuple:
        """The arguments a call of the program's own function runs with (see `fitted`), after the
        rules that read how the call's arguments meet the definition's parameters have seen it."""
        self.note_call(func, call, bound)
        return fitted(func, args, kwargs, call.node, bound)

    def note_call(self, func: Func, call: "CallInfo", bound: int) -> None:
        if self.wants("user_call") and type(call.node) is cst.Call:
            self.emit("user_call", ev.UserCall(func, call.node, bound, call.frame.func))

    def call_bound_builtin(self, bb: "BoundBuiltin", call: "CallInfo") -> Value:
        obj = bb.obj
        if self.loops:
            self.record(obj, bb.attr, call.node, call.args, call.kwargs)
            reach = carries_training_state(call) if not isinstance(obj, (Tensor, Optimizer, Container, Layer, Instance, MutableList)) else None
            if reach:
                self.mark_opaque(reach)
        if bb.attr == "backward" and not self.muted:
            self.backwards += 1
            if isinstance(obj, Tensor) and self.wants("grad_outputs"):
                self.emit_grad_outputs(call.with_args([obj, *call.args], call.kwargs, [call.node.func.value, *call.arg_nodes],
                                                      call.kwarg_nodes), "tensors", (1, "gradient"))
        if isinstance(obj, Tensor):
            if bb.attr == "backward":
                inst = self.instance_calls.get(id(obj.node))
                if inst is not None:
                    self.mark_loss(inst)  # the module whose output is backpropagated is a loss
            return tensor_method(call, obj, bb.attr)
        if isinstance(obj, KeyedDict):
            receiver = call.node.func.value if isinstance(call.node.func, cst.Attribute) else None
            if bb.attr == "get" and obj.exact and call.args and isinstance(call.args[0], Const) and (
                    not obj.config or dict_read(self, receiver, call.frame)):
                return obj.items.get(call.args[0].value, call.args[1] if len(call.args) > 1 else Const(None))
            if bb.attr not in ("get", "keys", "values", "items", "copy"):
                obj.exact = False  # update, pop, setdefault, clear, ...: its contents are no longer followed
            return UNKNOWN
        if isinstance(obj, MutableList):
            if bb.attr == "append" and call.args:
                obj.append(call.args[0], self.open_loops)
            elif bb.attr == "extend" and call.args and isinstance(call.args[0], (Seq, MutableList)):
                obj.extend(call.args[0], self.open_loops)
            elif bb.attr in ("insert", "extend", "pop", "remove", "clear", "sort", "reverse"):
                obj.exact, obj.tail = False, 0  # its length and order are no longer followed
            if bb.attr in ("append", "extend", "insert", "remove", "clear", "sort", "reverse"):
                return Const(None)
            return UNKNOWN
        if isinstance(obj, (Container, Layer, Instance)):
            return container_method(call, obj, bb.attr)
        return object_method(call, obj, bb.attr)

    def emit_grad_outputs(self, call: "CallInfo", outputs: str, given: tuple) -> None:
        """`torch.autograd.grad(outputs, inputs, grad_outputs)`, `t.backward(gradient)`: the
        gradients given for the outputs, as a method call of the outputs with them."""
        out, grads = call.arg(0, outputs), call.arg(*given)
        if out is None or grads is None or self.muted:
            return
        self.emit("grad_outputs", ev.GradOutputs(out, grads, call.node, call.arg_node(*given)))

    def instantiate(self, cls: ClassV, call: "CallInfo") -> Value:
        self.settle_bases(cls)
        inst = Instance(cls, {}, call.node, None)
        written = generated_init(cls) if cls.fields is not None or cls.bases else None
        init = cls.lookup("__init__") if written is None else None
        if isinstance(init, Func):
            args, kwargs = self.bind_call(init, [inst] + call.args, call.kwargs, call, 1)
            self.call_function(init, args, kwargs, call.node, frame=call.frame, arg_nodes=[None] + call.arg_nodes)
        elif written is not None:
            init_instance(self, inst, written, call)
        elif init is None and cls.kind == "torch.module" and library_base(cls, self.layer_bases) is not None:
            # no __init__ of the program's: the library layer's runs with the call's arguments
            inst.attrs[BASE] = self.call(library_base(cls, self.layer_bases), call)
        inst.initialized = True
        for built in INSTANCE_BUILT:
            built(call, inst)
        return inst

    def call_instance(self, inst: Instance, call: "CallInfo") -> Value:
        kind = inst.cls.kind
        method = call_method(inst.cls)
        if kind == "keras.layer" and not inst.attrs.get("__built__"):
            inst.attrs["__built__"] = Const(True)
            build = inst.cls.lookup("build")
            if isinstance(build, Func):
                shape = call.args[0].shape if call.args and isinstance(call.args[0], Tensor) and call.args[0].shape else None
                arg = Seq("tuple", tuple(Const(d) if isinstance(d, int) else UNKNOWN for d in shape)) if shape and ANY not in shape else UNKNOWN
                self.call_function(build, [inst, arg], {}, call.node, frame=call.frame, arg_nodes=[None, None])
        if kind in ("torch.module", "keras.layer", "keras.model") and self.wants("layer_call"):
            first = call.args[0] if call.args else UNKNOWN
            self.emit("layer_call", ev.LayerCall(inst, call.args, call.kwargs, call.node, self.site_for(first, call.node, call.frame)))
        if isinstance(method, Func):
            self.instance_calls[id(call.node)] = inst
            self.note_call(method, call, 1)
            out = self.call_function(method, [inst] + call.args, call.kwargs, call.node, frame=call.frame, arg_nodes=[None] + call.arg_nodes)
            if isinstance(out, Tensor) and kind in ("torch.module", "keras.layer", "keras.model"):
                out = out.with_(models=out.models | {id(inst)}, requires_grad=False if self.no_grad else out.requires_grad,
                                node=call.node)
                out = devices.module_output(inst, out)
            return out
        if method is None and kind == "keras.model":
            return MODEL_CALLS["keras.inherited"](call, inst)
        base = inst.attrs.get(BASE)
        if method is None and isinstance(base, (Layer, Container)) and library_base(inst.cls, self.layer_bases) is not None:
            # the library layer's own forward, on the layer the base constructor built
            if base.name is None:
                base.name = inst.name
            out = call_layer(call, base)
            if isinstance(out, Tensor):
                out = out.with_(models=out.models | {id(inst)}, node=call.node)
            return out
        return UNKNOWN

    def call_function(self, func: Func, args: list, kwargs: dict, node, *, frame: Frame,
                      arg_nodes: list | None = None, unknown_rest: bool = False) -> Value:
        fnode = func.node
        if frame.depth >= MAX_DEPTH or id(fnode) in self._stack_ids:
            self.mark_opaque()
            return UNKNOWN
        key = None
        if unknown_rest:
            pass  # a function's own run: always executed, its findings belong to its chunk
        elif not any(interesting(a) for a in args) and not any(interesting(a) for a in kwargs.values()):
            # nothing to follow into the body: run it once per distinct constant arguments
            key = (id(fnode), tuple(const_key(a) for a in args), tuple(sorted((k, const_key(v)) for k, v in kwargs.items())))
            if None in key[1] or any(k[1] is None for k in key[2]):
                key = None  # arguments that cannot be told apart: never share a result
            cached = self._memo.get(key) if key is not None else None
            if cached is not None and (cached[1] or self.muted):
                self.replay(cached[2])
                return fresh_copy(cached[0])
            per_func = self._memo.setdefault(id(fnode), [0])
            per_func[0] += 1
            if per_func[0] > 8 and cached is None:
                return UNKNOWN
        if not unknown_rest and not self.uncalled and func.module is None:
            env = self.root.env
            self.callers.setdefault(id(fnode), set()).add(self.unit)
            if self.call_envs.get(id(fnode)) != env:
                self.call_envs[id(fnode)] = dict(env)
        entered = func.module is not None and self.enter_project(func, node, frame)
        # a call whose result is kept for later calls with the same arguments: what it did to the
        # loops around it is kept too, so that those calls repeat it instead of hiding the loop
        capture = ([], set()) if key is not None and self.loops and not self.muted else None
        if capture is not None:
            self.captures.append(capture)
        try:
            result = self._call_function(func, args, kwargs, node, frame, arg_nodes, unknown_rest)
        finally:
            if entered:
                self.entries.pop()
            if capture is not None:
                self.captures.pop()
        if key is not None:  # kept as returned: what the caller then adds to a model is not in it
            self._memo[key] = (fresh_copy(result), not self.muted, capture)
        return result

    def replay(self, capture) -> None:
        """A memoized call seen again in a loop: the training calls its first run made happen again
        (the same code with the same arguments); when that run was not watched, the loop cannot
        know what it did."""
        if self.muted:
            return  # a pass that records nothing (the first run of a loop body, joining its values)
        if capture is None:
            self.mark_opaque()
            return
        calls, reaches = capture
        for entry in calls:
            self.record(*entry)
        for reach in sorted(reaches):
            self.mark_opaque(reach)

    def _call_function(self, func, args, kwargs, node, frame, arg_nodes, unknown_rest):
        fnode = func.node
        if not self.muted:
            if not unknown_rest:
                self.executed.add(id(fnode))
        new = Frame(frame.depth + 1, {}, func.module or self.root, frame, node, list(zip(arg_nodes or [], args)), func, closure=func.env,
                    chunk=func.chunk)
        self._bind_params(fnode.params, args, kwargs, new, frame, unknown_rest)
        if func.owner is not None and args and not is_static(fnode):
            new.self_value = args[0]  # `self`, or a class method's `cls`
        self._stack_ids.append(id(fnode))
        self.call_path.append(node)
        decorated_no_grad = type(fnode) is cst.FunctionDef and no_grad_decorated(fnode)
        no_grad_at = self.no_grad_at
        if decorated_no_grad and self.no_grad <= 0:
            self.no_grad_at = len(self.call_path)
        self.no_grad += decorated_no_grad
        try:
            if type(fnode) is cst.Lambda:
                return self._retag(self.eval(fnode.body, new), frame)
            body = fnode.body
            stmts = body.body  # (an indented block's statements, or a one-line body's)
            try:
                self.exec_block(stmts, new)
            except ReturnSignal:
                pass
            except RecursionError:
                return UNKNOWN
        finally:
            self._stack_ids.pop()
            self.call_path.pop()
            self.no_grad -= decorated_no_grad
            self.no_grad_at = no_grad_at
        if new.generator:
            return yielded_batches(new.yields, node)
        if not new.returns:
            return Const(None)
        result = new.returns[0]
        for r in new.returns[1:]:
            result = join(result, r)
        return self._retag(result, frame)

    def _retag(self, value: Value, frame: Frame) -> Value:
        if isinstance(value, Tensor) and value.depth > frame.depth:
            return value.with_(depth=frame.depth)
        if isinstance(value, Seq):
            items = tuple(self._retag(v, frame) for v in value.items)
            return Seq(value.kind, items)
        return value

    def _default(self, p: cst.Param, caller: Frame, unknown_rest: bool) -> Value:
        value = self.eval(p.default, caller)
        if unknown_rest and isinstance(value, Const) and isinstance(value.value, (bool, int, float)):
            # a flag or a number (`num_classes=1`): a function run on its own serves callers that
            # pass any value; a call that leaves the default in is run with it and reports there
            return UNKNOWN
        return value

    def _bind_params(self, params: cst.Parameters, args: list, kwargs: dict, new: Frame, caller: Frame,
                     unknown_rest: bool = False) -> None:
        if new.module is not self.root:
            caller = new.module  # a project module's function: its defaults are that module's names
        positional = list(params.posonly_params) + list(params.params)
        i = 0
        for p in positional:
            name = p.name.value
            if i < len(args):
                value = args[i]
            elif name in kwargs:
                value = kwargs[name]
            elif p.default is not None:
                value = self._default(p, caller, unknown_rest)
            else:
                value = UNKNOWN
            new.env[name] = value
            i += 1
        if type(params.star_arg) is cst.Param:
            rest = args[len(positional):]
            new.env[params.star_arg.name.value] = Seq("tuple", tuple(rest))
        for p in params.kwonly_params:
            name = p.name.value
            if name in kwargs:
                new.env[name] = kwargs[name]
            elif p.default is not None:
                new.env[name] = self._default(p, caller, unknown_rest)
            else:
                new.env[name] = UNKNOWN
        if params.star_kwarg is not None:
            new.env[params.star_kwarg.name.value] = UNKNOWN

