import libcst as cst

from tensorlint.findings import Severity
from tensorlint.rule import Rule
from tensorlint.values import Const, Tensor, UnknownInt

from ._training import parents

_NUMERIC = ("int", "uint", "float", "bool", "complex", "bfloat")
_KIND = {"np": "NumPy scalar (a 0-d array element)", "torch": "0-d torch tensor", "tf": "0-d TensorFlow tensor"}


_SEQUENCE = (
    "import numpy as np\nfrom tensorflow import keras\n\n\n"
    "class Batches(keras.utils.Sequence):\n"
    "    def __init__(self, paths, batch_size=32):\n"
    "        self.paths, self.batch_size = paths, batch_size\n"
    "        self.indices = np.random.permutation(len(paths))\n\n"
    "    def __len__(self):\n        return len(self.paths) // self.batch_size\n\n"
    "    def __getitem__(self, idx):\n"
    "        x = np.zeros((self.batch_size, 64, 64, 3), dtype=np.float32)\n"
    "        batch = self.indices[idx * self.batch_size:(idx + 1) * self.batch_size]\n"
)


def _number(value, in_loop: bool, computed: bool = False) -> str | None:
    """What the value is when it is known to be one number: an int of a `range`, a 0-d element
    of a 1-D array or tensor; None otherwise. A known number counts only as a loop's element
    (`for a, b in [1, 2]`) or as the value of an expression other than a name (`x.shape[0]`): a
    name may hold a parameter's default, which is not what every caller passes."""
    if type(value) is UnknownInt:
        return "an int"
    if isinstance(value, Const) and (in_loop or computed) and type(value.value) in (int, float):
        return "an int" if type(value.value) is int else "a float"
    if (isinstance(value, Tensor) and value.shape == () and value.fw in _KIND
            and value.dtype is not None and value.dtype.startswith(_NUMERIC)):
        article = "an" if value.dtype.startswith("int") else "a"
        return f"{article} {value.dtype} {_KIND[value.fw]}"
    return None


class NumberUnpacked(Rule):
    """
    ## What it does
    Finds a `for` loop whose target is a tuple of names (`for i, idx in indices:`, `for i, in
    range(n):`) over values whose elements are single numbers: the ints of a `range`, the
    elements of a 1-D NumPy array or tensor (`np.random.permutation(n)`, a slice of it,
    `np.arange(n)`, `torch.randperm(n)`), a list of numbers; and an assignment that unpacks
    one number (`h, w = x.shape[0]`, `a, b = np.mean(x)`). The number must be known from what
    the program builds; an element of unknown rank or type is not this finding.

    ## Why is this bad?
    A number cannot be unpacked: Python raises `TypeError: cannot unpack non-iterable int object`
    (NumPy: `non-iterable numpy.int64 object`; torch: `iteration over a 0-d tensor`) on the
    first element, typically in a data generator's batch loop that only runs once training
    starts. The usual intent is `enumerate(indices)` (a position and the element) or, with a
    trailing comma (`for i, in ...`), a plain name.

    ## Example
    ```python
    batch = self.indices[idx * bs:(idx + 1) * bs]  # self.indices = np.random.permutation(n)
    for i, sample_id in batch:
        x[i] = load(sample_id)
    ```

    ## Use instead
    ```python
    for i, sample_id in enumerate(batch):
        x[i] = load(sample_id)
    ```

    ## Fix safety
    There is no automatic fix: whether the loop wants `enumerate`, a `zip` with another list or
    one name is the program's choice.
    """

    code = "TL225"
    name = "number-unpacked"
    severity = Severity.ERROR
    summary = ("A tuple of names unpacks one number: a `for` loop over a range or a 1-D array, or an assignment "
               "of a scalar, which raises TypeError.")
    failing = (
        _SEQUENCE +
        "        for i, sample_id in batch:  # TL225\n"
        "            x[i] = np.load(self.paths[sample_id])\n"
        "        return x\n",
        "import numpy as np\nimport matplotlib.pyplot as plt\nfrom tensorflow import keras\n\n"
        "model = keras.models.load_model('ages.keras')\nimages = np.load('faces.npy')\n"
        "preds = model.predict(images)\ncols, rows = 4, 3\n"
        "for i, in range(cols * rows):  # TL225\n"
        "    plt.subplot(rows, cols, i + 1)\n    plt.imshow(images[i])\n    plt.title(str(preds[i].argmax()))\n",
        "import torch\n\norder = torch.randperm(100)\nfeatures = torch.randn(100, 8)\n"
        "for pos, row in order[:10]:  # TL225\n    print(pos, features[row].sum())\n",
    )
    passing = (
        _SEQUENCE +
        "        for i, sample_id in enumerate(batch):\n"
        "            x[i] = np.load(self.paths[sample_id])\n"
        "        return x\n",
    )
    lookalikes = (
        # the rows of a 2-D array are 1-D: two columns unpack
        "import numpy as np\nimport torch\n\npairs = np.random.randint(0, 10, size=(50, 2))\n"
        "for a, b in pairs:\n    print(a + b)\nedges = torch.randint(0, 5, (20, 2))\nfor u, v in edges:\n    print(u, v)\n",
        # zip and enumerate make pairs; a list of tuples holds pairs
        "import numpy as np\n\nidx = np.arange(10)\nfor i, j in zip(idx, idx[::-1]):\n    print(i, j)\n"
        "for k, (i, j) in enumerate(zip(range(3), range(3))):\n    print(k, i, j)\n"
        "for lo, hi in [(0, 5), (5, 10)]:\n    print(idx[lo:hi])\n",
        # a shape is a tuple; the elements of an array of unknown rank are not known to be numbers
        "import numpy as np\n\nimg = np.zeros((32, 48, 3))\nh, w = img.shape[:2]\n"
        "data = np.load('pairs.npy')\nfor a, b in data:\n    print(a, b)\n",
        # the error shown on purpose
        "import numpy as np\n\ntry:\n    for i, j in np.arange(4):\n        pass\nexcept TypeError as ex:\n    print(ex)\n",
    )

    def on_unpack(self, ctx, ev):
        loop = isinstance(ev.node, cst.For) and ev.node.target is ev.target
        computed = isinstance(ev.node, cst.Assign) and not isinstance(ev.node.value, cst.Name)
        what = _number(ev.value, loop, computed)
        if what is None or not isinstance(ev.node, (cst.For, cst.Assign)):
            return
        if any(isinstance(n, (cst.Try, cst.TryStar)) for n in parents(ctx).ancestors(ev.node)):
            return  # the program shows the error on purpose
        names = len(ev.target.elements)
        shown = " ".join(ctx.source(ev.target).split())
        if loop:
            source = " ".join(ctx.source(ev.node.iter).split())
            source = f"`{source}`" if len(source) <= 50 else "the iterable"
            head = (f"`for {shown} in ...` unpacks each element of {source} into {names} name"
                    f"{'s' if names != 1 else ''}, but each element is {what}")
            advice = ("drop the trailing comma to bind the element itself" if names == 1 else
                      "iterate over enumerate(...) for a position and the element, or zip(...) to pair it "
                      "with another sequence")
        else:
            head = f"`{shown} = ...` unpacks {what} into {names} names"
            advice = "bind it to one name, or take the values from a sequence"
        ctx.report(self, ev.target,
                   f"{head}: a number cannot be unpacked, and Python raises TypeError (cannot unpack "
                   f"non-iterable object) when the line runs. {advice[0].upper() + advice[1:]}")
