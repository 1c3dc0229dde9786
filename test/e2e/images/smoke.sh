#!/usr/bin/env bash
# Proves the images from build.sh together without Pulumi: the containers, network aliases,
# commands, env, healthchecks, memory limits and volumes of components/standalone/specs.ts,
# auth on with a generated root password, then a Milvus image swap (tags.json's first Milvus
# tag, then its last) on the same volume, checking the data survives.
#
# usage: test/e2e/images/smoke.sh [--keep]
# env:   SMOKE_PYTHON  python with pymilvus 2.3.x (+ setuptools<81, marshmallow<4) installed
#        SMOKE_DIR     host data dir (default: a new temp dir)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEEP=0
for arg in "$@"; do
    case "$arg" in
    --keep) KEEP=1 ;;
    *) echo "smoke.sh: unknown argument '$arg' (allowed: --keep)" >&2; exit 2 ;;
    esac
done
PY="${SMOKE_PYTHON:-python3}"
"$PY" -c 'import pymilvus' 2>/dev/null || { echo "smoke.sh: $PY has no pymilvus (set SMOKE_PYTHON)" >&2; exit 1; }

tag() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); v=t[sys.argv[2]]; print(v[int(sys.argv[3])] if isinstance(v, list) else v)' "$HERE/tags.json" "$@"; }
ETCD_IMAGE="$(tag etcd 0)"
MINIO_IMAGE="$(tag minio 0)"
MILVUS_FIRST="$(tag milvus 0)"
MILVUS_SECOND="$(tag milvus -1)"

P=e2e-smoke
NET="$P-net"
DIR="${SMOKE_DIR:-$(mktemp -d /tmp/e2e-smoke.XXXXXX)}"
secret() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }
MINIO_KEY="$(secret)"
MINIO_SECRET="$(secret)"
ROOT_PASSWORD="$(secret)"

cleanup() {
    [ "$KEEP" = 1 ] && { echo "left running (--keep): $P-etcd $P-minio $P-standalone, data in $DIR"; return; }
    docker rm -f "$P-standalone" "$P-minio" "$P-etcd" >/dev/null 2>&1 || true
    docker network rm "$NET" >/dev/null 2>&1 || true
}
trap cleanup EXIT
docker rm -f "$P-standalone" "$P-minio" "$P-etcd" >/dev/null 2>&1 || true
docker network rm "$NET" >/dev/null 2>&1 || true
docker network create --driver bridge "$NET" >/dev/null
mkdir -p "$DIR/etcd" "$DIR/minio" "$DIR/milvus"
echo "data dir $DIR"

# Like dockerArgs.ts: container <prefix>-<service> reachable as <service> on the network,
# memory = memory-swap, restart unless-stopped, healthcheck with the spec's durations.
run() {
    local service="$1" memory="$2"
    shift 2
    docker run -d --name "$P-$service" --network "$NET" --network-alias "$service" \
        --memory "$memory" --memory-swap "$memory" --restart unless-stopped "$@" >/dev/null
    date +%s.%N >"$DIR/.started-$service"
}
start_etcd() {
    run etcd 2g -v "$DIR/etcd:/etcd" \
        -e ETCD_AUTO_COMPACTION_MODE=revision -e ETCD_AUTO_COMPACTION_RETENTION=1000 \
        -e ETCD_QUOTA_BACKEND_BYTES=4294967296 -e ETCD_SNAPSHOT_COUNT=50000 \
        --health-cmd 'etcdctl endpoint health' --health-interval 30s --health-timeout 20s --health-retries 3 \
        "$ETCD_IMAGE" etcd -advertise-client-urls=http://127.0.0.1:2379 -listen-client-urls http://0.0.0.0:2379 --data-dir /etcd
}
start_minio() {
    run minio 4g -v "$DIR/minio:/minio_data" \
        -e "MINIO_ACCESS_KEY=$MINIO_KEY" -e "MINIO_SECRET_KEY=$MINIO_SECRET" \
        --health-cmd 'curl -f http://localhost:9000/minio/health/live' --health-interval 30s --health-timeout 20s --health-retries 3 \
        "$MINIO_IMAGE" minio server /minio_data --console-address :9001
}
start_milvus() {
    run standalone 16g -v "$DIR/milvus:/var/lib/milvus" --security-opt seccomp:unconfined \
        -p 127.0.0.1:19530:19530 -p 127.0.0.1:9091:9091 \
        -e ETCD_ENDPOINTS=etcd:2379 -e MINIO_ADDRESS=minio:9000 \
        -e "MINIO_ACCESS_KEY_ID=$MINIO_KEY" -e "MINIO_SECRET_ACCESS_KEY=$MINIO_SECRET" \
        -e COMMON_SECURITY_AUTHORIZATIONENABLED=true -e "COMMON_SECURITY_DEFAULTROOTPASSWORD=$ROOT_PASSWORD" \
        --health-cmd 'curl -f http://localhost:9091/healthz' --health-interval 30s --health-start-period 90s \
        --health-timeout 20s --health-retries 3 \
        "$1" milvus run standalone
}

