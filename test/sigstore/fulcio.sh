#!/usr/bin/env bash
# Provides a real Fulcio (the Sigstore certificate authority) for the keyless tests under
# test/sigstore: v1.8.8, the newest v1 release on the Go module proxy (`go list -m -versions
# github.com/sigstore/fulcio`, 2026-12-02). Built with `go install github.com/sigstore/fulcio@v1.8.8`
# (main package at the module root; go.mod has no replace/exclude directives and needs Go >= 1.26.0)
# the way its release builds it (.goreleaser.yml and Makefile at v1.8.8): CGO_ENABLED=0, -trimpath,
# -ldflags '-X sigs.k8s.io/release-utils/version.gitVersion=v1.8.8', so `fulcio version` prints
# GitVersion v1.8.8. The tests run it with an ephemeral in-memory CA (test/sigstore/fulcio.ts).
#
# Cached under $POLYGLOT_CD_CACHE/fulcio/<version>/fulcio (default ~/.cache/polyglot-cd, or
# $XDG_CACHE_HOME/polyglot-cd) with a stamp (version + hash of this recipe). About 1-2 min on 2 cores
# once cosign (scripts/setup/cosign.sh) has filled the Go caches with the shared Sigstore modules;
# later runs return at once. Concurrent runs serialise on a lock.
#
# Usage: bash test/sigstore/fulcio.sh                builds Fulcio if needed
#        bash test/sigstore/fulcio.sh --print        the same, then prints the path of the binary
#        bash test/sigstore/fulcio.sh --print-cached prints the path only if already built (exit 3
#                                                    otherwise); never builds
# Progress goes to stderr; the --print forms write only the path to stdout.
set -euo pipefail

FULCIO_VERSION=1.8.8
FULCIO_MODULE=github.com/sigstore/fulcio

log() { echo "fulcio-setup: $*" >&2; }
die() { echo "fulcio-setup: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/setup/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/fulcio
DIR=$CACHE_ROOT/$FULCIO_VERSION
TMP_DIRS=()
trap 'rm -rf "${TMP_DIRS[@]}"' EXIT

fulcio_ldflags() { echo "-X sigs.k8s.io/release-utils/version.gitVersion=v$1"; }

recipe_hash() {
  { echo "fulcio $FULCIO_VERSION $(uname -sm)"; declare -f fulcio_ldflags build_fulcio; } | sha256sum | cut -d' ' -f1
}

is_current() { # <hash>
  [ -x "$DIR/fulcio" ] && [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "version=$FULCIO_VERSION recipe=$1" ]
}


build_fulcio() {
  local version=$FULCIO_VERSION tmp got start=$SECONDS
  command -v go >/dev/null 2>&1 || die "go is not on PATH (Fulcio $version needs Go >= 1.26 and the Go module proxy)"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-$version.XXXXXX")
  TMP_DIRS+=("$tmp")
  log "building Fulcio $version from $FULCIO_MODULE@v$version (Go module proxy)"
  if ! run_with_progress "Fulcio $version" "$tmp/build.log" \
      env -C "$tmp" CGO_ENABLED=0 GOFLAGS='' GOWORK=off GOBIN="$tmp" go install -trimpath -ldflags "$(fulcio_ldflags "$version")" "$FULCIO_MODULE@v$version"; then
    tail -n 30 "$tmp/build.log" >&2
    die "building Fulcio $version failed"
  fi
  got=$("$tmp/fulcio" version 2>&1 | sed -n 's/^GitVersion:[[:space:]]*//p') || true
  [ "$got" = "v$version" ] || die "the built fulcio reports GitVersion '$got', expected 'v$version'"
  mkdir -p "$DIR"
  mv -f "$tmp/fulcio" "$DIR/fulcio"
  echo "version=$version recipe=$(recipe_hash)" >"$DIR/stamp.tmp"
  mv -f "$DIR/stamp.tmp" "$DIR/stamp"
  log "Fulcio $version ready in $(( SECONDS - start ))s: $DIR/fulcio ($(du -h "$DIR/fulcio" | cut -f1))"
}

ensure() { # leaves the binary at $DIR/fulcio
  fulcio_current && return 0
  locked "$FULCIO_VERSION" fulcio_current build_fulcio
}
fulcio_current() { is_current "$(recipe_hash)"; }

case "${1:-}" in
  "") ensure ;;
  --print)
    ensure
    echo "$DIR/fulcio"
    ;;
  --print-cached)
    is_current "$(recipe_hash)" || { log "Fulcio $FULCIO_VERSION is not built yet (run: bash test/sigstore/fulcio.sh)"; exit 3; }
    echo "$DIR/fulcio"
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    ;;
  *) die "usage: $0 [--print | --print-cached]" ;;
esac
