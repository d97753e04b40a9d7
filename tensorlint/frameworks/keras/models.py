"""Keras models: `Sequential` and functional `Model` built and called, `compile`, `fit` and the
other training entry points."""
from __future__ import annotations

import libcst as cst

from ...values import (
    ANY, UNKNOWN, Const, Container, Dataset, Func, Instance, Layer, MutableList, Seq, Tensor, known_tail,
)
from ..registry import CALLS, MODEL_CALLS, OBJECT_METHODS
from .. import shapes as S
from ..common import TextSearch, shape_value
from .objectives import run_objectives


# a program that rewires a model by hand (Keras 2's `model.layers.pop()` then `model.outputs =
# [model.layers[-1].output]`, `layer.outbound_nodes = []`): which tensors its models end in is
# not followed, in the whole file (an object's own `self.layers = [...]` is no such thing)
rewired = TextSearch(r"(?<!\bself)\.(?:outputs?|inputs?|_?layers)\s*=(?!=)"
                     r"|(?<!\bself)\.layers\s*\.\s*(?:pop|remove|append|insert|clear)\s*\(|outbound_nodes"
                     r"|\bdel\s+[\w.]*\.layers\b")


def declared_input_shape(layer) -> tuple | None:
    """`input_shape=(5,)`, `input_dim=5`, `InputLayer(shape=...)` on a Keras layer."""
    if not isinstance(layer, Layer):
        return None
    f = layer.facts
    for key in ("input_shape", "shape"):
        v = f.get(key)
        if isinstance(v, tuple):
            return v
        if S.known_int(v):
            return (v,)
    bis = f.get("batch_input_shape") or f.get("batch_shape")
    if isinstance(bis, tuple) and bis:
        return bis[1:]
    d = f.get("input_dim")
    if S.known_int(d) and layer.short in ("Dense",):
        return (d,)
    if S.known_int(d) and layer.short not in ("Embedding",):
        return (d,)
    return None


def _sequential(call):
    layers = call.arg(0, "layers")
    items = list(layers.items) if isinstance(layers, (Seq, MutableList)) else []
    if layers is not None and not isinstance(layers, (Seq, MutableList)) and not (isinstance(layers, Const) and layers.value is None):
        items = [UNKNOWN]  # layers the program does not show (`Sequential([*[...], ...])`): not an empty model
    elif isinstance(layers, MutableList) and not layers.exact:
        items = [UNKNOWN] + known_tail(layers)  # grown in a loop: only its last layers are known
    model = Container("keras.Sequential", [], "keras", call.node)
    for layer in items:
        _add(model, layer)
    _built(call, model)
    return model


def _built(call, model: Container) -> None:
    interp = call.interp
    if model.input_shape is not None and model.layers and interp.wants("model"):
        from ...events import ModelBuilt

        interp.emit("model", ModelBuilt(model, call.node))


def _add(model: Container, layer):
    if isinstance(layer, Tensor) and layer.fw == "keras" and not model.layers and model.input_shape is None:
        model.input_shape = tuple(layer.shape[1:]) if layer.shape else None  # keras.Input(...) as the first item
        return
    if not model.layers and model.input_shape is None:
        model.input_shape = declared_input_shape(layer)
    model.layers.append(layer)


def _model(call):
    # Keras 1 named them `input` and `output` (Keras 2.0-2.3 still took those names, with a warning)
    inputs = call.arg(0, "inputs", call.kwargs.get("input"))
    outputs = call.arg(1, "outputs", call.kwargs.get("output"))
    ins = tuple(inputs.items) if isinstance(inputs, (Seq, MutableList)) else (inputs,) if inputs is not None else ()
    m = Container("keras.Model", [], "keras", call.node, inputs=ins, outputs=outputs, input_value=inputs)
    if len(ins) == 1 and isinstance(ins[0], Tensor) and ins[0].shape is not None:
        m.input_shape = tuple(ins[0].shape[1:])
    return m


CALLS.update({"keras.Sequential": _sequential, "keras.Model": _model})


def _first_feed(model, x) -> None:
    """Keras builds a Sequential that declares no input from the first data it gets: remember
    that data's shape, (ANY,) when the program does not show it."""
    if isinstance(model, Container) and model.input_shape is None and model.first_fed is None and x is not None:
        model.first_fed = tuple(x.shape) if isinstance(x, Tensor) and x.shape is not None else (ANY,)


def keras_model_call(call, model: Container):
    x = call.args[0]
    interp = call.interp
    _first_feed(model, x)
    if interp.wants("fit"):
        from ...events import FitCall

        interp.emit("fit", FitCall(model, "__call__", x, None, call.node, call.site(x), None))
    return keras_forward(call, model, x)


MODEL_CALLS["keras"] = keras_model_call


