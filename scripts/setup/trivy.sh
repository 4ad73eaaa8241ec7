#!/usr/bin/env bash
# Provides a real Trivy for the tests, and trivy-dbgen, which writes small vulnerability DBs in Trivy's
# own format (test/trivy/dbgen, used through test/trivy/db.ts):
#
# - Trivy at the default version trivy-gate installs (`defaultVersion` of packages/tools/manifest/trivy.json),
#   built from source through the Go module proxy (`go install github.com/aquasecurity/trivy/cmd/trivy@vX`;
#   the module has no replace/exclude directives) the way trivy's release is built (goreleaser.yml of
#   the module, build "build-linux"): CGO_ENABLED=0, GOEXPERIMENT=jsonv2 (pkg/rpc imports
#   encoding/json/v2), -ldflags "-s -w -extldflags '-static' -X …/pkg/version/app.ver=<version>", plus
#   -trimpath. `trivy version --format json` then reports exactly "Version":"<version>".
# - trivy-dbgen from test/trivy/dbgen (its own go.mod requires the github.com/aquasecurity/trivy-db
#   version that trivy's go.mod requires; this script checks that they agree).
#
# Cached under $POLYGLOT_CD_CACHE/trivy (default ~/.cache/polyglot-cd, or $XDG_CACHE_HOME/polyglot-cd):
#   trivy/<version>/trivy     + stamp: version and the hash of this build recipe
#   trivy/dbgen/trivy-dbgen   + stamp: the hash of test/trivy/dbgen's sources, the Go version, the recipe
# Only the first run on a machine pays the build (Trivy: about 13 min on 2 busy cores, most modules
# not yet in the Go module cache; trivy-dbgen: about 10 s); later runs return at once (< 0.1 s).
# Concurrent runs serialise on a lock per binary.
#
# Usage: bash scripts/setup/trivy.sh                builds (if needed) both
#        bash scripts/setup/trivy.sh --print        builds Trivy if needed, prints the path of its binary
#        bash scripts/setup/trivy.sh --print-dbgen  the same for trivy-dbgen
# Progress goes to stderr; --print and --print-dbgen write only the path to stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MANIFEST=$ROOT/packages/tools/manifest/trivy.json
DBGEN_DIR=$ROOT/test/trivy/dbgen
TRIVY_MOD=github.com/aquasecurity/trivy
TRIVY_DB_MOD=github.com/aquasecurity/trivy-db

