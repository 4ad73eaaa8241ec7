#!/usr/bin/env bash
# The project's one test command (README "Quick start"): installs everything the suite needs on a
# fresh Debian 12 machine, then runs every check. Safe to re-run; installs are skipped when present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh  # packages, workspace, Kubernetes, the real node's runtime, Helm 4 and 3, trivy, cosign, Fulcio (cached; 20-30 min once)
exec pnpm run check
