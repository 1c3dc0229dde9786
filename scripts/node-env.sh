# Sourced by ./run and .ci/run: puts a Node >= 22 first on PATH.
# The machine may carry an older Node (20); the npm registry's `node` package ships a
# full Node binary, so we install node@24 into .tools/ once and reuse it.
project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  local_node="$project_root/.tools/node24/node_modules/node/bin"
  if [ ! -x "$local_node/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is older than 22: installing node@24 from the npm registry into .tools/" >&2
    npm install --prefix "$project_root/.tools/node24" --no-save --no-package-lock --no-audit --no-fund node@24 >&2
  fi
  export PATH="$local_node:$PATH"
fi
if [ "$(node_major)" -lt 22 ]; then
  echo "error: could not get a Node >= 22 (have $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
