#!/usr/bin/env bash
# The one setup of the project, run by both README "Quick start" commands (scripts/test.sh and
# scripts/pipeline.sh). On a fresh Debian 12 machine with Node.js >= 20, npm and Go it installs and
# builds everything the suite and the local pipeline use; every step skips what is already there, so a
# second run on the same machine takes seconds.
#
#   1. scripts/bootstrap.sh    Debian packages of scripts/system-packages.txt, pnpm, the workspace
#   2. test/kube/setup.sh      Kubernetes v1.34 + etcd 3.6, one binary built from the Go module proxy
#                              (~9 min once), cached under ~/.cache/polyglot-cd/kube/<version>
#   3. test/kube/node-setup.sh containerd, runc, CNI plugins and host tools of the real test node
#   4. scripts/setup/helm.sh   Helm 4.2.4 and Helm 3.22.0 built from the Go module proxy (~3 min each
#                              once), cached under ~/.cache/polyglot-cd/helm/<version>
#   5. scripts/setup/trivy.sh  trivy 0.74.0 built from the Go module proxy (~8 min once) and the tool
#                              that writes the tests' vulnerability DB, under ~/.cache/polyglot-cd/trivy
#   6. scripts/setup/cosign.sh cosign 3.1.3 built from the Go module proxy (~5 min once)
#   7. test/sigstore/fulcio.sh Fulcio 1.8.8 (the keyless tests' certificate authority; ~1 min once)
#   8. scripts/setup/zizmor.sh zizmor 1.32.0 from PyPI, hash-pinned, in a venv under
#                              ~/.cache/polyglot-cd/zizmor/<version> (the workflow audit; seconds once)
#   9. scripts/setup/base-images.sh  the example app's base images (python, node, node-build,
#                              postgres) made from Debian bookworm packages with debootstrap and buildah
#                              (~5 min once), OCI archives under ~/.cache/polyglot-cd/base-images/<key>
#  10. scripts/setup/task.sh   go-task 3.54.0 built from the Go module proxy (~3 min once), the runner of
#                              examples/shop's Taskfiles, under ~/.cache/polyglot-cd/task/<version>
#
# The cache root is $POLYGLOT_CD_CACHE (default $XDG_CACHE_HOME/polyglot-cd or ~/.cache/polyglot-cd).
# A line of progress reaches stderr at least every 30 s, however quiet a step is.
# Usage: bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "setup: $*" >&2; }

# Runs one step, printing "still running" every 25 s while the step itself says nothing.
step() { # <name> <command…>
  local name=$1 pid rc=0 start=$SECONDS ticker
  shift
  log "$name …"
  (
    # sleep gets no inherited stdout/stderr: a pipe reading this script must not wait for it
    while sleep 25 </dev/null >/dev/null 2>&1; do echo "setup: $name: still running ($(( SECONDS - start ))s)" >&2; done
  ) &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  if [ "$rc" -ne 0 ]; then
    log "error: $name failed (exit $rc)"
    exit "$rc"
  fi
  log "$name: done in $(( SECONDS - start ))s"
}

total=$SECONDS
step "packages and workspace (scripts/bootstrap.sh)" bash scripts/bootstrap.sh
step "Kubernetes binaries (test/kube/setup.sh)" bash test/kube/setup.sh
step "real node packages (test/kube/node-setup.sh)" bash test/kube/node-setup.sh
step "Helm 4 and Helm 3 (scripts/setup/helm.sh)" bash scripts/setup/helm.sh
step "trivy and its test DB writer (scripts/setup/trivy.sh)" bash scripts/setup/trivy.sh
step "cosign (scripts/setup/cosign.sh)" bash scripts/setup/cosign.sh
step "Fulcio (test/sigstore/fulcio.sh)" bash test/sigstore/fulcio.sh
step "zizmor (scripts/setup/zizmor.sh)" bash scripts/setup/zizmor.sh
step "Debian base images of the example app (scripts/setup/base-images.sh)" bash scripts/setup/base-images.sh
step "go-task for the example app's Taskfiles (scripts/setup/task.sh)" bash scripts/setup/task.sh
log "ready in $(( SECONDS - total ))s"
