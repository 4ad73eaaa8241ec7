#!/usr/bin/env bash
# One command to start the local Kubernetes control plane, one to stop it (test/kube/README.md):
#   bash test/kube/cluster.sh start    # builds/reuses the binaries, then prints the kubeconfig path
#   bash test/kube/cluster.sh stop
#   bash test/kube/cluster.sh status
# Example: export KUBECONFIG=$(bash test/kube/cluster.sh start)
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${1:-}" in
  start) bash test/kube/setup.sh ;;
  stop|status) ;;
  *) echo "usage: bash test/kube/cluster.sh start|stop|status" >&2; exit 2 ;;
esac
# `pnpm exec` puts the workspace's Node 24 first on PATH; it runs the TypeScript natively.
exec pnpm exec node --import ./test/helpers/ts-hooks.ts test/kube/cli.ts "$1"
