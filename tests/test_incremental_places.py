"""Edits at each place an editor makes them (a function body, a class method, module level at
the top, middle and end, a statement typed one character at a time), on files made of the
repository's example and corpus programs (a TF1 program that feeds placeholders among them):
after every edit the incremental analysis says exactly what a from-scratch analysis says."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tensorlint.chunks import split, split_again
from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config(select=("ALL",))
POOL = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))
FEEDS = ROOT / "tests" / "corpus" / "tf1_log_softmax_mnist.py"  # sess.run(..., feed_dict=...)

MODULE_LINES = ["x = x.double()\n", "model.half()\n", "loss = 0\n", "step = 1\n", "model = nn.Linear(3, 2)\n",
                "x = torch.randn(4, 3)\n", "y = model(x)\n", "import torch.nn as nn\n", "del model\n"]
BODY_LINES = ["x = x * 2\n", "x = x.double()\n", "self.extra = nn.Linear(2, 2)\n", "return x\n", "pass\n",
              "loss = loss + 1\n", "h = self.fc(x) if hasattr(self, 'fc') else x\n"]
TYPED = ["probe = torch.zeros(2, 3).sum(dim=0)\n", "model = model.double()\n"]


def _key(result):
    findings = sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)
    values = sorted((v.span.start.line, v.span.start.column, v.text) for v in result.values)
    return findings, values


def _parses(path: Path) -> bool:
    try:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    except SyntaxError:
        return False
    return True


def _script(rnd: random.Random) -> str:
    # every place has rows to edit: a `def` line that `_body_rows` reads (its signature on one line)
    # (from programs that parse: one with a syntax error is left out below, and its place with it)
    with_methods = [p for p in POOL if re.search(r"^    def .*:\s*$", p.read_text(encoding="utf-8"), re.M) and _parses(p)]
    with_functions = [p for p in POOL if re.search(r"^def .*:\s*$", p.read_text(encoding="utf-8"), re.M) and _parses(p)]
    parts = [FEEDS, rnd.choice(with_methods), rnd.choice(with_functions), *rnd.sample(POOL, 4)]
    rnd.shuffle(parts)
    out = []
    for p in parts:
        text = p.read_text(encoding="utf-8")
        if analyze(text, "m.py", CONFIG).syntax_error:
            continue
        out.append(text if text.endswith("\n") else text + "\n")
    return "".join(out)


def _top_rows(lines):
    return [i for i, line in enumerate(lines) if re.match(r"[A-Za-z_]", line)
            and not line.startswith(("else", "elif", "except", "finally"))]


def _body_rows(lines, in_class: bool):
    """Rows just after a `def` line whose body is indented (in a class: a method)."""
    rows = []
    for i, line in enumerate(lines[:-1]):
        m = re.match(r"( *)def .*:\s*$", line)
        if m and (bool(m.group(1)) == in_class) and lines[i + 1].strip():
            rows.append((i + 1, re.match(r" *", lines[i + 1]).group()))
    return rows


def _edit(text: str, place: str, rnd: random.Random) -> list[str]:
    """The texts one edit at `place` goes through (several for typing)."""
    lines = text.splitlines(keepends=True)
    top = _top_rows(lines)
    if place in ("function", "method"):
        rows = _body_rows(lines, place == "method")
        if not rows:
            return []
        row, indent = rnd.choice(rows)
        if rnd.random() < 0.3 and lines[row].strip() and not lines[row].lstrip().startswith("return"):
            return ["".join(lines[:row] + lines[row + 1:])]  # a line of the body deleted
        return ["".join(lines[:row] + [indent + rnd.choice(BODY_LINES)] + lines[row:])]
    if place == "typing":
        row = rnd.choice(top[len(top) // 3:]) if top else len(lines)
        typed = rnd.choice(TYPED)
        return ["".join(lines[:row] + [typed[:k]] + lines[row:]) for k in range(1, len(typed) + 1)]
    if place == "top":
        row = rnd.choice(top[:4]) if top else 0
    elif place == "middle":
        row = rnd.choice(top[len(top) // 3: 2 * len(top) // 3]) if top else 0
    else:
        row = len(lines)
    if rnd.random() < 0.3 and row < len(lines) and row in top and lines[row].rstrip().endswith(")") is False \
            and not lines[row].rstrip().endswith(":"):
        return ["".join(lines[:row] + lines[row + 1:])]  # a simple statement deleted
    return ["".join(lines[:row] + [rnd.choice(MODULE_LINES)] + lines[row:])]


@pytest.mark.parametrize("place", ["function", "method", "top", "middle", "end", "typing"])
@pytest.mark.parametrize("seed", range(2))
def test_edits_at_each_place_equal_a_full_analysis(place, seed):
    rnd = random.Random(f"{place}-{seed}")
    text = _script(rnd)
    inc = IncrementalAnalysis()
    assert _key(inc.analyze(text, "m.py", CONFIG)) == _key(analyze(text, "m.py", CONFIG, collect_values=True))
    checked = 0
    for _ in range(6):
        for new in _edit(text, place, rnd):
            full = analyze(new, "m.py", CONFIG, collect_values=True)
            got = inc.analyze(new, "m.py", CONFIG, syntax_errors=False)
            if full.syntax_error:
                assert got.syntax_error
                continue
            assert _key(got) == _key(full), place
            checked += 1
            text = new
    assert checked >= 3


def test_an_edit_away_from_a_fed_tf1_program_reruns_little():
    """A file holding a TF1 program that feeds its placeholders is analyzed twice through (the
    feeds refine the graph); an edit elsewhere does not start that over."""
    text = FEEDS.read_text(encoding="utf-8") + "\n\nimport torch\n\nx = torch.randn(4, 3)\nprint(x)\n"
    inc = IncrementalAnalysis()
    first = inc.analyze(text, "m.py", CONFIG)
    assert _key(first) == _key(analyze(text, "m.py", CONFIG, collect_values=True))
    edited = text.replace("print(x)\n", "print(x)\ny = x * 2\n")
    assert _key(inc.analyze(edited, "m.py", CONFIG)) == _key(analyze(edited, "m.py", CONFIG, collect_values=True))
    # the new statement, and what may see `x` changed in place by it (a tensor can be: `x.add_(1)`)
    assert inc.last_run["ran"] <= 3
    fed = edited.replace("feed_dict={", "feed_dict={  # fed\n ", 1)
    if fed != edited and not analyze(fed, "m.py", CONFIG).syntax_error:  # an edit in the fed program itself
        assert _key(inc.analyze(fed, "m.py", CONFIG)) == _key(analyze(fed, "m.py", CONFIG, collect_values=True))


@pytest.mark.parametrize("seed", range(3))
def test_splitting_again_around_an_edit_equals_splitting_the_whole_text(seed):
    rnd = random.Random(seed)
    snippets = ["x = (\n", ")\n", "    y = 1\n", "@dec\n", "def f():\n", "else:\n", '"""\n', "# c\n", "\n",
                "z = 1 + \\\n", "'", '"', "]", "[", "a", " "]
    done = 0
    while done < 150:
        text = "".join(p.read_text(encoding="utf-8") for p in rnd.sample(POOL, 3))
        try:
            compile(text, "m.py", "exec")
        except (SyntaxError, ValueError):
            continue
        pieces = split(text)
        for _ in range(5):
            lines = text.splitlines(keepends=True)
            i = rnd.randrange(len(lines))
            if rnd.random() < 0.5:
                lines.insert(i, rnd.choice(snippets))
            else:
                col = rnd.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:col] + rnd.choice(snippets) + lines[i][col:]
            new = "".join(lines)
            got = split_again(text, pieces, new)
            assert got == split(new)
            done += 1
            try:
                compile(new, "m.py", "exec")
            except (SyntaxError, ValueError):
                continue
            text, pieces = new, got  # (split again only from a text that parses, as the parser does)
