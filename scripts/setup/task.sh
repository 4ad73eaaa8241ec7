#!/usr/bin/env bash
# Provides go-task (`task`), which runs examples/shop's Taskfiles (task build, task scan,
# task deploy:ephemeral PR_NUM=1). Built from source through the Go module proxy
# (`go install github.com/go-task/task/v3/cmd/task@v3.54.0`, checked against the Go checksum database
# like every module download). The npm package @go-task/cli is not used: its install script downloads
# the binary from github.com, which a machine with only package registries cannot reach.
#
# Cached by version under $POLYGLOT_CD_CACHE/task/<version>/ (default ~/.cache/polyglot-cd, or
# $XDG_CACHE_HOME/polyglot-cd), with a stamp: the first run takes about a minute on 2 cores, later runs
# return at once. Concurrent runs serialise on a lock per version.
#
# Usage: bash scripts/setup/task.sh          builds (if needed)
#        bash scripts/setup/task.sh --print  the same, then prints the path of the task binary
# Progress goes to stderr; --print writes only the path to stdout.
set -euo pipefail

TASK_VERSION=3.54.0
MOD=github.com/go-task/task/v3

log() { echo "task-setup: $*" >&2; }
die() { echo "task-setup: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/task
DIR=$CACHE_ROOT/$TASK_VERSION
BIN=$DIR/task
STAMP="version=$TASK_VERSION module=$MOD"

is_current() {
  [ -x "$BIN" ] && [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$STAMP" ]
}

build_task() {
  local start=$SECONDS tmp
  command -v go >/dev/null 2>&1 || die "go is not on PATH (Go >= 1.24 builds go-task $TASK_VERSION)"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-XXXXXX")
  log "building go-task $TASK_VERSION from the Go module proxy"
  if ! run_with_progress "go-task $TASK_VERSION" "$tmp/build.log" \
    env -C "$tmp" CGO_ENABLED=0 GOFLAGS='' GOWORK=off GOBIN="$tmp" go install -trimpath "$MOD/cmd/task@v$TASK_VERSION"; then
    tail -n 20 "$tmp/build.log" >&2
    rm -rf "$tmp"
    die "go install $MOD/cmd/task@v$TASK_VERSION failed"
  fi
  "$tmp/task" --version >/dev/null || die "the built task does not run"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  mv "$tmp/task" "$BIN"
  echo "$STAMP" >"$DIR/stamp"
  rm -rf "$tmp"
  log "go-task $TASK_VERSION ready in $(( SECONDS - start ))s: $BIN"
}

mkdir -p "$CACHE_ROOT"
is_current || locked "task-$TASK_VERSION" is_current build_task
case "${1:-}" in
  '') ;;
  --print) echo "$BIN" ;;
  *) die "usage: $0 [--print]" ;;
esac
