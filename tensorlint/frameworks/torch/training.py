"""PyTorch containers (`Sequential`, `ModuleList`, `ModuleDict`), losses, optimizers, schedulers, datasets and
loaders (built in `data_loading`, put in the table of calls here), gradient modes, and the calls rules watch
(`torch.load`)."""
from __future__ import annotations

from ...values import (
    ANY, UNKNOWN, Const, Container, Context, Device, Instance, Layer, Loss, MutableList, Optimizer, Seq, Tensor, Value,
    exact_items, known_tail,
)
from .. import devices
from ..common import grad_models, gradients_like, recorded, derive, shape_from_args
from ..registry import CALLS, LOSSES, OBJECT_METHODS, TENSOR_METHODS, LossSpec
from .tensors import (
    arange, argmax_fn, cat, factory, from_numpy, full, like, linspace, matmul_fn, no_grad_same,
    one_hot, parameter, randint, reduction_fn, stack, tensor, torch_tensor, typed_tensor, unary_fn, where,
)
from .norms import norm_fn
from .reshape import flatten, squeeze, unsqueeze, view, view_as
from .layer_rules import upsample
from .data_loading import data_loader, tensor_dataset


class OrderedDictV(Value):
    """`OrderedDict([("conv1", nn.Conv2d(...)), ...])`: its values in order."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = values


def _ordered_dict(call):
    pairs = call.arg(0)
    items = exact_items(pairs) if pairs is not None else ()
    if items is None or any(exact_items(p) is None or len(p.items) != 2 for p in items):
        return UNKNOWN
    return OrderedDictV([p.items[1] for p in items])


def _sequential(call):
    layers = []
    if len(call.args) == 1 and isinstance(call.args[0], OrderedDictV):
        call.args = list(call.args[0].values)
    for a in call.args:
        if isinstance(a, (Seq, MutableList)) and len(call.args) == 1:
            layers.extend(a.items)  # nn.Sequential(*list) already spread; a bare list is an error
        elif isinstance(a, Instance) or isinstance(a, (Layer, Container)):
            layers.append(a)
        else:
            od = a
            layers.append(od)
    if len(call.args) == 1 and isinstance(call.args[0], (Seq, MutableList)):
        return UNKNOWN
    seq = Container("torch.nn.Sequential", layers, "torch", call.node)
    if call.interp.wants("layer_call") and len(layers) > 1:
        from ..models import run_sequential

        # check the layers against each other even if the model is never called in this file
        run_sequential(call, seq, Tensor(shape=None, dtype=None, fw="torch", node=call.node, depth=call.depth))
    return seq


def _module_list(call):
    v = call.arg(0, "modules")
    items = list(v.items) if isinstance(v, (Seq, MutableList)) else []
    if isinstance(v, MutableList) and not v.exact:
        items = [UNKNOWN] + known_tail(v)
    return Container("torch.nn.ModuleList", items, "torch", call.node) if v is not None and isinstance(v, (Seq, MutableList)) or v is None else UNKNOWN


CALLS.update({
    "collections.OrderedDict": _ordered_dict,
    "torch.nn.Sequential": _sequential,
    "torch.nn.ModuleList": _module_list,
})


# -- nn.Sequential / nn.ModuleList filled after construction -------------------------------------

def _module_adder(method: str):
    """`seq.add_module(name, m)`, `register_module`, `append(m)`, `extend(ms)`, `insert(i, m)`:
    the container holds the new modules in order. A module list that cannot be read (`extend`
    of something unknown, `insert` at an unknown place) leaves a module of unknown kind there,
    so nothing downstream takes the container for shorter than it is. So does a module added to
    a Sequential in a loop whose number of passes is not known (before the module, which stays
    one of the container's modules)."""
    def fn(call, seq):
        if not isinstance(seq, Container) or seq.fw != "torch":
            return UNKNOWN
        if call.interp.open_loops and seq.kind == "torch.nn.Sequential":
            # a Sequential filled in a loop whose number of passes is not known, whichever branch
            # of its body runs: neither how many modules nor in what order are known. The module
            # is kept (it is one of the container's), after a module of unknown kind that stops
            # any reading of shapes through the chain (a ModuleList's modules are each called by
            # the program's own code, so they are kept as they come)
            module = call.arg(1 if method in ("add_module", "register_module", "insert") else 0, "module", UNKNOWN)
            seq.layers.append(UNKNOWN)
            if method == "extend":
                got = exact_items(module) if isinstance(module, (Seq, MutableList)) else None
                seq.layers.extend(got or ())
            else:
                seq.layers.append(module)
            return Const(None) if method in ("add_module", "register_module") else seq
        if method in ("add_module", "register_module"):
            seq.layers.append(call.arg(1, "module", UNKNOWN))
            if seq.keys is not None:
                name = call.const(0, "name")
                seq.keys = (*seq.keys, name) if type(name) is str and name not in seq.keys else None
            return Const(None)
        if method == "append":
            seq.layers.append(call.arg(0, "module", UNKNOWN))
            return seq
        if method == "extend":
            items = call.arg(0, "modules", UNKNOWN)
            got = exact_items(items) if isinstance(items, (Seq, MutableList)) else None
            if isinstance(items, Container):
                got = list(items.layers)
            seq.layers.extend(got if got is not None else [UNKNOWN])
            return seq
        index = call.const(0, "index")
        module = call.arg(1, "module", UNKNOWN)
        if isinstance(index, int) and not isinstance(index, bool) and -len(seq.layers) <= index <= len(seq.layers):
            seq.layers.insert(index, module)
        else:
            seq.layers.append(UNKNOWN)
            seq.layers.insert(0, UNKNOWN)
        return seq
    return fn


for _m in ("add_module", "register_module", "append", "extend", "insert"):
    OBJECT_METHODS[("Container", _m)] = _module_adder(_m)


# -- losses --------------------------------------------------------------------------------

def _loss_call(call, loss):
    """Calling a loss object (or functional loss) on (input, target)."""
    interp = call.interp
    args = list(call.args[:2])
    for key, i in (("input", 0), ("target", 1)):
        if key in call.kwargs:
            while len(args) <= i:
                args.append(UNKNOWN)
            args[i] = call.kwargs[key]
    if interp.wants("loss_call"):
        from ...events import LossCall

        interp.emit("loss_call", LossCall(loss, args, call.kwargs, call.node, [call.site(a) for a in args], "torch"))
    x = args[0] if args else None
    reduction = loss.facts.get("reduction", "mean")
    red = call.const(None, "reduction")
    if isinstance(red, str):
        reduction = red
    labels = any(isinstance(a, Tensor) and a.labels for a in args)
    if reduction == "none" and isinstance(x, Tensor):
        spec = LOSSES.get(loss.kind)
        shape = x.shape if spec is not None and spec.elementwise else (x.shape[:1] if x.shape and ANY not in x.shape[:1] else None)
        from ..common import grad_of

        return derive(x, call, shape=shape, dtype="float32", labels=labels, param=False, activation=None,
                      requires_grad=grad_of(*args))
    from ..common import grad_of

    tensors = [a for a in args if isinstance(a, Tensor)]
    depth = min([a.depth for a in tensors], default=call.depth)
    # the models a loss comes from are its prediction's: a prediction of unknown value (a method
    # the tables lack, `q(s).gather(1, a)`) may come from any model, so none is claimed
    models = grad_models(*tensors) if isinstance(x, Tensor) else frozenset()
    return Tensor(shape=() if reduction in ("mean", "sum") else None, dtype="float32", fw="torch", node=call.node,
                  depth=min(depth, call.depth), labels=labels, requires_grad=grad_of(*args) if args else None,
                  origin=call.node, models=models, tapes=recorded(call.interp, *tensors))


def _functional_loss(kind):
    def fn(call):
        loss = Loss(kind, {}, "torch", call.node)
        return _loss_call(call, loss)
    return fn


def LS(kind, logits=None, elementwise=False):
    return LossSpec("torch", kind, logits, elementwise, _loss_call, ("weight", "size_average", "ignore_index", "reduce", "reduction"))


LOSSES.update({
    "torch.nn.CrossEntropyLoss": LS("categorical", logits=True),
    "torch.nn.NLLLoss": LS("nll", logits=False),
    "torch.nn.BCELoss": LS("binary", logits=False, elementwise=True),
    "torch.nn.BCEWithLogitsLoss": LS("binary", logits=True, elementwise=True),
    "torch.nn.MSELoss": LS("regression", elementwise=True),
    "torch.nn.L1Loss": LS("regression", elementwise=True),
    "torch.nn.SmoothL1Loss": LS("regression", elementwise=True),
    "torch.nn.HuberLoss": LS("regression", elementwise=True),
    "torch.nn.KLDivLoss": LS("kl", elementwise=True),
})
for fname, cls in (("cross_entropy", "CrossEntropyLoss"), ("nll_loss", "NLLLoss"), ("binary_cross_entropy", "BCELoss"),
                   ("binary_cross_entropy_with_logits", "BCEWithLogitsLoss"), ("mse_loss", "MSELoss"), ("l1_loss", "L1Loss"),
                   ("smooth_l1_loss", "SmoothL1Loss"), ("huber_loss", "HuberLoss"), ("kl_div", "KLDivLoss")):
    CALLS["torch.nn.functional." + fname] = _functional_loss("torch.nn." + cls)


# -- optimizers and data -----------------------------------------------------------------

def _optimizer(qual):
    def fn(call):
        params = call.arg(0, "params", UNKNOWN)
        opt = Optimizer(qual, params, call.node)
        interp = call.interp
        if interp.wants("optimizer"):
            from ...events import OptimizerCreated

            interp.emit("optimizer", OptimizerCreated(opt, params, call.node))
        return opt
    return fn


for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "LBFGS", "SparseAdam", "ASGD", "Rprop"):
    CALLS["torch.optim." + name] = _optimizer("torch.optim." + name)