def _inherited_call(call, inst):
    """A `keras.Model` subclass without a `call` of its own (built functionally,
    `CustomModel(inputs, outputs)`, to override `train_step`): its output is not known here,
    only that it comes from the model, while the tapes open now record it."""
    return Tensor(shape=None, dtype=None, fw="tf", node=call.node, depth=call.depth, origin=call.node,
                  requires_grad=True, models=frozenset({id(inst)}), tapes=call.interp.tapes)


MODEL_CALLS["keras.inherited"] = _inherited_call


def keras_forward(call, model, x):
    from ..models import apply_any

    if isinstance(model, Container) and model.kind == "keras.Model":
        out = model.outputs
        if isinstance(out, Tensor):
            batch = x.dim(0) if isinstance(x, Tensor) and x.rank else None
            shape = (batch,) + tuple(out.shape[1:]) if out.shape and ANY not in out.shape[:1] else None
            return out.with_(shape=shape, fw="tf", node=call.node, depth=call.depth, name=None, origin=call.node,
                             models=out.models | {id(model)}, requires_grad=True,
                             tapes=call.interp.tapes)
        return UNKNOWN
    if not isinstance(x, Tensor):
        # an input not known: the layers still say what comes out (units, activation, rank)
        x = Tensor(shape=None, dtype=None, fw="tf", node=call.node, depth=call.depth)
    v = x.with_(fw="tf") if x.fw == "np" else x
    for layer in getattr(model, "layers", []):
        v = apply_any(call, layer, v)
        if not isinstance(v, Tensor):
            # a layer not modeled: what it makes is not known, the layers after it still apply
            v = Tensor(shape=None, dtype=None, fw="tf", node=call.node, depth=call.depth)
    return v.with_(fw="tf", node=call.node, depth=call.depth, name=None, normalized=True, labels=False, origin=call.node,
                   models=v.models | {id(model)}, tapes=call.interp.tapes)


def _model_add(call, model):
    layer = call.arg(0, "layer")
    if isinstance(model, Container) and model.fw == "keras":
        _add(model, layer if layer is not None else UNKNOWN)
        _built(call, model)
    return Const(None)


def _model_build(call, model):
    """`model.build((None, 5))` declares the input as `input_shape=(5,)` would: Keras builds the
    layers from it (and adds a missing last axis of size 1 to the data it is fitted on). A shape
    the program does not show makes what reaches the layers unknown."""
    if isinstance(model, Container) and model.fw == "keras" and model.input_shape is None:
        shape = shape_value(call.arg(0, "input_shape")) if call.arg(0, "input_shape") is not None else None
        if shape and all(S.known_int(d) for d in shape[1:]):
            model.input_shape = tuple(shape[1:])
            _built(call, model)
        elif not model.layers or model.layers[0] is not UNKNOWN:
            model.layers.insert(0, UNKNOWN)
    return Const(None)


def _compile(call, model):
    loss = call.arg(1, "loss")
    interp = call.interp
    optimizer = call.arg(0, "optimizer")
    if isinstance(model, (Container, Instance)):
        if isinstance(model, Container):
            model.loss = loss
            model.compile_node = call.node
            model.optimizer = optimizer
        else:
            model.attrs["__loss__"] = loss if loss is not None else UNKNOWN
            model.__dict__["optimizer"] = optimizer  # kept beside the attributes the program sets
    if isinstance(loss, Func):
        interp.use_as_loss(loss.node, "keras", call.node)
    if isinstance(loss, Instance) and loss.cls.kind == "keras.loss":
        call_m = loss.cls.lookup("call")
        if isinstance(call_m, Func):
            interp.use_as_loss(call_m.node, "keras", call.node)
    run_objectives(call, loss, call.arg(2, "metrics"))
    if isinstance(model, Container):
        model.__dict__["pending_compile"] = None  # a compile replaces the one waiting (kept beside the fields)
    if interp.wants("compile"):
        from ...events import CompileCall

        event = CompileCall(model, loss, call.arg_node(1, "loss"), call.node,
                            call.arg(None, "metrics"), call.arg_node(None, "metrics"))
        if isinstance(model, Container) and _describing_helper(call.frame, model):
            model.__dict__["pending_compile"] = event
        else:
            interp.emit("compile", event)
    return Const(None)


_TRAINING = ("fit", "fit_generator", "evaluate", "evaluate_generator", "train_on_batch", "test_on_batch")


def _describing_helper(frame, model) -> bool:
    """Whether the compile runs in a function the model was given as a parameter, whose code
    neither trains nor evaluates anything (`fit`, `evaluate`, `train_on_batch`...) nor returns
    the parameter: a helper that compiles any model it is handed (to read its layers' output
    shapes), whose loss meets the model's outputs only if the caller trains it as it stands."""
    func = getattr(frame, "func", None)
    node = getattr(func, "node", None)
    if not isinstance(node, cst.FunctionDef):
        return False
    params = [p.name.value for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)]
    given = [name for name in params if frame.env.get(name) is model]
    if not given:
        return False
    from ...dataflow import descendants

    for n in descendants(node.body):
        kind = type(n)
        if kind is cst.Call and type(n.func) is cst.Attribute and n.func.attr.value in _TRAINING:
            return False
        if kind is cst.Return and n.value is not None and any(
                type(x) is cst.Name and x.value in given for x in _returned_items(n.value)):
            return False
    return True


