"""Start the driver in a subprocess with limits, and collect what it reported.

The parent never imports torch or tensorflow: it slices the file, writes a plan, runs
`driver.py` under the chosen interpreter, and reads back the events, even when the child was
killed half-way.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from . import sandbox

if TYPE_CHECKING:
    from .slicer import Slice

DRIVER = Path(__file__).with_name("driver.py")
DEVICES = ("auto", "cuda", "cpu", "meta")
CRASH_FRAME = re.compile(r'File "(?P<file>.*)", line (?P<line>\d+)')


@dataclass
class Options:
    device: str = "auto"  # auto | cuda | cpu | meta
    timeout: float = 120.0  # seconds for the whole run, interpreter start and imports included
    memory_mb: int | None = None  # None: three quarters of the machine's memory; 0: no limit
    python: str | None = None  # interpreter that has torch/tensorflow; default: this one
    inputs: dict[str, tuple[list[int], str | None]] = field(default_factory=dict)  # NAME -> (shape, dtype)
    argv: list[str] = field(default_factory=list)  # the program's command-line arguments (after the file)
    # values of argv the check chose itself (arguments.py): an error that names one is the check's
    placeholders: list[str] = field(default_factory=list)
    guess_inputs: bool = True  # call models the file never calls, with an input from their first layer
    env: dict[str, str] = field(default_factory=dict)  # extra environment for the subprocess
    cwd: str | None = None  # folder the user's code runs in; default: the file's folder
    static: bool = True  # compare with the static findings of tensorlint.engine
    # set from another thread to stop the run: the subprocess is killed (an editor's cancel)
    cancel: threading.Event | None = None
    # auto: Linux namespaces when this machine allows them, else the process-tree reaper;
    # namespaces: refuse to run without them; process-tree: never use them
    sandbox: str = field(default_factory=lambda: os.environ.get("TENSORLINT_SANDBOX", "auto"))
    # which rows and values a table the program reads from a missing file is made of (0 or 1):
    # a program that reads one is run with both (data_runs.py)
    data_choice: int = 0
    data_rows: int | None = None  # the made-up table's row count, instead of the choice's


@dataclass
class RawRun:
    """What came back from the subprocess."""

    events: list[dict]
    returncode: int | None
    timed_out: bool
    duration: float
    stdout: str
    stderr: str
    crash_log: str
    hang_lines: list[int]  # user lines on the stack when the watchdog fired or the process crashed
    cancelled: bool = False  # stopped by `Options.cancel`
    isolation: dict = field(default_factory=dict)  # what the sandbox achieved (see sandbox.py)


def default_memory_mb() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        return max(1024, int(total * 0.75) // (1024 * 1024))
    except (ValueError, OSError, AttributeError):
        return 8192


def execute(path: str, sliced: Slice, options: Options) -> RawRun:
    python = options.python or sys.executable
    memory = default_memory_mb() if options.memory_mb is None else options.memory_mb
    mode, isolation = _choose_sandbox(options.sandbox)
    if mode is None:
        return RawRun([{"event": "fatal", "message": isolation["why"]}], None, False, 0.0, "", "", "", [], isolation=isolation)
    # the child's own watchdog fires first and prints where it hangs; the parent kills after
    grace = min(5.0, max(1.0, options.timeout * 0.1))
    with tempfile.TemporaryDirectory(prefix="tensorlint-shapecheck-") as tmp:
        plan_file = os.path.join(tmp, "plan.json")
        events_file = os.path.join(tmp, "events.jsonl")
        crash_file = os.path.join(tmp, "crash.log")
        out_file = os.path.join(tmp, "stdout.txt")
        err_file = os.path.join(tmp, "stderr.txt")
        status_file = os.path.join(tmp, "sandbox.json")
        work = os.path.join(tmp, "tmp")  # the user's code may write here (TMPDIR), nowhere else
        os.mkdir(work)
        plan = {
            "path": path,
            "device": options.device,
            "frameworks": sliced.frameworks,
            "units": sliced.to_json()["units"],
            "tf1": sliced.tf1,
            "self_tests": sliced.self_tests,
            "library": sliced.library,
            "factories": sliced.factories,
            "factory_sizes": sliced.factory_sizes,
            "class_sizes": sliced.class_sizes,
            "probes": sliced.probes,
            "project_ctors": sliced.project_ctors,
            "inputs": {name: {"shape": shape, "dtype": dtype} for name, (shape, dtype) in options.inputs.items()},
            "guess_inputs": options.guess_inputs,
            "argv": list(options.argv),
            "placeholders": list(options.placeholders),
            "data_choice": options.data_choice,
            "data_rows": options.data_rows,
            "memory_mb": memory or None,
            "crash_log": crash_file,
            "watchdog_s": max(0.5, options.timeout - grace),
        }
        Path(plan_file).write_text(json.dumps(plan), encoding="utf-8")
        Path(events_file).touch()
        if mode == "namespaces":
            Path(tmp, sandbox.SOCKETS_FILE).write_text(json.dumps(sandbox.bound_sockets()), encoding="utf-8")
        env = dict(os.environ)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        # no display in the check: a window the program opens (pygame, under gym's `env.render()`)
        # draws off screen, and its sound goes nowhere, instead of failing for want of a device
        env.setdefault("SDL_VIDEODRIVER", "dummy")
        env.setdefault("SDL_AUDIODRIVER", "dummy")
        # no network in the check: Hugging Face's libraries (`from_pretrained`) then say at once that
        # the model is not downloaded, instead of retrying until the check's time runs out
        env.setdefault("HF_HUB_OFFLINE", "1")
        env.setdefault("TRANSFORMERS_OFFLINE", "1")
        env.setdefault("HF_DATASETS_OFFLINE", "1")
        env.update(options.env)
        env["TMPDIR"] = work
        env.pop(sandbox.FOLDER_COPY_VAR, None)  # only the sandbox says that the program's folder is a copy
        # numba (under librosa) caches what it compiles beside the package, read-only here: into TMPDIR
        env.setdefault("NUMBA_CACHE_DIR", work)
        token = sandbox.new_token()
        env[sandbox.TOKEN_VAR] = token  # every process of the check inherits it: see sandbox.sweep
        cwd = options.cwd or os.path.dirname(os.path.abspath(path)) or "."
        start = time.monotonic()
        timed_out = cancelled = False
        returncode: int | None = None
        # the reaper reads the other end: when this process closes it (or dies), the check ends
        lifeline_read, lifeline = os.pipe()
        argv = sandbox.command(mode, status_file, tmp, lifeline_read, [python, str(DRIVER), plan_file, events_file])
        try:
            with open(out_file, "wb") as out, open(err_file, "wb") as err:
                try:
                    proc = subprocess.Popen(
                        argv,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        cwd=cwd,
                        env=env,
                        pass_fds=(lifeline_read,),
                        start_new_session=True,  # its own process group, away from the terminal's signals
                    )
                except OSError as exc:
                    return RawRun([{"event": "fatal", "message": f"cannot start {argv[0]}: {exc}"}], None, False, 0.0, "", "", "", [],
                                  isolation=isolation)
                finally:
                    os.close(lifeline_read)
                try:
                    returncode = _wait(proc, options.timeout, options.cancel)
                    if returncode is None:
                        cancelled = options.cancel is not None and options.cancel.is_set()
                        timed_out = not cancelled
                        returncode = _stop(proc, lifeline)
                        lifeline = -1
                finally:
                    if proc.poll() is None:  # interrupted (Ctrl-C): let the reaper clean up first
                        _stop(proc, lifeline)
                    elif lifeline >= 0:
                        os.close(lifeline)
                    lifeline = -1
                    # whatever escaped the reaper (it was killed, or the code cleared its
                    # environment is still in its tree and was killed with it) ends here
                    left = sandbox.sweep(token)
        finally:
            if lifeline >= 0:
                os.close(lifeline)
        duration = time.monotonic() - start
        status = sandbox.read_status(status_file)
        isolation.update({k: v for k, v in status.items() if k not in ("mode", "returncode")})
        if left:
            isolation["swept"] = len(left)
        if "returncode" in status:
            returncode = status["returncode"]  # the driver's own, not the reaper's
        elif not (timed_out or cancelled) and returncode is not None and not status:
            isolation.setdefault("problems", []).append("the sandbox did not start")
        events = _read_events(events_file)
        crash = _read(crash_file)
        if "Timeout (" in crash and not any(e.get("event") == "done" for e in events):
            timed_out = True  # the child's watchdog fired
        return RawRun(
            events=events,
            returncode=returncode,
            timed_out=timed_out,
            duration=duration,
            stdout=_read(out_file),
            stderr=_read(err_file),
            crash_log=crash,
            hang_lines=_user_lines(crash, path),
            cancelled=cancelled,
            isolation=isolation,
        )


def _choose_sandbox(wanted: str) -> tuple[str | None, dict]:
    """(mode to run in, what to report); mode None: refuse to run (the dict says why)."""
    if wanted not in sandbox.MODES:
        return None, {"mode": wanted, "why": f"unknown sandbox {wanted!r}: choose one of {', '.join(sandbox.MODES)}"}
    if wanted == "process-tree":
        return "process-tree", {"mode": "process-tree", "why": "--sandbox process-tree"}
    ok, why = sandbox.isolation_available()
    if ok:
        return "namespaces", {"mode": "namespaces"}
    if wanted == "namespaces":
        return None, {"mode": "none", "why": f"the sandbox needs Linux namespaces and {why}"}
    return "process-tree", {"mode": "process-tree", "why": why}


def _stop(proc: subprocess.Popen, lifeline: int) -> int:
    """End the run: closing the lifeline asks the reaper to kill everything it watches; if it
    does not exit soon, its whole process group is killed (the parent's sweep does the rest)."""
    if lifeline >= 0:
        os.close(lifeline)
        try:
            return proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
    _kill_group(proc)
    return proc.wait()


def _wait(proc: subprocess.Popen, timeout: float, cancel: threading.Event | None) -> int | None:
    """The exit status, or None when the time ran out or `cancel` was set first."""
    if cancel is None:
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
    deadline = time.monotonic() + timeout
    while not cancel.is_set():
        try:
            return proc.wait(timeout=max(0.0, min(0.1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                return None
    return None


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        try:
            proc.kill()
        except OSError:
            pass


def _read(path: str, limit: int = 20000) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    return text if len(text) <= limit else "…" + text[-limit:]


def _read_events(path: str) -> list[dict]:
    events = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    ev = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash
                if isinstance(ev, dict):
                    events.append(ev)
    except OSError:
        pass
    return events


def _user_lines(crash: str, path: str) -> list[int]:
    """Lines of the user's file on the current thread's stack in a faulthandler dump, innermost first."""
    lines: list[int] = []
    inside = False
    for row in (crash or "").splitlines():
        if not inside:
            inside = row.startswith(("Current thread 0x", "Thread 0x", "Stack (most recent call first)"))
            continue
        if not row.strip():
            break
        m = CRASH_FRAME.search(row)
        if m and m.group("file") == path:
            lines.append(int(m.group("line")))
    return lines
