"""Broken versions of real training scripts, for the fuzz tests and `bench/fuzz.py`.

The seeds are the repository's example programs (examples/, tests/corpus/, the server test
fixtures) and, where the shared seed documents are present next to the repository, the
Python blocks in them. A mutation is a small edit of the kind an editor produces mid-typing
or a bad merge leaves behind: a cut-off file, a deleted or doubled span, a stray bracket or
quote, a line indented wrongly, a number changed to 0, -1 or a huge value, a name swapped
for another, a control character or a lone surrogate, a deeply nested expression.

`mutate(text, rng, pool)` applies one to three of them; every choice comes from `rng`, so an
input is reproduced from its seed file and the random seed alone.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED_DIRS = (REPO / "examples", REPO / "tests" / "corpus", REPO / "tests" / "server" / "fixtures")
SHARED_SEEDS = REPO.parent / "shared" / "seeds"

# Text that is often half-typed or left over: openers without closers, string starts,
# continuation marks, keywords that need a block, and characters outside plain ASCII.
FRAGMENTS = (
    "(", ")", "[", "]", "{", "}", "'", '"', "'''", '"""', "\\", "\\\n", ":", ",", ".", "=",
    "lambda", "lambda:", "def", "class", "if", "else:", "return", "yield", "await", "async ",
    "import", "from . import", "@", "*", "**", "->", ":=", "not", "None", "...", "#",
    "# noqa", "# noqa: TL101", "\t", "\n", "\r", "\r\n", "\x00", "\x0c", "\ufeff", "\u00e9",
    "\U0001f600", "\u200b", "\ud800", "torch.", "tf.", "keras.", "nn.", ".float()", ".view(",
    ".backward()", "model(", "torch.zeros(", "torch.randint(0, 10, (4, 10))", "f'{", "b'",
)
NUMBERS = ("0", "-1", "1", "10**100", "2**63", "1e308", "-0.0", "float('nan')", "None", "()", "True", "3j")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d*)?(?![\w.])")
_NAME = re.compile(r"\b[A-Za-z_]\w*\b")


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a seed document."""
    return [block.split("```")[0] for block in text.split("```python\n")[1:]]


def seed_texts() -> list[tuple[str, str]]:
    """(name, text) of every seed program; names are stable across runs."""
    seeds: list[tuple[str, str]] = []
    for folder in SEED_DIRS:
        for path in sorted(folder.glob("*.py")):
            seeds.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    if SHARED_SEEDS.is_dir():
        for path in sorted(SHARED_SEEDS.glob("*.txt")):
            for i, block in enumerate(python_blocks(path.read_text(encoding="utf-8")), 1):
                seeds.append((f"seeds/{path.name}#{i}", block))
    return seeds


def _span(text: str, rng: random.Random, longest: int = 200) -> tuple[int, int]:
    start = rng.randrange(len(text) + 1)
    return start, min(len(text), start + rng.randrange(longest + 1))


def truncate(text, rng, pool):
    return text[: rng.randrange(len(text) + 1)]


def truncate_at_line(text, rng, pool):
    lines = text.splitlines(keepends=True)
    return "".join(lines[: rng.randrange(len(lines) + 1)])


def delete_span(text, rng, pool):
    a, b = _span(text, rng)
    return text[:a] + text[b:]


def delete_line(text, rng, pool):
    lines = text.splitlines(keepends=True)
    if lines:
        del lines[rng.randrange(len(lines))]
    return "".join(lines)


def duplicate_span(text, rng, pool):
    a, b = _span(text, rng)
    at = rng.randrange(len(text) + 1)
    return text[:at] + text[a:b] + text[at:]


def insert_fragment(text, rng, pool):
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(FRAGMENTS) + text[at:]


def replace_char(text, rng, pool):
    if not text:
        return text
    at = rng.randrange(len(text))
    ch = rng.choice((rng.choice(FRAGMENTS)[:1] or " ", chr(rng.randrange(0x20, 0x7F)), chr(rng.randrange(0x80, 0x3000))))
    return text[:at] + ch + text[at + 1 :]


def paste_other(text, rng, pool):
    """A span of another seed pasted in (a bad merge), or a whole other file."""
    other = rng.choice(pool)
    piece = other if rng.random() < 0.3 else other[slice(*_span(other, rng, 400))]
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:]


def reindent_line(text, rng, pool):
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = rng.randrange(len(lines))
    stripped = lines[i].lstrip(" \t")
    lines[i] = rng.choice(("", " ", "  ", "    " * rng.randrange(1, 6), "\t", " \t")) + stripped
    return "".join(lines)


def swap_lines(text, rng, pool):
    lines = text.splitlines(keepends=True)
    if len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def change_number(text, rng, pool):
    found = list(_NUMBER.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + rng.choice(NUMBERS) + text[m.end() :]


def swap_name(text, rng, pool):
    found = list(_NAME.finditer(text))
    if len(found) < 2:
        return text
    m, other = rng.choice(found), rng.choice(found)
    return text[: m.start()] + other.group() + text[m.end() :]


def nest_deeply(text, rng, pool, depths=(50, 200, 400)):
    depth = rng.choice(depths)
    opener, closer = rng.choice((("(", ")"), ("[", "]"), ("{", "}"), ("torch.relu(", ")"), ("-", "")))
    expr = opener * depth + "x" + closer * depth
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(lines) + 1)
    return "".join(lines[:at] + [f"y = {expr}\n"] + lines[at:])


TF1_GRAPH = re.compile(r"placeholder\(|feed_dict")
_TF_DTYPES = ("float32", "float64", "int32", "int64")


def edit_tf1_graph(text, rng, pool):
    """An edit on or just before a line that declares a TF1 placeholder or feeds one (the
    chunks whose edits the incremental analysis checks against the refinement of the last
    run): a statement added before it, a number on it changed (a declared shape), its dtype
    changed, the line deleted or doubled. Elsewhere, as `insert_fragment`."""
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if TF1_GRAPH.search(line)]
    if not found:
        return insert_fragment(text, rng, pool)
    i = rng.choice(found)
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    how = rng.randrange(5)
    if how == 0:
        lines.insert(i, f"{indent}step = {rng.randrange(10)}\n")
    elif how == 1:
        lines[i] = change_number(line, rng, pool)
    elif how == 2:
        lines[i] = re.sub("|".join(_TF_DTYPES), lambda m: rng.choice(_TF_DTYPES), line, count=1)
    elif how == 3:
        del lines[i]
    else:
        lines.insert(i, line)
    return "".join(lines)


MUTATIONS = (
    truncate, truncate_at_line, delete_span, delete_line, duplicate_span, insert_fragment,
    replace_char, paste_other, reindent_line, swap_lines, change_number, swap_name, nest_deeply,
    edit_tf1_graph,
)





def mutate(text: str, rng: random.Random, pool: list[str], mutations=MUTATIONS) -> str:
    """One to three mutations of `text`."""
    for _ in range(rng.choice((1, 1, 2, 3))):
        text = rng.choice(mutations)(text, rng, pool)
    return text


def encode(text: str, invalid_utf8: bool = False) -> bytes:
    """File bytes for `text`. A lone surrogate becomes `?`, or with `invalid_utf8` the bytes
    CPython's surrogatepass writes, which no UTF-8 reader accepts."""
    return text.encode("utf-8", "surrogatepass" if invalid_utf8 else "replace")
