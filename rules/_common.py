"""Helpers the rules share: naming values in messages, finding where a value came from."""
from __future__ import annotations

import re

import libcst as cst

from tensorlint import textfacts
from tensorlint.values import Container, Instance, Layer, MutableList, Seq, Tensor, shape_list

from ._trees import module_names  # noqa: F401  (read by the rules from here)


def value_name(interp, t: Tensor) -> str:
    """"`input_tensor` (line 15)" or "the tensor made at line 15"."""
    line = interp.line(t.origin) if t.origin is not None else None
    where = f" (line {line})" if line else ""
    if t.name:
        return f"`{t.name}`{where}"
    return f"the target{where}" if t.labels else f"the input{where}"


def layer_label(interp, layer) -> str:
    """"Conv2d at line 7" for a framework layer; the class name for a user model."""
    if isinstance(layer, Layer):
        line = interp.line(layer.node)
        label = f"`{layer.name}` ({layer.short})" if layer.name else layer.short
        return f"{label} at line {line}" if line else label
    if isinstance(layer, Container):
        return layer.short
    if isinstance(layer, Instance):
        return layer.cls.name
    return "the layer"


def describe(t: Tensor) -> str:
    return f"shape {shape_list(t.shape)}" if t.shape is not None else "unknown shape"


def related_for(layer, t: Tensor):
    rel = []
    if isinstance(layer, (Layer, Container)) and layer.node is not None:
        rel.append((layer.node, f"{getattr(layer, 'short', 'layer')} defined here"))
    if isinstance(t, Tensor) and t.origin is not None:
        rel.append((t.origin, "the input is made here"))
    return rel


def first_arg_node(ev):
    """The argument expression to fix for a layer/loss call event."""
    if ev.site.arg is not None:
        return ev.site.arg
    node = ev.site.node
    if isinstance(node, cst.Call) and node.args and ev.site.inner is None:
        return node.args[0].value
    return None


TARGET_NAMES = {
    "target", "targets", "label", "labels", "y", "y_true", "ytrue", "gt", "ground_truth", "groundtruth", "truth",
    "tgt", "true", "y_gt", "yb", "y_batch", "gold", "answer", "answers", "y_target", "true_labels", "labels_batch",
    "actual", "y_actual", "target_batch", "targ", "lbl", "lbls", "mask_true", "true_y", "real",
}


def is_target_name(name: str) -> bool:
    n = name.lower()
    return n in TARGET_NAMES or n.startswith("target") or n.startswith("label") or n.endswith("_true") or n.endswith("_target") or n.endswith("_labels") or n.endswith("_label")


def torch_weighted_input(ev):
    """(layer, tensor) when a PyTorch tensor reaches a PyTorch layer that computes with
    floating-point weights (Linear, Conv, RNN, norms), else None."""
    layer = ev.sublayer
    x = ev.args[0] if ev.args else None
    if not isinstance(layer, Layer) or not isinstance(x, Tensor) or layer.fw != "torch" or x.fw != "torch":
        return None
    spec = layer.spec
    if spec is None or not spec.float_input or spec.category != "layer":
        return None
    return layer, x


def report_with_float_fix(rule, ctx, ev, message, layer, x):
    """Report at the call, with the safe fix that appends `.float()` to the argument."""
    from ._training import in_starred

    node = first_arg_node(ev)
    fix = None
    if node is not None and not in_starred(ctx, node):  # `model(*xs)`: `.float()` on the list would raise
        fix = ctx.append_fix(node, ".float()", "Convert the input with `.float()`")
    ctx.report(rule, ev.site.node, message, fix=fix, related=related_for(layer, x))


def function_label(ev) -> str:
    """"`Focal.call`", "`my_loss`" or "lambda" for a function event."""
    node = ev.node
    if isinstance(node, cst.Lambda):
        return "lambda"
    if ev.func.owner is not None:
        return f"`{ev.func.owner.name}.{node.name.value}`"
    return f"`{node.name.value}`"


