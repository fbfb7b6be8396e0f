"""Web application benchmark: the dashboard, customer pages and the worklist of a release server on
the scored 100k benchmark portfolio, signed in as a credit manager.

Usage: python3 scripts/bench_web.py CREDITRISK_BIN DATABASE
Prints: web: dashboard_ms=<median> customer_ms=<median> worklist_ms=<median> customers=<count>
Each figure is the median server time (the Server-Timing header the server sets on every answer)
of 20 requests after a warm-up; client-side times and the slowest go to stderr.
"""
import os
import re
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.request

import bench_server

binary, database = sys.argv[1:3]
port = 18084
key = "bench-web-key-0001"
env = dict(os.environ, CREDITRISK_API_KEYS="credit_manager:%s" % key)
customers = sqlite3.connect(database).execute("SELECT COUNT(*) FROM customer").fetchone()[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in():
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"key": key, "next": "/"}).encode()
    request = urllib.request.Request("http://127.0.0.1:%d/signin" % port, data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as answer:
        if answer.code != 303:
            raise
        return answer.headers["Set-Cookie"].split(";")[0]
    sys.exit("bench: signing in did not answer 303")


def measure(cookie, paths, runs=20):
    server_ms, client_ms = [], []
    for index in range(runs + 1):
        path = paths[index % len(paths)]
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers={"Cookie": cookie})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            timing = response.headers.get("Server-Timing", "")
            if response.status != 200:
                sys.exit("bench: %s answered %d" % (path, response.status))
        elapsed = (time.perf_counter() - started) * 1000
        match = re.search(r"dur=([0-9.]+)", timing)
        if index == 0:
            continue  # the warm-up
        server_ms.append(float(match.group(1)) if match else elapsed)
        client_ms.append(elapsed)
    return server_ms, client_ms


server = bench_server.start(binary, database, port, env)
try:
    cookie = sign_in()
    ids = [row[0] for row in sqlite3.connect(database).execute(
        "SELECT id FROM customer ORDER BY id LIMIT 20 OFFSET 1000")]
    medians = {}
    for name, paths in [("dashboard", ["/"]), ("customer", ["/customers/%s" % i for i in ids]), ("worklist", ["/worklist"])]:
        server_ms, client_ms = measure(cookie, paths)
        medians[name] = statistics.median(server_ms)
        print("bench: %s server_median_ms=%.1f server_max_ms=%.1f client_median_ms=%.1f"
              % (name, medians[name], max(server_ms), statistics.median(client_ms)), file=sys.stderr)
    print("web: dashboard_ms=%.1f customer_ms=%.1f worklist_ms=%.1f customers=%d"
          % (medians["dashboard"], medians["customer"], medians["worklist"], customers))
finally:
    server.terminate()
    server.wait(timeout=30)
