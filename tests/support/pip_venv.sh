# Sourced by the test scripts that drive a real client from PyPI.
#
# pip_venv DIR PACKAGE...: a Python venv at DIR holding PACKAGE... (pinned
# by the caller, with the version in DIR's name so that a new pin gets a
# new venv), installed once. A stamp written last marks a complete
# install; anything else (an install cut short) is removed and redone.
# Returns non-zero if the install fails.
pip_venv() {
  local venv=$1
  shift
  [[ -f "$venv/.complete" ]] && return 0
  echo "installing $* into $venv" >&2
  rm -rf "$venv" &&
    python3 -m venv "$venv" &&
    timeout 600 "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" &&
    touch "$venv/.complete"
}
