"""Startup cost: the time before tensorlint does anything useful, beyond the interpreter's own.

    python bench/startup.py              # median of 10 runs each
    python bench/startup.py --runs 20

Three paths, each timed from process start to its end (or, for the server, to the
`initialize` response on stdout), against `python -c pass`:

- `tensorlint --version`
- `tensorlint check --no-cache --isolated examples/mnist_cnn.py` (a one-file check)
- `python -m tensorlint.server`, sent an LSP `initialize` request over stdio

The package is byte-compiled first (as an installed package is: pip compiles it; a checkout
under PYTHONDONTWRITEBYTECODE would otherwise compile every module at every start, ~50 ms).
The warm-up runs also fill the user's cache of compiled dataclass methods
(tensorlint/codecache.py), as any earlier run of the command has on a user's machine; with
`TENSORLINT_CODE_CACHE=off` a one-file check compiles them again, about 60 ms more.
The runs are interleaved so that a busy moment of the machine hits every path alike. Beside
the wall time, each path's CPU time (user + system of the process, from `wait4`; the server
is stopped right after its answer) is reported: on a machine that other work keeps busy, the
wall time counts the moments the process waited for a core, and the CPU time does not. Then each
path runs once more with `-X importtime` and the script fails (exit 1) if torch, tensorflow or
keras was imported. Targets (issue 8): version and check under 200 ms beyond the interpreter,
the server's initialize response within 300 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
EXAMPLE = REPO / "examples" / "mnist_cnn.py"
FORBIDDEN = ("torch", "tensorflow", "keras")


def tensorlint_cmd() -> list[str]:
    script = Path(PY).with_name("tensorlint")
    return [str(script)] if script.exists() else [PY, "-m", "tensorlint"]


def lsp_message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = lsp_message({
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"processId": os.getpid(), "rootUri": None, "capabilities": {}},
})
SHUTDOWN = lsp_message({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
EXIT = lsp_message({"jsonrpc": "2.0", "method": "exit", "params": None})


def read_message(stream) -> dict:
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))


def cpu_of(proc: subprocess.Popen) -> float:
    """User + system seconds of the finished (or killed) `proc`, reaped here."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def run_command(cmd: list[str], extra: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """Wall and CPU seconds of the command; its stderr."""
    t = time.perf_counter()
    proc = subprocess.Popen([*cmd[:1], *extra, *cmd[1:]] if extra else cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    cpu = cpu_of(proc)
    elapsed = time.perf_counter() - t
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {err}")
    return elapsed, cpu, err


def run_server(extra: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """Wall seconds from start to the initialize response, the CPU seconds the process had used
    when it was stopped right after; with `extra` (-X importtime) the session goes on to its end
    and the stderr of the whole session is returned."""
    t = time.perf_counter()
    proc = subprocess.Popen([PY, *extra, "-m", "tensorlint.server"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE if extra else subprocess.DEVNULL)
    proc.stdin.write(INITIALIZE)
    proc.stdin.flush()
    while "result" not in (reply := read_message(proc.stdout)) or reply.get("id") != 1:
        pass  # notifications (log messages) before the answer
    elapsed = time.perf_counter() - t
    if not extra:
        proc.send_signal(signal.SIGKILL)
        cpu = cpu_of(proc)
        proc.stdin.close()
        proc.stdout.close()
        return elapsed, cpu, ""
    rest = lsp_message({"jsonrpc": "2.0", "method": "initialized", "params": {}}) + SHUTDOWN + EXIT
    try:
        _, err = proc.communicate(rest, timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return elapsed, 0.0, err.decode(errors="replace")


def imported_forbidden(importtime_log: str) -> list[str]:
    found = []
    for line in importtime_log.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip()
            if module.split(".")[0] in FORBIDDEN:
                found.append(module)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    # An installed package comes with its bytecode (pip compiles it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module at every start instead.
    subprocess.run([PY, "-m", "compileall", "-q", *(str(REPO / d) for d in ("tensorlint", "server", "rules"))],
                   check=False, stdout=subprocess.DEVNULL)
    tl = tensorlint_cmd()
    paths = {
        "python -c pass": lambda extra=(): run_command([PY, "-c", "pass"], extra),
        "tensorlint --version": lambda extra=(): run_command(
            [PY, "-m", "tensorlint", "--version"] if extra else [*tl, "--version"], extra),
        "tensorlint check (one file)": lambda extra=(): run_command(
            [PY, "-m", "tensorlint", "check", "--no-cache", "--isolated", str(EXAMPLE)] if extra
            else [*tl, "check", "--no-cache", "--isolated", str(EXAMPLE)], extra),
        "server initialize": lambda extra=(): run_server(extra),
    }
    for run in paths.values():  # warm the file system cache and the .pyc files
        run()
    times: dict[str, list[float]] = {name: [] for name in paths}
    cpus: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(args.runs):
        for name, run in paths.items():
            wall, cpu, _ = run()
            times[name].append(wall)
            cpus[name].append(cpu)
    base = statistics.median(times["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    targets = {"tensorlint --version": 0.200, "tensorlint check (one file)": 0.200, "server initialize": 0.300}
    print(f"median of {args.runs} runs, {' '.join(tl)}, Python {sys.version.split()[0]}, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"  {'path':30} {'wall':>9} {'beyond python':>14}  {'target (wall)':17} {'CPU':>9} {'beyond python':>14}")
    for name, values in times.items():
        median, cpu = statistics.median(values), statistics.median(cpus[name])
        first = name == "python -c pass"
        beyond = 0.0 if first else median - base
        cpu_beyond = 0.0 if first else cpu - base_cpu
        target = targets.get(name)
        verdict = "" if target is None else (f"< {1000 * target:.0f} ms " + ("met" if beyond < target else "NOT MET"))
        print(f"  {name:30} {1000 * median:7.1f} ms {1000 * beyond:11.1f} ms  {verdict:17} "
              f"{1000 * cpu:6.1f} ms {1000 * cpu_beyond:11.1f} ms")
    bad = 0
    for name, run in paths.items():
        if name == "python -c pass":
            continue
        found = imported_forbidden(run(("-X", "importtime"))[-1])
        print(f"  imports of {'/'.join(FORBIDDEN)} on '{name}': {', '.join(found) if found else 'none'}")
        bad += bool(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
