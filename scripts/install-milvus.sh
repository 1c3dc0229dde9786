#!/usr/bin/env bash
# Installs the two Milvus targets of the integration tests into the project-local virtualenv
# .venv (idempotent): Milvus Lite (PyPI milvus-lite, also `npm run verify -- --embedded` and the
# bench) with pymilvus, and the real Milvus standalone server from PyPI's `milvus` package
# (`milvus-server`: embedded etcd, local storage; auth and TLS can be turned on).
set -euo pipefail
cd "$(dirname "$0")/.."
MILVUS_LITE_VERSION="${MILVUS_LITE_VERSION:-3.2.2}"
PYMILVUS_VERSION="${PYMILVUS_VERSION:-3.0.2}"
MILVUS_SERVER_VERSION="${MILVUS_SERVER_VERSION:-2.3.5}"
# The server's binaries ship lzma-packed; unpacking takes ~5 s of CPU, so it happens once here
# and each test server links to the result (scripts/milvus-server.ts).
SERVER_BINARIES=.venv/milvus-server/bin

installed() {
  .venv/bin/python - "$@" <<'PY' 2>/dev/null
import importlib.metadata as m, sys
pairs = dict(a.split("=", 1) for a in sys.argv[1:])
sys.exit(0 if all(m.version(name) == version for name, version in pairs.items()) else 1)
PY
}

if [ -x .venv/bin/milvus-lite ] && [ -x .venv/bin/milvus-server ] && [ -x "$SERVER_BINARIES/milvus" ] &&
  installed "milvus-lite=$MILVUS_LITE_VERSION" "pymilvus=$PYMILVUS_VERSION" "milvus=$MILVUS_SERVER_VERSION"; then
  echo "Milvus Lite $MILVUS_LITE_VERSION and Milvus server $MILVUS_SERVER_VERSION already in .venv"
  exit 0
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check \
  "milvus-lite==$MILVUS_LITE_VERSION" "pymilvus==$PYMILVUS_VERSION" "milvus==$MILVUS_SERVER_VERSION"
rm -rf .venv/milvus-server
# The package's own unpacker, so the checksum files it looks for at start-up match.
.venv/bin/python -c "import milvus, sys; milvus._initialize_data_files(sys.argv[1])" .venv/milvus-server
echo "Milvus Lite $MILVUS_LITE_VERSION and Milvus server $MILVUS_SERVER_VERSION installed in .venv"
