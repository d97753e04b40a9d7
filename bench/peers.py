"""tensorlint against its peers on one corpus, in one run.

    python bench/peers.py                       # 2,000 files, 5 runs of every tool
    python bench/peers.py --quick               # 150 files, pylint on 20, one run: a smoke test
    python bench/peers.py --runs 7 --files 3000 --tools parse tensorlint-j1 torchfix-j1

Tools, each from its own virtual environment under bench/.venvs/ (created on first use):
libcst's parse alone (the floor for any libcst-based tool), tensorlint `check --no-cache`
with `--jobs 1` and with all cores, TorchFix `--select ALL` (with `--jobs 1` and its default of
all cores), Fixit `fixit lint` (single process and its default pool), ruff `--select ALL`
(compiled, for scale), and pylint with the dslinter plugin on a subset.

The files are a fixed, evenly spread sample of bench/.corpus (run bench/corpus.py first),
copied to a scratch folder outside any git repository so that no tool skips them as
git-ignored; every tool gets the same paths. Runs alternate (the order of the tools rotates
each round); the figure is the median. Peak memory is the largest sum of RSS over the
tool's process tree, sampled every 50 ms, and the largest single process (wait4).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import _venvs
from _common import CORPUS, PACKAGE_NAMES, load_note, REPO, RESULTS, corpus_files, count_lines, median, read_text, require, spread, table

DRIVERS = str(REPO / "bench" / "_drivers.py")
CHECKED = re.compile(r"(?:checked|checking)\s+(\d+)\s+files?|(\d+)\s+files?\s+checked", re.I)
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Tool:
    key: str
    label: str
    argv: list[str]
    subset: bool = False  # runs on the small subset (pylint)
    ok_codes: tuple[int, ...] = (0, 1)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system of the whole process tree
    tree_rss: int = 0  # bytes
    proc_rss: int = 0  # bytes
    slow: bool = False  # a slow peer: runs --slow-runs times
    last_rc: int | None = None
    checked: int | None = None
    traceback: bool = False


# -- measuring one child -------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0


def measure(argv: list[str], cwd: str, log_path: str, timeout: float) -> tuple[float, float, int, int, int]:
    """Run argv; (wall seconds, CPU seconds, exit status, peak tree RSS, peak single-process RSS).

    The CPU time and the single-process peak come from wait4, so they include every
    descendant the child waited for (a worker pool's processes).
    """
    peak = [0]
    done = threading.Event()
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)

        def sample():
            while not done.wait(0.05):
                peak[0] = max(peak[0], sum(_rss(p) for p in _tree(proc.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_utime + usage.ru_stime, proc.returncode, peak[0], usage.ru_maxrss * 1024


# -- the tools -------------------------------------------------------------------------------

def tensorlint_argv(jobs: str, notes: list[str]) -> list[str]:
    """`tensorlint check --no-cache --jobs N` with whatever of that the CLI has today."""
    exe = str(REPO / ".venv" / "bin" / "tensorlint")
    probe = subprocess.run([exe, "check", "--help"], capture_output=True, text=True) if os.path.exists(exe) else None
    if probe is None or probe.returncode != 0:
        note = "tensorlint: `tensorlint check` not available; timed bench/_drivers.py analyze (engine.analyze per file, same pool size)"
        if note not in notes:
            notes.append(note)
        return [sys.executable, DRIVERS, "analyze", "--jobs", jobs]
    argv = [exe, "check"]
    for flag, value in (("--no-cache", None), ("--isolated", None), ("--jobs", jobs)):
        if flag in probe.stdout:
            argv += [flag] + ([value] if value else [])
        else:
            note = f"tensorlint: `check` has no {flag} option yet; run without it"
            if note not in notes:
                notes.append(note)
    return argv


def build_tools(wanted: set[str], cores: int, notes: list[str]) -> list[Tool]:
    venv_bin = _venvs.bin_path
    tools: list[Tool] = []

    def env_ready(name: str) -> bool:
        ok, why = _venvs.ensure(_venvs.ENVS[name])
        if not ok:
            notes.append(f"{name}: skipped ({why})")
        elif _venvs.ENVS[name].note:
            notes.append(f"{name}: {_venvs.ENVS[name].note}")
        return ok

    candidates = {
        "parse": lambda: [Tool("parse", "libcst parse alone (1 process)", [sys.executable, DRIVERS, "parse"])],
        "tensorlint-j1": lambda: [Tool("tensorlint-j1", "tensorlint --jobs 1", tensorlint_argv("1", notes))],
        "tensorlint-jN": lambda: [Tool("tensorlint-jN", f"tensorlint --jobs {cores}", tensorlint_argv(str(cores), notes))],
        "torchfix-j1": lambda: [Tool("torchfix-j1", "TorchFix --select ALL --jobs 1",
                                     [venv_bin("torchfix", "torchfix"), "--select", "ALL", "--jobs", "1"], slow=True)]
        if env_ready("torchfix") else [],
        "torchfix": lambda: [Tool("torchfix", f"TorchFix --select ALL (default: {cores} jobs)",
                                  [venv_bin("torchfix", "torchfix"), "--select", "ALL"], slow=True)] if env_ready("torchfix") else [],
        "fixit-1": lambda: [Tool("fixit-1", "Fixit lint (1 process)", [venv_bin("fixit", "python"), DRIVERS, "fixit-serial"], slow=True)]
        if env_ready("fixit") else [],
        "fixit": lambda: [Tool("fixit", "Fixit lint (default pool)", [venv_bin("fixit", "fixit"), "lint"], slow=True)]
        if env_ready("fixit") else [],
        "ruff": lambda: [Tool("ruff", "ruff --select ALL (all cores)",
                              [venv_bin("ruff", "ruff"), "check", "--isolated", "--select", "ALL", "--no-cache",
                               "--output-format", "concise"])] if env_ready("ruff") else [],
        "pylint": lambda: [
            Tool("parse-sub", "libcst parse alone (subset)", [sys.executable, DRIVERS, "parse"], subset=True),
            Tool("tensorlint-j1-sub", "tensorlint --jobs 1 (subset)", tensorlint_argv("1", notes), subset=True),
            Tool("pylint", "pylint + dslinter (subset)", [venv_bin("dslinter", "pylint"), "--load-plugins=dslinter",
                                                          "--jobs=1", "--score=n"], subset=True, slow=True,
                 ok_codes=tuple(range(0, 32))),  # pylint's status is a bit mask of message kinds
        ] if env_ready("dslinter") else [],
    }
    for key in candidates:
        if key in wanted:
            tools.extend(candidates[key]())
    return tools


ALL_TOOLS = ("parse", "tensorlint-j1", "tensorlint-jN", "torchfix-j1", "torchfix", "fixit-1", "fixit", "ruff", "pylint")
# The all-core runs of TorchFix and Fixit are opt-in: the targets compare single processes,
# and Fixit's default pool alone takes longer than everything else together.
DEFAULT_TOOLS = ("parse", "tensorlint-j1", "tensorlint-jN", "torchfix-j1", "fixit-1", "ruff", "pylint")


# -- the corpus sample -----------------------------------------------------------------------

def sample(items: list, n: int) -> list:
    """n items spread evenly over the list (all of it when n >= len)."""
    if n >= len(items):
        return list(items)
    return [items[(i * len(items)) // n] for i in range(n)]


def stage(files, workdir: str) -> list[str]:
    """Copy the files into workdir (keeping <package>/<path>); returns relative paths."""
    rels = []
    for _, path in files:
        rel = os.path.relpath(path, CORPUS)
        dest = os.path.join(workdir, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(path, dest)
        rels.append(rel)
    return rels


# -- the run ---------------------------------------------------------------------------------

def mb(n: int) -> str:
    return f"{n / 2**20:,.0f}" if n else "-"


def report(tools: list[Tool], n_files: int, n_sub: int) -> str:
    by_key = {t.key: t for t in tools}

    def ratio(t: Tool, base_key: str, cpu: bool = False) -> str:
        base = by_key.get(base_key)
        if not base or not base.times or not t.times or base is t:
            return ""
        return f"{median(t.cpu) / median(base.cpu):.2f}" if cpu else f"{median(t.times) / median(base.times):.2f}"

    rows = []
    for t in tools:
        if not t.times:
            continue
        n = n_sub if t.subset else n_files
        sec = median(t.times)
        status = "" if t.last_rc in t.ok_codes else f"exit {t.last_rc}!"
        status += " traceback!" if t.traceback else ""
        checked = "" if t.checked is None else str(t.checked)
        base1 = "tensorlint-j1-sub" if t.subset else "tensorlint-j1"
        rows.append([t.label, str(n), checked, str(len(t.times)), f"{sec:.2f}", spread(t.times), f"{median(t.cpu):.2f}",
                     f"{n / sec:,.1f}",
                     mb(t.tree_rss), mb(t.proc_rss), ratio(t, base1), "" if t.subset else ratio(t, "tensorlint-jN"),
                     ratio(t, base1, cpu=True), status])
    head = ["tool", "files", "checked", "runs", "median s", "min-max", "CPU s", "files/s", "peak MB tree",
            "peak MB proc", "÷ TL j1", "÷ TL jN", "CPU ÷ TL j1", ""]
    return table(rows, head, right=set(range(1, 13)))


def main(argv=None) -> int:
    cores = os.cpu_count() or 1
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=None, help="timed runs per tool; the median is reported (default 5)")
    ap.add_argument("--files", type=int, default=None, help="files in the sample (default 2000)")
    ap.add_argument("--subset", type=int, default=None, help="files for pylint + dslinter (default 200)")
    ap.add_argument("--packages", nargs="+", default=list(PACKAGE_NAMES), choices=PACKAGE_NAMES)
    ap.add_argument("--tools", nargs="+", default=list(DEFAULT_TOOLS), choices=(*ALL_TOOLS, "all"),
                    help=f"default: {' '.join(DEFAULT_TOOLS)}; 'all' adds TorchFix and Fixit on all cores")
    ap.add_argument("--slow-runs", type=int, default=None,
                    help="runs for the slow peers (TorchFix, Fixit, pylint); default: --runs")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: --files 150 --subset 20 --runs 1 unless given")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before one run is killed")
    ap.add_argument("--keep", action="store_true", help="keep the scratch copy of the files")
    args = ap.parse_args(argv)
    quick = args.quick
    args.runs = args.runs or (1 if quick else 5)
    args.files = args.files or (150 if quick else 2000)
    args.subset = args.subset or (20 if quick else 200)
    slow_runs = min(args.runs, args.slow_runs or args.runs)
    if "all" in args.tools:
        args.tools = list(ALL_TOOLS)

    packages = require(args.packages)
    every = corpus_files(packages)
    files = sample(every, args.files)
    if len(files) < args.files:
        print(f"note: the corpus has only {len(files)} files", file=sys.stderr)
    subset = sample(files, args.subset)
    lines = sum(count_lines(read_text(p)) for _, p in files)
    sub_lines = sum(count_lines(read_text(p)) for _, p in subset)

    notes: list[str] = []
    t0 = time.perf_counter()
    tools = build_tools(set(args.tools), cores, notes)
    setup_s = time.perf_counter() - t0
    workdir = tempfile.mkdtemp(prefix="tensorlint-peers-")
    logdir = RESULTS / "peers-logs"
    logdir.mkdir(parents=True, exist_ok=True)
    try:
        rels = stage(files, workdir)
        rel_of = dict(zip((str(p) for _, p in files), rels))
        sub_rels = [rel_of[str(p)] for _, p in subset]
        print(f"peers: {len(rels)} files ({lines:,} lines) of {', '.join(packages)}; subset {len(sub_rels)} files "
              f"({sub_lines:,} lines); {args.runs} run(s) each ({slow_runs} for the slow peers), alternating; {cores} cores; setup {setup_s:.0f} s",
              flush=True)
        for r in range(args.runs):
            order = tools[r % len(tools):] + tools[: r % len(tools)]
            if r % 2:
                order.reverse()
            for t in order:
                if t.slow and r >= slow_runs:
                    continue
                argv_ = t.argv + (sub_rels if t.subset else rels)
                log = str(logdir / f"{t.key}.log")
                seconds, cpu, rc, tree, proc = measure(argv_, workdir, log, args.timeout)
                t.times.append(seconds)
                t.cpu.append(cpu)
                t.tree_rss, t.proc_rss, t.last_rc = max(t.tree_rss, tree), max(t.proc_rss, proc), rc
                with open(log, encoding="utf-8", errors="replace") as fh:
                    tail = fh.read()[-4000:]
                counts = [int(a or b) for a, b in CHECKED.findall(tail)]
                t.checked = counts[-1] if counts else None
                t.traceback = t.traceback or "Traceback (most recent call last)" in tail
                flag = "" if rc in t.ok_codes else f"  exit {rc}: see {log}"
                flag += "  (a traceback: see the log)" if "Traceback (most recent call last)" in tail else ""
                print(f"  run {r + 1}/{args.runs}  {t.label:<44} {seconds:8.2f} s wall {cpu:8.2f} s CPU{flag}", flush=True)
            if r == 0 and args.runs > 1:
                left = sum(t.times[0] * ((slow_runs if t.slow else args.runs) - 1) for t in tools if t.times)
                print(f"  (about {left / 60:.0f} more minutes for the remaining runs)", flush=True)
    finally:
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    stamp = datetime.date.today().isoformat()
    out = [
        f"tensorlint peers benchmark, {stamp}, {platform.machine()} {cores} cores, Python {platform.python_version()}",
        f"{len(rels)} files / {lines:,} lines from {', '.join(packages)}; pylint subset {len(sub_rels)} files / "
        f"{sub_lines:,} lines; median of {args.runs} alternating run(s), {slow_runs} for TorchFix, Fixit and pylint",
        "",
        report(tools, len(rels), len(sub_rels)),
        "",
        "÷ TL: the tool's median wall time divided by tensorlint's (above 1: tensorlint is faster); "
        "subset rows compare with tensorlint --jobs 1 on the subset.",
        "CPU s: median user + system time of the tool's whole process tree; on a busy machine, compare these "
        "(CPU ÷ TL j1 does).",
        "checked: files the tool says it checked, where it says so (TorchFix skips files that do not mention torch).",
        "peak MB tree: largest sum of RSS over the process tree (shared pages count once per process); "
        "peak MB proc: largest single process.",
        *notes,
        *filter(None, [load_note()]),
    ]
    text = "\n".join(out)
    print()
    print(text)
    (RESULTS / "peers.txt").write_text(text + "\n")
    print(f"\n(written to {RESULTS / 'peers.txt'}; each tool's last output in {logdir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
