"""The large fuzz run: mutated example programs through the engine, the incremental analysis
and the CLI.

    python bench/fuzz.py                      # 20,000 inputs, 2 worker processes
    python bench/fuzz.py --inputs 2000 --seed 7 --jobs 1
    python bench/fuzz.py --replay 1234        # print input 1234 of the run with the same --seed

Input n is a mutation (tests/fuzz/mutations.py, all mutations, deep nesting and lone
surrogates included) of seed program n % len(seeds) (every fifth input: one edit at a TF1
placeholder or feed of a seed that has them, `edit_tf1_graph`), drawn from `random.Random(seed * 10**9 + n)`,
so `--replay n` reproduces it exactly. Each input is analyzed by `engine.analyze` and by an
`IncrementalAnalysis` that saw the unmutated seed first (the server's reuse path), under a
per-input SIGALRM limit; a worker that stops answering (time spent in native code, where no
signal handler runs) is killed after `--hard-limit` seconds and the input counted as a hang.
Findings of the incremental analysis that differ from the whole-file ones are counted apart.
Every `--cli-every`th input is also written to a file and checked by `python -m tensorlint
check` in batches; the batch must exit 0 or 1 and print no internal error.

It prints the counts (inputs, failures by kind, time) and writes each failing input to
bench/.results/fuzz/ with its traceback. Exit status 1 when anything failed.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import queue
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "fuzz"))

from mutations import TF1_GRAPH, edit_tf1_graph, encode, mutate, seed_texts  # noqa: E402

OUT = REPO / "bench" / ".results" / "fuzz"


TF1_EVERY = 5  # every fifth input: one edit of a TF1 program at a placeholder or a feed


def make_input(n: int, seed: int, seeds: list[tuple[str, str]]) -> tuple[str, str, str]:
    """(seed name, seed text, mutated text) of input n."""
    rng = random.Random(seed * 10**9 + n)
    if n % TF1_EVERY == TF1_EVERY - 1:
        graphs = [s for s in seeds if TF1_GRAPH.search(s[1])]
        if graphs:
            name, text = graphs[n // TF1_EVERY % len(graphs)]
            return name, text, edit_tf1_graph(text, rng, [t for _, t in seeds])
    name, text = seeds[n % len(seeds)]
    return name, text, mutate(text, rng, [t for _, t in seeds])


def worker(tasks: mp.Queue, results: mp.Queue, seed: int, limit: float) -> None:
    from harness import check

    seeds = seed_texts()
    while (n := tasks.get()) is not None:
        results.put(("start", n, None))
        _, before, text = make_input(n, seed, seeds)
        results.put(("done", n, check(text, before=before, limit=limit, compare=True)))


def kind_of(problem: str) -> str:
    head = problem.split("\n", 1)[0]
    if head.startswith("incremental differs"):
        return "incremental differs"
    m = re.match(r"([\w.]+): (hang|\w+)", head)
    return f"{m.group(1)}: {m.group(2)}" if m else head[:60]


def run_engine(args, seeds) -> tuple[Counter, dict[int, list[str]]]:
    tasks: mp.Queue = mp.Queue()
    results: mp.Queue = mp.Queue()
    for n in range(args.inputs):
        tasks.put(n)
    procs: list[mp.Process] = []

    def spawn() -> None:
        tasks.put(None)  # one stop marker per worker, queued after the inputs
        p = mp.Process(target=worker, args=(tasks, results, args.seed, args.limit), daemon=True)
        p.start()
        procs.append(p)

    for _ in range(args.jobs):
        spawn()
    running: dict[int, float] = {}
    failures: dict[int, list[str]] = {}
    counts: Counter = Counter()
    done = 0
    last = time.monotonic()
    while done < args.inputs:
        try:
            what, n, problems = results.get(timeout=1.0)
        except queue.Empty:
            now = time.monotonic()
            for n, began in list(running.items()):
                if now - began > args.hard_limit:  # the worker is stuck: kill it, start another
                    for p in procs:
                        if p.is_alive():
                            p.kill()
                    procs.clear()
                    failures[n] = [f"worker: hang: no answer after {args.hard_limit:g} s"]
                    counts["worker: hang"] += 1
                    done += 1
                    running.clear()
                    # inputs other workers had started are lost with them: count them again
                    for _ in range(args.jobs):
                        spawn()
                    break
            if not any(p.is_alive() for p in procs) and done < args.inputs:
                for _ in range(args.jobs):
                    spawn()
            continue
        if what == "start":
            running[n] = time.monotonic()
            continue
        running.pop(n, None)
        done += 1
        if problems:
            failures[n] = problems
            for p in problems:
                counts[kind_of(p)] += 1
        if time.monotonic() - last > 30:
            last = time.monotonic()
            print(f"  {done}/{args.inputs} inputs, {len(failures)} failing", flush=True)
    for p in procs:
        p.kill()
    return counts, failures


def run_cli(args, seeds) -> tuple[int, int, list[str]]:
    """(files, runs, problems) of the CLI batches."""
    picked = list(range(0, args.inputs, args.cli_every))
    problems: list[str] = []
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, len(picked), args.cli_batch):
            batch = Path(tmp) / f"batch_{start}"
            batch.mkdir()
            for n in picked[start : start + args.cli_batch]:
                _, _, text = make_input(n, args.seed, seeds)
                (batch / f"input_{n}.py").write_bytes(encode(text))
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "tensorlint", "check", "--isolated", "--no-cache", "--select", "ALL",
                     "--jobs", "1", "--quiet", str(batch)],
                    capture_output=True, text=True, errors="replace", timeout=args.hard_limit * args.cli_batch,
                )
            except subprocess.TimeoutExpired:
                problems.append(f"{batch.name}: CLI timed out")
                continue
            finally:
                runs += 1
            for line in done.stderr.splitlines():
                if "internal error" in line or "Traceback" in line:
                    problems.append(line.replace(str(batch) + "/", ""))
            if done.returncode not in (0, 1):
                problems.append(f"{batch.name}: exit status {done.returncode}")
    return len(picked), runs, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=float, default=10.0, help="per-input limit (SIGALRM), seconds")
    parser.add_argument("--hard-limit", type=float, default=30.0, help="kill a worker silent this long")
    parser.add_argument("--cli-every", type=int, default=4, help="0: no CLI runs")
    parser.add_argument("--cli-batch", type=int, default=100)
    parser.add_argument("--replay", type=int, help="print input N and exit")
    args = parser.parse_args()
    seeds = seed_texts()
    if args.replay is not None:
        name, _, text = make_input(args.replay, args.seed, seeds)
        print(f"# input {args.replay} (seed {args.seed}), a mutation of {name}", file=sys.stderr)
        sys.stdout.write(text)
        return 0
    print(f"{args.inputs} inputs from {len(seeds)} seed programs, seed {args.seed}, {args.jobs} workers")
    t = time.perf_counter()
    counts, failures = run_engine(args, seeds)
    engine_s = time.perf_counter() - t
    t = time.perf_counter()
    cli_files, cli_runs, cli_problems = run_cli(args, seeds) if args.cli_every else (0, 0, [])
    cli_s = time.perf_counter() - t
    OUT.mkdir(parents=True, exist_ok=True)
    for n, problems in sorted(failures.items()):
        name, _, text = make_input(n, args.seed, seeds)
        (OUT / f"input_{n}.py").write_bytes(encode(text, invalid_utf8=True))
        (OUT / f"input_{n}.txt").write_text(f"a mutation of {name}\n\n" + "\n\n".join(problems), encoding="utf-8")
    crashes = sum(1 for ps in failures.values() if any(kind_of(p) != "incremental differs" for p in ps))
    print(f"engine + incremental: {args.inputs} inputs in {engine_s:.0f} s "
          f"({args.inputs / engine_s:.0f} inputs/s), {crashes} raised or hung, "
          f"{sum(1 for ps in failures.values() if any(kind_of(p) == 'incremental differs' for p in ps))} "
          "with differing incremental findings")
    for kind, count in counts.most_common():
        print(f"  {count:6}  {kind}")
    print(f"CLI: {cli_files} files in {cli_runs} runs, {cli_s:.0f} s, {len(cli_problems)} problems")
    for p in cli_problems[:20]:
        print(f"  {p}")
    if failures:
        print(f"failing inputs and tracebacks: {OUT.relative_to(REPO)}/ (replay: --replay N)")
    return 1 if crashes or cli_problems else 0


if __name__ == "__main__":
    sys.exit(main())
