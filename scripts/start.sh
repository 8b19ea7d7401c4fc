#!/usr/bin/env bash
# One command from a fresh clone: make Node 24 available, install dependencies, start the server
# on embedded SQLite (./data/komari.db) at 0.0.0.0:25774 with the web UI built and served, with an agent for this host reporting
# to it (KOMARI_LOCAL_AGENT=0 or --no-local-agent: none). Extra arguments go to `komari server`.
set -euo pipefail
cd "$(dirname "$0")/.."
# One line per step on stdout, so a first start (a minute or more) is never silent; the server
# ends it with a banner: the address to open and, on a first start, the admin password.
# (use-node24.sh says so itself when it installs Node.)
say() { echo "komari-ts: $*"; }
source scripts/use-node24.sh
# Install when node_modules is missing or older than the lockfile (a pull that added packages).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies (npm install; a minute or two the first time)"
  npm install --no-audit --no-fund
fi
# The web UI (packages/web) is served from its build; building takes a few seconds.
say "building the web UI"
npm run --silent build:web >/dev/null
# The local agent runs from its bundle (half the memory of the .ts source); rebuilt when stale.
say "building the agent bundle (skipped when it is up to date)"
node packages/agent/scripts/build.ts --if-stale >/dev/null || echo "agent build failed: the local agent runs from source" >&2
export KOMARI_LOCAL_AGENT="${KOMARI_LOCAL_AGENT:-1}"
# Node flags and malloc settings: packages/server/src/config/node-flags.ts says why (a 32 MiB young
# generation; fewer, less fragmented malloc arenas).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
say "starting the server (Node $(node --version))"
exec node --max-semi-space-size=16 packages/server/src/cli.ts server "$@"
