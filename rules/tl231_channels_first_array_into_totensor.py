import libcst as cst

from tensorlint.dataflow import descendants
from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.syntax import dotted

from ._common import imported_qualname, module_names, text_fact
from ._trees import calls_named, per_chunk

_COMPOSE = ("torchvision.transforms.Compose", "torchvision.transforms.v2.Compose")
_LAMBDA = ("torchvision.transforms.Lambda", "torchvision.transforms.v2.Lambda")
_TO_TENSOR = ("torchvision.transforms.ToTensor",)
_CHANNELS = (1, 3)  # a grayscale or RGB image's channel count


def _module_lambdas(module) -> dict:
    """name -> the lambda a module-level assignment binds to it (None when bound more than once)."""
    out: dict = {}
    for st in module.body:
        if type(st) is not cst.SimpleStatementLine:
            continue
        for small in st.body:
            if type(small) is cst.Assign:
                for t in small.targets:
                    if type(t.target) is cst.Name:
                        name = t.target.value
                        out[name] = None if name in out else (small.value if type(small.value) is cst.Lambda else None)
    return out


def _ints(nodes) -> tuple | None:
    out = []
    for n in nodes:
        if type(n) is not cst.Integer:
            return None
        out.append(int(n.value))
    return tuple(out)


def _dims(args) -> tuple | None:
    """The literal ints of a shape or axes argument list: `(1, 32, 32)` or `1, 32, 32`."""
    values = [a.value for a in args if a.keyword is None]
    if len(values) == 1 and type(values[0]) in (cst.Tuple, cst.List):
        values = [e.value for e in values[0].elements]
    return _ints(values)


def _channels_first(lam: cst.Lambda, env) -> tuple | None:
    """(what the lambda does, the shape or axes) when the lambda makes a 3-D array whose first
    axis is the channels: a reshape to a literal `(C, H, W)` with C 1 or 3 and W not a channel
    count, or a transpose `(2, 0, 1)` of its argument."""
    params = lam.params.params
    body = lam.body
    if len(params) != 1 or type(body) is not cst.Call or type(body.func) is not cst.Attribute:
        return None
    x = params[0].name.value
    method = body.func.attr.value
    if type(body.func.value) is cst.Name and body.func.value.value == x:
        args = body.args  # x.reshape(...), x.transpose(...)
    elif imported_qualname(env, body.func) in ("numpy.reshape", "numpy.transpose") and body.args \
            and type(body.args[0].value) is cst.Name and body.args[0].value.value == x:
        args = body.args[1:]
    else:
        return None
    dims = _dims(args)
    if dims is None or len(dims) != 3:
        return None
    if method == "reshape" and dims[0] in _CHANNELS and dims[2] not in (1, 3, 4) and dims[1] > 4 and dims[2] > 4:
        return "reshape", dims
    if method == "transpose" and dims == (2, 0, 1):
        return "transpose", dims
    return None


class ChannelsFirstArrayIntoToTensor(Rule):
    """
    ## What it does
    Finds a torchvision `Compose` pipeline where a `Lambda` makes each image a channels-first
    array, `(C, H, W)`, right before `ToTensor()`: a reshape to a literal shape such as
    `(1, 32, 32)` (a channel count first, no channel count last), or a `transpose(2, 0, 1)`.

    ## Why is this bad?
    `ToTensor` reads a numpy array as `H x W x C` and moves the last axis to the front itself.
    Given `(1, 32, 32)` it makes a `(32, 1, 32)` tensor: 32 channels of a one-pixel-high image.
    The first convolution then fails on the channel count, or, where the counts happen to
    match, the network trains on scrambled images.

    ## Example
    ```python
    transforms.Compose([transforms.Lambda(lambda x: np.reshape(x, (1, 32, 32))),
                        transforms.ToTensor()])
    ```

    ## Use instead
    ```python
    transforms.Compose([transforms.Lambda(lambda x: np.reshape(x, (32, 32, 1))),
                        transforms.ToTensor()])
    ```

    ## Fix safety
    There is no automatic fix: the shape the author meant is for them to write.
    """

    code = "TL231"
    triggers = ("ToTensor",)
    name = "channels-first-array-into-totensor"
    severity = Severity.ERROR
    summary = "A Compose pipeline makes each image a channels-first (C, H, W) array right before ToTensor, which reads H x W x C."
    failing = (
        "import numpy as np\nimport torch\nfrom torchvision import transforms\n"
        "np_reshape = lambda x: np.reshape(x, (1, 32, 32))\n"
        "tf = transforms.Compose([transforms.Lambda(np_reshape), transforms.ToTensor()])  # TL231\n",
        "import torch\nimport torchvision.transforms as T\n"
        "tf = T.Compose([T.Lambda(lambda img: img.transpose(2, 0, 1)), T.ToTensor()])  # TL231\n",
    )
    passing = (
        "import numpy as np\nimport torch\nfrom torchvision import transforms\n"
        "np_reshape = lambda x: np.reshape(x, (32, 32, 1))\n"
        "tf = transforms.Compose([transforms.Lambda(np_reshape), transforms.ToTensor()])\n",
    )
    lookalikes = (
        # the reshape comes after ToTensor, on the tensor
        "import torch\nfrom torchvision import transforms\n"
        "tf = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda t: t.reshape(1, 32, 32))])\n",
        # a small image whose last axis may be its channels, and a shape not written out
        "import numpy as np\nimport torch\nfrom torchvision import transforms\nsize = 32\n"
        "tf = transforms.Compose([transforms.Lambda(lambda x: x.reshape(3, 4, 3)), transforms.ToTensor()])\n"
        "tg = transforms.Compose([transforms.Lambda(lambda x: x.reshape(1, size, size)), transforms.ToTensor()])\n",
    )

    def on_module(self, ctx, ev):
        if not text_fact(ctx, "TL231 text", lambda t: "ToTensor" in t and "Lambda" in t):
            return
        env = module_names(ctx)
        lambdas = None
        for call in calls_named(ctx, ("Compose",)):
            if not call.args or imported_qualname(env, call.func) not in _COMPOSE:
                continue
            steps = call.args[0].value
            if type(steps) not in (cst.List, cst.Tuple):
                continue
            items = [e.value for e in steps.elements]
            for step, after in zip(items, items[1:]):
                if type(step) is not cst.Call or type(after) is not cst.Call or not step.args:
                    continue
                if imported_qualname(env, step.func) not in _LAMBDA or imported_qualname(env, after.func) not in _TO_TENSOR:
                    continue
                lam = step.args[0].value
                if type(lam) is cst.Name:
                    if lambdas is None:
                        lambdas = {}
                        for found in per_chunk(ctx, "TL231 module lambdas", _module_lambdas):
                            for name, value in found.items():
                                lambdas[name] = None if name in lambdas else value
                    lam = lambdas.get(lam.value)
                if type(lam) is not cst.Lambda:
                    continue
                made = _channels_first(lam, env)
                if made is None:
                    continue
                kind, dims = made
                what = (f"reshapes each image to {dims}, channels first" if kind == "reshape"
                        else "transposes each image with axes (2, 0, 1), channels first")
                ctx.report(self, after,
                           f"the Lambda before ToTensor ({dotted(step.func)} at line {ctx.line(step)}) {what}, but ToTensor "
                           f"reads a numpy array as H x W x C and moves its last axis to the front: the tensor comes out "
                           f"with the width as its channels; make the array H x W x C (or convert with torch.from_numpy)",
                           related=[(lam, "the channels-first array is made here")])
