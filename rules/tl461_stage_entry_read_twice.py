"""TL461: a run of calls that builds one stage each from successive entries of a list parameter
(`layers[0]`, `layers[1]`, ...) reads one entry twice, while entries of the list the file passes
are never read: the stages after the repeat get the entry meant for the stage before."""
import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import function_defs, module_calls
from ._training import parents

_RESNET = (
    "import torch.nn as nn\n\n\n"
    "class Net(nn.Module):\n"
    "    def __init__(self, layers, num_classes=10):\n"
    "        super().__init__()\n"
    "        self.width = 16\n"
    "        self.layer1 = self.stage(16, layers[0])\n"
    "        self.layer2 = self.stage(32, layers[{i1}], 2){mark}\n"
    "        self.layer3 = self.stage(64, layers[{i2}], 2)\n"
    "        self.fc = nn.Linear(64, num_classes)\n\n"
    "    def stage(self, width, blocks, stride=1):\n"
    "        parts = [nn.Conv2d(self.width, width, 3, stride, 1)]\n"
    "        parts += [nn.Conv2d(width, width, 3, 1, 1) for _ in range(1, blocks)]\n"
    "        self.width = width\n"
    "        return nn.Sequential(*parts)\n\n\n"
    "model = Net({counts})\n"
)


def _indexed(node):
    """(name, index) for `name[k]`, a plain name read at a literal non-negative integer."""
    if not isinstance(node, cst.Subscript) or not isinstance(node.value, cst.Name) or len(node.slice) != 1:
        return None
    part = node.slice[0].slice
    if not isinstance(part, cst.Index) or not isinstance(part.value, cst.Integer):
        return None
    return node.value.value, int(part.value.value, 0)


def _statement_call(stmt):
    """The call a simple statement line consists of (`x = f(...)`, `self.a = f(...)`, `f(...)`)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    value = small.value if isinstance(small, (cst.Assign, cst.Expr, cst.AnnAssign)) else None
    return value if isinstance(value, cst.Call) else None


def _slots(call):
    """The call's arguments by place (`0`, `1`, ... or the keyword); None where one is unpacked."""
    slots = {}
    for i, arg in enumerate(call.args):
        if arg.star:
            return None
        slots[arg.keyword.value if arg.keyword is not None else i] = arg.value
    return slots


def _runs(ctx, body):
    """Runs of three or more consecutive statements that each call one same callee."""
    calls = [_statement_call(stmt) for stmt in body]
    i = 0
    while i < len(calls):
        if calls[i] is None:
            i += 1
            continue
        end = i
        while end < len(calls) and calls[end] is not None:
            end += 1
        if end - i >= 3:  # (a shorter stretch of calls holds no run: their callees' code is not made)
            yield from _same_callee(ctx, calls[i:end])
        i = end


def _same_callee(ctx, calls):
    """The runs of three or more calls with one callee in `calls`, consecutive statements."""
    keys = [_callee_key(call.func) for call in calls] + [None]
    run, name = [], None
    for i, call in enumerate(calls + [None]):
        if call is None:
            callee = None
        elif keys[i] != keys[i - 1] and keys[i] != keys[i + 1]:
            callee = object()  # (a callee of another kind or name on both sides: its code is not made)
        else:
            callee = ctx.source(call.func)
        if callee is not None and callee == name:
            run.append(call)
            continue
        if len(run) >= 3:
            yield run
        run, name = ([call], callee) if call is not None else ([], None)


def _callee_key(func):
    """What two callees with the same code share: their node type and last name."""
    if type(func) is cst.Attribute:
        return cst.Attribute, func.attr.value
    return type(func), func.value if type(func) is cst.Name else None


def _one_repeat(indices):
    """The position of the second read of the one repeated entry when `indices` walks 0, 1, ...
    in order with exactly one entry read twice in a row; None otherwise."""
    top = max(indices)
    if indices[0] != 0 or len(indices) != top + 2 or sorted(set(indices)) != list(range(top + 1)):
        return None
    if any(b < a for a, b in zip(indices, indices[1:])):
        return None
    return next(i for i in range(1, len(indices)) if indices[i] == indices[i - 1])


