#!/usr/bin/env bash
# Installs the pinned pnpm and the workspace's dependencies (frozen lockfile). Node 24, the actions'
# runtime, comes from the `node` devDependency, so only a Node >= 20 with npm is needed to start.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing pnpm@$want"
  npm install --global --no-fund --no-audit "pnpm@$want" >/dev/null
fi
pnpm install --frozen-lockfile --reporter=append-only
