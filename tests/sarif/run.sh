#!/usr/bin/env bash
# Loads `goalframe lint --format sarif` output in real SARIF consumers:
# Microsoft's sarif-tools (`sarif summary`, what reviewers use to read a
# SARIF log) and the SARIF 2.1.0 object model of sarif-pydantic.
# Needs GOALFRAME_BIN; installs both tools into .test-cache/ once.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$repo/.test-cache/sarif-venv-3.0.5-0.6.2"
source "$repo/tests/support/pip_venv.sh"
pip_venv "$venv" sarif-tools==3.0.5 sarif-pydantic==0.6.2
cd "$repo"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
"$GOALFRAME_BIN" lint examples/ --format sarif > "$out/goalframe.sarif" || status=$?
[ "$status" -eq 1 ] || { echo "expected lint to exit 1 on examples/, got $status" >&2; exit 1; }
"$venv/bin/python" "$repo/tests/sarif/validate.py" "$out/goalframe.sarif" "$venv/bin/sarif"
