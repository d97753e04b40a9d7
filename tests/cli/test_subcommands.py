"""`tensorlint server` and `tensorlint shapecheck` reach their front ends."""
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "tensorlint", *args], capture_output=True, text=True, timeout=120)


def test_server_subcommand_parses_its_own_options():
    out = run("server", "--help")
    assert out.returncode == 0
    assert "--tcp" in out.stdout


def test_shapecheck_subcommand_reports_a_missing_file_cleanly(tmp_path):
    out = run("shapecheck", str(tmp_path / "missing.py"))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
