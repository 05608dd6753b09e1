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
# The code's own doc comments link where they say (docs.rs-style links).
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p goalframe

step "the repository stands on its own: its docs link only to its own files"
# Every relative link in the markdown files resolves to a file inside the
# checkout (a user has nothing beside it), and no section number of an
# outside contract is cited: docs/ holds the contract.
python3 - <<'PY'
import pathlib, re, subprocess, sys
root = pathlib.Path.cwd().resolve()
# Written in two pieces so that this check does not find itself.
OUTSIDE_CITATION = "SPEC" + " §"
bad = []
files = subprocess.run(["git", "ls-files", "*.md"], capture_output=True, text=True, check=True).stdout.split()
for name in files:
    path = root / name
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if OUTSIDE_CITATION in line:
            bad.append(f"{name}:{n}: cites a section of an outside contract")
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if re.match(r"[a-z]+:|#", target):
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            if root not in resolved.parents and resolved != root or not resolved.exists():
                bad.append(f"{name}:{n}: link to {target} leaves the repository or names no file")
if bad:
    print("\n".join(bad))
    sys.exit("error: the lines above point outside the repository; link docs/ instead")
PY
if git grep -nE 'SPEC[ ]§'; then
  echo "error: the lines above cite a section of an outside contract; link docs/ instead" >&2
  exit 1
fi
# Nor a path to the folder the contract came from (in two pieces, so that
# this line does not find itself).
if git grep -nF "../""shared/"; then
  echo "error: the lines above point to a folder outside the repository" >&2
  exit 1
fi

step "the code's shape: no module cycle, no source file over 900 lines before its tests"
python3 tests/layout.py

step "the fuzz targets build (fuzzing itself: docs/reliability.md)"
cargo fmt --manifest-path fuzz/Cargo.toml --all --check
cargo check --locked --manifest-path fuzz/Cargo.toml --target-dir target/fuzz-check

step "the library builds without any LSP crate; the binary without each optional part"
cargo check -p goalframe --lib --no-default-features --locked
# The binary with no optional part, then with each alone, warnings
# (code only a left-out part uses) counted as errors.
for features in "" lsp mcp spreadsheets jemalloc; do
  built="$(cargo check -p goalframe --bins --no-default-features ${features:+--features "$features"} --locked --message-format short 2>&1)" || { echo "$built" >&2; exit 1; }
  if grep -qE '^server/[^ ]*: warning:' <<<"$built"; then
    echo "$built" >&2
    echo "error: the binary with features [$features] builds with warnings" >&2
    exit 1
  fi
done
if cargo tree -p goalframe --no-default-features --edges normal --prefix none | grep -Eq '^(tower-lsp|ls-types|lsp-types)'; then
  echo "error: the library depends on an LSP crate" >&2
  exit 1
fi

step "unit, end-to-end and language-server tests"
cargo test --workspace --locked

step "drift and goals follow the template words: a copy of the sources, reworded"
# The analysis finds quoted canon text and goals' source labels by the
# templates' own words (server/src/render/template.rs). Reword them in a
# copy and the drift and goal tests must still pass there; it shares this
# target directory, so only the library is built again.
copy=$(mktemp -d)
git ls-files -z | xargs -0 cp --parents -t "$copy"
sed -i -e 's/^pub const DELIVER: &str = "Deliver: ";/pub const DELIVER: \&str = "Provide: ";/' \
  -e 's/^pub const TIED_TO: &str = "tied to: ";/pub const TIED_TO: \&str = "linked with: ";/' \
  -e 's/^pub const BAR: &str = " bar: ";/pub const BAR: \&str = " level: ";/' \
  -e 's/^pub const SOURCE_OPEN: &str = "\[source: ";/pub const SOURCE_OPEN: \&str = "[from: ";/' \
  "$copy/server/src/render/template.rs"
for word in '"Provide: "' '"linked with: "' '" level: "' '"[from: "'; do
  grep -qF "$word" "$copy/server/src/render/template.rs" || { echo "error: the copy was not reworded ($word)" >&2; exit 1; }
done
CARGO_TARGET_DIR="$PWD/target" cargo test --locked --manifest-path "$copy/Cargo.toml" -p goalframe --lib the_template_words
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
for suite in tests/sarif/run.sh tests/formatters/run.sh tests/report/run.sh tests/mcp/run.sh tests/precommit/run.sh editors/nvim/test/run.sh editors/vscode/test/run.sh; do
  step "$suite"
  bash "$suite"
done
