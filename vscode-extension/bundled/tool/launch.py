"""Run tensorlint from the libraries bundled with the extension (`bundled/libs`).

    python -I launch.py -m MODULE [ARGS...]   run a module, as `python -m` does
    python -I launch.py -c CODE               run a line of code, as `python -c` does

Isolated mode (`-I`) ignores PYTHONPATH, so the bundled folder is put first on `sys.path`
here. It holds tensorlint, pygls, lsprotocol, libcst and their dependencies, with libcst's
native module for each supported Python version side by side.
"""
import os
import runpy
import sys

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")


def main() -> None:
    if sys.version_info < (3, 10):
        sys.exit(f"tensorlint needs Python 3.10 or newer; this is {sys.version.split()[0]}")
    sys.path.insert(0, LIBS)
    if len(sys.argv) >= 3 and sys.argv[1] == "-c":
        code, sys.argv = sys.argv[2], ["-c", *sys.argv[3:]]
        exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})
    elif len(sys.argv) >= 3 and sys.argv[1] == "-m":
        module, sys.argv = sys.argv[2], [sys.argv[2], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.exit("usage: launch.py -m MODULE [ARGS...] | -c CODE")


if __name__ == "__main__":
    main()
