#!/usr/bin/env bash
# `scripts/test --current-ha [pytest args]`: the pytest suite on current Home Assistant, whose
# test harness (requirements_test_current.txt) needs Python >= 3.14.2. Python 3.14 comes from a
# Debian sid root built once with debootstrap and cached outside the repo
# (${VENUE_AV_CACHE:-~/.cache/venue_av}/sid-root); the suite runs there with the repo
# bind-mounted at /src and a venv at /opt/venv that is reinstalled only when
# requirements_test_current.txt changes. Needs root (debootstrap, chroot, mount).
#
# The Debian mirror comes from the host's own apt sources, or from VENUE_AV_DEBIAN_MIRROR.
# VENUE_AV_REBUILD_ROOT=1 throws the cached root away and builds it anew.
# Relative pytest paths are taken from the repo root, as in `scripts/test`; absolute paths in
# the repo are mapped to /src, and the host's /tmp is the root's /tmp.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SELF="$REPO/scripts/lib/current-ha.sh"
CACHE="${VENUE_AV_CACHE:-$HOME/.cache/venue_av}"
ROOT="$CACHE/sid-root"
REQ_FILE=requirements_test_current.txt
MIN_PYTHON=3.14.2
VENV=/opt/venv      # inside the root
SRC=/src            # inside the root
PYTHON=python3.14   # Debian's package and binary name

die() {
  echo "current-ha: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Safety: never delete through a mount point (the repo is bind-mounted into the root while a
# run is going on, and a bind mount of a directory on the same file system would defeat
# rm --one-file-system).
# ---------------------------------------------------------------------------------------------
mounts_under() { # prints mount points at or below $1, deepest first
  findmnt -rn -o TARGET | sed 's/\\x20/ /g' | awk -v p="$1" '$0 == p || index($0, p "/") == 1' | sort -r
}

unmount_all_under() {
  local target
  while IFS= read -r target; do
    [ -n "$target" ] || continue
    umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
  done < <(mounts_under "$1")
}

safe_remove() { # removes a root directory (built, half-built or stale) only once nothing is mounted in it
  local dir="$1" trash
  [ -e "$dir" ] || return 0
  unmount_all_under "$dir"
  if [ -n "$(mounts_under "$dir")" ]; then
    die "cannot remove $dir: something is still mounted in it ($(mounts_under "$dir" | tr '\n' ' '))"
  fi
  # Renamed first, so that an interrupted removal leaves no half-deleted root behind under a
  # name that a later run would take as built (leftovers are removed by the next build).
  case "$(basename "$dir")" in
    sid-root.trash.*) trash="$dir" ;;
    *) trash="$(mktemp -u "$CACHE/sid-root.trash.XXXXXX")" && mv -T "$dir" "$trash" ;;
  esac
  rm -rf --one-file-system "$trash"
}