def _returned_items(value) -> list:
    """What a `return` hands back as it is: the value, or the items of a tuple or list."""
    if isinstance(value, (cst.Tuple, cst.List)):
        return [e.value for e in value.elements]
    return [value]


def emit_pending_compile(call, model) -> None:
    """Training or evaluation of a model whose compile waits (see `_describing_helper`): the
    compile is used, and its event comes now, with its own nodes."""
    event = model.__dict__.pop("pending_compile", None)
    if event is not None and model.compile_node is event.node:
        call.interp.emit("compile", event)


def _fit(method):
    def fn(call, model):
        x = data = call.arg(0, "x")
        y = call.arg(1, "y") if method not in ("predict", "predict_on_batch") else None
        interp = call.interp
        if isinstance(x, Seq) and x.kind == "tuple" and y is None and method != "predict" and len(x.items) == 2:
            x, y = x.items
        elif isinstance(x, Dataset) and x.batched and y is None and method != "predict" and len(x.tensors) == 2:
            from .tf import dataset_batch  # loaded after this module (the tables fill in order)

            x, y = dataset_batch(call, x)  # a batched tf.data pipeline of (features, labels)
        _first_feed(model, x)
        if isinstance(model, Container) and model.__dict__.get("pending_compile") is not None and method in _TRAINING:
            emit_pending_compile(call, model)
        if interp.wants("fit") and x is not None:
            from ...events import FitCall

            interp.emit("fit", FitCall(model, method, x, y, call.node, call.site(x),
                                       call.site(y) if y is not None else None, dict(call.kwargs), data))
        if method in ("predict", "predict_on_batch") and x is not None:
            out = keras_forward(call, model, x)
            return out.with_(fw="np") if isinstance(out, Tensor) else out
        return UNKNOWN
    return fn


def _compiled_loss(y_pred_at: int):
    """`self.compiled_loss(y, y_pred)` (Keras 2) and `self.compute_loss(x, y, y_pred)` (Keras 3)
    in a custom `train_step`: the loss given to `compile()`, reduced to a scalar, of a kind the
    method does not show; it depends on the prediction and is recorded by the tapes that
    recorded the prediction."""
    def fn(call, model):
        from ..common import grad_of, recorded

        y_pred = call.arg(y_pred_at, "y_pred", UNKNOWN)
        tensors = [a for a in (y_pred,) if isinstance(a, Tensor)]
        return Tensor(shape=(), dtype=None, fw="tf", node=call.node, depth=call.depth, requires_grad=grad_of(y_pred),
                      origin=call.node, models=frozenset().union(*(a.models for a in tensors)),
                      tapes=recorded(call.interp, *tensors))
    return fn


OBJECT_METHODS[("*model", "compiled_loss")] = _compiled_loss(1)
OBJECT_METHODS[("*model", "compute_loss")] = _compiled_loss(2)
for _m in ("fit", "evaluate", "train_on_batch", "test_on_batch", "predict", "predict_on_batch"):
    OBJECT_METHODS[("*model", _m)] = _fit(_m)


def _from_generator(method: str, steps: str):
    """Keras 2's `fit_generator(generator, steps_per_epoch, ...)` and `evaluate_generator(generator,
    steps, ...)`: `fit` and `evaluate` given the generator, its second argument by name."""
    inner = _fit(method)

    def fn(call, model):
        kwargs, kwarg_nodes = dict(call.kwargs), dict(call.kwarg_nodes)
        gen, gen_node = kwargs.pop("generator", None), kwarg_nodes.pop("generator", None)
        if gen is None and call.args:
            gen, gen_node = call.args[0], call.arg_nodes[0]
        if steps not in kwargs and len(call.args) > 1:
            kwargs[steps], kwarg_nodes[steps] = call.args[1], call.arg_nodes[1]
        if gen is None:
            return UNKNOWN
        return inner(call.with_args([gen], kwargs, [gen_node], kwarg_nodes), model)
    return fn


OBJECT_METHODS[("*model", "fit_generator")] = _from_generator("fit", "steps_per_epoch")
OBJECT_METHODS[("*model", "evaluate_generator")] = _from_generator("evaluate", "steps")
OBJECT_METHODS[("*model", "compile")] = _compile
OBJECT_METHODS[("*model", "add")] = _model_add
OBJECT_METHODS[("*model", "build")] = _model_build
OBJECT_METHODS[("*model", "summary")] = lambda call, m: Const(None)