def scope_roots(ctx, scope) -> list:
    """The trees whose statements make up `scope`: the function itself, or every chunk of the
    module when `scope` is (a chunk of) the module."""
    if isinstance(scope, cst.Module):
        return [c.module for c in ctx.chunks]
    return [scope]


def layer_attributes(ctx, cls) -> frozenset:
    """Attributes that `__init__` sets to framework layers or models: calling them does not
    change the module's state."""
    if cls is None:
        return frozenset()
    proto = ctx.prototype(cls)
    return frozenset(k for k, v in proto.attrs.items()
                     if isinstance(v, (Layer, Container)) or (isinstance(v, Instance) and v.cls.kind))


# modules that exist in Keras 2 (standalone or tf.keras) and are gone from Keras 3
_KERAS2_ONLY = ("layers.core", "layers.convolutional", "layers.advanced_activations", "layers.merge", "layers.recurrent",
                "layers.normalization", "layers.embeddings", "layers.pooling", "layers.noise", "layers.local", "layers.wrappers",
                "layers.cudnn_recurrent", "utils.np_utils", "utils.generic_utils", "utils.vis_utils", "engine", "legacy",
                "wrappers")


def _keras2_module(name: str) -> bool:
    parts = name.split(".")
    if parts[0] == "tensorflow" and parts[1:2] == ["contrib"]:
        return True
    for head in (("keras",), ("tensorflow", "keras"), ("tensorflow", "python", "keras")):
        if tuple(parts[:len(head)]) == head:
            rest = ".".join(parts[len(head):])
            return any(rest == m or rest.startswith(m + ".") for m in _KERAS2_ONLY)
    return False


def keras2_program(ctx) -> bool:
    """Whether the file imports a module that only Keras 2 has (`keras.layers.core`,
    `keras.utils.np_utils`, `keras.layers.advanced_activations`, `tf.contrib`...): it is written
    for Keras 2, where some checks of Keras 3 do not exist."""
    from tensorlint.dataflow import descendants
    from tensorlint.syntax import dotted

    def scan(module) -> bool:
        for node in descendants(module, prune=(cst.Call, cst.BinaryOperation, cst.FunctionDef, cst.ClassDef)):
            if isinstance(node, cst.Import) and any(_keras2_module(dotted(a.name)) for a in node.names):
                return True
            if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
                mod = dotted(node.module)
                if _keras2_module(mod) or (not isinstance(node.names, cst.ImportStar) and
                                           any(_keras2_module(f"{mod}.{a.name.value}") for a in node.names if isinstance(a.name, cst.Name))):
                    return True
        return False

    return any(ctx.tree_fact(i, ("keras2-imports",), lambda c=c: scan(c.module)) for i, c in enumerate(ctx.chunks))
# spellings Keras 3 rejects where Keras 2 took them (a Keras optimizer's `lr=`, fit's `nb_epoch=`): a
# program that uses them runs under Keras 2 or not at all
_KERAS2_SPELLING = re.compile(r"(?:SGD|Adam|RMSprop|Adagrad|Adadelta|Adamax|Nadam)\([^()]*\blr\s*=|\bnb_epoch\s*=")
_TORCH_IMPORT = re.compile(r"^[ \t]*(?:import|from)[ \t]+torch\b", re.M)


def keras2_spelling(ctx) -> bool:
    """Whether the text spells an argument the way only Keras 2 takes it (`Adam(lr=0.001)`,
    `fit(..., nb_epoch=10)`). A file that imports torch is left out: `Adam(params, lr=...)` is
    torch's own spelling there."""
    return text_fact(ctx, "Keras 2 spelling",
                     lambda text: bool(_KERAS2_SPELLING.search(text)) and not _TORCH_IMPORT.search(text))


def keras2_established(ctx) -> bool:
    """Whether the program can only run under Keras 2: it imports a module only Keras 2 has, or
    spells an argument only Keras 2 takes."""
    return keras2_program(ctx) or keras2_spelling(ctx)


