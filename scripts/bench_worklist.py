"""Collections worklist benchmark: the top 100 over about a million open items.

Usage: python3 scripts/bench_worklist.py CREDITRISK_BIN DATABASE
Starts the release server on a scored portfolio, asks for the worklist once (the server builds
its in-memory index on that first request), then five more times (the median is top100_ms),
then reports a payment for the top item and times the next worklist (the index replays the
change log for that one customer).
Prints: worklist: top100_ms=<n> open_items=<n> listed=<n> first_request_ms=<n> after_event_ms=<n>
"""
import json
import os
import sys
import time
import urllib.request

import bench_server

binary, database = sys.argv[1:3]
port = 18081
key = "bench-collections-key-0001"
env = dict(os.environ, CREDITRISK_API_KEYS="collections:%s" % key)
server = bench_server.start(binary, database, port, env)


def call(path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data,
                                     headers={"X-API-Key": key, "Content-Type": "application/json"})
    start = time.perf_counter()
    answer = json.loads(urllib.request.urlopen(request, timeout=600).read())
    return answer, (time.perf_counter() - start) * 1000


try:
    first, first_ms = call("/v1/collections/worklist?limit=100")
    timings = []
    for _ in range(5):
        body, ms = call("/v1/collections/worklist?limit=100")
        timings.append(ms)
    # The default view lists customers, each with its invoices: pay the top customer's first one.
    top = body["customers"][0]["invoices"][0]
    call("/v1/events/payments", {"paymentId": "BENCH-%d" % time.time_ns(), "invoiceId": top["invoiceId"],
                                 "paidOn": body["asOf"], "amount": top["openAmount"]})
    after, after_ms = call("/v1/collections/worklist?limit=100")
    if any(line["invoiceId"] == top["invoiceId"] for entry in after["customers"] for line in entry["invoices"]):
        sys.exit("bench: the paid invoice is still on the worklist")
    print("worklist: top100_ms=%.1f open_items=%d listed=%d first_request_ms=%.0f after_event_ms=%.1f"
          % (sorted(timings)[len(timings) // 2], body["openInvoices"], body["listed"], first_ms, after_ms))
finally:
    server.terminate()
    server.wait(timeout=30)
