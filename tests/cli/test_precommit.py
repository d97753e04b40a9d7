"""The real `pre-commit` running this repository's hooks on a buggy training script.

`pre-commit try-repo` installs this repository (as committed, plus uncommitted changes to
tracked files) into a fresh environment: it needs pip to reach PyPI or its cache for libcst.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import torch\n"
    "import torch.nn as nn\n"
    "\n"
    "model = nn.Linear(3, 1)\n"
    "x = torch.randint(0, 5, (2, 3))\n"
    "out = model(x)\n"
)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def try_repo(repo: Path, env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *args],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_hooks_fail_on_the_bug_and_fix_it(tmp_path, env):
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "train.py").write_text(SCRIPT)
    git(repo, "add", "train.py")

    check = try_repo(repo, env, "tensorlint", "--files", "train.py")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "train.py:6:" in check.stdout and "TL101" in check.stdout

    fix = try_repo(repo, env, "tensorlint-fix", "--files", "train.py")
    assert fix.returncode == 1  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in fix.stdout
    fixed = (repo / "train.py").read_text()
    assert fixed == SCRIPT.replace("model(x)", "model(x.float())")
    compile(fixed, "train.py", "exec")

    again = try_repo(repo, env, "tensorlint", "--files", "train.py")
    assert again.returncode == 0, again.stdout


def test_no_staged_files_is_not_an_error(tmp_path, env):
    repo = tmp_path / "empty"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "README.md")
    r = try_repo(repo, env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no files to check" in r.stdout
