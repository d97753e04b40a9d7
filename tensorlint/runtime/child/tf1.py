"""TF1 graph programs under TensorFlow 2: graph mode, `tf` as `tf.compat.v1`, the `tf.layers` and
`tf.contrib.layers` functions Keras 3 took away (rebuilt on `get_variable`, so variable scopes and
reuse work as they did), `optimizer.minimize(loss)` examined when the graph is built (which
variables get no gradient, whether the loss is a scalar) and `sess.run(train_op, feed_dict=...)`
run once as the training step.
"""
from __future__ import annotations

import math
import sys
import types


def user_line(path: str) -> int | None:
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename != path:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


# TensorFlow 0.x names that 1.0 renamed, same function: old name -> dotted path in tf.compat.v1
RENAMED = {
    "pack": "stack", "unpack": "unstack", "mul": "multiply", "sub": "subtract", "neg": "negative",
    "batch_matmul": "matmul", "select": "where", "initialize_all_variables": "global_variables_initializer",
    "initialize_local_variables": "local_variables_initializer", "scalar_summary": "summary.scalar",
    "histogram_summary": "summary.histogram", "image_summary": "summary.image", "audio_summary": "summary.audio",
    "merge_all_summaries": "summary.merge_all", "merge_summary": "summary.merge",
}
# TensorFlow 0.x losses took (logits, labels) positionally; 1.0 and later take keywords only
POSITIONAL_LOSSES = ("softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
                     "sigmoid_cross_entropy_with_logits")


class Facade(types.ModuleType):
    """What `import tensorflow as tf` gives a TF1 program: tf.compat.v1, then tf, plus shims
    (TensorFlow 0.x names and argument orders, each reported once through `on_old_name`)."""

    def __init__(self, tf, layers, contrib, on_old_name=lambda old, new: None, gradients=None) -> None:
        super().__init__("tensorflow")
        self._v1, self._tf = tf.compat.v1, tf
        self.layers, self.contrib = layers, contrib
        self.__version__ = tf.__version__
        self._on_old_name = on_old_name
        self._gradients = gradients

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in RENAMED:
            target = self._v1
            for part in RENAMED[name].split("."):
                target = getattr(target, part)
            self._on_old_name(f"tf.{name}", f"tf.{RENAMED[name]}")
            return target
        if name == "concat":
            return old_concat(self._v1.concat, self._on_old_name)
        if name == "gradients" and self._gradients is not None:
            return self._gradients
        try:
            return getattr(self._v1, name)
        except AttributeError:
            return getattr(self._tf, name)


def old_concat(concat, on_old_name):
    """`tf.concat(1, [a, b])` (TensorFlow 0.x: the axis first) as `tf.concat([a, b], 1)`; an int
    is never a list of tensors, so the order is certain."""
    def call(*args, **kwargs):
        if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], (list, tuple)):
            on_old_name("tf.concat(axis, values)", "tf.concat(values, axis)")
            args = (args[1], args[0], *args[2:])
        return concat(*args, **kwargs)
    return call


def old_losses(nn, on_old_name) -> dict:
    """`tf.nn.softmax_cross_entropy_with_logits(logits, labels)`: TensorFlow 0.x's positional order."""
    out = {}
    for name in POSITIONAL_LOSSES:
        fn = getattr(nn, name, None)
        if fn is None:
            continue

        def call(*args, _fn=fn, _name=name, **kwargs):
            if args:
                on_old_name(f"tf.nn.{_name}(logits, labels)", f"tf.nn.{_name}(labels=, logits=)")
                kwargs.update(zip(("logits", "labels"), args))
                args = ()
            return _fn(*args, **kwargs)
        out[name] = call
    return out


class Over(types.ModuleType):
    """A module whose attributes are `base`'s, some replaced."""

    def __init__(self, base, name: str, **replaced) -> None:
        super().__init__(name)
        self._base = base
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._base, name)


