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

step "the repository stands on its own: nothing points outside it"
if git grep -nE 'SPEC §|\.\./shared' -- ':!tests/run.sh'; then
  echo "error: the lines above refer to a contract outside the repository; link docs/ instead" >&2
  exit 1
fi

step "the fuzz targets build (fuzzing itself: docs/reliability.md)"
cargo fmt --manifest-path fuzz/Cargo.toml --all --check
cargo check --locked --manifest-path fuzz/Cargo.toml --target-dir target/fuzz-check

step "the library builds without any LSP crate"
cargo check -p goalframe --lib --no-default-features --locked
if cargo tree -p goalframe --no-default-features --edges normal --prefix none | grep -Eq '^(tower-lsp|ls-types|lsp-types)'; then
  echo "error: the library depends on an LSP crate" >&2
  exit 1
fi

step "unit, end-to-end and language-server tests"
cargo test --workspace --locked

step "drift detection follows the template words: a copy of the sources, reworded"
# The analysis finds quoted canon text by the templates' own words
# (server/src/render/template.rs). Reword them in a copy and the drift test
# must still pass there; it shares this target directory, so only the
# library is built again.
copy=$(mktemp -d)
git ls-files -z | xargs -0 cp --parents -t "$copy"
sed -i -e 's/^pub const DELIVER: &str = "Deliver: ";/pub const DELIVER: \&str = "Provide: ";/' \
  -e 's/^pub const TIED_TO: &str = "tied to: ";/pub const TIED_TO: \&str = "linked with: ";/' \
  -e 's/^pub const BAR: &str = " bar: ";/pub const BAR: \&str = " level: ";/' \
  "$copy/server/src/render/template.rs"
for word in '"Provide: "' '"linked with: "' '" level: "'; do
  grep -qF "$word" "$copy/server/src/render/template.rs" || { echo "error: the copy was not reworded ($word)" >&2; exit 1; }
done
CARGO_TARGET_DIR="$PWD/target" cargo test --locked --manifest-path "$copy/Cargo.toml" -p goalframe --lib drift_follows_the_template_words
rm -rf "$copy"

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
