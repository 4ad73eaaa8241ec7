#!/usr/bin/env bash
# Builds polyglot-cd-kube, one multi-call binary with etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, kube-proxy and kubectl (Go module test/kube/go; see test/kube/README.md),
# from the Go module proxy. The Kubernetes version is the k8s.io/kubernetes requirement of
# test/kube/go/go.mod.
#
#   <cache>/kube/<version>/bin/polyglot-cd-kube      the binary
#   <cache>/kube/<version>/bin/{etcd,kube-apiserver,...} -> polyglot-cd-kube
#   <cache>/kube/go/mod                              GOMODCACHE, shared by all versions
#   <cache>/kube/go/build                            GOCACHE, removed after a successful build
#
# <cache> is $POLYGLOT_CD_CACHE, else $XDG_CACHE_HOME/polyglot-cd, else ~/.cache/polyglot-cd.
# The first build takes several minutes; afterwards a stamp (version + hash of go.mod, go.sum, main.go
# and the build flags) makes a run return at once. A lock serialises concurrent runs. If
# $KUBEBUILDER_ASSETS (the envtest layout, a flat directory) already holds etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler, nothing is built (test/kube/binaries.ts prefers them).
# Usage: bash scripts/setup/kube.sh [--print-bin-dir]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MOD_DIR=$ROOT/test/kube/go
MULTI=polyglot-cd-kube
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler)
# As Kubernetes' own release build (hack/lib/golang.sh): static, trimmed, no debug info.
TAGS=selinux,notest,grpcnotrace

log() { echo "kube-setup: $*" >&2; }
die() { echo "kube-setup: error: $*" >&2; exit 1; }

KUBE_VERSION=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v[0-9]/ { print $2; exit }' "$MOD_DIR/go.mod")
[[ $KUBE_VERSION =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || die "no k8s.io/kubernetes vX.Y.Z requirement in $MOD_DIR/go.mod"
KUBE_MAJOR=${BASH_REMATCH[1]} KUBE_MINOR=${BASH_REMATCH[2]}
CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}
CACHE_DIR=$CACHE_ROOT/kube/$KUBE_VERSION
BIN_DIR=$CACHE_DIR/bin
GO_DIR=$CACHE_ROOT/kube/go

print_dir() { if [ "${1:-}" = --print-bin-dir ]; then echo "$BIN_DIR"; fi; }

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  have_all=1
  for b in "${CONTROL_PLANE[@]}"; do [ -x "$KUBEBUILDER_ASSETS/$b" ] || have_all=0; done
  if [ "$have_all" = 1 ]; then
    log "using \$KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS ($("$KUBEBUILDER_ASSETS/kube-apiserver" --version 2>/dev/null || echo 'unknown version'))"
    print_dir "${1:-}"
    exit 0
  fi
fi

# What the stamp covers: the module's sources and the build recipe.
RECIPE="tags=$TAGS cgo=0 trimpath ldflags=-s,-w,version"
stamp_want() {
  printf '%s %s\n' "$KUBE_VERSION" \
    "$(cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$MOD_DIR/main.go" - <<<"$RECIPE" | sha256sum | cut -d' ' -f1)"
}
WANT=$(stamp_want)
up_to_date() {
  [ -x "$BIN_DIR/$MULTI" ] && [ "$(cat "$BIN_DIR/.stamp" 2>/dev/null)" = "$WANT" ] || return 1
  local b
  for b in "${COMPONENTS[@]}"; do [ -x "$BIN_DIR/$b" ] || return 1; done
}

if up_to_date; then
  log "$KUBE_VERSION: cached ($BIN_DIR)"
  print_dir "${1:-}"
  exit 0
fi

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
if ! flock -n 9; then log "another run is building $KUBE_VERSION; waiting for it"; flock 9; fi
if up_to_date; then
  log "$KUBE_VERSION: built by a concurrent run ($BIN_DIR)"
  print_dir "${1:-}"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is needed to build $MULTI (go.mod says $(awk '$1 == "go" { print $2; exit }' "$MOD_DIR/go.mod")); install it from https://go.dev/dl or your distribution"

mkdir -p "$GO_DIR/mod" "$GO_DIR/build"
export GOMODCACHE=$GO_DIR/mod GOCACHE=$GO_DIR/build GOWORK=off CGO_ENABLED=0
# -modcacherw: the module cache can be removed with rm -rf. -mod=readonly: go.mod/go.sum are the truth.
export GOFLAGS="-mod=readonly -modcacherw -buildvcs=false"
unset GOOS GOARCH

