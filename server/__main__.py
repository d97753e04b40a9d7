"""Start the tensorlint language server: over stdio by default, or `--tcp HOST:PORT`.

    python -m tensorlint.server [--tcp HOST:PORT] [--log-file PATH] [--log-level LEVEL]

`main(argv)` is what `tensorlint server` calls.
"""
from __future__ import annotations

import argparse
import gc
import logging
import sys

from tensorlint.collector import pause_collector, resume_collector


def _host_port(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host or "127.0.0.1", int(port)


def build_parser(prog: str = "python -m tensorlint.server") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="The tensorlint language server.")
    parser.add_argument("--tcp", metavar="HOST:PORT", type=_host_port, help="listen on TCP instead of stdio")
    parser.add_argument("--log-file", metavar="PATH", help="write the server's log to PATH (default: stderr)")
    parser.add_argument(
        "--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="default: WARNING"
    )
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m tensorlint.server") -> int:
    args = build_parser(prog).parse_args(argv)
    target = {"filename": args.log_file} if args.log_file else {"stream": sys.stderr}
    logging.basicConfig(
        level=getattr(logging, args.log_level), format="%(asctime)s %(levelname)s %(name)s: %(message)s", **target
    )
    pause_collector()  # while the server's modules load (see tensorlint.collector)
    from .app import create_server
    from .linting import Memory

    server = create_server()
    gc.freeze()  # what is loaded stays out of the young collections
    resume_collector()
    Memory.own_collector()  # the process is the server's: its full collections are the server's to start
    if args.tcp:
        server.start_tcp(*args.tcp)
        return 0
    return server.start_io()


if __name__ == "__main__":
    sys.exit(main())
