"""Running a program and its fixed version under the real frameworks, to tell whether a fix made
code raise that did not before.

`Runner` keeps one interpreter with torch imported and forks a child for every program, so a
program costs its own run time and not an import of torch (about 2 s). TensorFlow does not
survive a fork after its import: a program that imports tensorflow or keras runs in a fresh
interpreter of its own (slow; the fix-safety tests do that only when asked).

Only programs that make their own (synthetic) data are run: nothing here downloads. Each one
runs in an empty temporary folder, seeded the same way for the original and the fixed version,
with a wall-clock limit.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

FRAMEWORK_IMPORT = re.compile(r"^\s*(?:import|from)\s+(torch|tensorflow|keras)\b", re.M)

# Runs one program in the current process: argv = [result file]; the source comes on stdin
# (a fresh interpreter) or as `source` (a forked child).
_RUN_ONE = r'''
import json, os, random, sys, traceback

def run_program(source, result_path):
    os.environ.setdefault("MPLBACKEND", "Agg")
    result = {"status": "ran"}
    try:
        random.seed(0)
        try:
            import numpy
            numpy.random.seed(0)
        except ImportError:
            pass
        if "torch" in sys.modules:
            import torch
            torch.manual_seed(0)
        code = compile(source, "<program>", "exec")
        exec(code, {"__name__": "__main__", "__file__": os.path.join(os.getcwd(), "program.py")})
    except SystemExit as err:
        if err.code not in (None, 0):
            result = {"status": "raised", "exception": "SystemExit", "line": None, "message": str(err.code)}
    except BaseException as err:
        lines = [f.lineno for f in traceback.extract_tb(err.__traceback__) if f.filename == "<program>"]
        result = {"status": "raised", "exception": type(err).__name__, "line": lines[-1] if lines else None,
                  "message": (str(err).strip().splitlines() or [""])[0][:300]}
    with open(result_path, "w") as f:
        json.dump(result, f)
'''

# The fork server: imports torch once, then reads one JSON request a line and answers one.
_SERVER = _RUN_ONE + r'''
import signal, time
proto = os.fdopen(os.dup(1), "w")
null = os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 1)
os.dup2(null, 2)
import torch
torch.set_num_threads(1)
try:  # pay once for what every training program needs (the first optimizer step imports a lot)
    _m = torch.nn.Linear(2, 1)
    _o = torch.optim.SGD(_m.parameters(), lr=0.1)
    _m(torch.ones(1, 2)).sum().backward()
    _o.step()
    torch.optim.Adam(_m.parameters()).step()
except Exception:
    pass
proto.write("ready\n")
proto.flush()
for line in sys.stdin:
    req = json.loads(line)
    out = os.path.join(req["dir"], "result.json")
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            os.chdir(req["dir"])
            run_program(req["source"], out)
        finally:
            os._exit(0)
    deadline = time.monotonic() + req["timeout"]
    while True:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
            break
        time.sleep(0.01)
    try:
        with open(out) as f:
            result = json.load(f)
    except (OSError, ValueError):
        result = {"status": "timeout" if time.monotonic() > deadline else "died"}
    proto.write(json.dumps(result) + "\n")
    proto.flush()
'''

_FRESH = _RUN_ONE + r'''
run_program(sys.stdin.read(), sys.argv[1])
'''


@dataclass
class Outcome:
    status: str  # ran | raised | timeout | died
    exception: str | None = None
    line: int | None = None
    message: str = ""

    @property
    def raised(self) -> bool:
        return self.status in ("raised", "died")


def frameworks(source: str) -> set[str]:
    return {"tf" if m in ("tensorflow", "keras") else m for m in FRAMEWORK_IMPORT.findall(source)}


class Runner:
    """Runs programs under `python`; torch programs through one fork server."""

    def __init__(self, python: str | None = None, timeout: float = 20.0):
        self.python = python or os.environ.get("TENSORLINT_RUNTIME_PYTHON") or sys.executable
        self.timeout = timeout
        self._server: subprocess.Popen | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="tl-fixsafety-")
        self._count = 0

    def available(self, module: str) -> bool:
        proc = subprocess.run([self.python, "-c", f"import {module}"], capture_output=True, timeout=120)
        return proc.returncode == 0

    def _folder(self) -> str:
        self._count += 1
        path = Path(self._tmp.name) / str(self._count)
        path.mkdir()
        return str(path)

    def run(self, source: str) -> Outcome:
        if "tf" in frameworks(source) or not hasattr(os, "fork"):
            return self._run_fresh(source)
        return self._run_forked(source)

    def _env(self) -> dict:
        env = dict(os.environ, MPLBACKEND="Agg", CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0",
                   OMP_NUM_THREADS="1")
        env.pop("PYTHONPATH", None)
        return env

    def _run_forked(self, source: str) -> Outcome:
        if self._server is None or self._server.poll() is not None:
            self._server = subprocess.Popen([self.python, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, text=True, env=self._env(), cwd=self._tmp.name)
            if self._server.stdout.readline().strip() != "ready":
                raise RuntimeError(f"{self.python} could not start the torch runner")
        request = {"source": source, "dir": self._folder(), "timeout": self.timeout}
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        answer = self._server.stdout.readline()
        if not answer:
            self._server = None
            return Outcome("died")
        return Outcome(**json.loads(answer))

    def _run_fresh(self, source: str) -> Outcome:
        folder = self._folder()
        out = Path(folder) / "result.json"
        try:
            subprocess.run([self.python, "-c", _FRESH, str(out)], input=source, text=True, capture_output=True,
                           timeout=self.timeout + 30, env=self._env(), cwd=folder)
        except subprocess.TimeoutExpired:
            return Outcome("timeout")
        try:
            return Outcome(**json.loads(out.read_text()))
        except (OSError, ValueError):
            return Outcome("died")

    def close(self) -> None:
        if self._server is not None and self._server.poll() is None:
            self._server.stdin.close()
            try:
                self._server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
        self._server = None
        self._tmp.cleanup()


def edited_lines(original: str, fixed: str) -> set[int]:
    """Lines of `fixed` that differ from `original` (by a line diff)."""
    import difflib

    out = set()
    matcher = difflib.SequenceMatcher(a=original.splitlines(), b=fixed.splitlines(), autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.update(range(j1 + 1, j2 + 1))
    return out


def broke(original: str, fixed: str, before: Outcome, after: Outcome) -> str | None:
    """Why the fixed program counts as broken by its fixes, or None: it raises where the original
    ran, or both raise and the fixed one fails on a line the fixes wrote with an error a correct
    edit cannot cause (an attribute a value lacks, a call it does not take, a name not defined)."""
    if after.status == "timeout" and before.status == "ran":
        return "the fixed program ran past the time limit; the original finished"
    if after.raised and before.status == "ran":
        return f"the original ran; the fixed program raises {after.exception} at line {after.line}: {after.message}"
    if after.raised and before.raised and after.exception in ("AttributeError", "TypeError", "NameError", "SyntaxError"):
        if after.line in edited_lines(original, fixed) and (after.exception, after.line) != (before.exception, before.line):
            return (f"the fix's own line {after.line} raises {after.exception}: {after.message} "
                    f"(the original raised {before.exception} at line {before.line})")
    return None
