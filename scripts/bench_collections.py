"""Collections benchmark: one reminder run for every customer of the 100k benchmark portfolio
(the automated steps due, rendered from the templates into the outbox and recorded as
activities), then customer timelines read through the API of a release server.

Usage: python3 scripts/bench_collections.py CREDITRISK_BIN DATABASE AS_OF
Prints: collections: run_s=<s> customers=<n> documents=<n> timeline_ms=<median> timeline_p95_ms=<n>
"""
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

import bench_server

binary, database, as_of = sys.argv[1:4]

start = time.perf_counter()
out = subprocess.run([binary, "remind", "--db", database, "--as-of", as_of, "--json"], check=True, capture_output=True, text=True).stdout
run_s = time.perf_counter() - start
report = json.loads(out)

with sqlite3.connect(database) as db:
    customers = db.execute("SELECT COUNT(*) FROM customer").fetchone()[0]
    # Timelines of customers with activity: the run's, whose accounts are the busiest.
    ids = [row[0] for row in db.execute("SELECT DISTINCT customer_id FROM activity LIMIT 2000")]
    ids += [row[0] for row in db.execute("SELECT id FROM customer ORDER BY id LIMIT 200")]

port = 18081
key = "bench-collections-key-0001"
env = dict(os.environ, CREDITRISK_API_KEYS="collections:%s" % key)
server = bench_server.start(binary, database, port, env)
try:
    random.seed(1)
    timings = []
    for customer in random.sample(ids, min(300, len(ids))):
        request = urllib.request.Request(
            "http://127.0.0.1:%d/v1/customers/%s/timeline?limit=50" % (port, customer), headers={"X-API-Key": key})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print("collections: run_s=%.1f customers=%d documents=%d problems=%d timeline_ms=%.1f timeline_p95_ms=%.1f"
          % (run_s, customers, report["documents"], len(report["problems"]), statistics.median(timings),
             timings[int(len(timings) * 0.95) - 1]))
finally:
    server.terminate()
    server.wait(timeout=30)
