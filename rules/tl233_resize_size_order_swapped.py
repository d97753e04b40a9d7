import re

import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule

from ._common import imported_qualname, keyword_arg, module_names
from ._graph_ops import reaching_value
from ._trees import calls_named

# resize calls and the order their size takes: (position, keyword) of the size argument
_WIDTH_FIRST = {"cv2.resize": (1, "dsize")}
_HEIGHT_FIRST = {
    "tensorflow.image.resize": (1, "size"), "tensorflow.image.resize_images": (1, "size"),
    "tensorflow.image.resize_bilinear": (1, "size"), "tensorflow.image.resize_nearest_neighbor": (1, "size"),
    "tensorflow.image.resize_bicubic": (1, "size"), "tensorflow.image.resize_area": (1, "size"),
    "torch.nn.functional.interpolate": (1, "size"), "torch.nn.functional.upsample": (1, "size"),
    "torchvision.transforms.Resize": (0, "size"), "torchvision.transforms.v2.Resize": (0, "size"),
    "torchvision.transforms.functional.resize": (1, "size"), "torchvision.transforms.v2.functional.resize": (1, "size"),
}
# layers that take the height and the width as two arguments
_PAIRS = {"keras.layers.Resizing": ((0, "height"), (1, "width"))}
_LAST = ("resize", "resize_images", "resize_bilinear", "resize_nearest_neighbor", "resize_bicubic", "resize_area",
         "interpolate", "upsample", "Resize", "Resizing")

_HEIGHT = frozenset(("h", "height", "heights", "rows", "nrows"))
_WIDTH = frozenset(("w", "width", "widths", "cols", "ncols"))


def _words(name: str) -> set:
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}


def _name(node) -> str | None:
    """The name an expression is written as: `img_h`, `self.height`, `config['IMAGE_W']`, also
    inside `int(...)`/`round(...)`."""
    if type(node) is cst.Call and type(node.func) is cst.Name and node.func.value in ("int", "round") and len(node.args) == 1:
        node = node.args[0].value
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return node.attr.value
    if type(node) is cst.Subscript and len(node.slice) == 1 and type(node.slice[0].slice) is cst.Index:
        key = node.slice[0].slice.value
        if type(key) is cst.SimpleString:
            return key.evaluated_value if isinstance(key.evaluated_value, str) else None
    return None


def axis_of(node) -> str | None:
    """"H" for a value named as a height (`img_h`, `IMAGE_H`, `n_rows`), "W" for a width, None otherwise."""
    name = _name(node)
    if name is None:
        return None
    words = _words(name)
    height, width = bool(words & _HEIGHT), bool(words & _WIDTH)
    return "H" if height and not width else "W" if width and not height else None


def _argument(call: cst.Call, position: int, keyword: str):
    arg = keyword_arg(call, keyword)
    if arg is not None:
        return arg.value
    positional = []
    for a in call.args:
        if a.keyword is not None or a.star:
            break
        positional.append(a.value)
    return positional[position] if position < len(positional) else None


def size_pair(ctx, node):
    """The two elements of a size written as a tuple or list of two (or a name last bound to one)."""
    if type(node) is cst.Name:
        node = reaching_value(ctx, node, node.value)
    if type(node) in (cst.Tuple, cst.List) and len(node.elements) == 2 \
            and not any(type(e) is cst.StarredElement for e in node.elements):
        return node.elements[0].value, node.elements[1].value
    return None