def text_fact(ctx, key, compute, *, pure=True):
    """A fact read from the file's whole text (a name it mentions somewhere), computed once per
    analysis: an event handler that searched the text each time would cost a pass over the
    file per event. A `pure` fact depends on the text alone: read where a finding may be kept
    from a section that does not run again (not by the whole-module check, which runs on every
    analysis), the language server reads it again after each edit and analyzes the whole
    document again when it changed."""
    facts = ctx.__dict__.setdefault("_tl_text_facts", {})
    if pure and ctx.__dict__.get("unit") != ("events", "module"):
        textfacts.register(key, compute)
    if key not in facts:
        facts[key] = compute(ctx.text)
    return facts[key]


def calls_any(ctx, words) -> bool:
    """Whether the file's text holds one of `words`, each a call written `name(` or `.name(`
    (`word in text` for each), looked up among the text's calls (`triggers.Calls`): those the rule
    selection gathered for this text, else gathered once per analysis. A rule that looks for many
    names called cuts them down to the names the text calls, without a search of the text for each."""
    from tensorlint.triggers import Calls, needles

    calls = getattr(getattr(ctx, "rules", None), "text_calls", None)
    if calls is None or calls.text is not ctx.text:
        calls = text_fact(ctx, "the text's calls", Calls, pure=False)  # (an object of this analysis, compared with no other)
    wanted = _NEEDLES.get(words)
    if wanted is None:
        wanted = _NEEDLES[words] = needles(words)
    return calls.holds_any(*wanted)


_NEEDLES: dict = {}  # words -> their `triggers.needles`


_CALL_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def scope_calls(ctx, chunk, scope) -> list:
    """The calls in `scope`'s own code (a function, or a chunk's module: nested functions,
    classes and lambdas are their own), in source order, from one index of the chunk's tree made
    once per tree and shared by the rules that ask."""
    from tensorlint.cstwalk import nodes_by_scope

    if isinstance(chunk, int) and 0 <= chunk < len(ctx.chunks):
        module = ctx.chunks[chunk].module
        index = ctx.tree_fact(chunk, ("calls by scope",), lambda: nodes_by_scope(module, _CALL_SCOPES, (cst.Call,)))
        calls = index.get(id(scope))
        if calls is not None:
            return calls
    return nodes_by_scope(scope, _CALL_SCOPES, (cst.Call,))[id(scope)]




def imported_qualname(env: dict, func) -> str | None:
    """The canonical qualified name of `func` (a name or an attribute chain) when its head is an
    imported name: `nn.Conv2d` -> `torch.nn.Conv2d`; None otherwise."""
    from tensorlint.frameworks import registry
    from tensorlint.syntax import dotted
    from tensorlint.values import Ref

    text = dotted(func)
    head, _, rest = text.partition(".")
    v = env.get(head) if head else None
    if not isinstance(v, Ref):
        return None
    return registry.canonical(v.qualname + ("." + rest if rest else ""))


def keyword_arg(call, key: str):
    """The argument `call` passes as `key=...` (the whole `cst.Arg`); None when it passes none or
    `call` is not a call."""
    if not isinstance(call, cst.Call):
        return None
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == key), None)


def module_calls(ctx) -> list:
    """Every call of the file (all chunks, nested definitions included), scope by scope (each
    scope's calls in source order), from the same per-tree index as `scope_calls`: one walk of
    each chunk's tree, shared by every rule that reads calls from the syntax; gathered once per
    run (the list is shared: read it, never change it)."""
    from ._trees import chunk_calls, per_chunk_index

    def gather():  # each chunk's list kept with its tree (and, in the server, the document's list of lists)
        return [c for calls in per_chunk_index(ctx, ("module calls",), lambda i: chunk_calls(ctx, i)) for c in calls]

    return _per_run(ctx, "module calls", gather)