from ..registry import OBJECT_METHODS  # noqa: E402
from ...values import Value  # noqa: E402


class Scheduler(Value):
    """A learning-rate scheduler (`torch.optim.lr_scheduler.StepLR(opt, ...)`): its `step()`
    changes the learning rate, never the weights."""

    __slots__ = ("kind", "optimizer")

    def __init__(self, kind, optimizer):
        self.kind = kind
        self.optimizer = optimizer


def _scheduler(qual):
    return lambda call: Scheduler(qual, call.arg(0, "optimizer", UNKNOWN))


for name in ("LRScheduler", "_LRScheduler", "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
             "ExponentialLR", "SequentialLR", "PolynomialLR", "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau",
             "CyclicLR", "OneCycleLR", "CosineAnnealingWarmRestarts"):
    CALLS["torch.optim.lr_scheduler." + name] = _scheduler("torch.optim.lr_scheduler." + name)
for name in ("get_constant_schedule", "get_constant_schedule_with_warmup", "get_linear_schedule_with_warmup",
             "get_cosine_schedule_with_warmup", "get_cosine_with_hard_restarts_schedule_with_warmup",
             "get_polynomial_decay_schedule_with_warmup"):  # they return a LambdaLR
    CALLS["transformers." + name] = CALLS["transformers.optimization." + name] = _scheduler("torch.optim.lr_scheduler.LambdaLR")
