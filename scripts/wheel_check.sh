#!/usr/bin/env bash
# Build the wheel as a user would, check its metadata, install it into a fresh venv with
# nothing else, and run `tensorlint check` and `tensorlint server` from that install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PY" -m pip wheel --quiet --no-deps -w "$work/dist" . 2>&1 | grep -v -i "warning\|^ *$\|!!\|\*\*\*\|license\|SPDX\|setuptools\|corresp\|See https" || true
wheel=$(ls "$work"/dist/tensorlint-*.whl)
.venv/bin/python -m twine check --strict "$wheel"

"$PY" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"

# a check of the bundled examples: findings (exit 1), no traceback
set +e
"$work/venv/bin/tensorlint" check examples/ > "$work/check.txt" 2>&1
rc=$?
set -e
if [ "$rc" != 1 ] || grep -q Traceback "$work/check.txt"; then
    echo "wheel: tensorlint check examples/ exited $rc"; cat "$work/check.txt"; exit 1
fi

# the server answers initialize and shutdown over stdio
"$work/venv/bin/python" - "$work/venv/bin/tensorlint" <<'PYEOF'
import json, subprocess, sys

def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

msgs = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
msgs += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
msgs += frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
msgs += frame({"jsonrpc": "2.0", "method": "exit", "params": None})
out = subprocess.run([sys.argv[1], "server"], input=msgs, capture_output=True, timeout=60)
text = out.stdout.decode(errors="replace")
if '"id": 1' not in text.replace('"id":1', '"id": 1') or "capabilities" not in text:
    sys.exit(f"wheel: the server did not answer initialize (exit {out.returncode}): {out.stderr.decode()[-2000:]}")
print("wheel: server answered initialize")
PYEOF
echo "wheel: $(basename "$wheel") builds, passes twine check, installs alone, checks and serves"
