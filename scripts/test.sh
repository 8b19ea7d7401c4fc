#!/usr/bin/env bash
# The test command: make Node 24 available, install dependencies, run `npm run check`
# (typecheck + lint + tests). PostgreSQL tests run when KOMARI_TEST_PG_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node24.sh
[ -d node_modules/fastify ] || npm install --no-audit --no-fund
npm run check
