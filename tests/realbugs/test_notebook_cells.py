"""Notebook cells become valid Python: IPython magics are commented out, or become `pass`
where a block needs a statement, wherever the magic stands."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from realcorpus import cell_code  # noqa: E402


def compiles(src: str) -> str:
    code = cell_code(src)
    compile(code, "<cell>", "exec")
    return code


def test_indented_cell_magic_at_the_top_of_a_cell_is_a_comment():
    code = compiles(" %%time\n\ntf.random.set_seed(42)\nx = 1\n")
    assert "pass" not in code and "# %%time" in code


def test_indented_line_magic_after_top_level_code_is_a_comment():
    code = compiles("x = 1\n  %matplotlib inline\ny = 2\n")
    assert "pass" not in code


def test_magic_that_opens_a_block_body_becomes_pass():
    code = compiles("for i in range(3):\n    %time f(i)\n")
    assert "pass  # %time f(i)" in code


def test_magic_inside_a_block_after_its_first_statement_becomes_pass():
    code = compiles("if a:\n    b()\n    !ls -l\n    c()\n")
    assert "pass  # !ls -l" in code


def test_magic_after_a_comment_in_a_block_becomes_pass():
    compiles("def f():\n    # list the files\n    !ls\n")


def test_magic_under_a_block_opener_with_a_comment_becomes_pass():
    code = compiles('if "google.colab" in sys.modules:  # extra code\n    %pip install -q tensorboard\n')
    assert "pass  # %pip" in code


def test_one_line_automagic_cell_is_a_comment():
    # IPython runs `pip install x` alone in a cell as %pip (automagic); tensorlint does too
    for cell in ("pip install diffusers torch accelerate\n", "ls data/\n", "\ncd ../models\n\n"):
        code = compiles(cell)
        assert all(not line.strip() or line.startswith("# ") for line in code.splitlines())


def test_automagic_names_used_as_python_stay_code():
    for cell in ("ls = [1, 2]\n", "pip install x\nimport torch\n", "cd(path)\n", "run = 3\n"):
        assert not cell_code(cell).startswith("# ")


def test_help_requests_are_comments():
    # `?obj` and `obj?` / `obj??` ask IPython for help; tensorlint reads a notebook's cells that way
    code = compiles("?vista.Display\nnp.zeros??\nif x:\n    model.fit?\nprint(1)\n")
    assert "# ?vista.Display" in code and "# np.zeros??" in code and "pass  # model.fit?" in code
    assert "print(1)" in code.splitlines()


def test_question_marks_inside_python_stay_code():
    for cell in ("s = 'why?'\n", "y = [1,\n  2]  # really?\n", "print('?x')\n"):
        assert cell_code(cell) == cell.rstrip("\n")
