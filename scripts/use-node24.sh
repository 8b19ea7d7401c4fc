# Sourced by the other scripts: puts a Node.js >= 24.7 first on PATH.
# If the system Node is older, the `node@24` package from the npm registry is installed
# once into .tools/node24 (no native build, no download outside npm).
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>24||(a===24&&b>=7)?0:1)' 2>/dev/null
}
if ! _node_ok; then
  _tools="$_root/.tools/node24"
  if [ ! -x "$_tools/node_modules/.bin/node" ]; then
    echo "komari-ts: system Node is $(node --version 2>/dev/null || echo missing); installing node@24 into .tools/node24" >&2
    mkdir -p "$_tools"
    (cd "$_tools" && npm install --no-save --no-package-lock --prefix "$_tools" node@24 >/dev/null) || {
      echo "komari-ts: could not install node@24 from npm" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_tools/node_modules/.bin:$PATH"
fi
_node_ok || { echo "komari-ts: Node >= 24.7 is required" >&2; return 1 2>/dev/null || exit 1; }
