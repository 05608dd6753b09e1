#!/usr/bin/env bash
# `goalframe mcp` driven by the official MCP Python SDK (PyPI `mcp`),
# installed into a venv under .test-cache/ (reused while its version is
# the same), against the binary in $GOALFRAME_BIN.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -x "${GOALFRAME_BIN:-}" ]] || { echo "error: set GOALFRAME_BIN to the built binary" >&2; exit 1; }
MCP_VERSION=1.30.0
VENV="$REPO/.test-cache/mcp-venv-$MCP_VERSION"
source "$REPO/tests/support/pip_venv.sh"
pip_venv "$VENV" "mcp==$MCP_VERSION"
timeout 300 "$VENV/bin/python" "$REPO/tests/mcp/test_mcp.py"