log() { echo "trivy-setup: $*" >&2; }
die() { echo "trivy-setup: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/trivy
TMP_DIRS=()
trap 'rm -rf "${TMP_DIRS[@]}"' EXIT

[ -f "$MANIFEST" ] || die "$MANIFEST not found"
TRIVY_VERSION=$(sed -n 's/^[[:space:]]*"defaultVersion":[[:space:]]*"\([^"]*\)".*/\1/p' "$MANIFEST" | head -n1)
[[ $TRIVY_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "no defaultVersion X.Y.Z in $MANIFEST (found '$TRIVY_VERSION')"

# The -ldflags of trivy's goreleaser.yml (builds[].ldflags, {{.Version}} = the tag without the "v").
trivy_ldflags() { # <version>
  echo "-s -w -extldflags '-static' -X $TRIVY_MOD/pkg/version/app.ver=$1"
}

# Everything that decides what gets built; its hash goes into the stamp, so editing the recipe rebuilds.
trivy_recipe_hash() { # <version>
  { echo "trivy $1 $(uname -sm)"; declare -f trivy_ldflags build_trivy; } | sha256sum | cut -d' ' -f1
}

dbgen_recipe_hash() {
  {
    echo "dbgen $(uname -sm) $(go env GOVERSION 2>/dev/null || echo no-go)"
    declare -f build_dbgen
    (cd "$DBGEN_DIR" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort | xargs sha256sum)
  } | sha256sum | cut -d' ' -f1
}

is_current() { # <binary> <stamp file> <expected stamp>
  [ -x "$1" ] && [ -f "$2" ] && [ "$(cat "$2")" = "$3" ]
}


need_go() {
  command -v go >/dev/null 2>&1 || die "go is not on PATH ($1 needs Go >= the module's 'go' line and the Go module proxy)"
}

build_trivy() { # <version> <dir>
  local version=$1 dir=$2 tmp got start=$SECONDS
  rm -f "$dir/stamp"
  need_go "Trivy $version"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-$version.XXXXXX")
  TMP_DIRS+=("$tmp")
  log "building Trivy $version from $TRIVY_MOD@v$version (Go module proxy; several minutes the first time)"
  if ! run_with_progress "Trivy $version" "$tmp/build.log" \
      env -C "$tmp" CGO_ENABLED=0 GOEXPERIMENT=jsonv2 GOFLAGS='' GOWORK=off GOBIN="$tmp" \
      go install -trimpath -ldflags "$(trivy_ldflags "$version")" "$TRIVY_MOD/cmd/trivy@v$version"; then
    tail -n 30 "$tmp/build.log" >&2
    die "building Trivy $version failed (a Go older than the module's 'go' line needs GOTOOLCHAIN=auto or a newer Go)"
  fi
  # an empty cache dir: the version check must not read (or create) anything in ~/.cache/trivy
  got=$("$tmp/trivy" version --format json --cache-dir "$tmp/cache" | sed -n 's/^{"Version":"\([^"]*\)".*/\1/p') ||
    die "the built Trivy $version does not run"
  [ "$got" = "$version" ] || die "the built trivy reports version '$got', expected '$version'"
  mkdir -p "$dir"
  mv -f "$tmp/trivy" "$dir/trivy"
  echo "version=$version recipe=$(trivy_recipe_hash "$version")" >"$dir/stamp.tmp"
  mv -f "$dir/stamp.tmp" "$dir/stamp"
  log "Trivy $version ready in $(( SECONDS - start ))s: $dir/trivy ($(du -h "$dir/trivy" | cut -f1))"
}

# The trivy-db version trivy's go.mod requires (from the module proxy's .mod file).
trivy_db_version_of_trivy() { # <trivy version>
  local gomod
  gomod=$(cd "$CACHE_ROOT" && GOFLAGS='' GOWORK=off go mod download -json "$TRIVY_MOD@v$1" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$gomod" ] || die "could not download $TRIVY_MOD@v$1 from the Go module proxy"
  awk -v m="$TRIVY_DB_MOD" '$1 == m { print $2; exit }' "$gomod"
}

build_dbgen() { # <dir>
  local dir=$1 tmp want have start=$SECONDS
  rm -f "$dir/stamp"
  need_go "trivy-dbgen"
  [ -f "$DBGEN_DIR/go.mod" ] || die "$DBGEN_DIR/go.mod not found"
  want=$(trivy_db_version_of_trivy "$TRIVY_VERSION")
  have=$(awk -v m="$TRIVY_DB_MOD" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$DBGEN_DIR/go.mod")
  [ -n "$want" ] || die "$TRIVY_MOD@v$TRIVY_VERSION's go.mod requires no $TRIVY_DB_MOD"
  [ "$have" = "$want" ] ||
    die "test/trivy/dbgen/go.mod requires $TRIVY_DB_MOD $have, but Trivy $TRIVY_VERSION requires $want: update it (cd test/trivy/dbgen && go get $TRIVY_DB_MOD@$want && go mod tidy)"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-dbgen.XXXXXX")
  TMP_DIRS+=("$tmp")
  log "building trivy-dbgen (test/trivy/dbgen, $TRIVY_DB_MOD $have)"
  if ! run_with_progress "trivy-dbgen" "$tmp/build.log" \
      env -C "$DBGEN_DIR" CGO_ENABLED=0 GOFLAGS='-mod=readonly' GOWORK=off \
      go build -trimpath -ldflags '-s -w' -o "$tmp/trivy-dbgen" .; then
    tail -n 30 "$tmp/build.log" >&2
    die "building trivy-dbgen failed"
  fi
  mkdir -p "$dir"
  mv -f "$tmp/trivy-dbgen" "$dir/trivy-dbgen"
  dbgen_recipe_hash >"$dir/stamp.tmp"
  mv -f "$dir/stamp.tmp" "$dir/stamp"
  log "trivy-dbgen ready in $(( SECONDS - start ))s: $dir/trivy-dbgen"
}


trivy_current() {
  is_current "$CACHE_ROOT/$TRIVY_VERSION/trivy" "$CACHE_ROOT/$TRIVY_VERSION/stamp" \
    "version=$TRIVY_VERSION recipe=$(trivy_recipe_hash "$TRIVY_VERSION")"
}
ensure_trivy() {
  trivy_current && return 0
  locked "$TRIVY_VERSION" trivy_current build_trivy "$TRIVY_VERSION" "$CACHE_ROOT/$TRIVY_VERSION"
}

dbgen_current() {
  is_current "$CACHE_ROOT/dbgen/trivy-dbgen" "$CACHE_ROOT/dbgen/stamp" "$(dbgen_recipe_hash)"
}
ensure_dbgen() {
  dbgen_current && return 0
  locked dbgen dbgen_current build_dbgen "$CACHE_ROOT/dbgen"
}

case "${1:-}" in
  "")
    ensure_trivy
    ensure_dbgen
    ;;
  --print)
    ensure_trivy
    echo "$CACHE_ROOT/$TRIVY_VERSION/trivy"
    ;;
  --print-dbgen)
    ensure_dbgen
    echo "$CACHE_ROOT/dbgen/trivy-dbgen"
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    ;;
  *) die "usage: $0 [--print | --print-dbgen]" ;;
esac
