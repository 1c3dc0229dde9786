#!/usr/bin/env bash
# Builds the images the e2e suite deploys into the local Docker daemon, from registry sources
# only (no image registry is reachable): a Debian base from the Debian mirror (debootstrap),
# etcd and MinIO compiled from the Go module proxy, Milvus from the PyPI `milvus` wheel.
# An image whose tag already exists is skipped unless --force. Tags end up in tags.json.
#
# usage: test/e2e/images/build.sh [--force]
# env:   E2E_IMAGES_WORK  cache of downloads and binaries (default /var/tmp/milvus-gpu-e2e-images)
#        DEBIAN_MIRROR    mirror for debootstrap (default: the first one apt is configured with)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX=milvus-gpu-e2e
DEBIAN_SUITE=bookworm
ETCD_VERSION=v3.5.35
MINIO_MODULE_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MILVUS_WHEEL_VERSIONS=(2.3.4 2.3.5)

BASE_TAG="$PREFIX/debian:$DEBIAN_SUITE"
ETCD_TAG="$PREFIX/etcd:$ETCD_VERSION"
# The pseudo-version's commit time and hash: exact, and says it is no MinIO release.
MINIO_TAG="$PREFIX/minio:${MINIO_MODULE_VERSION#v0.0.0-}"
milvus_tag() { echo "$PREFIX/milvus:v$1"; }

WORK="${E2E_IMAGES_WORK:-/var/tmp/milvus-gpu-e2e-images}"
FORCE=0
for arg in "$@"; do
    case "$arg" in
    --force) FORCE=1 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg' (allowed: --force, --help)" >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

need() { command -v "$1" >/dev/null || die "'$1' not found: $2"; }
need docker "install docker.io and start dockerd"
need debootstrap "apt-get install debootstrap"
need go "a Go toolchain is needed for etcd and MinIO"
need python3 "python3 with pip and PyYAML is needed for the Milvus wheel"
python3 -c 'import yaml' 2>/dev/null || die "python3 cannot import yaml (apt-get install python3-yaml, or pip install pyyaml)"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (start dockerd)"
[ "$(id -u)" = 0 ] || die "debootstrap and docker import need root"

mkdir -p "$WORK"

have_image() { [ "$FORCE" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

# The mirror apt already uses (deb822 .sources or one-line sources.list), security suites aside.
debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
    local uri
    uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v security | head -n1 || true)"
    [ -n "$uri" ] || uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" {print $2}' | grep -v security | head -n1 || true)"
    [ -n "$uri" ] || die "no Debian mirror in apt's sources; set DEBIAN_MIRROR"
    echo "$uri"
}

build_base() {
    if have_image "$BASE_TAG"; then say "$BASE_TAG exists, skipped"; return; fi
    local mirror rootfs
    mirror="$(debian_mirror)"
    rootfs="$(mktemp -d "$WORK/rootfs.XXXXXX")"
    # curl: the healthchecks; apache2-utils: htpasswd for the Milvus root-password seed.
    say "debootstrap --variant=minbase $DEBIAN_SUITE from $mirror"
    debootstrap --variant=minbase --include=curl,ca-certificates,apache2-utils \
        "$DEBIAN_SUITE" "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log: $WORK/debootstrap.log)"; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    say "docker import -> $BASE_TAG"
    tar --numeric-owner -C "$rootfs" -c . | docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' - "$BASE_TAG" >/dev/null
    rm -rf "$rootfs"
}

# docker build with a context directory made of the given files (the Dockerfile from here).
docker_build() {
    local tag="$1" dockerfile="$2" context="$3"
    say "docker build $tag"
    # The client's note about the legacy builder goes to the log with the rest.
    docker build --build-arg "BASE=$BASE_TAG" -f "$HERE/$dockerfile" -t "$tag" "$context" >"$WORK/docker-build.log" 2>&1 ||
        { tail -n 20 "$WORK/docker-build.log" >&2; die "docker build $tag failed (log: $WORK/docker-build.log)"; }
}

go_build_env() { env CGO_ENABLED=0 nice -n 10 go "$@"; }

build_etcd() {
    if have_image "$ETCD_TAG"; then say "$ETCD_TAG exists, skipped"; return; fi
    local dir="$WORK/etcd-$ETCD_VERSION"
    if [ "$FORCE" = 1 ] || [ ! -x "$dir/bin/etcd" ] || [ ! -x "$dir/bin/etcdctl" ]; then
        # A throwaway module: the etcd modules carry replace directives, so `go install
        # module@version` refuses them; required from another module they build fine.
        rm -rf "$dir" && mkdir -p "$dir/bin"
        printf 'module milvus-gpu-e2e/etcd-build\n\ngo 1.26.0\n' >"$dir/go.mod"
        say "go build etcd + etcdctl $ETCD_VERSION (Go module proxy: $(go env GOPROXY))"
        (
            cd "$dir"
            go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" "go.etcd.io/etcd/etcdctl/v3@$ETCD_VERSION"
            go_build_env build -trimpath -ldflags '-s -w' -o bin/etcd go.etcd.io/etcd/server/v3
            go_build_env build -trimpath -ldflags '-s -w' -o bin/etcdctl go.etcd.io/etcd/etcdctl/v3
        ) >"$dir/build.log" 2>&1 || { tail -n 20 "$dir/build.log" >&2; die "etcd build failed (log: $dir/build.log)"; }
    fi
    local ctx
    ctx="$(mktemp -d "$WORK/ctx.XXXXXX")"
    cp "$dir/bin/etcd" "$dir/bin/etcdctl" "$ctx/"
    docker_build "$ETCD_TAG" etcd.Dockerfile "$ctx"
    rm -rf "$ctx"
}

