"""The tensorlint language server (pygls). Start it with `python -m tensorlint.server` or
`tensorlint server`; `main(argv)` is the entry point both use."""


def main(argv: list[str] | None = None, prog: str = "tensorlint server") -> int:
    from .__main__ import main as run

    return run(argv, prog=prog)
