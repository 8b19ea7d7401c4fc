#!/usr/bin/env bash
# The test command: make Node 24 available, install dependencies, run `npm run check`
# (typecheck + lint + tests). PostgreSQL tests run when KOMARI_TEST_PG_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node24.sh
# Install when node_modules is missing or older than the lockfile (a pull that added packages).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run check