build_minio() {
    if have_image "$MINIO_TAG"; then say "$MINIO_TAG exists, skipped"; return; fi
    local dir="$WORK/minio-$MINIO_MODULE_VERSION"
    if [ "$FORCE" = 1 ] || [ ! -x "$dir/bin/minio" ]; then
        rm -rf "$dir" && mkdir -p "$dir/bin"
        say "go install github.com/minio/minio@$MINIO_MODULE_VERSION (takes a while)"
        GOBIN="$dir/bin" go_build_env install -trimpath -ldflags '-s -w' \
            "github.com/minio/minio@$MINIO_MODULE_VERSION" >"$dir/build.log" 2>&1 ||
            { tail -n 20 "$dir/build.log" >&2; die "MinIO build failed (log: $dir/build.log)"; }
    fi
    local ctx
    ctx="$(mktemp -d "$WORK/ctx.XXXXXX")"
    cp "$dir/bin/minio" "$ctx/"
    docker_build "$MINIO_TAG" minio.Dockerfile "$ctx"
    rm -rf "$ctx"
}

# The wheel keeps the server binary and its shared libraries xz-compressed under
# milvus/data/bin/*.lzma and a config template under milvus/data/.
unpack_milvus_wheel() {
    local wheel="$1" out="$2"
    python3 - "$wheel" "$out" <<'PY'
import lzma, os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith("milvus/data/")]
    if "milvus/data/bin/milvus.lzma" not in names:
        sys.exit(f"{wheel}: no milvus/data/bin/milvus.lzma, not a server wheel")
    for name in names:
        base = os.path.basename(name)
        if name.startswith("milvus/data/bin/") and base.endswith(".lzma"):
            target = os.path.join(out, "bin" if base == "milvus.lzma" else "lib", base[:-5])
            with z.open(name) as raw, lzma.open(raw) as src, open(target, "wb") as dst:
                dst.write(src.read())
            os.chmod(target, 0o755)
        elif base in ("config.yaml.template", "glog.conf"):
            with z.open(name) as src, open(os.path.join(out, "wheel-" + base), "wb") as dst:
                dst.write(src.read())
PY
}

build_milvus() {
    local version="$1" tag
    tag="$(milvus_tag "$version")"
    if have_image "$tag"; then say "$tag exists, skipped"; return; fi
    local dir="$WORK/milvus-$version"
    mkdir -p "$dir"
    if [ "$FORCE" = 1 ] || ! ls "$dir"/milvus-"$version"-*.whl >/dev/null 2>&1; then
        say "pip download milvus==$version (PyPI)"
        rm -f "$dir"/*.whl
        python3 -m pip download -q --no-deps --only-binary=:all: "milvus==$version" -d "$dir"
    fi
    local wheel ctx
    wheel="$(ls "$dir"/milvus-"$version"-*.whl | head -n1)"
    ctx="$(mktemp -d "$WORK/ctx.XXXXXX")"
    mkdir -p "$ctx/bin" "$ctx/lib" "$ctx/configs"
    say "unpack $(basename "$wheel")"
    unpack_milvus_wheel "$wheel" "$ctx"
    python3 "$HERE/render-milvus-config.py" "$ctx/wheel-config.yaml.template" "$ctx/configs/milvus.yaml"
    # The C++ core's glog: to stdout (docker logs) rather than files under the working dir.
    sed -e 's/^--logtostdout=false/--logtostdout=true/' "$ctx/wheel-glog.conf" >"$ctx/configs/glog.conf"
    cp "$HERE/milvus-entry.sh" "$HERE/seed-root-password.sh" "$ctx/"
    docker_build "$tag" milvus.Dockerfile "$ctx"
    rm -rf "$ctx"
}

BACKUP_TAG="milvus-gpu-e2e/milvus-backup:v0.4.30"
PROMETHEUS_TAG="milvus-gpu-e2e/prometheus:v3.16.0"
NODE_EXPORTER_TAG="milvus-gpu-e2e/node-exporter:v1.12.1"

write_tags() {
    local milvus_json="" v
    for v in "${MILVUS_WHEEL_VERSIONS[@]}"; do
        milvus_json="$milvus_json${milvus_json:+, }\"$(milvus_tag "$v")\""
    done
    # The milvus-backup and monitoring images are not built here (see README.md): only their expected tags are written.
    printf '{\n  "base": "%s",\n  "etcd": "%s",\n  "minio": "%s",\n  "milvus": [%s],\n  "backup": "%s",\n  "monitoring": {\n    "prometheus": "%s",\n    "nodeExporter": "%s"\n  }\n}\n' \
        "$BASE_TAG" "$ETCD_TAG" "$MINIO_TAG" "$milvus_json" "$BACKUP_TAG" "$PROMETHEUS_TAG" "$NODE_EXPORTER_TAG" >"$HERE/tags.json"
}

build_base
build_etcd
build_minio
for v in "${MILVUS_WHEEL_VERSIONS[@]}"; do build_milvus "$v"; done
write_tags

say "images (also in $HERE/tags.json):"
tags=("$BASE_TAG" "$ETCD_TAG" "$MINIO_TAG")
for v in "${MILVUS_WHEEL_VERSIONS[@]}"; do tags+=("$(milvus_tag "$v")"); done
for t in "${tags[@]}"; do
    printf '    %-50s %s\n' "$t" "$(docker image inspect --format '{{.Size}}' "$t" | awk '{printf "%.0f MB", $1 / 1e6}')"
done