# ---------------------------------------------------------------------------------------------
# The Debian mirror: the host's own main archive (not the security one), unless overridden.
# ---------------------------------------------------------------------------------------------
debian_mirror() {
  if [ -n "${VENUE_AV_DEBIAN_MIRROR:-}" ]; then
    echo "${VENUE_AV_DEBIAN_MIRROR%/}"
    return 0
  fi
  local id="" codename="" found="" file
  if [ -r /etc/os-release ]; then
    id="$(. /etc/os-release && echo "${ID:-}")"
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  fi
  if [ "$id" != debian ]; then
    die "this host is not Debian (ID=${id:-unknown}), so its apt sources name no Debian mirror: set VENUE_AV_DEBIAN_MIRROR to one (the URL of a Debian archive that has sid)"
  fi
  # A suite of the main archive: the host's codename (and its -updates etc.) or a Debian alias.
  local suite_re="^(${codename:-no-codename}(-[a-z-]+)?|sid|unstable|testing|stable|oldstable|oldoldstable)\$"
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$file" ] || continue
    found="$(awk -v re="$suite_re" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        uri = $i; suite = $(i + 1)
        if (uri !~ /security/ && suite !~ /security/ && suite ~ re) { print uri; exit }
      }' "$file")"
    [ -z "$found" ] || break
  done
  if [ -z "$found" ]; then
    for file in /etc/apt/sources.list.d/*.sources; do
      [ -r "$file" ] || continue
      found="$(awk -v re="$suite_re" '
        function flush(   n, m, i, j, s, u) {
          if (!done && uris != "" && types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no") {
            n = split(suites, s, /[ \t]+/); m = split(uris, u, /[ \t]+/)
            for (i = 1; i <= n; i++) {
              if (s[i] ~ /security/ || s[i] !~ re) continue
              for (j = 1; j <= m; j++) if (u[j] != "" && u[j] !~ /security/) { print u[j]; done = 1; exit }
            }
          }
          types = uris = suites = enabled = ""
        }
        /^[ \t]*$/ { flush(); next }
        /^#/ || /^[ \t]/ { next }
        {
          key = tolower($1); sub(/:$/, "", key)
          val = $0; sub(/^[^:]*:[ \t]*/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = val
        }
        END { flush() }' "$file")"
      [ -z "$found" ] || break
    done
  fi
  [ -n "$found" ] || die "found no Debian archive in the host's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/): set VENUE_AV_DEBIAN_MIRROR"
  echo "${found%/}"
}

# ---------------------------------------------------------------------------------------------
# Step 1: the Debian sid root, built into a temporary directory and renamed when complete.
# ---------------------------------------------------------------------------------------------
python_version_in() { # $1: a root directory
  chroot "$1" /usr/bin/$PYTHON -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null
}

version_ok() { # $1 >= $MIN_PYTHON ?
  [ "$(printf '%s\n%s\n' "$MIN_PYTHON" "$1" | sort -V | head -n1)" = "$MIN_PYTHON" ]
}

BUILD_DIR=""
cleanup_build() {
  if [ -n "$BUILD_DIR" ]; then
    safe_remove "$BUILD_DIR" || true
    BUILD_DIR=""
  fi
}

ensure_root() {
  local stale mirror started version log="$CACHE/debootstrap.log"
  if [ "${VENUE_AV_REBUILD_ROOT:-}" = 1 ] && [ -d "$ROOT" ]; then
    echo "==> VENUE_AV_REBUILD_ROOT=1: removing $ROOT"
    safe_remove "$ROOT"
  fi
  if [ -x "$ROOT/usr/bin/$PYTHON" ]; then
    version="$(python_version_in "$ROOT")" || die "$ROOT/usr/bin/$PYTHON does not run: rebuild with VENUE_AV_REBUILD_ROOT=1"
    version_ok "$version" || die "the cached root $ROOT has Python $version, older than $MIN_PYTHON: rebuild it with VENUE_AV_REBUILD_ROOT=1 (from an up-to-date mirror)"
    return 0
  fi
  if [ -e "$ROOT" ]; then
    echo "==> $ROOT has no /usr/bin/$PYTHON: removing it to build it anew"
    safe_remove "$ROOT"
  fi

  # Half-built or half-removed roots of interrupted runs (we hold the lock: none is in progress).
  for stale in "$CACHE"/sid-root.building.* "$CACHE"/sid-root.trash.*; do
    [ -e "$stale" ] || continue
    echo "==> removing the leftover $stale"
    safe_remove "$stale"
  done

  mirror="$(debian_mirror)"
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "==> installing debootstrap on the host (log: $CACHE/apt.log)"
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap; } >"$CACHE/apt.log" 2>&1; then
      tail -30 "$CACHE/apt.log" >&2
      die "could not install debootstrap"
    fi
  fi

  echo "==> building a Debian sid root with $PYTHON in $ROOT, once (from $mirror; a few minutes; log: $log)"
  started=$SECONDS
  BUILD_DIR="$(mktemp -d "$CACHE/sid-root.building.XXXXXX")"
  chmod 755 "$BUILD_DIR"
  if ! debootstrap --variant=minbase --include=$PYTHON,$PYTHON-venv,ca-certificates \
      sid "$BUILD_DIR" "$mirror" >"$log" 2>&1; then
    tail -30 "$log" >&2
    [ -f "$BUILD_DIR/debootstrap/debootstrap.log" ] && tail -30 "$BUILD_DIR/debootstrap/debootstrap.log" >&2
    cleanup_build
    die "debootstrap failed (log: $log)"
  fi
  version="$(python_version_in "$BUILD_DIR")" || { cleanup_build; die "$PYTHON does not run in the new root"; }
  if ! version_ok "$version"; then
    cleanup_build
    die "Debian sid at $mirror has Python $version, but the current-HA test harness needs >= $MIN_PYTHON: set VENUE_AV_DEBIAN_MIRROR to an up-to-date Debian mirror"
  fi
  mkdir -p "$BUILD_DIR$SRC"
  mv -T "$BUILD_DIR" "$ROOT"
  BUILD_DIR=""
  echo "==> sid root ready (Python $version) in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------------------------------------
