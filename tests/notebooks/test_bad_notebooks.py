"""Notebook JSON of every odd shape: a clear error or a reading, never a crash."""
from __future__ import annotations

import json

import pytest

from cli_helpers import write

ODD = [
    {"cells": {}},
    {"cells": [1, "x", None, []]},
    {"cells": [{"cell_type": "code", "source": 42}]},
    {"cells": [{"cell_type": "code", "source": ["import torch\n", 7, None, "x = torch.ones(2)"]}]},
    {"cells": [{"cell_type": "code"}]},
    {"cells": [{"cell_type": "code", "source": ""}, {"cell_type": "code", "source": []}]},
    {"worksheets": "no"},
    {"worksheets": [1, {"cells": "no"}, {"cells": [{"cell_type": "code", "input": ["import torch\n", "x = ("]}]}]},
    {"cells": [{"cell_type": "code", "source": "import torch"}], "metadata": {"kernelspec": "python"}},
    {"cells": [{"cell_type": "code", "source": "import torch"}], "metadata": {"language_info": {"name": 3}}},
]


@pytest.mark.parametrize("data", ODD, ids=range(len(ODD)))
def test_odd_notebooks_do_not_crash(tl, tmp_path, data):
    write(tmp_path, {"nb.ipynb": json.dumps(data)})
    r = tl("check", ".")
    assert r.code in (0, 1, 2) and "internal error" not in r.err + r.out, r.err + r.out
    fixed = tl("check", "--fix", ".")
    assert fixed.code in (0, 1, 2) and "internal error" not in fixed.err + fixed.out, fixed.err + fixed.out