def build(driver):
    """The facade for `driver`'s TensorFlow (the train ops are hooked by tf1_train_ops.py)."""
    tf = driver.tf
    v1 = tf.compat.v1
    created: dict[str, int] = driver.tf1_variable_lines

    def variable(name, shape, initializer=None, regularizer=None, trainable=True):
        var = v1.get_variable(name, shape, initializer=initializer, trainable=trainable)
        line = user_line(driver.path)
        if line is not None:
            created.setdefault(var.name, line)
        if regularizer is not None and not v1.get_variable_scope().reuse:
            penalty = regularizer(var)
            if penalty is not None:
                v1.add_to_collection(v1.GraphKeys.REGULARIZATION_LOSSES, penalty)
        return var

    def activate(x, activation):
        return activation(x) if activation is not None else x

    def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None, bias_initializer=None,
              kernel_regularizer=None, bias_regularizer=None, trainable=True, name=None, reuse=None, **_):
        with v1.variable_scope(name, default_name="dense", reuse=reuse):
            w = variable("kernel", [int(inputs.shape[-1]), units], kernel_initializer or v1.glorot_uniform_initializer(),
                         kernel_regularizer, trainable)
            out = tf.tensordot(inputs, w, [[inputs.shape.rank - 1], [0]]) if inputs.shape.rank != 2 else tf.matmul(inputs, w)
            if use_bias:
                out = out + variable("bias", [units], bias_initializer or v1.zeros_initializer(), bias_regularizer, trainable)
            return activate(out, activation)

    def pair(v):
        return (v, v) if isinstance(v, int) else tuple(v)

    def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", activation=None, use_bias=True,
               kernel_initializer=None, bias_initializer=None, kernel_regularizer=None, trainable=True, name=None,
               reuse=None, **_):
        with v1.variable_scope(name, default_name="conv2d", reuse=reuse):
            kh, kw = pair(kernel_size)
            w = variable("kernel", [kh, kw, int(inputs.shape[-1]), filters],
                         kernel_initializer or v1.glorot_uniform_initializer(), kernel_regularizer, trainable)
            out = tf.nn.conv2d(inputs, w, strides=(1, *pair(strides), 1), padding=padding.upper())
            if use_bias:
                out = out + variable("bias", [filters], bias_initializer or v1.zeros_initializer(), None, trainable)
            return activate(out, activation)

    def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid", activation=None, use_bias=True,
                         kernel_initializer=None, trainable=True, name=None, reuse=None, **_):
        with v1.variable_scope(name, default_name="conv2d_transpose", reuse=reuse):
            kh, kw = pair(kernel_size)
            sh, sw = pair(strides)
            w = variable("kernel", [kh, kw, filters, int(inputs.shape[-1])],
                         kernel_initializer or v1.glorot_uniform_initializer(), None, trainable)
            height, width = int(inputs.shape[1]), int(inputs.shape[2])
            if padding.lower() == "same":
                size = (height * sh, width * sw)
            else:
                size = (height * sh + max(kh - sh, 0), width * sw + max(kw - sw, 0))
            shape = tf.stack([tf.shape(inputs)[0], size[0], size[1], filters])
            out = tf.nn.conv2d_transpose(inputs, w, shape, strides=(1, sh, sw, 1), padding=padding.upper())
            if use_bias:
                out = out + variable("bias", [filters], v1.zeros_initializer(), None, trainable)
            return activate(out, activation)

    def pool(kind):
        def apply(inputs, pool_size, strides, padding="valid", name=None, **_):
            op = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
            return op(inputs, (1, *pair(pool_size), 1), (1, *pair(strides), 1), padding.upper())
        return apply

    def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
        if isinstance(training, bool):
            return made_dropout(driver, inputs, tf.nn.dropout(inputs, rate=rate)) if training else inputs
        return made_dropout(driver, inputs, tf.cond(tf.cast(training, tf.bool), lambda: tf.nn.dropout(inputs, rate=rate),
                                                    lambda: tf.identity(inputs)))

    def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, training=False,
                            trainable=True, name=None, reuse=None, **_):
        with v1.variable_scope(name, default_name="batch_normalization", reuse=reuse):
            size = int(inputs.shape[axis])
            axes = [i for i in range(inputs.shape.rank) if i != axis % inputs.shape.rank]
            mean, var = tf.nn.moments(inputs, axes)
            beta = variable("beta", [size], v1.zeros_initializer(), None, trainable) if center else None
            gamma = variable("gamma", [size], v1.ones_initializer(), None, trainable) if scale else None
            return tf.nn.batch_normalization(inputs, mean, var, beta, gamma, epsilon)

    def flatten(inputs, name=None, **_):
        size = math.prod(int(d) for d in inputs.shape[1:])
        return tf.reshape(inputs, [-1, size])

    layers = types.SimpleNamespace(
        dense=dense, conv2d=conv2d, conv2d_transpose=conv2d_transpose, max_pooling2d=pool("max"),
        average_pooling2d=pool("avg"), dropout=dropout, batch_normalization=batch_normalization, flatten=flatten,
    )

    def regularizer(kind):
        def make(scale, scope=None):
            return (lambda w: scale * tf.reduce_sum(tf.abs(w))) if kind == "l1" else (lambda w: scale * tf.nn.l2_loss(w))
        return make

    def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, weights_initializer=None,
                        weights_regularizer=None, scope=None, reuse=None, **_):
        return dense(inputs, num_outputs, activation=activation_fn, kernel_initializer=weights_initializer,
                     kernel_regularizer=weights_regularizer, name=scope, reuse=reuse)

    contrib_layers = types.SimpleNamespace(
        variance_scaling_initializer=lambda factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=None:
            v1.variance_scaling_initializer(scale=factor, mode=mode.lower(),
                                            distribution="uniform" if uniform else "truncated_normal"),
        xavier_initializer=lambda uniform=True, seed=None, dtype=None:
            v1.glorot_uniform_initializer() if uniform else v1.glorot_normal_initializer(),
        l1_regularizer=regularizer("l1"), l2_regularizer=regularizer("l2"),
        fully_connected=fully_connected, flatten=flatten,
        batch_norm=lambda inputs, decay=0.999, center=True, scale=False, epsilon=0.001, is_training=True, scope=None,
        reuse=None, **_: batch_normalization(inputs, momentum=decay, epsilon=epsilon, center=center, scale=scale,
                                             training=is_training, name=scope, reuse=reuse),
        dropout=lambda inputs, keep_prob=0.5, noise_shape=None, is_training=True, **_:
            dropout(inputs, rate=1 - keep_prob, training=is_training),
    )
    for holder in (layers, contrib_layers):
        for name, fn in vars(holder).items():
            setattr(holder, name, scoped(fn))
    framework = types.SimpleNamespace(arg_scope=arg_scope)
    from .tf1_rnn import rnn_namespace

    rnn = rnn_namespace(tf, variable)
    contrib = types.SimpleNamespace(layers=contrib_layers, framework=framework, rnn=rnn)
    def on_old_name(old: str, new: str) -> None:
        driver.note_once(f"tf0:{old}", f"line {user_line(driver.path)}: `{old}` is TensorFlow 0.x's; it ran as `{new}`")

    facade = Facade(tf, layers, contrib, on_old_name, gradients=watched_gradients(driver))
    # tf.nn.rnn_cell needs Keras 2 in TF 2
    facade.nn = Over(v1.nn, "tensorflow.nn", rnn_cell=rnn, dropout=lambda x, *args, **kwargs:
                     made_dropout(driver, x, v1.nn.dropout(x, *args, **kwargs)), **old_losses(v1.nn, on_old_name))
    return facade


