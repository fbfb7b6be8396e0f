"""HTTP benchmark: order checks (no reservation) for random customers against GET /health on
the same release server, 32 connections from wrk on loopback. (The worklist has its own
portfolio and script, bench_worklist.py.)

Then /health again while the same server re-scores the whole portfolio (a sector import, which
re-scores as of today before it answers): the async threads must stay free.

Usage: python3 scripts/bench_http.py CREDITRISK_BIN DATABASE SECTORS_CSV
Prints: http: ours=<req/s> baseline=<req/s> ratio=<ours/baseline> p99_ms=<n> baseline_p99_ms=<n>
        busy: health_p99_ms=<n> during=rescore customers=<n> rescore_s=<s>
"""
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

import bench_server

binary, database, sectors = sys.argv[1:4]
port = 18080
key = "bench-sales-key-000000001"
admin = "bench-admin-key-000000001"
env = dict(os.environ, CREDITRISK_API_KEYS="sales:%s,collections:bench-collections-key-0001,credit_manager:bench-manager-key-00001,admin:%s" % (key, admin))
server = bench_server.start(binary, database, port, env)
try:
    def wrk(args, seconds=10):
        out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % seconds, "--latency"] + args, capture_output=True, text=True, check=True).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if errors:
            sys.exit("bench: %s non-2xx responses\n%s" % (errors.group(1), out))
        return rate, float(p99.group(1)) * scale

    ours, p99 = wrk(["-s", "scripts/order_check.lua", "http://127.0.0.1:%d" % port])
    baseline, baseline_p99 = wrk(["http://127.0.0.1:%d/health" % port])
    # The baseline's own p99 beside ours: with 32 connections always busy, the mean latency is
    # 32 / rate (Little's law), which bounds how low any p99 of this server can go on this machine.
    print("http: ours=%.0f baseline=%.0f ratio=%.2f p99_ms=%.2f baseline_p99_ms=%.2f" % (ours, baseline, ours / baseline, p99, baseline_p99))

    # /health while a full re-scoring runs in the same server.
    outcome = {}

    def rescore():
        started = time.time()
        request = urllib.request.Request(
            "http://127.0.0.1:%d/v1/imports/sectors" % port, data=open(sectors, "rb").read(), method="POST",
            headers={"X-API-Key": admin, "Content-Type": "text/csv"})
        with urllib.request.urlopen(request, timeout=600) as response:
            outcome["scoring"] = json.load(response).get("scoring", {})
        outcome["seconds"] = time.time() - started

    worker = threading.Thread(target=rescore)
    worker.start()
    time.sleep(1.0)
    _, busy_p99 = wrk(["http://127.0.0.1:%d/health" % port], seconds=6)
    still_running = worker.is_alive()
    worker.join()
    if not still_running:
        sys.exit("bench: the re-scoring ended before /health was measured; the busy figure would mean nothing")
    print("busy: health_p99_ms=%.2f during=rescore customers=%d rescore_s=%.1f"
          % (busy_p99, outcome["scoring"].get("customers", 0), outcome["seconds"]))
finally:
    server.terminate()
    server.wait(timeout=30)
