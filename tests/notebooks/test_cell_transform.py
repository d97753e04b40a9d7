"""Cells turned into the Python IPython runs: each rule of IPython's input transformers."""
from __future__ import annotations

import ast

import pytest

from tensorlint.notebook import cell_error
from tensorlint.notebook_cells import transform


def python(source: str) -> str:
    code = transform(source)
    ast.parse(code.text)  # what comes out is Python
    assert code.text.count("\n") == len(source.rstrip("\n").split("\n"))  # line for line
    return code.text


@pytest.mark.parametrize("source", [
    "%matplotlib inline\nimport torch\n",
    "!pip install torch\n",
    "!!ls\n",
    "%pip install -q \\\n    torch torchvision\nx = 1\n",
    "if True:\n    %time y = 1\n",
    "for f in files:\n    !cp $f /tmp\n",
    "torch.nn.Linear?\n",
    "torch.nn.Linear??\n",
    "?torch\n",
    "??torch.nn\n",
    "%timeit?\n",
    "out = !ls -la\n",
    "names = %who_ls\n",
    "/print 1 2\n",
    ",print a b\n",
    ";print a b\n",
])
def test_line_magics_shell_and_help_become_python(source):
    python(source)


def test_a_percent_that_continues_an_expression_is_the_formatting_operator():
    source = "print('Epoch: %03d'\n      % (epoch,))\nx = (n\n% 3)\n"
    assert python(source) == source  # kept: these `%` do not start a logical line


def test_magic_syntax_inside_strings_and_comments_is_kept():
    source = 'doc = """\n%matplotlib inline\n!ls\n"""\nx = 1  # obj?\ns = "a?"\n'
    assert python(source) == source


def test_a_help_request_keeps_the_lines_around_it():
    text = python("import torch\nx = 1\ntorch.zeros?\ny = 2\n")
    assert text.splitlines()[0] == "import torch" and text.splitlines()[3] == "y = 2"
    assert "pinfo" in text.splitlines()[2]


def test_a_backslash_continued_magic_keeps_the_cell_line_count():
    code = transform("!pip install \\\n  torch\ny = 1\n")
    assert code.text.splitlines()[2] == "y = 1" and code.rewritten == {1, 2}


def test_cell_magics_with_a_python_body_keep_it():
    for name in ("time", "timeit", "capture", "prun"):
        code = transform(f"%%{name} -n 1\nimport torch\nx = torch.ones(3)\n")
        assert code.python and code.text == "\nimport torch\nx = torch.ones(3)\n", name


def test_other_cell_magics_are_not_python():
    for body in ("%%bash\necho (((\n", "%%writefile model.py\nimport torch\ndef f(:\n", "%%html\n<b>x</b>\n",
                 "%%javascript\nvar x = {;\n", "\n%%capture?\n"):
        code = transform(body)
        assert not code.python and cell_error(code) is None, body


def test_a_cell_with_a_shared_indent_is_dedented_and_columns_map_back():
    code = transform("    import torch\n\n    x = torch.ones(3)\n")
    assert code.text == "import torch\n\nx = torch.ones(3)\n"
    assert code.column(3, 4) == 8  # `torch` of the third line
    assert cell_error(code) is None


def test_pasted_prompts_are_stripped():
    assert python(">>> x = 1\n>>> for i in range(3):\n...     x += i\n") == "x = 1\nfor i in range(3):\n    x += i\n"
    assert python("In [1]: x = 1\n   ...: y = 2\n") == "x = 1\ny = 2\n"


def test_what_ipython_rejects_is_a_syntax_error():
    for source in ("model = \n", "f(x)?\n", "def f(:\n    pass\n", "x = (1,\n"):
        assert cell_error(transform(source)) is not None, source


def test_top_level_await_is_valid_in_a_cell():
    assert cell_error(transform("import asyncio\nawait asyncio.sleep(0)\n")) is None


def test_nothing_breaks_the_transformer():
    for source in ("", "\n\n", "%", "!", "?", "??", "%%", "%%\n", "x = %", "a = !", "\\", "'''", "(\n%foo\n",
                   "\t  x\n  \ty\n", "\x0c%magic\n", "if x:\n%foo\n"):
        transform(source)
        cell_error(transform(source))


def test_automagic_applies_to_a_one_line_cell_that_is_not_python():
    for source in ("ls ./data/train/", "pip install torch\n", "cd ..", "pwd"):
        python(source)
    assert transform("cd ..").rewritten == {1}
    # not to Python, not to an assignment, not to a cell of several lines (IPython neither)
    assert transform("time.sleep(1)").text == "time.sleep(1)\n"
    assert transform("ls = 3").text == "ls = 3\n"
    assert cell_error(transform("x = 1\nls ./data")) is not None
    assert cell_error(transform("ls ./data\n\n")) is not None


def test_a_first_line_indent_is_removed_as_ipython_7_and_8_do():
    # only the first line is indented: IPython 9's common-indent rule leaves it an indentation
    # error, IPython 7 and 8 remove that indent from the lines that have it
    source = " def f(a):\n    return a\n\nprint(f(1))\n"
    code = transform(source)
    assert cell_error(code) is None and code.text == "def f(a):\n   return a\n\nprint(f(1))\n"
    assert cell_error(transform(" %%time\n\nx = 1\n")) is None
    assert cell_error(transform(" x = 1\n  y = 2\n")) is not None  # invalid under both rules


from hypothesis import given, settings, strategies as st  # noqa: E402

from tensorlint.notebook_cells import split_lines  # noqa: E402

PIECES = st.sampled_from(["%", "%%", "!", "?", "??", ",", ";", "/", " ", "    ", "\t", "\n", "\\\n", "(", ")", "[",
                          "'", '"""', "#", "=", "x", "ls", "time", "def f():", ">>> ", "... ", "In [1]: ", "\r\n", "\x0c"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_text_transforms_line_for_line_without_failing(source):
    code = transform(source)
    assert code.text.count("\n") == len(split_lines(source)) == len(code.offsets)
    cell_error(code)
