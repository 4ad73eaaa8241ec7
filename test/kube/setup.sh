#!/usr/bin/env bash
# Provides the control plane's binaries for test/kube (see test/kube/README.md):
#   kube-apiserver, kube-controller-manager  v1.20.2, built from Debian 12's `kubernetes` source package
#   etcd                                     Debian's etcd-server (3.4)
# Binaries are cached by version under $POLYGLOT_CD_CACHE/kube/<version>/bin (default
# ~/.cache/polyglot-cd), so only the first run on a machine pays the ~5 min build. Prebuilt binaries in
# $KUBEBUILDER_ASSETS (the envtest layout: a flat directory) are used when present and skip the build.
# Idempotent: safe to re-run; apt runs only when a package is missing.
# Usage: bash test/kube/setup.sh [--print-bin-dir]
set -euo pipefail

KUBE_VERSION=v1.20.2
CACHE_ROOT=${POLYGLOT_CD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polyglot-cd}
CACHE_DIR=$CACHE_ROOT/kube/$KUBE_VERSION
BIN_DIR=$CACHE_DIR/bin
BUILT=(kube-apiserver kube-controller-manager)

log() { echo "kube-setup: $*" >&2; }
die() { echo "kube-setup: error: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

missing_pkgs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || echo "$p"
  done
}

apt_updated=0
apt_install() {
  local missing
  missing=$(missing_pkgs "$@")
  [ -z "$missing" ] && return 0
  # shellcheck disable=SC2086
  log "installing Debian packages: $(echo $missing)"
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq || die "apt-get update failed"; apt_updated=1; fi
  # Don't let package scripts start services (etcd-server ships one): nothing may be left running.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod 755 "$policy" && added_policy=1
  fi
  local out rc=0
  out=$(mktemp)
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >"$out" 2>&1 || rc=$?
  [ "$added_policy" = 1 ] && as_root rm -f "$policy"
  if [ "$rc" != 0 ]; then tail -n 20 "$out" >&2; rm -f "$out"; die "apt-get install failed for: $missing"; fi
  rm -f "$out"
  return 0
}

have_kubernetes_source() {
  apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes$'
}

# `apt-get source` needs a deb-src entry for the same archive: mirror the machine's own Debian
# bookworm entries (deb822 or one-line format) as deb-src, falling back to deb.debian.org.
ensure_deb_src() {
  have_kubernetes_source && return 0
  local d822=/etc/apt/sources.list.d/polyglot-cd-deb-src.sources src
  if [ ! -e "$d822" ]; then
    src=$(awk 'BEGIN { RS = ""; ORS = "\n\n" }
      /(^|\n)Types:[^\n]*deb([ \n]|$)/ && /bookworm/ && /debian/ && !/deb-src/ {
        sub(/(^|\n)Types:[^\n]*/, "Types: deb-src"); sub(/^\n/, ""); print }' \
      /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    if [ -z "$src" ]; then
      src=$(grep -hsE '^deb[[:space:]].*debian.*bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
        sed 's/^deb[[:space:]]/deb-src /' || true)
      [ -n "$src" ] && d822=/etc/apt/sources.list.d/polyglot-cd-deb-src.list
    fi
    if [ -z "$src" ]; then
      src='Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
    fi
    log "adding deb-src entries for Debian bookworm ($d822)"
    printf '%s\n' "$src" | as_root tee "$d822" >/dev/null
  fi
  as_root apt-get update -qq || die "apt-get update failed"
  apt_updated=1
  have_kubernetes_source || die "no source package 'kubernetes' after adding $d822: is the Debian archive reachable?"
}

bin_ok() { # <path> <expected version or "">
  [ -x "$1" ] || return 1
  [ -z "$2" ] && return 0
  "$1" --version 2>/dev/null | grep -qF "$2"
}

# --- etcd ------------------------------------------------------------------------------------------
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/etcd" ]; then
  log "etcd: using \$KUBEBUILDER_ASSETS/etcd"
else
  command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ] || apt_install etcd-server
  [ -x /usr/bin/etcd ] || command -v etcd >/dev/null 2>&1 || die "etcd not found after installing etcd-server"
fi

command -v openssl >/dev/null 2>&1 || apt_install openssl   # the launcher's throwaway PKI