def differentiating(driver, call, anchors=()):
    """`call()` with every op it adds to a graph remembered as gradient machinery's
    (`driver.tf1_gradient_ops`): what `tf.gradients`, `compute_gradients` and `minimize` build reads
    the network's values without computing the network, whatever the ops are named (a `name=`, an
    enclosing name scope). `anchors`: tensors whose graphs the ops may go to besides the default one."""
    graphs = {}
    try:
        for graph in [driver.tf.compat.v1.get_default_graph(), *(getattr(a, "graph", None) for a in as_list(anchors))]:
            if graph is not None and hasattr(graph, "get_operations"):
                graphs.setdefault(id(graph), (graph, len(graph.get_operations())))
    except Exception:  # noqa: BLE001 - nothing to count in: the call runs unwatched
        graphs = {}
    try:
        return call()
    finally:
        for key, (graph, before) in graphs.items():
            try:
                driver.tf1_gradient_ops.update((key, op.name) for op in graph.get_operations()[before:])
            except Exception:  # noqa: BLE001
                pass


def watched_gradients(driver):
    """`tf.gradients(ys, xs)` as the program calls it, with the case it cannot mean said: every
    gradient None, so nothing of `xs` reaches `ys` through ops that have a gradient (the program
    then differentiates something else, or builds on None: `grad_ys=None` is a gradient of ones)."""
    original = driver.tf.compat.v1.gradients

    def gradients(ys, xs, *args, **kwargs):
        grads = differentiating(driver, lambda: original(ys, xs, *args, **kwargs), ys)
        try:
            line = user_line(driver.path)
            unconnected = kwargs.get("unconnected_gradients", args[5] if len(args) > 5 else None)
            if line is not None and grads and all(g is None for g in grads) \
                    and (unconnected is None or str(getattr(unconnected, "value", unconnected)).lower() == "none"):
                driver.none_gradients(line, ys, xs)
        except Exception:  # noqa: BLE001 - the program's own call succeeded; what it gave is not judged
            pass
        return grads

    return gradients


