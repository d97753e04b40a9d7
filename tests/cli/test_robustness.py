"""Bad input through the real command: deep nesting, link loops, unreadable folders, inputs
the parser cannot read. Every problem is one line naming the file; the other files are checked."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cli_helpers import write

MODEL = "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx = 0\n"
BAD_CALL = "model(torch.zeros(3, 5))"  # TL202: 5 features into Linear(4, ...)
OTHER = MODEL + f"y = {BAD_CALL}\n"  # a plain file with one finding, at line 5


def elif_chain(branches: int) -> str:
    # tested against a value the file does not fix (a literal `x` would decide the chain: only
    # its first branch runs), so every branch is analyzed
    body = f"import sys\nk = len(sys.argv)\nif k == 0:\n    y = {BAD_CALL}\n"
    body += "".join(f"elif k == {i}:\n    y = {BAD_CALL}\n" for i in range(1, branches))
    return MODEL + body


def no_traceback(err: str, out: str = "") -> None:
    assert "Traceback" not in err + out
    assert len(err) < 20_000, f"{len(err)} characters on standard error"


def test_a_500_branch_elif_chain_is_analyzed_with_the_default_worker_count(tl, tmp_path):
    write(tmp_path, {"chain.py": elif_chain(500), "other.py": OTHER})
    r = tl("check", "--no-cache", "--output-format", "json", ".", in_process=False)
    no_traceback(r.err, r.out)
    assert r.code == 1, r.err
    found = r.json()
    chain = [f for f in found if f["filename"].endswith("chain.py")]
    assert len(chain) == 500 and {f["code"] for f in chain} == {"TL202"}
    assert any(f["filename"].endswith("other.py") for f in found)


@pytest.mark.parametrize("expression", [
    " + ".join([BAD_CALL] * 1000),  # 1,000 chained binary operators
    "-" * 1500 + BAD_CALL,  # unary chain
    BAD_CALL + ".float()" * 300,  # attribute and call chain
    " and ".join([BAD_CALL] * 800),
    "[" * 150 + BAD_CALL + "]" * 150,  # nested lists, within CPython's limit
    "(" * 150 + BAD_CALL + ")" * 150,
])
def test_deeply_nested_expressions_keep_their_findings(tl, tmp_path, expression):
    write(tmp_path, {"deep.py": MODEL + f"y = {expression}\n", "other.py": OTHER})
    r = tl("check", "--no-cache", ".")
    no_traceback(r.err, r.out)
    assert r.code == 1, r.err
    assert "deep.py:5:" in r.out and "other.py:5:" in r.out
    assert "error" not in r.err


def test_a_statement_too_deep_to_parse_is_named_and_the_rest_is_analyzed(tl, tmp_path):
    # 20,000 chained `+`: libcst's parser takes minutes (and crashes on a default stack)
    deep = MODEL + f"y = {BAD_CALL}\n" + "z = " + " + ".join(["x"] * 20_000) + "\n" + f"w = {BAD_CALL}\n"
    write(tmp_path, {"deep.py": deep})
    r = tl("check", "--no-cache", "deep.py", in_process=False)
    no_traceback(r.err, r.out)
    assert r.code == 1, r.err
    assert "deep.py:5:" in r.out and "deep.py:7:" in r.out
    assert "deep.py: line 6 not analyzed: nested" in r.err


def test_ten_thousand_adjacent_strings_are_no_syntax_error(tl, tmp_path):
    strings = "s = (\n" + "".join(f"    'a{i}'\n" for i in range(10_000)) + ")\n"
    write(tmp_path, {"strings.py": MODEL + strings + f"y = {BAD_CALL}\n"})
    r = tl("check", "--no-cache", "strings.py")
    no_traceback(r.err, r.out)
    assert "TL001" not in r.out
    assert "strings.py:10007:" in r.out  # the statements libcst can read are analyzed
    assert "strings.py: lines 5-10006 not analyzed: the parser tensorlint uses cannot read it" in r.err
    assert r.code == 1


def test_a_real_syntax_error_after_many_strings_is_still_tl001(tl, tmp_path):
    strings = "s = (\n" + "".join(f"    'a{i}'\n" for i in range(5_000)) + ")\n"
    write(tmp_path, {"bad.py": MODEL + strings + "y = (\n"})
    r = tl("check", "--no-cache", "bad.py")
    assert r.code == 1 and "TL001" in r.out


def test_an_internal_error_carrying_a_deep_syntax_tree_is_one_short_line(tl, tmp_path, monkeypatch):
    import libcst as cst

    import tensorlint.runner as runner

    real = runner._analyze
    node = cst.parse_expression(" + ".join(["x"] * 900))  # its repr is hundreds of MB deep

    def failing(text, path, config, *rest):
        if path.endswith("boom.py"):
            raise KeyError(node)
        return real(text, path, config, *rest)

    monkeypatch.setattr(runner, "_analyze", failing)
    write(tmp_path, {"boom.py": OTHER, "other.py": OTHER})
    r = tl("check", "--no-cache", ".")
    assert r.code == 2
    lines = [line for line in r.err.splitlines() if "boom.py" in line]
    assert len(lines) == 1 and "internal error: KeyError" in lines[0] and len(lines[0]) < 300
    assert "other.py:5:" in r.out


STYLE_PROJECT = {
    "build_model.py": (
        "import torch.nn as nn\nimport torchvision.models as models\n\nvgg = models.vgg19().features\n\n\n"
        "def build(content_img, cnn=vgg):\n    model = nn.Sequential()\n    i = 1\n    for layer in cnn:\n"
        "        if isinstance(layer, nn.Conv2d):\n            model.add_module('conv_' + str(i), layer)\n"
        "            target = model(content_img)\n            i += 1\n    return model\n"
    ),
    "run_code.py": (
        "import torch.optim as optim\n\nfrom build_model import build\n\n\n"
        "def transfer(content_img, input_img, epochs=300):\n    model = build(content_img)\n"
        "    optimizer = optim.LBFGS([input_img.requires_grad_()])\n    step = 0\n    while step < epochs:\n"
        "        def closure():\n            optimizer.zero_grad()\n            return model(input_img).sum()\n"
        "        optimizer.step(closure)\n        step += 1\n    return input_img\n"
    ),
    "demo.py": (
        "import torch\nfrom run_code import transfer\n\nimg = torch.rand(1, 3, 32, 32)\n"
        "out = transfer(img, img.clone(), epochs=20)\n"
    ),
}


def test_a_model_run_in_a_loop_of_a_project_module_is_no_internal_error(tl, tmp_path):
    # TL415 looked for the loop's eval() calls in the scope of a node of another file's tree
    write(tmp_path, STYLE_PROJECT)
    r = tl("check", "demo.py", in_process=False)
    no_traceback(r.err, r.out)
    assert "internal error" not in r.err and r.code in (0, 1)


def test_a_symbolic_link_loop_named_on_the_command_line(tl, tmp_path):
    os.symlink("self", tmp_path / "self")
    r = tl("check", "self", in_process=False)
    no_traceback(r.err, r.out)
    assert r.code == 2
    assert r.err.strip() == "tensorlint: error: self: cannot check: symbolic link loop"


def test_a_folder_holding_link_loops_is_checked_and_the_loops_named(tl, tmp_path):
    write(tmp_path, {"pkg/other.py": OTHER})
    os.symlink("loop", tmp_path / "pkg" / "loop")
    os.symlink("model.py", tmp_path / "pkg" / "model.py")
    r = tl("check", "--no-cache", "pkg", in_process=False)
    no_traceback(r.err, r.out)
    assert "pkg/other.py:5:" in r.out
    assert "tensorlint: warning: pkg/loop: not followed: symbolic link loop" in r.err
    assert "tensorlint: error: pkg/model.py: cannot check: symbolic link loop" in r.err
    assert r.code == 2  # a source file could not be checked


def _as_nobody():
    """A command prefix that runs as an unprivileged user, or None."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "true"])
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if probe.returncode == 0 else None


