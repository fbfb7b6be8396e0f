"""Scale benchmark: import, rescore, worklist and KPIs at several portfolio sizes.

For each size it generates a portfolio (cached: `BENCH_DATA/portfolio-scale-<n>`, no statements,
the default mix over 24 months ending 2026-10-31, seed 42), imports it into a fresh database,
scores every customer as of 2026-10-31, then starts the release server on it and times the
collections worklist's top 100 and the whole portfolio's KPIs (medians of five, after a first
request that waits for the worklist index). Each step's peak resident memory is read from the
child process that ran it (wait4), and the size's peak is the largest of them.

Usage: python3 scripts/bench_scale.py CREDITRISK_BIN DATA_DIR SIZE [SIZE...]
Prints one line per size:
scale: customers=<n> import_us_per_customer=<n> rescore_us_per_customer=<n> worklist_ms=<n> kpis_ms=<n> peak_rss_mb=<n>
(and the import's and rescore's seconds on stderr), then, when 100k and 1M were both run:
scale-ratio: import_1m_over_100k=<r> rescore_1m_over_100k=<r> (per-customer time at 1M over that at 100k)
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

import bench_server

binary, data = sys.argv[1:3]
sizes = [int(s) for s in sys.argv[3:]] or [10_000, 100_000, 1_000_000]
as_of = "2026-10-31"


def run(args):
    """Runs a child to its end; returns (seconds, peak RSS in MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit("bench: %s failed (%d)" % (" ".join(args[:3]), status))
    return seconds, usage.ru_maxrss / 1024


def portfolio(n):
    folder = os.path.join(data, "portfolio-scale-%d" % n)
    if not os.path.exists(os.path.join(folder, ".complete")):
        print("bench: generating %d customers into %s..." % (n, folder), file=sys.stderr)
        subprocess.run(["rm", "-rf", folder], check=True)
        subprocess.run([binary, "generate", "--customers", str(n), "--seed", "42", "--no-statements", "--out", folder],
                       check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(folder, ".complete"), "w").close()
    return folder


results = {}
for n in sizes:
    folder = portfolio(n)
    database = os.path.join(data, "work", "scale-%d.sqlite" % n)
    os.makedirs(os.path.dirname(database), exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    import_s, import_rss = run([binary, "import", "ledger", "--no-rescore", "--db", database, folder])
    rescore_s, rescore_rss = run([binary, "score", "--db", database, "--as-of", as_of])
    print("bench: scale %d import_s=%.1f rescore_s=%.1f import_rss_mb=%.0f rescore_rss_mb=%.0f"
          % (n, import_s, rescore_s, import_rss, rescore_rss), file=sys.stderr)

    port = 18085
    key = "bench-scale-key-0001"
    env = dict(os.environ, CREDITRISK_API_KEYS="credit_manager:%s" % key)
    server = bench_server.start(binary, database, port, env)

    def timed(path):
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), headers={"X-API-Key": key})
        started = time.perf_counter()
        json.loads(urllib.request.urlopen(request, timeout=900).read())
        return (time.perf_counter() - started) * 1000

    try:
        timed("/v1/collections/worklist?limit=100")  # waits for the index the server builds at start
        worklist_ms = statistics.median(timed("/v1/collections/worklist?limit=100") for _ in range(5))
        kpis_ms = statistics.median(timed("/v1/portfolio/kpis") for _ in range(5))
    finally:
        server.terminate()
        _, _, usage = os.wait4(server.pid, 0)
    server_rss = usage.ru_maxrss / 1024
    peak = max(import_rss, rescore_rss, server_rss)
    results[n] = (import_s * 1e6 / n, rescore_s * 1e6 / n)
    print("scale: customers=%d import_us_per_customer=%.1f rescore_us_per_customer=%.1f worklist_ms=%.1f kpis_ms=%.1f peak_rss_mb=%.0f"
          % (n, results[n][0], results[n][1], worklist_ms, kpis_ms, peak), flush=True)

if 100_000 in results and 1_000_000 in results:
    big, base = results[1_000_000], results[100_000]
    print("scale-ratio: import_1m_over_100k=%.2f rescore_1m_over_100k=%.2f" % (big[0] / base[0], big[1] / base[1]))