for name in ("step", "get_last_lr", "state_dict", "load_state_dict"):
    OBJECT_METHODS[("Scheduler", name)] = lambda call, obj: UNKNOWN


CALLS.update({
    "torch.randn": factory(qual="torch.randn"), "torch.rand": factory(qual="torch.rand"),
    "torch.zeros": factory(qual="torch.zeros"), "torch.ones": factory(qual="torch.ones"),
    "torch.empty": factory(qual="torch.empty"),
    "torch.randint": randint, "torch.full": full, "torch.arange": arange,
    "torch.tensor": tensor("torch.tensor"), "torch.as_tensor": tensor("torch.as_tensor"),
    "torch.Tensor": typed_tensor("float32", default=True), "torch.FloatTensor": typed_tensor("float32"),
    "torch.DoubleTensor": typed_tensor("float64"), "torch.LongTensor": typed_tensor("int64"),
    "torch.IntTensor": typed_tensor("int32"), "torch.BoolTensor": typed_tensor("bool"),
    "torch.ByteTensor": typed_tensor("uint8"), "torch.HalfTensor": typed_tensor("float16"),
    **{f"torch.cuda.{k}": typed_tensor(v, "cuda") for k, v in (
        ("FloatTensor", "float32"), ("DoubleTensor", "float64"), ("LongTensor", "int64"), ("IntTensor", "int32"),
        ("BoolTensor", "bool"), ("ByteTensor", "uint8"), ("HalfTensor", "float16"))},
    "torch.from_numpy": from_numpy,
    "torch.randn_like": like(qual="torch.randn_like"), "torch.rand_like": like(qual="torch.rand_like"),
    "torch.zeros_like": like(qual="torch.zeros_like"), "torch.ones_like": like(qual="torch.ones_like"),
    "torch.empty_like": like(qual="torch.empty_like"), "torch.full_like": like(qual="torch.full_like"),
    "torch.nn.Parameter": parameter, "torch.nn.parameter.Parameter": parameter,
    "torch.cat": cat, "torch.concat": cat, "torch.concatenate": cat, "torch.stack": stack,
    "torch.softmax": unary_fn(activation="softmax"), "torch.log_softmax": unary_fn(activation="log_softmax"), "torch.sigmoid": unary_fn(activation="sigmoid"),
    "torch.nn.functional.softmax": unary_fn(activation="softmax"), "torch.nn.functional.log_softmax": unary_fn(activation="log_softmax"),
    "torch.nn.functional.sigmoid": unary_fn(activation="sigmoid"), "torch.nn.functional.relu": unary_fn(activation="relu"),
    "torch.relu": unary_fn(activation="relu"), "torch.tanh": unary_fn(activation="tanh"), "torch.exp": unary_fn(), "torch.log": unary_fn(),
    "torch.abs": unary_fn(), "torch.sqrt": unary_fn(), "torch.nn.functional.dropout": unary_fn(),
    "torch.nn.functional.gelu": unary_fn(), "torch.nn.functional.leaky_relu": unary_fn(),
    "torch.nn.functional.normalize": unary_fn(),
    "torch.norm": norm_fn("torch.norm"), "torch.linalg.norm": norm_fn("torch.linalg.norm"),
    "torch.linalg.vector_norm": norm_fn("torch.linalg.vector_norm"),
    "torch.sum": reduction_fn(op="sum"), "torch.mean": reduction_fn(op="mean"), "torch.argmax": argmax_fn, "torch.argmin": argmax_fn,
    "torch.linspace": linspace, "torch.logspace": linspace,
    "torch.round": lambda call: no_grad_same(call, call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.nn.functional.one_hot": one_hot,
    "torch.matmul": matmul_fn, "torch.mm": matmul_fn, "torch.bmm": matmul_fn,
    "torch.where": where,
    "torch.utils.data.TensorDataset": tensor_dataset,
    "torch.utils.data.DataLoader": data_loader,
    "torch.utils.data.dataloader.DataLoader": data_loader,
    "torch.flatten": lambda call: flatten(call.with_args(call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.reshape": lambda call: view(call.with_args(call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.squeeze": lambda call: squeeze(call.with_args(call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
    "torch.unsqueeze": lambda call: unsqueeze(call.with_args(call.args[1:], call.kwargs, call.arg_nodes[1:], call.kwarg_nodes), call.args[0]) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN,
})
CALLS["torch.nn.functional.linear"] = lambda call: UNKNOWN


def _device(call):
    """`torch.device("cuda")`, `torch.device("cuda", 0)`, `torch.device(choice)`: the kind it names."""
    v = call.arg(0, "type")
    if isinstance(v, Device):
        return v
    kind = devices.kind_of(v) if isinstance(v, Const) and isinstance(v.value, str) else None
    return Device(kind) if kind is not None else UNKNOWN


CALLS["torch.device"] = _device


def _variable(call):
    """`torch.autograd.Variable(x, requires_grad=...)`: the tensor itself (a no-op since 0.4)."""
    x = call.arg(0, "data")
    if not isinstance(x, Tensor):
        return UNKNOWN
    flag = call.const(None, "requires_grad", None)
    out = derive(x, call, requires_grad=flag if isinstance(flag, bool) else x.requires_grad if flag is None else None)
    return devices.kept(x, out)


def _resize(call, t):
    """`x.resize(2, 3)` / `x.resize_(...)`: the shape asked for (elements kept or not)."""
    return derive(t, call, shape=shape_from_args(call, 0, "sizes"), param=False)


def _interpolate(call):
    x = call.arg(0, "input")
    if not isinstance(x, Tensor):
        return UNKNOWN
    layer = Layer("torch.nn.Upsample", {"size": _plain_arg(call.arg(1, "size")), "scale_factor": _plain_arg(call.arg(2, "scale_factor"))}, "torch")
    return derive(x, call, shape=upsample()(layer, x, call).shape, param=False)


def _plain_arg(v):
    from ..registry import plain

    return None if v is None else plain(v)


def _autograd_grad(call):
    """`torch.autograd.grad(outputs, inputs, ...)`: a tuple of one gradient per input, each of
    its input's shape and dtype."""
    return gradients_like(call, call.arg(1, "inputs"), "tuple")


CALLS.update({
    "torch.autograd.grad": _autograd_grad,
    "torch.autograd.Variable": _variable, "torch.autograd.variable.Variable": _variable,
    "torch.nn.functional.interpolate": _interpolate, "torch.nn.functional.upsample": _interpolate,
})
TENSOR_METHODS.update({"resize": _resize, "resize_": _resize, "resize_as_": view_as})
for q in ("torch.isnan", "torch.isinf", "torch.isfinite"):
    CALLS[q] = lambda call: derive(call.args[0], call, dtype="bool", param=False) if call.args and isinstance(call.args[0], Tensor) else UNKNOWN


# -- gradient modes --------------------------------------------------------------------------

def _grad_mode(call):
    from ...values import Context

    flag = call.const(0, "mode", None)
    return Context("no_grad" if flag is False else "enable_grad" if flag is True else "other", call.node)


CALLS.update({
    "torch.no_grad": lambda call: Context("no_grad", call.node),
    "torch.inference_mode": lambda call: Context("other" if call.const(0, "mode", True) is not True else "no_grad", call.node),
    "torch.enable_grad": lambda call: Context("enable_grad", call.node),
    "torch.set_grad_enabled": _grad_mode,
    "torch.autocast": lambda call: Context("other", call.node),
    "torch.cuda.amp.autocast": lambda call: Context("other", call.node),
    "torch.amp.autocast": lambda call: Context("other", call.node),
    "torch.nn.utils.clip_grad_norm_": lambda call: UNKNOWN,
    "torch.nn.utils.clip_grad_value_": lambda call: UNKNOWN,
    "torch.save": lambda call: Const(None),
    "torch.manual_seed": lambda call: UNKNOWN,
})


# -- functional forms that rules see as the tensor method they equal ---------------------------

def emitting(method: str, fn):
    """`torch.log(x)` is `x.log()`: emit the method_call event for the first argument, then run `fn`."""
    def wrapped(call):
        x = call.args[0] if call.args else call.kwargs.get("input")
        interp = call.interp
        if isinstance(x, Tensor) and interp.wants("method_call"):
            from ...events import MethodCall

            interp.emit("method_call", MethodCall(x, method, list(call.args[1:]), call.kwargs, call.node))
        out = fn(call)
        if method == "softmax" and not isinstance(out, Tensor):
            # a softmax of something unknown is still a tensor of probabilities
            return torch_tensor(call, None, None, requires_grad=None, activation="softmax")
        return out
    return wrapped


def _api_call(qualname):
    """A call rules check by its arguments alone (`torch.load(..., weights_only=False)`)."""
    def fn(call):
        interp = call.interp
        if interp.wants("api_call"):
            from ...events import ApiCall

            interp.emit("api_call", ApiCall(qualname, list(call.args), call.kwargs, call.node, list(call.arg_nodes), dict(call.kwarg_nodes)))
        return UNKNOWN
    return fn


for _q, _m in (("torch.log", "log"), ("torch.softmax", "softmax"), ("torch.nn.functional.softmax", "softmax"),
               ("torch.log_softmax", "log_softmax"), ("torch.nn.functional.log_softmax", "log_softmax"),
               ("torch.sigmoid", "sigmoid"), ("torch.nn.functional.sigmoid", "sigmoid")):
    CALLS[_q] = emitting(_m, CALLS[_q])
CALLS["torch.load"] = _api_call("torch.load")


for _name in ("sin", "cos", "tan", "square", "neg", "expm1", "log1p", "erf", "reciprocal", "rsqrt"):
    CALLS.setdefault("torch." + _name, unary_fn())
