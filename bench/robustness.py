"""Bad input through the real `tensorlint check`, end to end: one subprocess per case.

    python bench/robustness.py            # every case, the large inputs at full size
    python bench/robustness.py --quick    # the large inputs at a tenth of their size

For each case it prints the exit status, whether a traceback appeared, whether it hung (ran
past --timeout), whether something was skipped without a word (a file left out of the output
with neither a finding, a note nor an error naming it), the wall and CPU seconds and the peak
RSS of the check (a launcher process per case reads them from its children's resource usage;
on a busy machine compare CPU seconds, wall seconds include other processes' turns), then one summary line:

    robustness: N cases, 0 tracebacks, 0 hangs, 0 silent skips

Rows from bench/_robust_server.py (`server_cases()`: the language server's own cases) are
included when that module is present. Exit status 1 when a case fails.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

MODEL = "import torch\nimport torch.nn as nn\nmodel = nn.Linear(4, 2)\nx = 0\n"
BAD_CALL = "model(torch.zeros(3, 5))"  # TL202 wherever it runs
OTHER = MODEL + f"y = {BAD_CALL}\n"  # a neighbour file with one finding: it must still be reported


def _elif(branches: int) -> str:
    return MODEL + f"if x == 0:\n    y = {BAD_CALL}\n" + "".join(
        f"elif x == {i}:\n    y = {BAD_CALL}\n" for i in range(1, branches))


def _megabyte_line(size: int) -> str:
    rng = random.Random(0)
    items, total = [], 0
    while total < size:
        item = f"{rng.random():.6f}"
        items.append(item)
        total += len(item) + 2
    return "import torch\nx = torch.tensor([" + ", ".join(items) + "])\ny = x.view(3, 7)\n"


def _long_file(lines: int) -> str:
    block = ("\n\ndef step_{i}(model, batch):\n    h = torch.relu(model(batch))\n"
             "    loss = h.mean()\n    loss.backward()\n    return loss.item()\n")
    head = "import torch\nimport torch.nn as nn\nmodel = nn.Linear(8, 4)\n"
    return head + "".join(block.format(i=i) for i in range(lines // 7 + 1)) + "\ny = model(torch.zeros(3, 5))\n"


def cases(quick: bool) -> list[dict]:
    """name, files to write, the paths to check (relative), what a silent skip would look like."""
    scale = 10 if quick else 1
    return [
        {"name": "if/elif chain, 500 branches", "files": {"chain.py": _elif(500), "other.py": OTHER}},
        {"name": "1,000 chained binary operators", "files": {"ops.py": MODEL + "y = " + " + ".join([BAD_CALL] * 1000) + "\n", "other.py": OTHER}},
        {"name": "20,000 chained binary operators", "files": {"ops.py": MODEL + "z = " + " + ".join(["x"] * 20000) + "\n" + f"y = {BAD_CALL}\n", "other.py": OTHER}},
        {"name": "nested parentheses (150) and lists (150)", "files": {"nest.py": MODEL + "y = " + "(" * 150 + "[" * 150 + BAD_CALL + "]" * 150 + ")" * 150 + "\n", "other.py": OTHER}},
        {"name": "nested parentheses beyond CPython (300)", "files": {"nest.py": MODEL + "y = " + "(" * 300 + "1" + ")" * 300 + "\n", "other.py": OTHER}},
        {"name": "10,000 adjacent string literals", "files": {"strings.py": MODEL + "s = (\n" + "".join(f"    'a{i}'\n" for i in range(10000)) + ")\n" + f"y = {BAD_CALL}\n", "other.py": OTHER}},
        {"name": "undecodable bytes", "files": {"latin.py": b"import torch\nname = '\xe9'\n", "other.py": OTHER}},
        {"name": "NUL byte, lone surrogate", "files": {"nul.py": b"import torch\nx = 1\x00\n", "sur.py": OTHER + "s = '\ud800'\n", "other.py": OTHER}},
        {"name": "empty and whitespace-only files", "files": {"empty.py": "", "blank.py": "\n\n   \n", "other.py": OTHER}},
        {"name": "symbolic link loop named on the command line", "links": {"self": "self"}, "paths": ["self"], "expect": 2},
        {"name": "folder holding a symbolic link loop", "files": {"pkg/other.py": OTHER}, "links": {"pkg/loop": "loop", "pkg/model.py": "model.py"}, "paths": ["pkg"]},
        {"name": "unreadable folder (as an unprivileged user)", "files": {"src/other.py": OTHER, "src/secret/model.py": OTHER}, "unreadable": "src/secret", "paths": ["src"]},
        {"name": "configuration with many bad keys and values", "files": {"other.py": OTHER, "pyproject.toml":
            '[tool.tensorlint]\nselect = ["TL999"]\nseverity = {TL999 = "error", TL101 = "loud"}\nbogus = 1\n'
            '[tool.tensorlint.shapecheck]\nfoo = 1\ntimeout = -5\n'}, "expect": 2, "config_problems": 6, "nothing_checked": True},
        {"name": "a notebook that is not JSON", "files": {"nb.ipynb": "{not json", "other.py": OTHER}},
        {"name": f"a {1_000_000 // scale:,}-character single line", "files": {"line.py": _megabyte_line(1_000_000 // scale)}, "large": True},
        {"name": f"a {50_000 // scale:,}-line file", "files": {"long.py": _long_file(50_000 // scale)}, "large": True},
    ]


def _setpriv() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    for tool in ("/usr/bin/setpriv", "/bin/setpriv"):
        if os.path.exists(tool):
            return [tool, "--reuid=65534", "--regid=65534", "--clear-groups"]
    return None


def run_case(case: dict, timeout: float, python: str) -> dict:
    row = {"name": case["name"], "ok": True, "traceback": False, "hang": False, "seconds": 0.0, "rss_mb": 0.0, "note": ""}
    with tempfile.TemporaryDirectory(prefix="tl-robust-") as tmp:
        root = Path(tmp)
        os.chmod(root, 0o755)
        for name, content in case.get("files", {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        for name, target in case.get("links", {}).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, root / name)
        for folder, _, files in os.walk(root):
            os.chmod(folder, 0o755)
            for f in files:
                if not Path(folder, f).is_symlink():
                    os.chmod(Path(folder, f), 0o644)
        prefix: list[str] = []
        if "unreadable" in case:
            prefix = _setpriv() or []
            if _setpriv() is None:
                row["note"] = "skipped: root without setpriv (nothing is unreadable to root)"
                return row
            os.chmod(root / case["unreadable"], 0)
        # a launcher process per case: its RUSAGE_CHILDREN is the peak RSS and CPU of this case alone
        cmd = [python, "-c", _LAUNCHER, *prefix, python, "-m", "tensorlint", "check", "--no-cache", *case.get("paths", ["."])]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            out, err = proc.communicate()
            row["hang"] = True
        row["seconds"] = round(time.perf_counter() - start, 2)
        if "unreadable" in case:
            os.chmod(root / case["unreadable"], 0o755)
        err, _, usage = err.rpartition(b"__usage__ ")
        try:
            rss_kb, cpu, code = usage.split()
            row["rss_mb"], row["cpu_s"], returncode = round(int(rss_kb) / 1024, 1), float(cpu), int(code)
        except ValueError:
            err, returncode = err + usage, proc.returncode
        text_out, text_err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        row["exit"] = returncode
        row["traceback"] = "Traceback (most recent call last)" in text_out + text_err
        row["silent_skip"] = _silent_skips(case, root, text_out, text_err)
        expect = case.get("expect")
        problems = []
        if row["traceback"] or row["hang"] or row["silent_skip"]:
            problems.append("traceback" if row["traceback"] else "hang" if row["hang"] else "silent skip")
        if returncode not in (0, 1, 2) or (expect is not None and returncode != expect):
            problems.append(f"exit status {returncode}")
        if len(err) > 20_000:
            problems.append(f"{len(err):,} bytes on standard error")
        if "config_problems" in case:
            said = sum(line.startswith("tensorlint: error: ") for line in text_err.splitlines())
            if said != case["config_problems"]:
                problems.append(f"{said} configuration problems said, {case['config_problems']} expected")
        if case.get("large") and (row.get("cpu_s", row["seconds"]) > 10 or row["rss_mb"] > 500):
            problems.append("over 10 CPU s or 500 MB")
        row["ok"] = not problems
        notes = [line.split(": ", 2)[-1] for line in text_err.splitlines() if line.startswith("tensorlint: warning:")]
        row["note"] = "; ".join(problems + notes[:2])[:160]
    return row


_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(f'__usage__ {u.ru_maxrss} {u.ru_utime + u.ru_stime:.2f} {code}')\n"
)


def _silent_skips(case: dict, root: Path, out: str, err: str) -> bool:
    """A file given to the check that neither a finding, a note nor an error names (every
    case file that imports torch has a finding, or a problem to say)."""
    if case.get("nothing_checked"):
        return False  # the run stops at the configuration, and says why
    named = out + err
    for name in case.get("files", {}):
        if not name.endswith((".py", ".ipynb")):
            continue
        if name in ("empty.py", "blank.py"):
            continue  # nothing to say about them
        content = case["files"][name]
        body = content.decode("latin-1") if isinstance(content, bytes) else content
        if "torch" not in body and not name.endswith(".ipynb"):
            continue  # not deep-learning code: skipped by design, and so documented
        places = [Path(name).as_posix(), *(p.as_posix() + ":" for p in Path(name).parents if p != Path("."))]
        if not any(place in named for place in places):  # the file, or a folder above it, is named
            return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="large inputs at a tenth of their size")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a case counts as a hang")
    parser.add_argument("--python", default=sys.executable, help="the interpreter with tensorlint installed")
    args = parser.parse_args()
    rows = []
    for case in cases(args.quick):
        row = run_case(case, args.timeout, args.python)
        rows.append(row)
        _print(row)
    try:
        from _robust_server import server_cases
    except ImportError:
        print("(no bench/_robust_server.py: the language server's cases are not included)")
    else:
        try:
            server_rows = server_cases(quick=args.quick)
        except TypeError:  # a version without the option
            server_rows = server_cases()
        for row in server_rows:
            rows.append(row)
            _print(row)
    tracebacks = sum(bool(r.get("traceback")) for r in rows)
    hangs = sum(bool(r.get("hang")) for r in rows)
    skips = sum(bool(r.get("silent_skip")) for r in rows)
    failed = sum(not r.get("ok", True) for r in rows)
    print(f"robustness: {len(rows)} cases, {tracebacks} tracebacks, {hangs} hangs, {skips} silent skips"
          + (f", {failed} failed" if failed else ""))
    return 1 if failed or tracebacks or hangs or skips else 0


def _print(row: dict) -> None:
    exit_status = row.get("exit", "-")
    print(f"{'ok  ' if row.get('ok', True) else 'FAIL'} {row['name']:<52} exit {exit_status!s:>2}  "
          f"traceback {'yes' if row.get('traceback') else 'no ':<3}  hang {'yes' if row.get('hang') else 'no ':<3}  "
          f"silent skip {'yes' if row.get('silent_skip') else 'no ':<3}  {row.get('seconds', 0):7.2f} s  "
          f"cpu {row.get('cpu_s', 0):6.2f} s  "
          f"{row.get('rss_mb', 0):7.1f} MB  {row.get('note', '')}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
