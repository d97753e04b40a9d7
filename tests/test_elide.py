"""Large literal displays summarized for the parser: same length, same line breaks, and only
displays of literals (never a call's arguments or a subscript)."""
import ast

import pytest

from tensorlint.elide import MARKER, elide_literals

NUMBERS = ", ".join(str(i) for i in range(2000))


@pytest.mark.parametrize("source", [
    f"x = [{NUMBERS}]\n",
    f"x = ({NUMBERS},)\n",
    "x = {" + ", ".join(f"{i}: 'v{i}'" for i in range(800)) + "}\n",
    f"x = [[{NUMBERS}], [-1, +2, 3.5e-3]]  # comment\n",
    f"x = np.array([\n    {NUMBERS},\n    {NUMBERS},\n]).reshape(2, -1)\n",
])
def test_a_large_display_of_literals_becomes_one_unknown_value_in_place(source):
    out, count = elide_literals(source)
    assert count == 1 and MARKER in out
    assert len(out) == len(source) and out.count("\n") == source.count("\n")
    assert ast.dump(ast.parse(out)).count(MARKER) == 1
    tail = source[source.rindex("]") + 1:] if "np.array" in source else ""
    assert out.endswith(tail)


@pytest.mark.parametrize("source", [
    f"x = f({NUMBERS})\n",               # a call's arguments
    f"x = table[{NUMBERS}]\n",           # a subscript
    f"x = [{NUMBERS}, y]\n",             # a name inside
    f"x = [{NUMBERS}, f(1)]\n",          # a call inside
    f"x = [{NUMBERS}]" + "[0]\n",        # the display kept, its subscript is small
    "x = [1, 2, 3]\n",                   # small
    "x = '''never closed\n",             # the tokenizer gives up: unchanged
])
def test_everything_else_is_left_as_written(source):
    out, count = elide_literals(source)
    if "[0]" in source:
        assert count == 1 and out.endswith("[0]\n")
    else:
        assert (out, count) == (source, 0)


def test_a_display_whose_lines_are_all_too_short_for_the_placeholder_is_kept():
    source = "x = [\n" + "".join(f"  {i},\n" for i in range(3000)) + "]\n"
    assert elide_literals(source) == (source, 0)
