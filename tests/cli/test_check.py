"""`tensorlint check`: which files, exit status, concise output, stdin, errors, workers."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli_helpers import BROKEN, BROKEN_ROW, CLEAN, write


def test_clean_folder_exits_zero(tl, tmp_path):
    write(tmp_path, {"a.py": CLEAN, "pkg/b.py": CLEAN})
    r = tl("check", ".")
    assert r.code == 0, r.err
    assert "All checks passed!" in r.out


def test_findings_exit_one_with_concise_lines_and_summary(tl, tmp_path):
    write(tmp_path, {"a.py": CLEAN, "pkg/b.py": BROKEN})
    r = tl("check", ".")
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines[0].startswith(f"pkg/b.py:{BROKEN_ROW}:")
    assert ": TL001 " in lines[0]
    assert "Found 1 finding." in r.out


UNSEEN_LOSS_SUMS = """\
import torch
from loss import my_loss

def train(net, optimizer, loader):
    total, again = 0.0, 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = my_loss(net(x), y)
        loss.backward()
        optimizer.step()
        total += loss
        again += loss
"""


def test_summary_counts_hidden_fixes_in_plain_english(tl, tmp_path):
    write(tmp_path, {"train.py": UNSEEN_LOSS_SUMS})
    r = tl("check", "--no-cache", ".")
    assert r.code == 1
    assert "train.py:11:9: TL409" in r.out and "train.py:12:9: TL409" in r.out
    assert "(2 hidden fixes can be enabled with the `--unsafe-fixes` option.)" in r.out


def test_exit_zero_quiet_and_silent(tl, tmp_path):
    write(tmp_path, {"b.py": BROKEN})
    assert tl("check", "--exit-zero", ".").code == 0
    quiet = tl("check", "--quiet", ".")
    assert quiet.code == 1 and "TL001" in quiet.out and "Found" not in quiet.out
    silent = tl("check", "--silent", ".")
    assert silent.code == 1 and silent.out == ""


def test_paths_default_to_the_working_folder(tl, tmp_path):
    write(tmp_path, {"sub/b.py": BROKEN})
    assert "sub/b.py" in tl("check").out


@pytest.mark.parametrize("folder", [".git", ".venv", "venv", "node_modules", "build", "dist", "__pycache__"])
def test_tool_and_environment_folders_are_skipped(tl, tmp_path, folder):
    write(tmp_path, {f"{folder}/b.py": BROKEN, "ok.py": CLEAN})
    assert tl("check", ".").code == 0


def test_a_file_named_explicitly_is_checked_even_in_a_skipped_folder(tl, tmp_path):
    write(tmp_path, {"build/b.py": BROKEN})
    assert tl("check", "build/b.py").code == 1
    assert tl("check", "--force-exclude", "build/b.py").code == 0


def test_only_python_and_notebooks_are_checked(tl, tmp_path):
    write(tmp_path, {"notes.txt": BROKEN, "script.sh": BROKEN, "data.json": "{", "ok.py": CLEAN})
    assert tl("check", ".").code == 0


def test_gitignored_files_are_skipped_unless_asked(tl, tmp_path):
    write(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        ".gitignore": "generated/\n*_tmp.py\n!keep_tmp.py\n",
        "generated/b.py": BROKEN,
        "x_tmp.py": BROKEN,
        "keep_tmp.py": BROKEN,
        "src/.gitignore": "/local.py\n",
        "src/local.py": BROKEN,
        "src/deep/local.py": BROKEN,
    })
    found = {line.split(":")[0] for line in tl("check", ".").out.splitlines() if "TL001" in line}
    assert found == {"keep_tmp.py", "src/deep/local.py"}
    everything = {line.split(":")[0] for line in tl("check", "--no-respect-gitignore", ".").out.splitlines() if "TL001" in line}
    assert everything == {"generated/b.py", "x_tmp.py", "keep_tmp.py", "src/local.py", "src/deep/local.py"}


def test_gitignore_outside_a_repository_is_not_used(tl, tmp_path):
    write(tmp_path, {".gitignore": "*.py\n", "b.py": BROKEN})
    assert tl("check", ".").code == 1


def test_missing_path_is_an_error(tl, tmp_path):
    r = tl("check", "nope.py")
    assert r.code == 2
    assert "nope.py" in r.err


def test_stdin_with_a_filename(tl, tmp_path):
    r = tl("check", "--stdin-filename", "model/train.py", "-", stdin=BROKEN)
    assert r.code == 1
    assert r.out.startswith(f"model/train.py:{BROKEN_ROW}:")
    assert tl("check", "--stdin-filename", "x.py", "-", stdin=CLEAN).code == 0


def test_stdin_filename_follows_per_file_ignores(tl, tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.tensorlint]\nper-file-ignores = {"legacy/*" = ["TL001"]}\n'})
    assert tl("check", "--stdin-filename", "legacy/old.py", "-", stdin=BROKEN).code == 0
    assert tl("check", "--stdin-filename", "new/old.py", "-", stdin=BROKEN).code == 1


def test_select_ignore_and_prefixes(tl, tmp_path):
    write(tmp_path, {"b.py": BROKEN})
    assert tl("check", "--ignore", "TL001", ".").code == 0
    assert tl("check", "--ignore", "TL0", ".").code == 0
    assert tl("check", "--select", "TL2,TL3", ".").code == 0
    assert tl("check", "--select", "TL2", "--select", "TL0", ".").code == 1
    assert tl("check", "--select", "ALL", ".").code == 1
    assert tl("check", "--select", "ALL", "--ignore", "TL001", ".").code == 0
    assert tl("check", "--ignore", "TL0", "--extend-select", "TL001", ".").code == 1


def test_bad_selector_on_the_command_line_is_a_usage_error(tl, tmp_path):
    write(tmp_path, {"b.py": CLEAN})
    r = tl("check", "--select", "E501", ".")
    assert r.code == 2
    assert "--select" in r.err and "E501" in r.err


def test_a_crash_in_the_analyzer_is_reported_for_that_file_only(tl, tmp_path, monkeypatch):
    import tensorlint.runner as runner

    real = runner._analyze

    def flaky(text, path, config, *rest):
        if path.endswith("boom.py"):
            raise RuntimeError("interpreter fell over")
        return real(text, path, config, *rest)

    monkeypatch.setattr(runner, "_analyze", flaky)
    write(tmp_path, {"boom.py": CLEAN, "b.py": BROKEN})
    r = tl("check", "--no-cache", ".")
    assert r.code == 2
    assert "boom.py" in r.err and "interpreter fell over" in r.err
    assert "b.py:3:" in r.out  # the other file was still checked


def test_undecodable_file_is_a_syntax_error_at_its_line(tl, tmp_path):
    # Python itself refuses such a file; like any file that does not parse, it is TL001 (exit 1)
    write(tmp_path, {"latin.py": b"import torch\nname = '\xe9'\n", "b.py": BROKEN})
    r = tl("check", ".")
    assert r.code == 1
    assert "latin.py:2:1: TL001 SyntaxError: the file is not valid UTF-8: byte 0xe9 cannot be decoded" in r.out
    assert "b.py:3:" in r.out
    assert tl("check", "--ignore", "TL001", "latin.py").code == 0


def test_workers_give_the_same_report_as_one_process(tmp_path):
    files = {f"m{i:02d}.py": (BROKEN if i % 3 == 0 else CLEAN) for i in range(24)}
    write(tmp_path, files)
    base = [sys.executable, "-m", "tensorlint", "check", "--no-cache", "--format", "json", "."]
    one = subprocess.run([*base, "--jobs", "1"], cwd=tmp_path, capture_output=True, text=True)
    many = subprocess.run([*base, "--jobs", "3"], cwd=tmp_path, capture_output=True, text=True)
    assert one.returncode == many.returncode == 1
    assert one.stdout == many.stdout
    assert one.stdout.count('"TL001"') == 8


def test_python_dash_m_is_the_console_script(tmp_path):
    write(tmp_path, {"b.py": BROKEN})
    r = subprocess.run([sys.executable, "-m", "tensorlint", "b.py"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 1 and "b.py:3:" in r.stdout


def test_version_does_not_load_the_analyzer():
    code = "import sys; from tensorlint.cli import main; main(['--version']); print(sorted(m for m in sys.modules if m.split('.')[0] == 'libcst' or m == 'tensorlint.engine'))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.splitlines() == [f"tensorlint {__import__('tensorlint').__version__}", "[]"]


def test_a_check_loads_only_what_its_files_and_options_need(tmp_path):
    """A Python file checked without configuration files or a cache loads no TOML reader, no
    notebook reader and nothing that writes or removes a cache; a notebook, a configuration
    file and the cache each load theirs."""
    write(tmp_path, {"net.py": "import torch\nx = torch.zeros(2)\n"})
    optional = ("tomllib", "tomli", "tensorlint.notebook", "tempfile", "difflib")
    code = ("import contextlib, io, sys\nfrom tensorlint.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(sys.argv[1:])\n"
            f"print(sorted({{'tomli': 'tomllib'}}.get(m, m) for m in {optional!r} if m in sys.modules))")

    def loaded(*args: str) -> str:
        r = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert loaded("check", "--no-cache", "--isolated", "net.py") == "[]"
    write(tmp_path, {"tensorlint.toml": "ignore = ['TL201']\n"})
    assert loaded("check", "--no-cache", "net.py") == "['tomllib']"
    assert loaded("check", "net.py") == "['tempfile', 'tomllib']"
    cell = {"cell_type": "code", "source": ["import torch\n"], "metadata": {}, "outputs": [], "execution_count": None}
    write(tmp_path, {"net.ipynb": json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})})
    assert loaded("check", "--no-cache", "--isolated", "net.ipynb") == "['tensorlint.notebook']"


def test_no_files_is_not_an_error(tl, tmp_path):
    write(tmp_path, {"README.md": "hello"})
    r = tl("check", ".")
    assert r.code == 0
    assert "no Python files" in r.err


# -- a file with a syntax error: the statement that does not parse costs only itself ----------

INT_INPUT = "model = nn.Linear(4, 2)\nx = torch.randint(0, 5, (3, 4))\nout = model(x)\n"  # TL101


@pytest.mark.parametrize("broken", [
    "def broken(:\n    pass\n",              # a definition that does not parse
    "values = [1, 2,\n",                      # a bracket never closed, swallowing what follows
    "for i in range(3)\n    print(i)\n",      # a missing colon
])
def test_a_syntax_error_leaves_the_rest_of_the_file_analyzed(tl, tmp_path, broken):
    head = "import torch\nimport torch.nn as nn\n\n"
    write(tmp_path, {"before.py": head + INT_INPUT + "\n" + broken + "\ny = 1\n",
                     "after.py": head + broken + "\n" + INT_INPUT})
    for name, row in (("before.py", 6), ("after.py", 4 + broken.count("\n") + 3)):
        r = tl("check", "--no-cache", name)
        assert r.code == 1
        codes = [line.split(": ")[1].split()[0] for line in r.out.splitlines() if line.startswith(name + ":")]
        assert codes.count("TL001") == 1 and "TL101" in codes, r.out
        assert f"{name}:{row}:" in r.out  # the TL101 at `out = model(x)`, where it is
        assert "not analyzed: " in r.err and "[*]" not in r.out  # no fix offered for a file that does not parse


@pytest.mark.parametrize("select", [["--select", "TL101"], ["--ignore", "TL001"], ["--select", "TL101,TL102"]])
def test_a_syntax_error_leaves_the_rest_analyzed_when_tl001_is_not_selected(tl, tmp_path, select):
    # leaving TL001 out of the selection must not leave the statements that parse unchecked
    head = "import torch\nimport torch.nn as nn\n\n"
    write(tmp_path, {"b.py": head + INT_INPUT + "\ndef broken(:\n    pass\n"})
    r = tl("check", "--no-cache", *select, "b.py")
    assert r.code == 1 and "b.py:6:" in r.out and "TL101" in r.out, r.out + r.err
    assert "TL001" not in r.out and "not analyzed: " in r.err


@pytest.mark.parametrize("python2", [
    'print "epoch", i\n',
    "exec code\n",
    'raise ValueError, "bad shape"\n',
    "try:\n    pass\nexcept ValueError, err:\n    print err\n",
])
def test_python2_code_is_read_as_python2(tl, tmp_path, python2):
    # not Python 3 (its syntax errors stay), and what the program holds is found at its place
    head = "import torch\nimport torch.nn as nn\n\n"
    write(tmp_path, {"py2.py": head + INT_INPUT + "\n" + python2})
    r = tl("check", "--no-cache", "py2.py")
    assert r.code == 1
    found = {(line.split(": ")[1].split()[0], line.split(":")[1]) for line in r.out.splitlines() if line.startswith("py2.py:")}
    assert ("TL101", "6") in found and "TL001" in {c for c, _ in found}, r.out
    assert "Python 2" in r.err
    assert "[*]" not in r.out  # no fix offered for a file Python 3 does not parse


def test_python2_code_this_reader_cannot_rewrite_gets_only_its_syntax_errors(tl, tmp_path):
    write(tmp_path, {"py2.py": "import torch\nimport torch.nn as nn\n\n" + INT_INPUT + "print `x`\n"})
    r = tl("check", "--no-cache", "py2.py")
    codes = {line.split(": ")[1].split()[0] for line in r.out.splitlines() if line.startswith("py2.py:")}
    assert codes == {"TL001"}, r.out
    assert "Python 2" in r.err


def test_a_syntax_error_alone_still_reports_only_it(tl, tmp_path):
    # the correct look-alike: nothing else wrong in the rest, nothing else reported
    write(tmp_path, {"b.py": "import torch\n\nx = torch.zeros(3)\n\ndef broken(:\n    pass\n\ny = x * 2\n"})
    r = tl("check", "--no-cache", "b.py")
    assert r.code == 1
    assert [line for line in r.out.splitlines() if line.startswith("b.py:")] == [line for line in r.out.splitlines() if " TL001 " in line]