tmpbin=$CACHE_DIR/bin.tmp.$$
buildlog=$CACHE_DIR/build.log
failedlog=$CACHE_DIR/build-failed.log
pid='' sleep_pid=''
cleanup() {
  # Stop an interrupted build (its own process group) and remove the half-made bin directory.
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$sleep_pid" ]; then kill "$sleep_pid" 2>/dev/null || true; fi
  rm -rf "$tmpbin"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
rm -rf "$tmpbin" && mkdir -p "$tmpbin"

log "building $MULTI $KUBE_VERSION with $(go version | cut -d' ' -f3-) (first run: about 9 min on 2 cores; log: $buildlog)"
start=$(date +%s)
: >"$buildlog"
# shellcheck disable=SC2016 # the inner script's $1..$6 are its arguments, expanded by the inner bash
(
  cd "$MOD_DIR"
  exec setsid bash -euo pipefail -c '
    echo "== resolving packages and downloading modules"
    go list -deps . >"$1/packages"
    echo "== $(wc -l <"$1/packages") packages"
    # A fixed build date (when the proxy first served this release) keeps the binary reproducible.
    date=$(go list -m -f "{{.Time.UTC.Format \"2006-01-02T15:04:05Z\"}}" k8s.io/kubernetes)
    ldflags="-s -w"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $p.gitVersion=$2 -X $p.gitMajor=$3 -X $p.gitMinor=$4 -X $p.gitTreeState=clean -X $p.gitCommit= -X $p.buildDate=$date"
    done
    echo "== go build -v -trimpath -tags=$5 -ldflags=\"$ldflags\""
    go build -v -trimpath -tags="$5" -ldflags="$ldflags" -o "$1/$6" .
    echo "== linked"
  ' build "$tmpbin" "$KUBE_VERSION" "$KUBE_MAJOR" "$KUBE_MINOR" "$TAGS" "$MULTI"
) >>"$buildlog" 2>&1 &
pid=$!

# Progress at least every 30 s: elapsed time, the phase and the package being compiled.
while kill -0 "$pid" 2>/dev/null; do
  sleep 20 &
  sleep_pid=$!
  wait "$sleep_pid" || true # interruptible, unlike a plain sleep
  sleep_pid=''
  kill -0 "$pid" 2>/dev/null || break
  total=$(wc -l <"$tmpbin/packages" 2>/dev/null || echo 0)
  if grep -q '^== go build' "$buildlog"; then
    done_n=$(sed -n '/^== go build/,$p' "$buildlog" | grep -cv '^==' || true)
    last=$(tail -n 1 "$buildlog" | cut -c1-90)
    if [ "$done_n" -ge "$total" ] && [ "$total" -gt 0 ]; then what="linking"; else what="compiling ${done_n}/${total} packages, at $last"; fi
  else
    what="resolving and downloading modules ($(grep -c '^go: downloading' "$buildlog" || true) downloaded)"
  fi
  log "still building... $(($(date +%s) - start))s — $what"
done
rc=0
wait "$pid" || rc=$?
pid=''
if [ "$rc" != 0 ]; then
  cp "$buildlog" "$failedlog"
  grep -v '^[^ :]*$' "$buildlog" | tail -n 30 >&2 || true # without go build -v's package names
  die "build failed after $(($(date +%s) - start))s (exit $rc); full log: $failedlog"
fi

out=$("$tmpbin/$MULTI" kube-apiserver --version 2>&1 || true)
[ "$out" = "Kubernetes $KUBE_VERSION" ] || die "$tmpbin/$MULTI kube-apiserver --version says '$out', expected 'Kubernetes $KUBE_VERSION'"
for b in "${COMPONENTS[@]}"; do ln -s "$MULTI" "$tmpbin/$b"; done
rm -f "$tmpbin/packages"
echo "$WANT" >"$tmpbin/.stamp"
rm -rf "$BIN_DIR" && mv "$tmpbin" "$BIN_DIR"
rm -f "$failedlog"
# The build cache (~3 GB) is of little use once the binary exists: a version bump recompiles most of it.
# A failed build keeps it, so the next attempt resumes. POLYGLOT_CD_KUBE_KEEP_GOCACHE=1 keeps it anyway
# (handy while editing main.go). The module cache stays: a bump downloads only what changed.
[ "${POLYGLOT_CD_KUBE_KEEP_GOCACHE:-}" = 1 ] || rm -rf "$GO_DIR/build"
log "built in $(($(date +%s) - start))s: $BIN_DIR/$MULTI ($(du -m "$BIN_DIR/$MULTI" | cut -f1) MB; etcd $("$BIN_DIR/etcd" --version 2>/dev/null | awk '/^etcd Version/ { print $3 }'))"
print_dir "${1:-}"
