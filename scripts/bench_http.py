"""HTTP benchmark: order checks (no reservation) for random customers against GET /health on
the same release server, 32 connections from wrk on loopback. (The worklist has its own
portfolio and script, bench_worklist.py.)

Usage: python3 scripts/bench_http.py CREDITRISK_BIN DATABASE
Prints: http: ours=<req/s> baseline=<req/s> ratio=<ours/baseline> p99_ms=<n>
"""
import json
import os
import re
import subprocess
import sys
import urllib.request

import bench_server

binary, database = sys.argv[1:3]
port = 18080
key = "bench-sales-key-000000001"
env = dict(os.environ, CREDITRISK_API_KEYS="sales:%s,collections:bench-collections-key-0001,credit_manager:bench-manager-key-00001" % key)
server = bench_server.start(binary, database, port, env)
try:
    def wrk(args):
        out = subprocess.run(["wrk", "-t2", "-c32", "-d10s", "--latency"] + args, capture_output=True, text=True, check=True).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if errors:
            sys.exit("bench: %s non-2xx responses\n%s" % (errors.group(1), out))
        return rate, float(p99.group(1)) * scale

    ours, p99 = wrk(["-s", "scripts/order_check.lua", "http://127.0.0.1:%d" % port])
    baseline, _ = wrk(["http://127.0.0.1:%d/health" % port])
    print("http: ours=%.0f baseline=%.0f ratio=%.2f p99_ms=%.2f" % (ours, baseline, ours / baseline, p99))
finally:
    server.terminate()
    server.wait(timeout=30)