def as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _ancestors(ops, limit: int = 20000) -> dict:
    """name -> op, for `ops` and every op they are computed from."""
    seen, frontier = {}, list(ops)
    while frontier and len(seen) < limit:
        op = frontier.pop()
        if op.name not in seen:
            seen[op.name] = op
            frontier.extend(t.op for t in op.inputs)
    return seen


def gradient_cuts(ys, xs, path: str) -> tuple[list, list[int]]:
    """(the tensors of `xs` that `ys` is computed from, the lines that made the ops without a
    gradient (`tf.stop_gradient`) between them): why a gradient of `ys` with respect to `xs` is None."""
    wanted = {x.op.name: x for x in as_list(xs) if hasattr(x, "op")}
    above = _ancestors([y.op for y in as_list(ys) if hasattr(y, "op")])
    reached = [x for name, x in wanted.items() if name in above]
    cuts = set()
    for op in above.values() if reached else ():
        if op.type in ("StopGradient", "PreventGradient") and set(wanted) & set(_ancestors([t.op for t in op.inputs])):
            line = made_at(op.outputs[0], path)
            if line is not None:
                cuts.add(line)
    return reached, sorted(cuts)


def made_dropout(driver, inputs, output):
    """Remember a dropout the program made in its graph (tf1_report asks whether anything reads it)."""
    line = user_line(driver.path)
    if line is not None and hasattr(output, "consumers") and hasattr(inputs, "consumers"):
        driver.tf1_dropouts.append({"line": line, "input": inputs, "output": output})
    return output


def discarded_dropouts(driver, loss) -> list[dict]:
    """The dropouts whose output nothing in the finished graph reads while their input reaches
    `loss` by another way: the loss sees the tensor without the dropout (`_h = tf.nn.dropout(h, p)`
    and then `h`, not `_h`, read on). A dropout whose input does not reach the loss is not this
    loss's business (an evaluation branch, another network), and one whose output something reads
    is used."""
    v1 = driver.tf.compat.v1
    out, seen = [], set()
    for made in driver.tf1_dropouts:
        output, inputs = made["output"], made["input"]
        if output.graph is not loss.graph or made["line"] in seen:
            continue
        try:
            if output.consumers() or not inputs.dtype.is_floating:
                continue
            to_input, to_output = differentiating(driver, lambda: v1.gradients(loss, [inputs, output]), loss)
        except Exception:  # noqa: BLE001 - a tensor the gradient machinery cannot follow: nothing is said
            continue
        if to_input is not None and to_output is None:
            seen.add(made["line"])
            out.append({"line": made["line"], "input": inputs.name})
    return out


# ops that write a variable, check or save it, or make a summary: reading a value with one of them
# is not computing with it, so a chain read only by them still ends where the network last made it
_NOT_COMPUTING = ("Assign", "Apply", "ResourceApply", "VarIsInitialized", "IsVariableInitialized", "Save", "Restore",
                  "ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummary", "TensorSummary", "MergeSummary")


