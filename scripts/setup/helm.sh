#!/usr/bin/env bash
# Provides real Helm binaries for the tests: the default Helm 4 that helm-deploy pins, and the newest
# Helm 3. Both are built from source through the Go module proxy (`go install helm.sh/helm/vN/cmd/helm@vX`;
# neither module has replace/exclude directives, so no wrapper module is needed), the way helm's own
# Makefile builds a release: CGO_ENABLED=0, -trimpath, -ldflags '-w -s -X …version=vX …gitTreeState=clean'
# (Helm 3 also gets the Kubernetes version of its client-go, which Helm 4 reads from the build info),
# so `helm version --template '{{.Version}}'` prints exactly vX.
#
# Cached by version under $POLYGLOT_CD_CACHE/helm/<version>/helm (default ~/.cache/polyglot-cd, or
# $XDG_CACHE_HOME/polyglot-cd), with a stamp recording the version and the hash of this build recipe:
# only the first run on a machine pays the build (~3-6 min each on 2 cores, cold Go caches); later runs
# return at once. Concurrent runs serialise on a lock per version.
#
# Usage: bash scripts/setup/helm.sh             builds (if needed) both
#        bash scripts/setup/helm.sh --print 4   builds Helm 4 if needed, prints the path of its binary
#        bash scripts/setup/helm.sh --print 3   the same for Helm 3
# Progress goes to stderr; --print writes only the path to stdout.
set -euo pipefail

HELM4_VERSION=4.2.4
HELM3_VERSION=3.22.0

log() { echo "helm-setup: $*" >&2; }
die() { echo "helm-setup: error: $*" >&2; exit 1; }
# shellcheck source=scripts/setup/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}/helm
TMP_DIRS=()
trap 'rm -rf "${TMP_DIRS[@]}"' EXIT

version_of() {
  case "$1" in
    4) echo "$HELM4_VERSION" ;;
    3) echo "$HELM3_VERSION" ;;
    *) die "unknown Helm major version '$1' (3 or 4)" ;;
  esac
}

# The -ldflags of helm's Makefile (v3.22 / v4.2) for a tagged, clean build. gitCommit is left empty:
# the module proxy does not say which commit a version is.
helm_ldflags() { # <major> <version> [k8s client-go version, Helm 3 only]
  local mod="helm.sh/helm/v$1" flags
  flags="-w -s -X $mod/internal/version.version=v$2 -X $mod/internal/version.metadata="
  flags+=" -X $mod/internal/version.gitTreeState=clean"
  if [ "$1" = 3 ]; then
    # Makefile: K8S_MODULES_MAJOR_VER = client-go major + 1, minor = client-go minor (v0.37.0 -> 1.37);
    # without these Helm 3 assumes Kubernetes 1.20 for .Capabilities.KubeVersion and `helm lint`.
    local kv=${3#v} major minor
    major=$(( ${kv%%.*} + 1 )); minor=${kv#*.}; minor=${minor%%.*}
    flags+=" -X $mod/pkg/lint/rules.k8sVersionMajor=$major -X $mod/pkg/lint/rules.k8sVersionMinor=$minor"
    flags+=" -X $mod/pkg/chartutil.k8sVersionMajor=$major -X $mod/pkg/chartutil.k8sVersionMinor=$minor"
  fi
  echo "$flags"
}

# Everything that decides what gets built; its hash goes into the stamp, so editing the recipe rebuilds.
recipe_hash() { # <major> <version>
  { echo "helm $1 $2 $(uname -sm)"; declare -f helm_ldflags build_helm; } | sha256sum | cut -d' ' -f1
}

is_current() { # <dir> <version> <hash>
  [ -x "$1/helm" ] && [ -f "$1/stamp" ] && [ "$(cat "$1/stamp")" = "version=$2 recipe=$3" ]
}


build_helm() { # <major> <version> <dir>
  local major=$1 version=$2 dir=$3 mod="helm.sh/helm/v$1" tmp gomod kv="" ldflags got start=$SECONDS
  command -v go >/dev/null 2>&1 || die "go is not on PATH (Helm $version needs Go >= 1.26 and the Go module proxy)"
  tmp=$(mktemp -d "$CACHE_ROOT/.build-$version.XXXXXX")
  TMP_DIRS+=("$tmp")
  if [ "$major" = 3 ]; then
    gomod=$(cd "$tmp" && GOFLAGS='' GOWORK=off go mod download -json "$mod@v$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
    [ -f "$gomod" ] || die "could not download $mod@v$version from the Go module proxy"
    kv=$(awk '$1 == "k8s.io/client-go" { print $2; exit }' "$gomod")
    [[ $kv =~ ^v0\.[0-9]+\. ]] || die "no k8s.io/client-go v0.N requirement in $mod@v$version's go.mod (found '$kv')"
  fi
  ldflags=$(helm_ldflags "$major" "$version" "$kv")
  log "building Helm $version from $mod@v$version (Go module proxy; a few minutes the first time)"
  if ! run_with_progress "Helm $version" "$tmp/build.log" \
      env -C "$tmp" CGO_ENABLED=0 GOFLAGS='' GOWORK=off GOBIN="$tmp" go install -trimpath -ldflags "$ldflags" "$mod/cmd/helm@v$version"; then
    tail -n 30 "$tmp/build.log" >&2
    die "building Helm $version failed (a Go older than the module's 'go' line needs GOTOOLCHAIN=auto or a newer Go)"
  fi
  got=$("$tmp/helm" version --template '{{.Version}}') || die "the built Helm $version does not run"
  [ "$got" = "v$version" ] || die "the built helm reports version '$got', expected 'v$version'"
  mkdir -p "$dir"
  mv -f "$tmp/helm" "$dir/helm"
  echo "version=$version recipe=$(recipe_hash "$major" "$version")" >"$dir/stamp.tmp"
  mv -f "$dir/stamp.tmp" "$dir/stamp"
  log "Helm $version ready in $(( SECONDS - start ))s: $dir/helm ($(du -h "$dir/helm" | cut -f1))"
}

ensure() { # <major>; prints nothing, leaves the binary at $CACHE_ROOT/<version>/helm
  local major=$1
  H_VERSION=$(version_of "$major")
  H_DIR=$CACHE_ROOT/$H_VERSION
  H_HASH=$(recipe_hash "$major" "$H_VERSION")
  helm_current && return 0
  locked "$H_VERSION" helm_current build_helm "$major" "$H_VERSION" "$H_DIR"
}
helm_current() { is_current "$H_DIR" "$H_VERSION" "$H_HASH"; }

case "${1:-}" in
  "")
    ensure 4
    ensure 3
    ;;
  --print)
    [ $# -eq 2 ] || die "usage: $0 [--print 3|4]"
    version=$(version_of "$2")
    ensure "$2"
    echo "$CACHE_ROOT/$version/helm"
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    ;;
  *) die "usage: $0 [--print 3|4]" ;;
esac