# Two clocks per container: when its healthcheck command first passes (polled every 0.5 s with
# docker exec), and when Docker itself reports healthy (bounded below by the 30 s interval).
# Arguments: pairs of service and probe, waited for together.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
wait_healthy() {
    local -A probe=() ready=()
    local service now status
    while [ $# -gt 0 ]; do probe[$1]="$2"; shift 2; done
    for _ in $(seq 1 800); do
        [ "${#probe[@]}" = 0 ] && return 0
        for service in "${!probe[@]}"; do
            now="$(date +%s.%N)"
            if [ -z "${ready[$service]:-}" ] && docker exec "$P-$service" sh -c "${probe[$service]}" >/dev/null 2>&1; then
                ready[$service]="$now"
            fi
            status="$(docker inspect --format '{{.State.Health.Status}}' "$P-$service")"
            if [ "$status" = healthy ]; then
                local started
                started="$(cat "$DIR/.started-$service")"
                printf 'TIMING %-10s check passes after %5.1f s, docker healthy after %5.1f s\n' "$service" \
                    "$(elapsed "${ready[$service]:-$now}" "$started")" "$(elapsed "$now" "$started")"
                unset "probe[$service]"
            elif [ "$(docker inspect --format '{{.State.Running}}' "$P-$service")" != true ]; then
                docker logs --tail 40 "$P-$service" >&2
                echo "smoke.sh: $P-$service stopped before it became healthy" >&2
                return 1
            fi
        done
        sleep 0.5
    done
    for service in "${!probe[@]}"; do
        docker logs --tail 40 "$P-$service" >&2
        echo "smoke.sh: $P-$service did not become healthy in time" >&2
    done
    return 1
}

start_etcd
start_minio
wait_healthy etcd 'etcdctl endpoint health' minio 'curl -f http://localhost:9000/minio/health/live'

# MinIO with the deprecated MINIO_ACCESS_KEY / MINIO_SECRET_KEY: are they its credentials?
s3_status() { docker exec "$P-minio" curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 --user "$1:$2" http://localhost:9000/; }
keys_status="$(s3_status "$MINIO_KEY" "$MINIO_SECRET")"
default_status="$(s3_status minioadmin minioadmin)"
echo "MinIO ListBuckets signed with MINIO_ACCESS_KEY/MINIO_SECRET_KEY: HTTP $keys_status; with minioadmin: HTTP $default_status"
[ "$keys_status" = 200 ] && [ "$default_status" = 403 ] || { echo "smoke.sh: MinIO did not take its credentials from MINIO_ACCESS_KEY/MINIO_SECRET_KEY" >&2; exit 1; }

start_milvus "$MILVUS_FIRST"
wait_healthy standalone 'curl -f http://localhost:9091/healthz'
docker logs "$P-standalone" 2>&1 | grep '^seed-root-password' || true
echo "== $MILVUS_FIRST: write"
MILVUS_URI=http://127.0.0.1:19530 MILVUS_ROOT_PASSWORD="$ROOT_PASSWORD" "$PY" "$HERE/smoke_client.py" write

echo "== replace the Milvus container: $MILVUS_FIRST -> $MILVUS_SECOND (same volume)"
docker stop "$P-standalone" >/dev/null
docker rm "$P-standalone" >/dev/null
start_milvus "$MILVUS_SECOND"
wait_healthy standalone 'curl -f http://localhost:9091/healthz'
docker logs "$P-standalone" 2>&1 | grep '^seed-root-password' || true
MILVUS_URI=http://127.0.0.1:19530 MILVUS_ROOT_PASSWORD="$ROOT_PASSWORD" "$PY" "$HERE/smoke_client.py" verify

echo "image sizes:"
for image in "$ETCD_IMAGE" "$MINIO_IMAGE" "$MILVUS_FIRST" "$MILVUS_SECOND"; do
    printf '    %-50s %s\n' "$image" "$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"
done
echo "smoke.sh: OK"
