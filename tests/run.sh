#!/usr/bin/env bash
# The whole test suite, exactly what CI runs (.ci/run calls this script).
# Installs what it needs on a fresh machine: the editor test scripts bring
# their own Neovim, Emacs, code-server and browser.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "the library builds without any LSP crate"
cargo check -p goalframe --lib --no-default-features --locked
if cargo tree -p goalframe --no-default-features --edges normal --prefix none | grep -Eq '^(tower-lsp|ls-types|lsp-types)'; then
  echo "error: the library depends on an LSP crate" >&2
  exit 1
fi

step "unit, end-to-end and language-server tests"
cargo test --workspace --locked

step "the README's first command (debug build): lints examples/, exits 1 on the draft"
status=0
cargo run --locked -q -- lint examples/ > /dev/null || status=$?
if [ "$status" -ne 1 ]; then
  echo "error: \`cargo run -- lint examples/\` exited $status, expected 1" >&2
  exit 1
fi

step "editor tests against the built binary"
cargo build --locked --bin goalframe
export GOALFRAME_BIN="$PWD/target/debug/goalframe"
for suite in tests/sarif/run.sh editors/nvim/test/run.sh editors/vscode/test/run.sh; do
  step "$suite"
  bash "$suite"
done