# Steps 2 and 3 run with the root's mounts in place: in a private mount namespace of their own
# when the kernel allows one (the mounts then vanish with the run, whatever happens), else in
# the host's namespace with the same trap.
# ---------------------------------------------------------------------------------------------
MOUNTED=()
# shellcheck disable=SC2317  # called from a trap
unmount_ours() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}" 2>/dev/null || true
  done
  MOUNTED=()
}

mount_in_root() { # mount_in_root TARGET-IN-ROOT MOUNT-ARGS...
  local target="$ROOT$1"
  shift
  mkdir -p "$target"
  # Never mount twice: whatever is there is left over from a run that was killed.
  while mountpoint -q "$target"; do
    umount "$target" 2>/dev/null || umount -l "$target"
  done
  mount "$@" "$target"
  MOUNTED+=("$target")
  # Keep mounts made under this one from spreading back to the host (shared propagation).
  mount --make-private "$target" 2>/dev/null || true
}

# The environment inside the root: nothing of the host's but what is named here.
root_env() {
  local var
  ROOT_ENV=(
    HOME=/root
    PATH="$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    LANG=C.UTF-8
    TERM="${TERM:-dumb}"
    PYTHONDONTWRITEBYTECODE=1
    COVERAGE_FILE=/tmp/venue_av-current-ha.coverage
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
    PIP_DISABLE_PIP_VERSION_CHECK=1
    PIP_DEFAULT_TIMEOUT="${PIP_DEFAULT_TIMEOUT:-120}"
  )
  for var in CI PIP_INDEX_URL PIP_TRUSTED_HOST http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
      PYTEST_ADDOPTS HYPOTHESIS_PROFILE COLUMNS FORCE_COLOR NO_COLOR PY_COLORS; do
    if [ -n "${!var:-}" ]; then ROOT_ENV+=("$var=${!var}"); fi
  done
}

in_root() { # runs a command in the root, cwd $SRC
  # shellcheck disable=SC2016  # $0 and $@ are expanded by the inner sh
  chroot "$ROOT" /usr/bin/env -i "${ROOT_ENV[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$SRC" "$@" 9>&-
}

ensure_venv() {
  local stamp="$ROOT$VENV/.requirements.sha256" log="$ROOT$VENV/pip.log" wanted
  wanted="$(sha256sum <"$REPO/$REQ_FILE" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return 0
  fi
  echo "==> installing $REQ_FILE into $VENV of the sid root (log: $log)"
  rm -f "$stamp"
  [ -x "$ROOT$VENV/bin/python" ] || in_root /usr/bin/$PYTHON -m venv "$VENV"
  if ! { in_root "$VENV/bin/python" -m pip install -q --upgrade pip &&
         in_root "$VENV/bin/python" -m pip install -q -r "$SRC/$REQ_FILE"; } >"$log" 2>&1; then
    tail -40 "$log" >&2
    die "pip could not install $REQ_FILE on Python $(python_version_in "$ROOT") (log: $log)"
  fi
  echo "$wanted" >"$stamp"
}