def function_defs(ctx) -> list:
    """(chunk index, `def`) for every function of the file, nested ones included, from one
    statement walk per chunk tree; gathered once per run (shared: read it, never change it)."""
    from ._trees import per_chunk_statements

    def gather():
        defs = per_chunk_statements(ctx, ("function defs",), lambda found: [s for s in found if type(s) is cst.FunctionDef])
        return [(i, d) for i, found in enumerate(defs) if found for d in found]

    return _per_run(ctx, "function defs", gather)


def _per_run(ctx, key, compute):
    """`compute()` once per run: what the chunks of the run give (they do not change during it)."""
    run = ctx.__dict__.get("_tl_common_run")
    if run is None or run[0] is not ctx.chunks:
        run = ctx.__dict__["_tl_common_run"] = (ctx.chunks, {})
    got = run[1].get(key)
    if got is None:
        got = run[1][key] = compute()
    return got


FEEDING_METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")


def first_keras_layer(model):
    """The first layer of a Keras Sequential model that is not an InputLayer, or None."""
    if not isinstance(model, Container) or model.fw != "keras" or model.kind != "keras.Sequential":
        return None
    return next((l for l in model.layers if not (isinstance(l, Layer) and l.short == "InputLayer")), None)


def report_at_layer(rule, ctx, layer, call_node, data: Tensor, made: str, message: str) -> None:
    """Report a problem of the data a layer receives at the layer's definition (the line to change),
    with the call that feeds it and the place the data is made as related locations; at the call
    when the layer was defined outside the file."""
    at = layer.node if layer.node is not None and ctx.line(layer.node) else call_node
    related = [(call_node, "fed here")] if at is not call_node else []
    if data.origin is not None:
        related.append((data.origin, made))
    ctx.report(rule, at, message, related=related)


def note_input_layer(ctx, layer, x) -> bool:
    """Remember that `layer` is applied to the symbolic Keras tensor `x` (a functional model's
    Input), so that the data a later fit() gives that Input can be checked against the layer.
    True when `x` is symbolic (then there is no data to check now)."""
    if not isinstance(x, Tensor) or x.fw != "keras":
        return False
    if x.origin is not None:
        ctx.mark("input layers", (id(x.origin), layer))  # (kept for the chunks an edit does not run again)
    return True


def layers_fed(ctx, ev):
    """(layer, data) for each layer that the data of a Keras fit/evaluate/predict call reaches
    first: the first layer of a Sequential model, or the layers a functional model's Inputs go to."""
    model = ev.model
    if ev.method not in FEEDING_METHODS or not isinstance(model, Container) or model.fw != "keras":
        return []
    if model.kind == "keras.Sequential":
        first = first_keras_layer(model)
        return [(first, ev.x)] if first is not None else []
    inputs = list(model.inputs)
    data = ev.data.items if isinstance(ev.data, (Seq, MutableList)) else [ev.x]
    if len(data) != len(inputs):
        return []
    noted: dict = {}
    for origin, layer in ctx.marked("input layers"):
        noted.setdefault(origin, []).append(layer)
    return [(layer, x) for inp, x in zip(inputs, data) if isinstance(inp, Tensor) and inp.origin is not None
            for layer in noted.get(id(inp.origin), ())]


def nested_expression_values(ctx, kind) -> set:
    """ids of the values of type `kind` (`cst.Call`, `cst.Comparison`) that are a whole expression
    statement inside a block of the file (a function, a loop, an `if`), their result dropped. A
    bare expression at the top level may end a notebook cell, which displays its value
    (`y_preds.cpu()` shows the predictions): only nested statements count. Computed once per
    analysis and kind."""
    from tensorlint.cstwalk import statements

    cache = ctx.__dict__.setdefault("_tl_nested_expression_values", {})
    if kind not in cache:
        dropped = set()
        for chunk in ctx.chunks:
            top = {id(small) for line in chunk.module.body if type(line) is cst.SimpleStatementLine for small in line.body}
            for stmt in statements(chunk.module):
                if type(stmt) is cst.Expr and type(stmt.value) is kind and id(stmt) not in top:
                    dropped.add(id(stmt.value))
        cache[kind] = dropped
    return cache[kind]
