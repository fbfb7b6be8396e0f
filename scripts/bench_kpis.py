"""Portfolio KPI benchmark: `GET /v1/portfolio/kpis` of a release server on the scored 100k
portfolio, for the whole portfolio as of its latest day and as of a past month end, the largest
sector and the largest group.

Usage: python3 scripts/bench_kpis.py CREDITRISK_BIN DATABASE PAST_DAY
Prints: kpis: ms=<median, whole portfolio> customers=<n>
and:    kpis-detail: whole_ms=<n> past_ms=<n> sector_ms=<n> group_ms=<n> sector=<code> group=<name>
(each the median of several requests, from sending to the last byte, on loopback).
"""
import json
import os
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request

import bench_server

binary, database, past = sys.argv[1:4]
connection = sqlite3.connect("file:%s?mode=ro" % database, uri=True)
sector = connection.execute("SELECT sector_code FROM customer GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
group = connection.execute(
    "SELECT customer_group FROM customer WHERE customer_group IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
connection.close()

port = 18084
key = "bench-kpis-key-0001"
env = dict(os.environ, CREDITRISK_API_KEYS="credit_manager:%s" % key)
cases = {
    "whole": "/v1/portfolio/kpis",
    "past": "/v1/portfolio/kpis?asOf=%s" % past,
    "sector": "/v1/portfolio/kpis?sector=%s" % urllib.parse.quote(sector),
    "group": "/v1/portfolio/kpis?group=%s" % urllib.parse.quote(group),
}
runs = 9

server = bench_server.start(binary, database, port, env)
try:
    medians = {}
    customers = 0
    for name, path in cases.items():
        timings = []
        for _ in range(runs):
            request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers={"X-API-Key": key})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                body = response.read()
            timings.append((time.perf_counter() - started) * 1000)
        if name == "whole":
            customers = json.loads(body)["customers"]
        medians[name] = statistics.median(timings)
        print("bench: kpis %s first_ms=%.1f median_ms=%.1f max_ms=%.1f" % (name, timings[0], medians[name], max(timings)), file=sys.stderr)
    print("kpis: ms=%.1f customers=%d" % (medians["whole"], customers))
    print("kpis-detail: whole_ms=%.1f past_ms=%.1f sector_ms=%.1f group_ms=%.1f sector=%s group=%s"
          % (medians["whole"], medians["past"], medians["sector"], medians["group"], sector, group.replace(" ", "_")))
finally:
    server.terminate()
    server.wait(timeout=30)
