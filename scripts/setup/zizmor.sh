#!/usr/bin/env bash
# Provides zizmor, the GitHub Actions static analyser that test/hygiene/zizmor.test.ts runs over
# .github/workflows. Installed from PyPI into a virtual environment of its own with
# `pip install --require-hashes --no-deps`: the wheel must match the SHA-256 committed below (the
# manylinux x86_64 wheel; zizmor is one Rust binary, so it has no Python dependencies).
#
# Cached by version under $POLYGLOT_CD_CACHE/zizmor/<version>/ (default ~/.cache/polyglot-cd, or
# $XDG_CACHE_HOME/polyglot-cd), with a stamp recording the version and the pinned hash: the first run
# downloads about 10 MB, later runs return at once. Concurrent runs serialise on a lock per version.
# Needs python3 with the venv module (Debian: python3-venv) and PyPI (or the pip index pip is set up
# to use).
#
# Usage: bash scripts/setup/zizmor.sh          installs (if needed)
#        bash scripts/setup/zizmor.sh --print  the same, then prints the path of the zizmor binary
# Progress goes to stderr; --print writes only the path to stdout.
set -euo pipefail

ZIZMOR_VERSION=1.32.0
# sha256 of zizmor-1.32.0-py3-none-manylinux_2_28_x86_64.whl as published on PyPI
ZIZMOR_SHA256=84a6acb975accc13408786a2bd274b572537ca19c933ebbc13e78f3988562071

log() { echo "zizmor-setup: $*" >&2; }
die() { echo "zizmor-setup: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/zizmor
DIR=$CACHE_ROOT/$ZIZMOR_VERSION
BIN=$DIR/venv/bin/zizmor
STAMP="version=$ZIZMOR_VERSION sha256=$ZIZMOR_SHA256"

is_current() {
  [ -x "$BIN" ] && [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$STAMP" ]
}

install_zizmor() {
  local start=$SECONDS got
  [ "$(uname -sm)" = "Linux x86_64" ] || die "only the Linux x86_64 wheel is pinned (this is $(uname -sm)); set POLYGLOT_CD_ZIZMOR_BIN to a zizmor $ZIZMOR_VERSION"
  command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH"
  log "installing zizmor $ZIZMOR_VERSION from PyPI (hash-pinned) into $DIR/venv"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  python3 -m venv "$DIR/venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  printf 'zizmor==%s --hash=sha256:%s\n' "$ZIZMOR_VERSION" "$ZIZMOR_SHA256" >"$DIR/requirements.txt"
  if ! run_with_progress "zizmor $ZIZMOR_VERSION" "$DIR/pip.log" \
      "$DIR/venv/bin/python" -m pip install --disable-pip-version-check --no-input --require-hashes --no-deps \
      --only-binary=:all: -r "$DIR/requirements.txt"; then
    tail -n 20 "$DIR/pip.log" >&2
    die "pip could not install zizmor $ZIZMOR_VERSION with the pinned hash"
  fi
  got=$("$BIN" --version) || die "the installed zizmor does not run"
  [ "$got" = "zizmor $ZIZMOR_VERSION" ] || die "the installed zizmor reports '$got', expected 'zizmor $ZIZMOR_VERSION'"
  echo "$STAMP" >"$DIR/stamp.tmp"
  mv -f "$DIR/stamp.tmp" "$DIR/stamp"
  log "zizmor $ZIZMOR_VERSION ready in $(( SECONDS - start ))s: $BIN"
}

ensure() {
  is_current && return 0
  locked "$ZIZMOR_VERSION" is_current install_zizmor
}

case "${1:-}" in
  "") ensure ;;
  --print)
    ensure
    echo "$BIN"
    ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "usage: $0 [--print]" ;;
esac