# --- kube-apiserver, kube-controller-manager --------------------------------------------------------
need_build=0
for b in "${BUILT[@]}"; do
  if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/$b" ]; then
    log "$b: using \$KUBEBUILDER_ASSETS/$b ($("$KUBEBUILDER_ASSETS/$b" --version 2>/dev/null || echo 'unknown version'))"
  elif bin_ok "$BIN_DIR/$b" "$KUBE_VERSION"; then
    log "$b: cached ($BIN_DIR/$b)"
  else
    need_build=1
  fi
done

if [ "$need_build" = 1 ]; then
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.lock"
  if ! flock -n 9; then log "another setup is building $KUBE_VERSION; waiting for it"; flock 9; fi
  if bin_ok "$BIN_DIR/kube-apiserver" "$KUBE_VERSION" && bin_ok "$BIN_DIR/kube-controller-manager" "$KUBE_VERSION"; then
    log "built by a concurrent run: $BIN_DIR"
  else
    log "building kube-apiserver and kube-controller-manager $KUBE_VERSION from Debian's source package (first run only, about 5 min on 2 cores)"
    ensure_deb_src
    apt_install dpkg-dev golang-go gcc libc6-dev make rsync jq
    work=$(mktemp -d "${TMPDIR:-/tmp}/polyglot-cd-kube-build.XXXXXX")
    pid= sleep_pid=
    cleanup() {
      # Stop an interrupted build (its own process group), then remove the sources and Go caches.
      if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
      if [ -n "$sleep_pid" ]; then kill "$sleep_pid" 2>/dev/null || true; fi
      chmod -R u+w "$work" 2>/dev/null || true
      rm -rf "$work"
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM HUP PIPE
    start=$(date +%s)
    log "downloading the source package into $work"
    (cd "$work" && apt-get source -qq kubernetes >"$work/source.log" 2>&1) || { tail -n 20 "$work/source.log" >&2; die "apt-get source kubernetes failed (is a deb-src entry reachable?)"; }
    src=$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n 1)
    [ -n "$src" ] && [ -f "$src/Makefile" ] || die "no kubernetes source tree found in $work"
    # Debian's Go 1.19 first on PATH (a runner's newer Go may not build 1.20). Caches stay in $work.
    export PATH=/usr/lib/go/bin:$PATH GOCACHE=$work/gocache GOPATH=$work/gopath GOPROXY=off GOTOOLCHAIN=local
    log "$(go version); building in $src"
    (cd "$src" && KUBE_GIT_VERSION=$KUBE_VERSION KUBE_GIT_TREE_STATE=clean \
      exec setsid make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >"$work/build.log" 2>&1) &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      sleep 30 &
      sleep_pid=$!
      wait "$sleep_pid" || true # interruptible, unlike a plain sleep
      sleep_pid=
      kill -0 "$pid" 2>/dev/null || break
      last=$(grep -E '^\+\+\+|Building|Generating|go install' "$work/build.log" 2>/dev/null | tail -n 1 | cut -c1-100 || true)
      log "still building... $(( $(date +%s) - start ))s${last:+ — $last}"
    done
    rc=0
    wait "$pid" || rc=$?
    pid=
    if [ "$rc" != 0 ]; then
      cp "$work/build.log" "$CACHE_DIR/build-failed.log" 2>/dev/null || true
      tail -n 40 "$work/build.log" >&2
      die "make failed; full log: $CACHE_DIR/build-failed.log"
    fi
    out=$(find "$src/_output" -type f -name kube-apiserver -path '*/bin/*' | head -n 1)
    [ -n "$out" ] || die "build finished but kube-apiserver is not under $src/_output"
    tmpbin=$CACHE_DIR/bin.tmp.$$
    rm -rf "$tmpbin" && mkdir -p "$tmpbin"
    for b in "${BUILT[@]}"; do install -m 0755 "$(dirname "$out")/$b" "$tmpbin/$b"; done
    rm -rf "$BIN_DIR" && mv "$tmpbin" "$BIN_DIR"
    for b in "${BUILT[@]}"; do bin_ok "$BIN_DIR/$b" "$KUBE_VERSION" || die "$BIN_DIR/$b does not report $KUBE_VERSION"; done
    rm -f "$CACHE_DIR/build-failed.log"
    log "built in $(( $(date +%s) - start ))s: $BIN_DIR"
  fi
fi

[ "${1:-}" = --print-bin-dir ] && echo "$BIN_DIR"
exit 0
