#!/usr/bin/env bash
# Installs Milvus Lite (PyPI) into the project-local virtualenv .venv, for the
# integration tests and `npm run verify -- --embedded`. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
MILVUS_LITE_VERSION="${MILVUS_LITE_VERSION:-3.2.2}"
PYMILVUS_VERSION="${PYMILVUS_VERSION:-3.0.2}"
if [ -x .venv/bin/milvus-lite ] && .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('milvus-lite') == '$MILVUS_LITE_VERSION' else 1)" 2>/dev/null; then
  echo "Milvus Lite $MILVUS_LITE_VERSION already in .venv"
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check "milvus-lite==$MILVUS_LITE_VERSION" "pymilvus==$PYMILVUS_VERSION"
echo "Milvus Lite $MILVUS_LITE_VERSION installed in .venv"
