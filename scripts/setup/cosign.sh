#!/usr/bin/env bash
# Provides a real cosign binary for the tests: exactly the default cosign-sign pins, 3.1.3
# (packages/tools/manifest/cosign.json "defaultVersion"). It is built from source through the Go
# module proxy (`go install github.com/sigstore/cosign/v3/cmd/cosign@v3.1.3`; the module's go.mod has
# no replace/exclude directives and needs Go >= 1.26.0), the way cosign's release builds it (its
# Makefile LDFLAGS and .goreleaser.yml "linux" build at v3.1.3): CGO_ENABLED=0, -trimpath,
# -ldflags '-buildid= -X sigs.k8s.io/release-utils/version.gitVersion=v3.1.3 …gitTreeState=clean
# …buildDate=<the version's commit time>', so `cosign version --json` reports gitVersion "v3.1.3",
# which the action's version check (Cosign.parseVersion / versionSatisfies >= 3.0.0) accepts.
# gitCommit stays "unknown": the module proxy does not say which commit a version is. buildDate is the
# "Time" of the proxy's v3.1.3.info (2026-08-05T23:43:27Z), the same commit time the release uses
# (Makefile: BUILD_DATE from SOURCE_DATE_EPOCH = the last commit's time).
#
# Why not Debian's package: sid's `cosign` (Packages index of deb.debian.org/debian dists/sid main
# amd64, read 2026-12-02: Version 3.1.1-2, Filename pool/main/c/cosign/cosign_3.1.1-2_amd64.deb,
# Size 17676136, SHA256 d8622ebffce1d69197288fc030ff06a4c247af5507107f85c5a878870b686b23,
# Depends libc6 (>= 2.34)) runs on Debian 12 after `dpkg -x`, but it is 3.1.1, not the pinned
# 3.1.3, and it is built without version ldflags: `cosign version --json` says
# {"gitVersion": "devel", "goVersion": "go1.27.3", …}, which the action refuses as "not 3.x".
# Sid's pool also drops a file as soon as a newer upload replaces it, so a pin on it goes stale.
#
# Cached by version under $POLYGLOT_CD_CACHE/cosign/<version>/cosign (default ~/.cache/polyglot-cd,
# or $XDG_CACHE_HOME/polyglot-cd), with a stamp recording the version and the hash of this recipe:
# only the first run on a machine pays the build (several minutes on 2 cores); later runs return at
# once. Concurrent runs serialise on a lock per version.
#
# Usage: bash scripts/setup/cosign.sh                builds cosign 3.1.3 if needed
#        bash scripts/setup/cosign.sh --print        the same, then prints the path of the binary
#        bash scripts/setup/cosign.sh --print-cached prints the path only if it is already built and
#                                                    current (exit 3 otherwise); never builds
# Progress goes to stderr; --print and --print-cached write only the path to stdout.
set -euo pipefail

COSIGN_VERSION=3.1.3
COSIGN_MODULE=github.com/sigstore/cosign/v3

log() { echo "cosign-setup: $*" >&2; }
die() { echo "cosign-setup: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/cosign
DIR=$CACHE_ROOT/$COSIGN_VERSION
TMP_DIRS=()
trap 'rm -rf "${TMP_DIRS[@]}"' EXIT

# The -ldflags of cosign's Makefile (LDFLAGS, v3.1.3) for a tagged, clean build at <build date>.
cosign_ldflags() { # <version> <build date>
  local v=sigs.k8s.io/release-utils/version
  echo "-buildid= -X $v.gitVersion=v$1 -X $v.gitTreeState=clean -X $v.buildDate=$2"
}

# Everything that decides what gets built; its hash goes into the stamp, so editing the recipe rebuilds.
recipe_hash() {
  { echo "cosign $COSIGN_VERSION $(uname -sm)"; declare -f cosign_ldflags build_cosign; } | sha256sum | cut -d' ' -f1
}

is_current() { # <hash>
  [ -x "$DIR/cosign" ] && [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "version=$COSIGN_VERSION recipe=$1" ]
}


build_cosign() {
  local version=$COSIGN_VERSION mod=$COSIGN_MODULE tmp info date ldflags got start=$SECONDS
  command -v go >/dev/null 2>&1 || die "go is not on PATH (cosign $version needs Go >= 1.26 and the Go module proxy)"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-$version.XXXXXX")
  TMP_DIRS+=("$tmp")
  # The proxy's .info "Time" of the tag: the release's build date (see the header).
  info=$(cd "$tmp" && GOFLAGS='' GOWORK=off go mod download -json "$mod@v$version" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$info" ] || die "could not download $mod@v$version from the Go module proxy"
  date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")
  [[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] || die "no commit time in $info (found '$date')"
  ldflags=$(cosign_ldflags "$version" "$date")
  log "building cosign $version from $mod/cmd/cosign@v$version (Go module proxy; several minutes the first time)"
  if ! run_with_progress "cosign $version" "$tmp/build.log" \
      env -C "$tmp" CGO_ENABLED=0 GOFLAGS='' GOWORK=off GOBIN="$tmp" go install -trimpath -ldflags "$ldflags" "$mod/cmd/cosign@v$version"; then
    tail -n 30 "$tmp/build.log" >&2
    die "building cosign $version failed (a Go older than the module's 'go' line needs GOTOOLCHAIN=auto or a newer Go)"
  fi
  got=$("$tmp/cosign" version --json 2>/dev/null | sed -n 's/^[[:space:]]*"gitVersion": "\(.*\)",\{0,1\}$/\1/p') || true
  [ "$got" = "v$version" ] || die "the built cosign reports gitVersion '$got', expected 'v$version'"
  mkdir -p "$DIR"
  mv -f "$tmp/cosign" "$DIR/cosign"
  echo "version=$version recipe=$(recipe_hash)" >"$DIR/stamp.tmp"
  mv -f "$DIR/stamp.tmp" "$DIR/stamp"
  log "cosign $version ready in $(( SECONDS - start ))s: $DIR/cosign ($(du -h "$DIR/cosign" | cut -f1))"
}

ensure() { # leaves the binary at $DIR/cosign
  cosign_current && return 0
  locked "$COSIGN_VERSION" cosign_current build_cosign
}
cosign_current() { is_current "$(recipe_hash)"; }

case "${1:-}" in
  "") ensure ;;
  --print)
    ensure
    echo "$DIR/cosign"
    ;;
  --print-cached)
    is_current "$(recipe_hash)" || { log "cosign $COSIGN_VERSION is not built yet (run: bash scripts/setup/cosign.sh)"; exit 3; }
    echo "$DIR/cosign"
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    ;;
  *) die "usage: $0 [--print | --print-cached]" ;;
esac
