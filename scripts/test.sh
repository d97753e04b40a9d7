#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run all of it:
# the Python tests (engine, rules, CLI, language server, runtime shape check with torch and
# tensorflow-cpu), the wheel as users install it, the seed check, and the VS Code extension's
# unit tests and packaging.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test,torch,tensorflow]'

# Neovim is the language server's second real client in the tests (skipped where absent)
if ! command -v nvim >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null) \
        || echo "neovim could not be installed: its test will be skipped"
fi

echo "== python tests"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"

echo "== wheel: build, twine check, install into a bare venv, check and serve"
bash scripts/wheel_check.sh

if [ -x ../shared/tools/seedcheck ]; then
    echo "== seed examples"
    ../shared/tools/seedcheck --quiet --cmd "$PWD/.venv/bin/tensorlint"
fi

if command -v npm >/dev/null 2>&1; then
    echo "== VS Code extension"
    npm ci --no-audit --no-fund --loglevel=error
    npm test
    npm run package
fi
