#!/usr/bin/env bash
# The project's one test command (README "Quick start"): installs everything the suite needs on a
# fresh Debian 12 machine, then runs every check. Safe to re-run; installs are skipped when present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash test/kube/setup.sh  # binaries of the local Kubernetes control plane (cached; first run builds, ~9 min once)
exec pnpm run check