def dead_ends(variables, path: str, lines: dict, limit: int = 4, differentiated: frozenset = frozenset()) -> list[dict]:
    """Where the computations fed by `variables` (those the loss gives no gradient) stop: the ops
    they reach whose floating outputs nothing in the graph reads, made at a line of the program
    (`relu6 = tf.layers.dropout(relu6)` while the next layer reads `relu5`). The variables get no
    gradient because the value they make ends there. Only ops downstream of the variables count;
    an op something computes with is no end. `lines`: the line that made each variable (else the
    line of its op). `differentiated`: (graph id, name) of the ops gradient machinery built, which
    read values without computing with them."""

    def _computing(op) -> bool:
        return not op.type.startswith(_NOT_COMPUTING) and (id(op.graph), op.name) not in differentiated

    ends: dict[int, dict] = {}
    for var in variables:
        try:
            frontier = [c for out in var.op.outputs for c in out.consumers() if _computing(c)]
        except Exception:  # noqa: BLE001 - not a graph variable
            continue
        seen: set[str] = set()
        while frontier and len(seen) < 5000:
            op = frontier.pop()
            if op.name in seen:
                continue
            seen.add(op.name)
            readers = [c for out in op.outputs for c in out.consumers() if _computing(c)]
            if readers:
                frontier.extend(readers)
                continue
            floating = [out for out in op.outputs if out.dtype.is_floating]
            if not floating or any((id(c.graph), c.name) not in differentiated for out in op.outputs for c in out.consumers()):
                continue  # no value (an assignment), or one only written, checked or summarized
            line = made_at(floating[0], path)
            if line is not None:
                end = ends.setdefault(line, {"line": line, "output": floating[0].name, "made": set()})
                made = lines.get(var.name) or made_at(var.op.outputs[0], path)
                if made is not None:
                    end["made"].add(made)
    out = []
    for end in sorted(ends.values(), key=lambda e: e["line"]):
        made = sorted(end["made"] - {end["line"]})
        if made and end["line"] not in end["made"]:
            out.append({"line": end["line"], "output": end["output"], "made": made})
    return out[:limit]


ARG_SCOPES: list[tuple[list, dict]] = []  # (functions, default keyword arguments), innermost last


def scoped(fn):
    """A layer function that takes its defaults from the enclosing `arg_scope`s."""
    def call(*args, **kwargs):
        merged = {}
        for functions, defaults in ARG_SCOPES:
            if call in functions or fn in functions:
                merged.update(defaults)
        merged.update(kwargs)
        return fn(*args, **merged)

    call.__name__ = getattr(fn, "__name__", "layer")
    return call


class arg_scope:  # noqa: N801 - the name TF1 programs import
    def __init__(self, functions, **defaults) -> None:
        self.entry = (list(functions), defaults)

    def __enter__(self):
        ARG_SCOPES.append(self.entry)
        return self.entry[1]

    def __exit__(self, *exc) -> None:
        ARG_SCOPES.remove(self.entry)


def contrib_modules(facade) -> dict[str, types.ModuleType]:
    """`from tensorflow.contrib.layers import fully_connected`: modules over the facade's shims."""
    out = {}
    for name, space in (("tensorflow.contrib", facade.contrib), ("tensorflow.contrib.layers", facade.contrib.layers),
                        ("tensorflow.contrib.framework", facade.contrib.framework),
                        ("tensorflow.contrib.rnn", facade.contrib.rnn)):
        module = types.ModuleType(name)
        module.__dict__.update({k: v for k, v in vars(space).items()})
        out[name] = module
    return out


def made_at(tensor, path: str) -> int | None:
    """The line of `path` where a graph tensor was made (the last frame of the program's own)."""
    try:
        frames = list(tensor.op.traceback)
    except Exception:  # noqa: BLE001
        return None
    lines = [getattr(f, "lineno", None) if not isinstance(f, tuple) else f[1]
             for f in frames if (getattr(f, "filename", None) if not isinstance(f, tuple) else f[0]) == path]
    return lines[-1] if lines else None


def uses_tf1(text: str) -> bool:
    """Does a program build a TF1 graph (placeholders, sessions, tf.layers, variable scopes)?"""
    return any(api in text for api in ("placeholder(", "Session(", "tf.layers.", "get_variable(", "variable_scope(",
                                      "tf.contrib.", "global_variables_initializer"))