def _reads(func, name):
    """The literal indices `name` is read at in `func`, or None where it is used any other way
    (iterated, measured, passed on, read at a computed index, rebound), nested code included."""
    found, subscripts = set(), 0
    for node in descendants(func.body):
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name) and node.value.value == name:
            hit = _indexed(node)
            if hit is None:
                return None
            found.add(hit[1])
            subscripts += 1
    uses = sum(1 for n in descendants(func.body) if isinstance(n, cst.Name) and n.value == name)
    return found if found and uses == subscripts else None


def _target(ctx, func):
    """(name the file calls to run `func`, its parameters as the caller passes them): a class
    for its `__init__`, a function of the module for itself; None for anything else."""
    p = parents(ctx)
    up = p.parent.get(func)
    params = list(func.params.params)
    if isinstance(up, cst.Module):
        return func.name.value, params
    holder = p.parent.get(up)  # def -> block -> class
    if isinstance(holder, cst.ClassDef) and func.name.value == "__init__" and params:
        return holder.name.value, params[1:]
    return None


def _lengths(ctx, callee, params, name):
    """The number of entries of every list the file passes for parameter `name` at each call of
    `callee`; None unless every call passes (or leaves to a default) a written list or tuple."""
    names = [q.name.value for q in params]
    if name not in names:
        return None
    place, param = names.index(name), params[names.index(name)]
    lengths = []
    for call in module_calls(ctx):
        if not isinstance(call.func, cst.Name) or call.func.value != callee:
            continue
        slots = _slots(call)
        if slots is None:
            return None
        value = slots.get(name, slots.get(place))
        if value is None:
            value = param.default
        if not isinstance(value, (cst.List, cst.Tuple)) or any(
                isinstance(e, cst.StarredElement) for e in value.elements):
            return None
        lengths.append(len(value.elements))
    return lengths or None


def _subclassed(ctx, name) -> bool:
    return any(isinstance(n, cst.ClassDef) and any(isinstance(b.value, cst.Name) and b.value.value == name
                                                   for b in n.bases)
               for c in ctx.chunks for n in descendants(c.module))


