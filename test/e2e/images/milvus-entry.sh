#!/bin/sh
# `milvus` on PATH in the e2e Milvus image: runs the real Milvus server binary taken from the
# PyPI `milvus` wheel (/milvus/bin/milvus) the way the official image's `milvus` does, so the
# component's command `milvus run standalone` works unchanged.
set -eu

export LD_LIBRARY_PATH="/milvus/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export MILVUSCONF="${MILVUSCONF:-/milvus/configs/}"

if [ "${1:-}" = run ] && [ "${2:-}" = standalone ]; then
    export DEPLOY_MODE=STANDALONE
    mkdir -p /var/lib/milvus
    if [ -n "${COMMON_SECURITY_DEFAULTROOTPASSWORD:-}" ]; then
        # Milvus 2.3 has no common.security.defaultRootPassword (it always creates `root` with
        # the built-in default). Emulate the 2.4+ setting: before the first start, put root's
        # bcrypt hash where root coordinator looks for it; it then keeps it. Never overwrites.
        /milvus/seed-root-password.sh
    fi
fi

exec /milvus/bin/milvus "$@"
