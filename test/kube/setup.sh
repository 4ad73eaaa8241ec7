#!/usr/bin/env bash
# Provides the binaries of test/kube (see test/kube/README.md): etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet, kube-proxy and kubectl, as symlinks to one multi-call
# binary built from the Go module proxy by scripts/setup/kube.sh (version: test/kube/go/go.mod), cached
# under $POLYGLOT_CD_CACHE/kube/<version>/bin (default ~/.cache/polyglot-cd). Only the first run on a
# machine pays the build (~9 min on 2 cores); later runs return at once. Prebuilt binaries in
# $KUBEBUILDER_ASSETS (the envtest layout: a flat directory) are preferred by test/kube/binaries.ts.
# Also makes sure openssl (the launcher's throwaway PKI) is installed.
# Usage: bash test/kube/setup.sh [--print-bin-dir]
set -euo pipefail

log() { echo "kube-setup: $*" >&2; }
die() { echo "kube-setup: error: $*" >&2; exit 1; }

if ! command -v openssl >/dev/null 2>&1; then
  log "installing Debian package: openssl"
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else die "need root (or sudo) to install openssl"; fi
  "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null || die "apt-get install openssl failed"
fi

exec bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/setup/kube.sh" "$@"
