"""Memory and the garbage collector across many analyses: a file's trees are not kept once its
analysis is over, `tensorlint check` sets the collector for a run of many files, and a program
that calls the library keeps Python's collector settings."""
from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst

from tensorlint.engine import analyze

ROOT = Path(__file__).resolve().parent.parent


def _program(i: int) -> str:
    return textwrap.dedent(f"""\
        import torch.nn as nn

        class Net{i}(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear({i + 1}, 2)
                self.seen = []

            def forward(self, x):
                self.seen.append(x)
                return self.fc(x)

            def reset(self):
                self.seen = []
        """)


def _alive(kind) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is kind)


def test_analyses_do_not_keep_the_trees_of_files_analyzed_before():
    analyze(_program(0), "warm.py")
    before = _alive(cst.ClassDef)
    for i in range(40):
        analyze(_program(i), f"net{i}.py")
    assert _alive(cst.ClassDef) - before <= 1


def _run_python(code: str, cwd: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


_STATE = "import gc, json; print(json.dumps({'threshold': gc.get_threshold(), 'frozen': gc.get_freeze_count()}))"


def test_check_of_many_files_freezes_what_is_loaded_and_collects_young_objects_less_often(tmp_path):
    from tensorlint.engine import COLLECTOR_THRESHOLDS

    for i in range(3):
        (tmp_path / f"net{i}.py").write_text(_program(i))
    code = ("import contextlib, io\nfrom tensorlint.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['check', '--no-cache', '--jobs', '1', '.'])\n" + _STATE)
    state = _run_python(code, tmp_path)
    assert tuple(state["threshold"]) == COLLECTOR_THRESHOLDS
    assert state["frozen"] > 10_000  # the rules, tables and libcst loaded before the first file


def test_a_program_calling_the_library_keeps_python_collector_settings(tmp_path):
    code = (f"from tensorlint.engine import analyze\nanalyze({_program(1)!r}, 'net.py')\n" + _STATE)
    state = _run_python(code, tmp_path)
    assert tuple(state["threshold"]) == (700, 10, 10)
    assert state["frozen"] == 0


_FULL_COLLECTIONS = ("import gc\nfull = []\n"
                     "gc.callbacks.append(lambda phase, info: phase == 'start' and info['generation'] == 2"
                     " and full.append(1))\n")


def test_check_of_one_file_loads_the_engine_without_a_full_collection_and_leaves_the_collector_on(tmp_path):
    """The imports before the first file run with the collector paused, and what they loaded is
    frozen as it is: no full collection walks the ~40,000 objects they leave."""
    (tmp_path / "net.py").write_text(_program(0))
    code = (_FULL_COLLECTIONS + "import contextlib, io, json\nfrom tensorlint.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    status = main(['check', '--no-cache', 'net.py'])\n"
            "print(json.dumps({'status': status, 'full': len(full), 'enabled': gc.isenabled(),"
            " 'frozen': gc.get_freeze_count()}))")
    state = _run_python(code, tmp_path)
    assert state["status"] == 0
    assert state["full"] == 0
    assert state["enabled"] is True
    assert state["frozen"] > 10_000


def test_commands_that_analyze_nothing_leave_the_collector_on(tmp_path):
    code = ("import contextlib, gc, io, json\nfrom tensorlint.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['rule', 'TL201'])\n"
            "    main(['check', '--no-cache', '.'])\n"  # no Python file: nothing is analyzed
            "print(json.dumps({'enabled': gc.isenabled()}))")
    assert _run_python(code, tmp_path) == {"enabled": True}


def test_a_program_that_turned_the_collector_off_finds_it_off_after_a_check(tmp_path):
    (tmp_path / "net.py").write_text(_program(0))
    code = ("import contextlib, gc, io, json\ngc.disable()\nfrom tensorlint.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['check', '--no-cache', 'net.py'])\n"
            "print(json.dumps({'enabled': gc.isenabled()}))")
    assert _run_python(code, tmp_path) == {"enabled": False}