def test_an_unreadable_folder_is_reported_not_skipped():
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv: no folder is unreadable to root")
    # pytest's own temporary folders are private to root: the other user could not enter them
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        write(root, {"src/other.py": OTHER, "src/secret/model.py": OTHER})
        for folder in (root, root / "src"):
            os.chmod(folder, 0o755)
        os.chmod(root / "src" / "other.py", 0o644)
        os.chmod(root / "src" / "secret", 0)
        try:
            proc = subprocess.run(
                [*prefix, sys.executable, "-m", "tensorlint", "check", "--no-cache", "src"],
                cwd=root, capture_output=True, text=True, timeout=300,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        finally:
            os.chmod(root / "src" / "secret", 0o755)
    no_traceback(proc.stderr, proc.stdout)
    assert "src/other.py:5:" in proc.stdout
    assert "tensorlint: error: src/secret: cannot read folder: Permission denied" in proc.stderr
    assert proc.returncode == 2


def test_every_configuration_problem_is_reported_in_one_run(tl, tmp_path):
    write(tmp_path, {"other.py": OTHER, "pyproject.toml": """
[tool.tensorlint]
select = ["TL2", "TL998"]
ignore = ["XX1"]
severity = {TL999 = "error", TL101 = "loud", TL2 = "warning"}
per-file-ignores = {"tests/*" = ["TL777"]}
respect-gitignore = "yes"
bogus = 1

[tool.tensorlint.shapecheck]
foo = 1
timeout = -5
memory-mb = "a lot"
device = "cpu"
"""})
    r = tl("check", "other.py")
    assert r.code == 2 and r.out == ""
    lines = r.err.splitlines()
    assert all(line.startswith("tensorlint: error: ") and "pyproject.toml" in line for line in lines)
    expected = ["select: 'TL998' names no rule", "ignore: 'XX1' is not a rule code", "severity.TL999: 'TL999' names no rule",
                "severity.TL101: 'loud' is not one of", "per-file-ignores.\"tests/*\": 'TL777' names no rule",
                "respect-gitignore must be true or false", "unknown key 'bogus'", "shapecheck].foo: unknown key",
                "shapecheck].timeout: invalid value -5", "shapecheck].memory-mb: invalid value 'a lot'"]
    for part in expected:
        assert sum(part in line for line in lines) == 1, (part, r.err)
    assert len(lines) == len(expected)


def test_a_valid_configuration_with_prefixes_and_all_is_accepted(tl, tmp_path):
    write(tmp_path, {"other.py": OTHER, "pyproject.toml":
                     '[tool.tensorlint]\nselect = ["ALL"]\nignore = ["TL9", "TL40"]\nseverity = {TL2 = "warning"}\n'
                     '[tool.tensorlint.shapecheck]\ntimeout = 30\ndevice = "meta"\n'})
    r = tl("check", "--no-cache", "other.py")
    assert r.code == 1 and "other.py:5:" in r.out and r.err == ""


def test_fixes_beside_a_statement_too_deep_to_parse_are_applied_quickly(tl, tmp_path):
    deep = " + ".join(["x"] * 20_000)
    write(tmp_path, {"fixme.py": MODEL + f"z = {deep}\nidx = torch.randint(0, 5, (3, 4))\ny = model(idx)\n"})
    r = tl("check", "--no-cache", "--fix", "fixme.py", in_process=False)
    no_traceback(r.err, r.out)
    assert r.code == 0 and "1 fixed" in r.out
    assert (tmp_path / "fixme.py").read_text().endswith(f"z = {deep}\nidx = torch.randint(0, 5, (3, 4))\ny = model(idx.float())\n")
    assert "fixme.py: line 5 not analyzed" in r.err


def test_a_large_file_is_analyzed_statement_by_statement_with_the_same_findings(tl, tmp_path):
    block = "\n\ndef step_{i}(model, batch):\n    h = torch.relu(model(batch))\n    return h.mean().item()\n"
    text = MODEL + "".join(block.format(i=i) for i in range(7000)) + f"\ny = {BAD_CALL}\n"
    assert len(text) > 400_000
    write(tmp_path, {"long.py": text})
    r = tl("check", "--no-cache", "long.py")
    assert r.code == 1 and r.err == ""
    assert r.out.startswith(f"long.py:{text.count(chr(10))}:5: TL202")


def pasted_data(count: int) -> str:
    return "[" + ", ".join(f"{(i * 7919) % 1000 / 1000:.3f}" for i in range(count)) + "]"


def test_a_pasted_data_line_is_summarized_and_the_code_around_it_keeps_its_positions(tl, tmp_path):
    data = pasted_data(20_000)  # 140,000 characters on one line
    text = MODEL + f"w = torch.tensor({data}); idx = torch.randint(0, 5, (3, 4)); y = model(idx)\nz = {BAD_CALL}\n"
    write(tmp_path, {"data.py": text})
    r = tl("check", "--no-cache", "data.py")
    no_traceback(r.err, r.out)
    column = text.splitlines()[4].index("model(idx)") + 1
    assert f"data.py:5:{column}: TL101" in r.out and "data.py:6:5: TL202" in r.out
    assert "data.py: line 5 not analyzed: the contents of 1 large literal display" in r.err
    r = tl("check", "--no-cache", "--fix", "data.py")
    assert (tmp_path / "data.py").read_text() == text.replace("model(idx)", "model(idx.float())")


def test_summarized_data_is_unknown_never_a_guess(tl, tmp_path):
    # 20,000 values do not fill a [3, 7] view; with the values summarized the length is
    # unknown, so nothing is claimed either way
    write(tmp_path, {"view.py": MODEL + f"x = torch.tensor({pasted_data(20_000)})\ny = x.view(3, 7)\n"})
    r = tl("check", "--no-cache", "--select", "ALL", "view.py")
    no_traceback(r.err, r.out)
    assert r.code == 0 and "TL207" not in r.out


def test_data_split_over_lines_and_short_literals_are_analyzed_as_written(tl, tmp_path):
    short = "[" + ", ".join(["1.0"] * 100) + "]"
    write(tmp_path, {"short.py": MODEL + f"x = torch.tensor({short})\ny = x.view(3, 7)\n"})
    r = tl("check", "--no-cache", "--select", "ALL", "short.py")
    assert "short.py:6:5: TL207" in r.out and "not analyzed" not in r.err
