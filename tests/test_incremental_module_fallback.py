"""Hover values of a function that reads a module-level name before binding it itself.

The interpreter looks a name up in the module while the function's frame holds none, even
where Python would raise UnboundLocalError (`h = h * 2` in a function reads the module's `h`).
An edit of the module's `h` then changes the values in the function's body, so the chunk of the
function (and the chunk that calls it) must run again; a function that binds `h` before reading
it is untouched by that edit."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))

FUNCTION = """import torch

h = torch.zeros(2, 3)


def step(x):
BODY
    return y


z = step(torch.randn(2, 3))
"""

METHOD = """import torch

h = torch.zeros(2, 3)


class Net(torch.nn.Module):
    h = torch.ones(5)

    def forward(self, x):
BODY
        return y


z = Net()(torch.randn(2, 3))
"""

# bodies whose values come from the module's `h` (read before the body binds it)
READS = {
    "assigned from itself": "    h = h * 2\n    y = h + 1\n",
    "augmented": "    h += 1\n    y = h * 1\n",
    "bound later in a loop": "    for _ in range(2):\n        y = h * 2\n        h = x\n",
}
# bodies that may read it (Python would not know it bound): these run again too
MAY_READ = {
    "read in a comprehension first": "    y = [h * 2 for _ in range(1)][0]\n    h = x\n",
    "bound on one branch only": "    if x.sum() > 0:\n        h = x\n    y = h * 2\n",
    "bound in the loop it follows": "    for h in [x]:\n        pass\n    y = h * 2\n",
    "bound in a try": "    try:\n        h = x\n    except ValueError:\n        pass\n    y = h * 2\n",
}
# bodies that bind `h` before every read
BINDS = {
    "bound first": "    h = x * 2\n    y = h + 1\n",
    "bound on both branches": "    if x.sum() > 0:\n        h = x\n    else:\n        h = x * 2\n    y = h * 2\n",
    "bound by with": "    with torch.no_grad() as h:\n        h = x\n        y = h * 2\n",
}
EDITED = ("h = torch.zeros(2, 3)\n", "h = torch.zeros(7, 3)\n")


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _texts(template, body, indent=""):
    first = template.replace("BODY\n", "".join(indent + line + "\n" for line in body.splitlines()))
    return [first, first.replace(*EDITED), first]


def _run(texts):
    inc = IncrementalAnalysis()
    seen, ran = [], []
    for text in texts:
        full = analyze(text, "m.py", CONFIG, collect_values=True)
        got = inc.analyze(text, "m.py", CONFIG)
        assert _key(got) == _key(full)
        seen.append(_key(full)[1])
        ran.append(inc.last_run["ran"])
    return seen, ran


@pytest.mark.parametrize("template,indent", [(FUNCTION, ""), (METHOD, "    ")], ids=["function", "method"])
@pytest.mark.parametrize("body", list(READS.values()), ids=list(READS))
def test_an_edit_of_the_module_name_a_body_reads_first_reaches_the_body(template, indent, body):
    seen, _ = _run(_texts(template, body, indent))
    # the body's hovers show the module's new `h` (line 3 is its binding)
    assert any("[7, 3]" in text for line, _, text in seen[1] if line > 3)
    assert not any("[7, 3]" in text for line, _, text in seen[2] if line > 3)


def test_a_method_reads_the_module_name_not_the_class_attribute():
    seen, _ = _run(_texts(METHOD, "    y = h * 2\n", "    "))
    assert any("[7, 3]" in text for line, _, text in seen[1] if line > 3)


@pytest.mark.parametrize("template,indent", [(FUNCTION, ""), (METHOD, "    ")], ids=["function", "method"])
@pytest.mark.parametrize("body", list(MAY_READ.values()), ids=list(MAY_READ))
def test_a_body_that_may_read_the_module_name_equals_a_full_analysis(template, indent, body):
    _run(_texts(template, body, indent))


@pytest.mark.parametrize("template,indent", [(FUNCTION, ""), (METHOD, "    ")], ids=["function", "method"])
@pytest.mark.parametrize("body", list(BINDS.values()), ids=list(BINDS))
def test_a_body_that_binds_the_name_first_does_not_run_again(template, indent, body):
    _, ran = _run(_texts(template, body, indent))
    assert ran[1:] == [1, 1]  # the edited chunk alone
