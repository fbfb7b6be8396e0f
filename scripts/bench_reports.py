"""Reports benchmark: the credit team's four weekly reports read through the API of a release
server on the 100k benchmark portfolio (scored at two month-ends, so that grades have moved).

Usage: python3 scripts/bench_reports.py CREDITRISK_BIN DATABASE AS_OF
Prints: reports: customers_search_ms=<median> late_payers_ms=<median> grade_changes_ms=<median> forecast_ms=<median> trend_ms=<median>
(each the median of several requests, the time from sending the request to the last byte of the
answer on loopback); the first request of each, the slowest and the answers' sizes go to stderr.
"""
import datetime
import os
import statistics
import sys
import time
import urllib.request

import bench_server

binary, database, as_of = sys.argv[1:4]
end = datetime.date.fromisoformat(as_of)
start = end.replace(day=1)

port = 18082
key = "bench-reports-key-0001"
env = dict(os.environ, CREDITRISK_API_KEYS="credit_manager:%s" % key)
reports = {
    # The customer list: a name search, then the whole portfolio filtered and sorted (every
    # customer's standing read and ordered), alternately.
    "customers_search": ["/v1/customers?search=dupont&limit=50", "/v1/customers?overLimit=true&sort=risk&order=desc&limit=50"],
    # The late payers by amount and by days beyond terms, alternately.
    "late_payers": ["/v1/reports/late-payers?by=overdue&limit=20", "/v1/reports/late-payers?by=dbt&limit=20"],
    "grade_changes": ["/v1/reports/grade-changes?from=%s&to=%s" % (start.isoformat(), end.isoformat())],
    "forecast": ["/v1/reports/cash-forecast?asOf=%s&weeks=13" % as_of],
    "trend": ["/v1/reports/kpi-trend?months=12"],
}
runs = 9

server = bench_server.start(binary, database, port, env)
try:
    medians = {}
    for name, paths in reports.items():
        timings = []
        size = 0
        for run in range(runs):
            path = paths[run % len(paths)]
            request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers={"X-API-Key": key})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                size = len(response.read())
            timings.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(timings)
        print("bench: %s first_ms=%.1f median_ms=%.1f max_ms=%.1f bytes=%d" % (name, timings[0], medians[name], max(timings), size),
              file=sys.stderr)
    print("reports: customers_search_ms=%.1f late_payers_ms=%.1f grade_changes_ms=%.1f forecast_ms=%.1f trend_ms=%.1f"
          % (medians["customers_search"], medians["late_payers"], medians["grade_changes"], medians["forecast"], medians["trend"]))
finally:
    server.terminate()
    server.wait(timeout=30)
