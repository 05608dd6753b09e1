#!/usr/bin/env bash
# The repository's pre-commit hook (.pre-commit-hooks.yaml) run by the real
# pre-commit (PyPI `pre-commit`, in a venv under .test-cache/), through
# `pre-commit try-repo`, which uses this working tree as a user's
# `.pre-commit-config.yaml` would use a tag: the hook must pass a clean
# review, fail a draft with its findings shown, lint the staged .md,
# .markdown and .txt files only, and read the goalframe.toml of the
# repository it runs in. `goalframe` is the binary in $GOALFRAME_BIN, put on
# PATH as a `system` hook needs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -x "${GOALFRAME_BIN:-}" ]] || { echo "error: set GOALFRAME_BIN to the built binary" >&2; exit 1; }
PRE_COMMIT_VERSION=4.7.0
VENV="$REPO/.test-cache/pre-commit-venv-$PRE_COMMIT_VERSION"
source "$REPO/tests/support/pip_venv.sh"
pip_venv "$VENV" "pre-commit==$PRE_COMMIT_VERSION"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/reviews"
ln -s "$GOALFRAME_BIN" "$work/bin/goalframe"
export PATH="$work/bin:$PATH" PRE_COMMIT_HOME="$work/pre-commit-home"
cd "$work/reviews"
git init -q

fail() { echo "error: $*" >&2; echo "--- pre-commit's output:" >&2; cat "$work/out" >&2; exit 1; }
# hook [--all-files]: runs the hook once; its exit status in $status, its
# output in $work/out.
hook() {
  status=0
  timeout 300 "$VENV/bin/pre-commit" try-repo "$REPO" goalframe-lint "$@" >"$work/out" 2>&1 || status=$?
}
expect_status() {
  [[ $status -eq $1 ]] || fail "$2: pre-commit exited $status, expected $1"
}
expect_out() {
  grep -qF -- "$1" "$work/out" || fail "$2: the output does not hold \`$1\`"
}
expect_no_out() {
  if grep -qF -- "$1" "$work/out"; then fail "$2: the output holds \`$1\`"; fi
}

# A filled review passes; a file the hook's pattern does not take (a JSON
# file that lint would skip as no goal document) is never handed to it.
cp "$REPO/examples/review-filled.md" review-filled.md
printf '\0\0 not text\n' > notes.json
git add .
hook --all-files
expect_status 0 "a filled review"
expect_out "Passed" "a filled review"

# A draft (in a folder, with a space in its name) fails with its findings.
mkdir -p "team a"
cp "$REPO/examples/review-draft.md" "team a/draft review.md"
git add .
hook --all-files
expect_status 1 "a draft"
expect_out "Failed" "a draft"
for code in unfilled-placeholder invalid-date date-mismatch canon-drift; do
  expect_out "[$code]" "a draft"
done
expect_out "team a/draft review.md:" "a draft"
git rm -q --cached -r "team a"
rm -rf "team a"

# Without --all-files the hook sees what is staged: a .txt and a .markdown
# document with a placeholder each fail it, and the filled review, not
# staged again, is not looked at.
printf 'Target: \xe2\x9f\xa8target\xe2\x9f\xa9\n' > plan.txt
printf 'Due: <date>\n' > notes.markdown
git add plan.txt notes.markdown
hook
expect_status 1 "staged .txt and .markdown documents"
expect_out "plan.txt:1:9" "a staged .txt document"
expect_out "notes.markdown:1:6" "a staged .markdown document"
expect_no_out "review-filled.md" "staged documents only"

# The repository's goalframe.toml is read: with placeholders switched off
# the same staged documents pass.
printf '[severity]\nunfilled-placeholder = "off"\n' > goalframe.toml
git add goalframe.toml
hook
expect_status 0 "goalframe.toml switching unfilled-placeholder off"

echo "pre-commit hook: 4 checks passed"
