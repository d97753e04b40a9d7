"""Positions computed per top-level statement are libcst's positions for the whole file, node for
node, however the file is laid out; where they cannot be told that way they are not guessed."""
import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from tensorlint.config import Config
from tensorlint.cstwalk import walk_code
from tensorlint.engine import analyze
from tensorlint.positions import UNKNOWN, StatementPositions

LAYOUTS = {
    "header comments and blank lines": "# a comment\n\n\n# another\nimport torch\n\nx = torch.zeros(3)\n",
    "semicolons": "import torch; import torch.nn as nn\na = 1; b = nn.Linear(2, 3); c = b(torch.ones(1, 2))\n",
    "decorators and comments between": (
        "import functools\n\n# before\n@functools.lru_cache(maxsize=None)\n# between\n@staticmethod\n"
        "def f(x):\n    return x\n\n\nclass K:\n    @property\n    def p(self):\n        return 1\n"),
    "async and compound": (
        "import asyncio\n\nasync def main(xs):\n    async with lock:\n        async for x in xs:\n            await asyncio.sleep(x)\n"
        "\nif a:\n    pass\nelif b:\n    pass\nelse:\n    pass\ntry:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n"
        "while x:\n    break\nfor i in range(3):\n    continue\nwith open(p) as f, open(q):\n    pass\n"),
    "windows line endings": "import torch\r\n\r\ndef f(x):\r\n    return x.sum()\r\n\r\ny = f(torch.ones(2))\r\n",
    "old mac line endings": "import torch\r\rdef f(x):\r    return x.sum()\r\ry = f(torch.ones(2))\r",
    "no final newline": "import torch\nx = torch.ones(2)\nprint(x)",
    "tabs, form feed and continuation": (
        "import torch\n\x0c\ndef f(x):\n\tif x:\n\t\treturn (x +\n\t\t        1)\n\treturn \\\n\t\tx\n\nz = [1,\n  2]\n"),
    "strings spanning lines": 'doc = """\nline\n  more\n"""\nimport torch\ns = f"{doc!r:>{10}}" \\\n    "tail"\n',
    "statements nested in blocks": (
        "import torch\n\nclass Net(torch.nn.Module):\n    # a comment\n    @staticmethod\n    def f(x):\n"
        "        if x:\n            y = torch.ones(2,\n                           3)\n        elif x > 1:\n"
        "            for i in range(3):\n                pass\n            else:\n                y = 2; z = 3\n"
        "        else:\n            try:\n                y = x.sum()\n            except (ValueError, KeyError) as e:\n"
        "              # deeper comment\n                raise\n            else:\n                pass\n"
        "            finally:\n                with open(p) as fh: fh.read()\n        return y\n\n"
        "if __name__ == '__main__':\n\twhile True:\n\t\tnet = Net()\n\t\tbreak\n"),
    "match": "match point:\n    case [1, *rest] if rest:\n        pass\n    case {'k': v}:\n        pass\n",
}


def _full(module):
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_code_node_has_libcsts_range(name):
    text = LAYOUTS[name]
    module = cst.parse_module(text)
    full = _full(module)
    where = StatementPositions(module, text)
    nodes = list(walk_code(module))
    assert nodes
    for node in nodes:
        assert where.range(node) == full[node], type(node).__name__


def test_layout_nodes_and_foreign_nodes_are_not_guessed():
    text = "import torch\nx = torch.ones(2, 3)\n"
    module = cst.parse_module(text)
    where = StatementPositions(module, text)
    comma = module.body[1].body[0].value.args[0].comma
    assert where.range(comma) is UNKNOWN
    assert where.range(cst.parse_module(text).body[0]) is UNKNOWN  # a node of another tree


def test_a_text_cpython_reads_otherwise_falls_back():
    text = "import torch\nx = torch.ones(2)\n"
    module = cst.parse_module(text)
    where = StatementPositions(module, "import torch\n\nx = 1; y = 2\n")  # not this module's text
    assert where.range(module.body[1]) is UNKNOWN


def test_findings_point_at_the_same_places_in_a_long_file():
    """End to end: a finding deep in a file is placed as libcst places it."""
    filler = "".join(f"def helper_{i}(a, b):\n    '''doc'''\n    return a + b  # {i}\n\n\n" for i in range(60))
    text = ("import torch\nimport torch.nn as nn\n\n" + filler +
            "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(10, 2)\n\n"
            "    def forward(self, x):\n        return self.fc(x)\n\n\nnet = Net()\nout = net(torch.randn(4, 12))\n")
    [finding] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL202"]
    assert finding.span.start.line == text.splitlines().index("out = net(torch.randn(4, 12))") + 1
