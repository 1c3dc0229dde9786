#!/usr/bin/env python3
"""Turns the config template shipped in the PyPI `milvus` wheel into a milvus.yaml for a
container that talks to EXTERNAL etcd and MinIO and keeps its local state in /var/lib/milvus.

usage: render-milvus-config.py TEMPLATE OUT

The wheel's launcher fills `{{ key(type): default }}` placeholders at run time for its
embedded single-process setup; here they are filled once at image build time, then the two
settings that make it embedded (in-process etcd, local object storage) are switched off.
"""
import re
import sys

import yaml

# Everything Milvus writes locally lives under the volume the component mounts.
DATA = "/var/lib/milvus"
VALUES = {
    "etcd_data_dir": f"{DATA}/etcd",
    "etcd_log_path": "stdout",
    "local_storage_dir": f"{DATA}/data",
    "rocksmq_data_dir": f"{DATA}/rdb_data",
    # Logs go to stdout only (docker logs), not to files.
    "system_log_path": "",
}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*(?:\([a-z]+\))?\s*(?::\s*([^}]*?))?\s*\}\}")


def fill(match: re.Match) -> str:
    key, default = match.group(1), match.group(2)
    if key in VALUES:
        return VALUES[key]
    if default is None:
        sys.exit(f"render-milvus-config: placeholder '{key}' has no default and no value here")
    return default


def set_path(doc: dict, dotted: str, value) -> None:
    node = doc
    *parents, leaf = dotted.split(".")
    for part in parents:
        if not isinstance(node.get(part), dict):
            sys.exit(f"render-milvus-config: '{dotted}' not found in the template")
        node = node[part]
    if leaf not in node:
        sys.exit(f"render-milvus-config: '{dotted}' not found in the template")
    node[leaf] = value


def blank_nulls(node):
    """Empty template values (`iamEndpoint:`) parse as null; Milvus expects empty strings."""
    if isinstance(node, dict):
        return {k: blank_nulls(v) for k, v in node.items()}
    if isinstance(node, list):
        return [blank_nulls(v) for v in node]
    return "" if node is None else node


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: render-milvus-config.py TEMPLATE OUT")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = PLACEHOLDER.sub(fill, f.read())
    doc = blank_nulls(yaml.safe_load(text))
    # External services; ETCD_ENDPOINTS / MINIO_ADDRESS / MINIO_* env override the addresses.
    set_path(doc, "etcd.use.embed", False)
    set_path(doc, "common.storageType", "minio")
    set_path(doc, "etcd.endpoints", "localhost:2379")
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, sort_keys=False)


if __name__ == "__main__":
    main()