class StageEntryReadTwice(Rule):
    """
    ## What it does
    Finds a run of three or more consecutive calls of one builder (`self._make_layer(...)`,
    `stage(x, ...)`) that each read an entry of a list parameter at a written index, walking the
    list in order (`layers[0]`, `layers[1]`, ...), where one entry is read by two calls in a row
    (`layers[0]`, `layers[0]`, `layers[1]`) and the lists the file passes for that parameter
    hold entries the function never reads. The function is a class's `__init__` or a function
    of the module; every call of it in the file must pass the parameter as a written list or
    tuple (or leave it to a written default), and the parameter must be used nowhere else but
    at written indices. A class the file subclasses is left alone.

    ## Why is this bad?
    The per-stage settings (block counts, widths) are shifted: the stage after the repeat
    gets the setting meant for the stage before it, and the last entries of the list the
    caller wrote are silently ignored. A ResNet given `[2, 2, 2, 2]` that reads `layers[0]`,
    `layers[0]`, `layers[1]` runs, but not as the network the caller asked for.

    ## Example
    ```python
    self.layer1 = self.make_layer(block, 16, layers[0])
    self.layer2 = self.make_layer(block, 32, layers[0], 2)
    self.layer3 = self.make_layer(block, 64, layers[1], 2)
    ```

    ## Use instead
    ```python
    self.layer1 = self.make_layer(block, 16, layers[0])
    self.layer2 = self.make_layer(block, 32, layers[1], 2)
    self.layer3 = self.make_layer(block, 64, layers[2], 2)
    ```

    ## Fix safety
    There is no automatic fix: whether the indices or the list are wrong is for the author to
    say.
    """

    code = "TL461"
    name = "stage-entry-read-twice"
    severity = Severity.WARNING
    triggers = ("[0]",)
    summary = ("A run of stage-building calls reads one entry of a list parameter twice while entries of the "
               "list passed are never read: the later stages get shifted settings.")
    failing = (
        _RESNET.format(i1=0, i2=1, mark="  # TL461", counts="[2, 2, 2, 2]"),
        ("from tensorflow import keras\n\n\n"
         "def stage(x, filters, blocks):\n"
         "    for _ in range(blocks):\n"
         "        x = keras.layers.Conv2D(filters, 3, padding='same', activation='relu')(x)\n"
         "    return keras.layers.MaxPooling2D()(x)\n\n\n"
         "def build(blocks=(2, 3, 4, 2)):\n"
         "    inputs = keras.Input((64, 64, 3))\n"
         "    x = stage(inputs, 32, blocks[0])\n"
         "    x = stage(x, 64, blocks[1])\n"
         "    x = stage(x, 128, blocks[1])  # TL461\n"
         "    x = stage(x, 256, blocks[2])\n"
         "    return keras.Model(inputs, keras.layers.Dense(10)(keras.layers.GlobalAveragePooling2D()(x)))\n\n\n"
         "model = build()\n"),
    )
    passing = (
        _RESNET.format(i1=1, i2=2, mark="", counts="[2, 2, 2]"),
    )
    lookalikes = (
        # every entry of the list given is read
        _RESNET.format(i1=0, i2=1, mark="", counts="[2, 2]"),
        # the channels a layer takes trail the channels the one before makes
        ("import torch.nn as nn\n\n\n"
         "class Net(nn.Module):\n"
         "    def __init__(self, widths):\n"
         "        super().__init__()\n"
         "        self.a = nn.Conv2d(widths[0], widths[0], 3)\n"
         "        self.b = nn.Conv2d(widths[0], widths[1], 3)\n"
         "        self.c = nn.Conv2d(widths[1], widths[2], 3)\n\n\n"
         "net = Net([16, 32, 64])\n"),
        # the lists come from outside the file: their lengths are not known
        _RESNET.format(i1=0, i2=1, mark="", counts="counts"),
        # the list is also read in a loop
        _RESNET.format(i1=0, i2=1, mark="", counts="[2, 2, 2, 2]").replace(
            "        self.fc =", "        self.total = sum(b for b in layers)\n        self.fc ="),
    )

    def on_module(self, ctx, ev):
        if "[0]" not in ctx.text:
            return  # (a run walks a list from its first entry)
        seen = set()
        for _, func in function_defs(ctx):
            if id(func) in seen or not isinstance(func.body, cst.IndentedBlock):
                continue
            seen.add(id(func))
            params = {q.name.value for q in func.params.params}
            for run in _runs(ctx, func.body.body):
                self._check_run(ctx, func, params, run)

    def _check_run(self, ctx, func, params, run):
        reads = []  # per call: {name: [(argument, index)]} of the list parameters it reads
        for call in run:
            if any(arg.star for arg in call.args):
                return
            found = {}
            for arg in call.args:
                hit = _indexed(arg.value)
                if hit is not None and hit[0] in params:
                    found.setdefault(hit[0], []).append((arg.value, hit[1]))
            reads.append(found)
        for name in reads[0]:
            if any(len(found.get(name, ())) != 1 for found in reads):
                continue  # each call reads the list once (at whichever place or keyword)
            args, indices = [f[name][0][0] for f in reads], [f[name][0][1] for f in reads]
            at = _one_repeat(indices)
            if at is None:
                continue
            read = _reads(func, name)
            target = _target(ctx, func) if read is not None else None
            if target is None or _subclassed(ctx, target[0]):
                continue
            lengths = _lengths(ctx, target[0], target[1], name)
            if lengths is None or any(max(read) >= n or len(read) >= n for n in lengths):
                continue
            unread = [i for i in range(min(lengths)) if i not in read]
            shown = ", ".join(f"`{name}[{i}]`" for i in unread)
            k = indices[at]
            ctx.report(self, args[at],
                       f"`{name}[{k}]` is read again here, by the call after the one that read it, while "
                       f"{shown} of the {min(lengths)} entries given {'is' if len(unread) == 1 else 'are'} "
                       f"never read: every stage from here on gets the entry meant for the stage before it; "
                       f"read `{name}[{k + 1}]` here and shift the indices after it",
                       related=[(run[at - 1], f"`{name}[{k}]` read first here")])
            return