class ResizeSizeOrderSwapped(Rule):
    """
    ## What it does
    Finds a resize given its size in the order the other libraries use, as the names of the two
    values show: `cv2.resize(image, (IMAGE_H, IMAGE_W))` (OpenCV's `dsize` is (width, height)),
    and `tf.image.resize(image, (width, height))`, `F.interpolate(x, size=(w, h))`,
    `transforms.Resize((img_w, img_h))`, `keras.layers.Resizing(width, height)` (these take
    (height, width)). A value counts as a height when its name has the word `h`, `height` or
    `rows` and no width word (`img_h`, `self.height`, `config['IMAGE_H']`, `n_rows`), as a width
    for `w`, `width` or `cols`. The size may be written in the call or bound to a name just before.

    ## Why is this bad?
    OpenCV takes (width, height) while TensorFlow, PyTorch and Keras take (height, width). With
    the order swapped, a non-square image is resized transposed: it no longer fits the model's
    input (a shape error) or, when the model is fully convolutional, it is stretched, and box or
    mask coordinates computed for the intended size no longer match the pixels.

    ## Example
    ```python
    image = cv2.resize(image, (IMAGE_H, IMAGE_W))
    ```

    ## Use instead
    ```python
    image = cv2.resize(image, (IMAGE_W, IMAGE_H))
    ```

    ## Fix safety
    There is no automatic fix: the names may be the ones that are wrong.
    """

    code = "TL233"
    name = "resize-size-order-swapped"
    severity = Severity.WARNING
    triggers = ("resize", "interpolate", "Resize", "Resizing", "upsample")
    summary = ("A resize given (height, width) where it takes (width, height) (cv2.resize), or (width, height) where it "
               "takes (height, width) (tf.image.resize, F.interpolate, Resize, Resizing), as the values' names show.")
    failing = (
        "import cv2\nfrom tensorflow import keras\n\nIMAGE_H, IMAGE_W = 416, 608\nconfig = {'IMAGE_H': IMAGE_H, 'IMAGE_W': IMAGE_W}\n"
        "image = cv2.imread('a.jpg')\nimage = cv2.resize(image, (IMAGE_H, IMAGE_W))  # TL233\n"
        "image = cv2.resize(image, dsize=(config['IMAGE_H'], config['IMAGE_W']))  # TL233\n"
        "model = keras.Sequential([keras.Input((IMAGE_H, IMAGE_W, 3)), keras.layers.Conv2D(8, 3)])\n"
        "print(model.predict(image[None]))\n",
        "import tensorflow as tf\n\nimg_height, img_width = 180, 320\n\ndef load(path):\n"
        "    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)\n"
        "    return tf.image.resize(img, [img_width, img_height])  # TL233\n\n"
        "resize = tf.keras.layers.Resizing(img_width, img_height)  # TL233\n",
        "import torch\nimport torch.nn.functional as F\nfrom torchvision import transforms\n\nclass Opt:\n    img_h, img_w = 64, 128\n\n"
        "opt = Opt()\nsize = (opt.img_w, opt.img_h)\ntransform = transforms.Resize(size)  # TL233\n"
        "x = torch.randn(1, 3, 32, 32)\ny = F.interpolate(x, size=(opt.img_w, opt.img_h))  # TL233\n",
    )
    passing = (
        "import cv2\nimport tensorflow as tf\nimport torch.nn.functional as F\n\nIMAGE_H, IMAGE_W = 416, 608\n"
        "image = cv2.resize(cv2.imread('a.jpg'), (IMAGE_W, IMAGE_H))\n"
        "image = tf.image.resize(image, (IMAGE_H, IMAGE_W))\nlayer = tf.keras.layers.Resizing(IMAGE_H, IMAGE_W)\n",
    )
    lookalikes = (
        # square sizes, names that say no axis (or both), a size computed otherwise, scale factors
        "import cv2\nimport torch\nimport torch.nn.functional as F\nfrom torchvision import transforms\n\n"
        "img_size, hw, scale = 224, (32, 64), 0.5\nimage = cv2.imread('a.jpg')\nh, w = image.shape[:2]\n"
        "a = cv2.resize(image, (img_size, img_size))\nb = cv2.resize(image, hw)\nc = cv2.resize(image, (0, 0), fx=scale, fy=scale)\n"
        "d = cv2.resize(image, (int(w * scale), int(h * scale)))\ne = transforms.Resize((h, w))\n"
        "f = F.interpolate(torch.zeros(1, 3, 8, 8), size=(h, w))\nrows_per_width, cols = 3, 4\ng = cv2.resize(image, (rows_per_width, cols))\n",
        # a `resize` that is not one of these: a PIL image's (width, height), a numpy array's shape
        "import numpy as np\nfrom PIL import Image\n\nwidth, height = 64, 32\nimg = Image.open('a.png').resize((width, height))\n"
        "arr = np.zeros(8)\narr.resize((height, width))\nimport torch\nt = torch.zeros(8)\nt.resize_(height, width)\n",
    )

    def on_module(self, ctx, ev):
        if not any(word in ctx.text for word in self.triggers):
            return
        env = None
        for call in calls_named(ctx, _LAST):
            env = env if env is not None else module_names(ctx)
            qual = imported_qualname(env, call.func)
            if qual in _WIDTH_FIRST or qual in _HEIGHT_FIRST:
                width_first = qual in _WIDTH_FIRST
                node = _argument(call, *(_WIDTH_FIRST.get(qual) or _HEIGHT_FIRST[qual]))
                pair = size_pair(ctx, node) if node is not None else None
            elif qual in _PAIRS:
                width_first = False
                pair = tuple(_argument(call, *where) for where in _PAIRS[qual])
                node = pair[0]
            else:
                continue
            if pair is None or None in pair:
                continue
            axes = (axis_of(pair[0]), axis_of(pair[1]))
            wrong = ("H", "W") if width_first else ("W", "H")
            if axes != wrong:
                continue
            takes = "(width, height)" if width_first else "(height, width)"
            written = ", ".join(ctx.source(p).strip() for p in pair)
            ctx.report(self, node,
                       f"{qual.rsplit('.', 1)[-1]} takes its size as {takes}, but this passes ({written}), which its names "
                       f"say is {'(height, width)' if width_first else '(width, height)'}: a non-square image is resized "
                       f"transposed")
