"""The bench's search workload through pymilvus, for the Node SDK / pymilvus comparison.

Driven by scripts/bench/pymilvus.ts over stdin/stdout, one JSON object per line, so the
process and its connection live for the whole run and only the searches are timed. Each
level mirrors the Node side: `concurrency` threads in a closed loop over the same query
list in the same order, the same warm-up, limit, search params and consistency level.
"""

import itertools
import json
import sys
import threading
import time

import pymilvus
from pymilvus import MilvusClient


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    rank = -(-p * len(sorted_values) // 100)  # ceil, nearest-rank as on the Node side
    return sorted_values[min(len(sorted_values) - 1, max(0, int(rank) - 1))]


def summarise(latencies):
    values = sorted(latencies)
    mean = sum(values) / len(values) if values else 0.0
    return {
        "p50": round(percentile(values, 50), 3),
        "p95": round(percentile(values, 95), 3),
        "p99": round(percentile(values, 99), 3),
        "mean": round(mean, 3),
        "max": round(values[-1], 3) if values else 0.0,
    }


def run_level(client, req, queries):
    concurrency = req["concurrency"]
    nq = req["queriesPerRequest"]
    search_params = {"metric_type": req["metric"], "params": req["searchParams"]}

    def search(r):
        # Request r carries queries r*nq .. r*nq+nq-1 (modulo the list), as on the Node side.
        client.search(
            req["collection"],
            data=[queries[(r * nq + i) % len(queries)] for i in range(nq)],
            anns_field=req["field"],
            limit=req["topK"],
            search_params=search_params,
            output_fields=["id"],  # as the Node side: the primary key only
            consistency_level="Bounded",
        )

    counter = itertools.count()  # next() on it is atomic under the GIL; request r % len(queries) as on the Node side

    def warm():
        for _ in range(req["warmupPerWorker"]):
            try:
                search(next(counter) % len(queries))
            except Exception:
                pass

    threads = [threading.Thread(target=warm) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    counter = itertools.count()
    latencies = []
    errors = []
    started = time.perf_counter()
    deadline = started + req["durationSeconds"]

    def work():
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                search(next(counter) % len(queries))
                latencies.append((time.perf_counter() - t) * 1000)
            except Exception as e:  # counted, the loop goes on
                errors.append(str(e).splitlines()[0] if str(e) else type(e).__name__)

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    result = {
        "concurrency": concurrency,
        "queriesPerRequest": nq,
        "seconds": round(seconds, 3),
        "requests": len(latencies),
        "errors": len(errors),
        "qps": round(len(latencies) * nq / seconds, 1),
        "latencyMs": summarise(latencies),
    }
    if errors:
        result["firstError"] = errors[0]
    return {"result": result, "latenciesMs": [round(x, 4) for x in latencies]}


def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def main():
    client = None
    queries = {}
    for line in sys.stdin:
        req = json.loads(line)
        try:
            op = req["op"]
            if op == "connect":
                scheme = "https" if req.get("tls") else "http"
                tls = {}
                if req.get("caFile"):
                    tls["server_pem_path"] = req["caFile"]  # pymilvus takes it as the trusted root
                if req.get("serverName"):
                    tls["server_name"] = req["serverName"]
                client = MilvusClient(uri=f"{scheme}://{req['address']}", token=req.get("token") or "", **tls)
                reply = {"ok": True, "version": pymilvus.__version__}
            elif op == "level":
                path = req["queriesFile"]
                if path not in queries:
                    with open(path) as f:
                        queries[path] = json.load(f)
                reply = {"ok": True, **run_level(client, req, queries[path])}
            elif op == "stats":
                reply = {"ok": True, "peakRssKiB": peak_rss_kib()}
            elif op == "close":
                if client is not None:
                    client.close()
                print(json.dumps({"ok": True}), flush=True)
                return
            else:
                reply = {"ok": False, "error": f"unknown op {op}"}
        except Exception as e:
            reply = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
