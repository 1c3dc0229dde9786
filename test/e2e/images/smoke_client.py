#!/usr/bin/env python3
"""Client half of smoke.sh: talks to the Milvus container with pymilvus (2.3.x for a 2.3 server).

usage: smoke_client.py write|verify  (env: MILVUS_URI, MILVUS_ROOT_PASSWORD)

write:  checks auth (the default root password is refused, the configured one accepted), creates
        a collection, inserts rows, flushes, builds an HNSW index, loads it and searches.
verify: after the Milvus container was replaced (other image, same volume, same etcd and
        MinIO), checks that the rows and the index are still there and search finds them.
"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")  # pymilvus 2.3 imports pkg_resources

import numpy as np
from pymilvus import Collection, CollectionSchema, DataType, FieldSchema, connections, utility

NAME = "e2e_smoke"
DIM = 16
ROWS = 2000
uri = os.environ.get("MILVUS_URI", "http://127.0.0.1:19530")
password = os.environ["MILVUS_ROOT_PASSWORD"]


def fail(message: str) -> None:
    sys.exit(f"smoke_client: FAIL: {message}")


def vectors() -> np.ndarray:
    rng = np.random.default_rng(7)  # same rows in both phases
    v = rng.random((ROWS, DIM), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def check_auth() -> None:
    try:
        connections.connect("default_pw", uri=uri, user="root", password="Milvus", timeout=10)
        utility.list_collections(using="default_pw")
        fail("the built-in default root password was accepted")
    except Exception as e:  # pymilvus 2.3 lets grpc's UNAUTHENTICATED through unwrapped
        if "auth" not in str(e).lower():
            raise
        print("default root password refused (UNAUTHENTICATED)")
    finally:
        connections.disconnect("default_pw")
    connections.connect("default", uri=uri, user="root", password=password, timeout=30)
    print(f"server {utility.get_server_version()} accepts the configured root password")


def search_ok(col: Collection, data: np.ndarray) -> None:
    probe = [3, 777, ROWS - 1]
    hits = col.search(data[probe].tolist(), "embedding", {"metric_type": "COSINE", "params": {"ef": 64}}, limit=3,
                      output_fields=["tag"])
    for want, result in zip(probe, hits):
        if result[0].id != want:
            fail(f"search for row {want} returned {result[0].id} first")
        if result[0].entity.get("tag") != f"row-{want}":
            fail(f"row {want} came back with tag {result[0].entity.get('tag')!r}")
    print(f"search: each probe vector finds its own row first ({probe})")


def write() -> None:
    check_auth()
    if utility.has_collection(NAME):
        utility.drop_collection(NAME)
    schema = CollectionSchema([
        FieldSchema("id", DataType.INT64, is_primary=True),
        FieldSchema("tag", DataType.VARCHAR, max_length=64),
        FieldSchema("embedding", DataType.FLOAT_VECTOR, dim=DIM),
    ])
    col = Collection(NAME, schema)
    data = vectors()
    for start in range(0, ROWS, 500):
        ids = list(range(start, min(start + 500, ROWS)))
        col.insert([ids, [f"row-{i}" for i in ids], data[ids].tolist()])
    col.flush()
    print(f"inserted and flushed {col.num_entities} rows")
    if col.num_entities != ROWS:
        fail(f"num_entities {col.num_entities}, expected {ROWS}")
    col.create_index("embedding", {"index_type": "HNSW", "metric_type": "COSINE", "params": {"M": 16, "efConstruction": 200}})
    utility.wait_for_index_building_complete(NAME)
    col.load()
    search_ok(col, data)


def verify() -> None:
    check_auth()
    if not utility.has_collection(NAME):
        fail(f"collection {NAME} is gone after the container replacement")
    col = Collection(NAME)
    if col.num_entities != ROWS:
        fail(f"num_entities {col.num_entities} after replacement, expected {ROWS}")
    index = col.index().params
    print(f"after replacement: {col.num_entities} rows, index {index['index_type']}")
    col.load()
    count = col.query("id >= 0", output_fields=["count(*)"])[0]["count(*)"]
    if count != ROWS:
        fail(f"count(*) {count} after replacement, expected {ROWS}")
    search_ok(col, vectors())


if __name__ == "__main__":
    {"write": write, "verify": verify}[sys.argv[1]]()
    print("smoke_client: OK")
