# Shared by scripts/test, scripts/develop and scripts/bench: find Python 3.13, create .venv
# and install the pinned requirements (again only when a requirements file changed).
# Sourced, not executed. Sets REPO and VENV_PY.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

find_python() {
  local candidate
  # .python-version makes a pyenv shim resolve python3.13 inside the repo; a python3.13
  # already on PATH (as users have) works the same way.
  for candidate in python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.13; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Python 3.13 was not found: install it (pyenv install 3.13.0) or put python3.13 on PATH" >&2
  return 1
}

# ensure_venv [extra requirements files...]: requirements_test.txt is always installed.
ensure_venv() {
  local python stamp wanted file
  local files=(requirements_test.txt "$@")
  if [ ! -x .venv/bin/python ]; then
    python="$(find_python)"
    echo "==> creating .venv with $python"
    "$python" -m venv .venv
  fi
  stamp=.venv/.requirements.sha256
  wanted="$(cat "${files[@]}" | sha256sum | cut -d' ' -f1)"
  # The stamp keeps one hash per set of requirement files installed so far.
  if [ ! -f "$stamp" ] || ! grep -qx "$wanted" "$stamp" 2>/dev/null; then
    echo "==> installing pinned requirements into .venv (log: .venv/pip.log)"
    .venv/bin/python -m pip install --disable-pip-version-check -q --upgrade pip >.venv/pip.log 2>&1
    local args=()
    for file in "${files[@]}"; do args+=(-r "$file"); done
    if ! .venv/bin/python -m pip install --disable-pip-version-check -q "${args[@]}" >>.venv/pip.log 2>&1; then
      grep -v "is ignored: it is neither a file nor a directory" .venv/pip.log | tail -40 >&2
      return 1
    fi
    echo "$wanted" >>"$stamp"
  fi
  VENV_PY="$REPO/.venv/bin/python"
}