inner() {
  trap unmount_ours EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP

  # Name resolution and the host's CA bundle (which may trust more than Debian's), every run.
  # (rm first: a symlink left there would make cp write through it onto the host.)
  if [ -f /etc/resolv.conf ]; then
    rm -f "$ROOT/etc/resolv.conf"
    cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
  fi
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$ROOT/etc/ssl/certs"
    rm -f "$ROOT/etc/ssl/certs/ca-certificates.crt"
    cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
  fi

  mount_in_root /proc -t proc proc
  mount_in_root /dev --bind /dev
  mount_in_root /dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs
  mount_in_root /tmp --bind /tmp
  mount_in_root "$SRC" --bind "$REPO"

  root_env
  ensure_venv
  if [ "${VENUE_AV_HOSTNS:-}" != 1 ]; then
    # The root is ready; runs in mount namespaces of their own don't disturb each other.
    flock -u 9
    exec 9>&-
  fi

  local versions args=() arg rc
  versions="$(in_root "$VENV/bin/python" -c 'import platform; from homeassistant.const import __version__; print(f"Home Assistant {__version__} on Python {platform.python_version()}")')" ||
    die "homeassistant does not import in $VENV (remove $ROOT$VENV/.requirements.sha256 to reinstall)"
  for arg in "$@"; do
    case "$arg" in
      "$REPO") args+=("$SRC") ;;
      "$REPO"/*) args+=("$SRC/${arg#"$REPO"/}") ;;
      *) args+=("$arg") ;;
    esac
  done
  echo "==> pytest ($versions)"
  set +e
  in_root "$VENV/bin/python" -m pytest -p no:cacheprovider ${args[@]+"${args[@]}"}
  rc=$?
  set -e
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------
if [ "${1:-}" = "--inner" ]; then
  shift
  inner "$@"
fi

# A Python >= 3.14.2 on this machine (a CI runner's setup-python, say) runs the suite directly in
# .venv-current; the Debian root is for machines without one. VENUE_AV_PYTHON314 names it.
host_python() {
  local candidate
  for candidate in "${VENUE_AV_PYTHON314:-}" python3.14; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 14, 2))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

run_on_host() { # python, pytest args...
  local python="$1" venv="$REPO/.venv-current" wanted
  shift
  cd "$REPO"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  wanted="$(sha256sum "$REQ_FILE" | cut -d' ' -f1)"
  if ! grep -qx "$wanted" "$venv/.requirements.sha256" 2>/dev/null; then
    echo "==> installing $REQ_FILE into .venv-current (log: .venv-current/pip.log)"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ_FILE" >"$venv/pip.log" 2>&1 ||
      { tail -40 "$venv/pip.log" >&2; exit 1; }
    echo "$wanted" >"$venv/.requirements.sha256"
  fi
  echo "==> pytest ($("$venv/bin/python" -c 'import platform; from homeassistant.const import __version__; print(f"Home Assistant {__version__} on Python {platform.python_version()}")'), this machine's Python)"
  exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
}

if py314="$(host_python)"; then
  run_on_host "$py314" "$@"
fi

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mount); run it as root"
for tool in chroot mount umount mountpoint findmnt flock sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing on this host"
done
[ -f "$REPO/$REQ_FILE" ] || die "$REPO/$REQ_FILE is missing"
cd "$REPO"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  echo "==> waiting for another run that is building or installing into $ROOT"
  flock 9
fi
trap cleanup_build EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
ensure_root
trap - EXIT INT TERM HUP

if unshare --mount --propagation private true 2>/dev/null; then
  exec unshare --mount --propagation private "$SELF" --inner "$@"
fi
# No private mount namespace here: mount in the host's own, holding the lock for the whole run.
export VENUE_AV_HOSTNS=1
inner "$@"
