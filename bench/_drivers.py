"""Small command-line drivers that bench/peers.py times as child processes.

    python _drivers.py parse FILE...                 libcst.parse_module on every file, one process
    python _drivers.py analyze [--jobs N] FILE...    tensorlint.engine.analyze on every file; used
                                                     only where `tensorlint check` is not available
    python _drivers.py fixit-serial FILE...          `fixit lint` with its process pool turned off
                                                     (run with the fixit environment's Python)

Every driver reads files the same way (UTF-8, undecodable bytes replaced), writes its findings
to stdout and `checked N files` to stderr. Imports happen inside each command because each
runs in a different environment.
"""
from __future__ import annotations

import sys


def _read(path: str) -> str:
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8", errors="replace")


def parse(files: list[str]) -> int:
    import libcst

    failed = 0
    for path in files:
        try:
            libcst.parse_module(_read(path))
        except Exception:
            failed += 1
    print(f"checked {len(files)} files ({failed} did not parse)", file=sys.stderr)
    return 0


def _analyze_one(path: str) -> list[str]:
    from tensorlint.engine import analyze

    result = analyze(_read(path), path)
    return [f"{path}:{f.span.start.line}:{f.span.start.column + 1}: {f.code} {f.message}" for f in result.findings]


def analyze(files: list[str], jobs: int) -> int:
    if jobs <= 1:
        outputs = map(_analyze_one, files)
        pool = None
    else:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(jobs)
        outputs = pool.map(_analyze_one, files, chunksize=max(1, min(32, len(files) // (jobs * 8) or 1)))
    found = 0
    for lines in outputs:
        for line in lines:
            print(line)
        found += len(lines)
    if pool is not None:
        pool.shutdown()
    print(f"checked {len(files)} files, {found} findings", file=sys.stderr)
    return 1 if found else 0


def fixit_serial(files: list[str]) -> int:
    from functools import partial

    import fixit.api
    import fixit.cli

    fixit.cli.fixit_paths = partial(fixit.api.fixit_paths, parallel=False)
    return fixit.cli.main(["lint", *files], standalone_mode=False) or 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "parse":
        return parse(rest)
    if cmd == "analyze":
        jobs = 1
        if rest[:1] == ["--jobs"]:
            jobs, rest = int(rest[1]), rest[2:]
        return analyze(rest, jobs)
    if cmd == "fixit-serial":
        return fixit_serial(rest)
    print(f"unknown driver {cmd!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        status = main(sys.argv[1:])
    except Exception:
        import traceback

        traceback.print_exc()
        status = 3  # not 1, which means "findings"
    sys.exit(status)
