#!/usr/bin/env bash
# README "Quick start": runs the PR pipeline (.github/workflows/pr-preview.yml, through the local
# runner) on the example app in examples/shop, as pull request 1 (or the number given as $1).
# On a fresh Debian 12 machine with Node.js >= 20 and npm, the first run installs what it needs:
# Debian packages, pnpm and the workspace, Kubernetes, the real node's runtime and Helm 4 and 3
# (scripts/setup.sh, 20-30 min once). The local registry and the local cluster (control plane + real
# node; needs root) keep running afterwards; `node bin/polyglot-cd.js pipeline down` stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd examples/shop
# `pnpm exec` puts the workspace's Node 24 (the actions' runtime) first on PATH
exec pnpm exec node ../../bin/polyglot-cd.ts pipeline pr --pr "${1:-1}"
