#!/usr/bin/env bash
# One command from a fresh clone: make Node 24 available, install dependencies, start the server
# on embedded SQLite (./data/komari.db) at 0.0.0.0:25774. Extra arguments go to `komari server`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node24.sh
[ -d node_modules/fastify ] || npm install --no-audit --no-fund
exec node packages/server/src/cli.ts server "$@"
