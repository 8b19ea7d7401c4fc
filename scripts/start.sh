#!/usr/bin/env bash
# One command from a fresh clone: make Node 24 available, install dependencies, start the server
# on embedded SQLite (./data/komari.db) at 0.0.0.0:25774, with an agent for this host reporting
# to it (KOMARI_LOCAL_AGENT=0 or --no-local-agent: none). Extra arguments go to `komari server`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/use-node24.sh
[ -d node_modules/fastify ] || npm install --no-audit --no-fund
export KOMARI_LOCAL_AGENT="${KOMARI_LOCAL_AGENT:-1}"
exec node packages/server/src/cli.ts server "$@"
