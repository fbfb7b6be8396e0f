#!/usr/bin/env python3
"""Order checks with reservation fired at a live server while an import holds the database, for
scripts/crashtest (the lock part).

Each check must answer within --bound seconds with 200, or with 503 carrying Retry-After (the
database is busy: the client may try again). Anything else is damage: a 500 or another status,
a 503 without Retry-After, no answer within the bound (a hang), or a connection closed without
an answer (dropped). Requests go to 127.0.0.1 only, one connection each, from a few threads, until
--stop-file appears (the import is over) or --max-seconds have passed.

Prints one line for the shell to read:
  total=N status_200=N status_503=N other=N no_retry_after=N hung=N dropped=N max_latency=S p50_latency=S
and, on standard error, the first few damaged answers in full.
"""

import argparse
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import uuid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True, help="a sales key")
    parser.add_argument("--ids", required=True, help="file of customer ids, one a line")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--bound", type=float, default=15.0, help="seconds an answer may take")
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--label", default="lock", help="prefix of order ids, to tell runs apart")
    args = parser.parse_args()

    with open(args.ids) as f:
        ids = [line.strip() for line in f if line.strip()]
    if not ids:
        print("crashtest_http: no customer ids", file=sys.stderr)
        return 2

    lock = threading.Lock()
    results = []  # (kind, status, latency, detail)
    deadline = time.monotonic() + args.max_seconds

    def check(rng: random.Random) -> None:
        customer = rng.choice(ids)
        order = f"CT-{args.label}-{uuid.uuid4().hex[:20]}"
        body = json.dumps({"orderId": order, "amount": "100.00", "reserve": True})
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.bound)
        try:
            connection.request(
                "POST", f"/v1/customers/{customer}/order-checks", body=body,
                headers={"X-API-Key": args.key, "Content-Type": "application/json"})
            response = connection.getresponse()
            text = response.read(2000).decode("utf-8", "replace")
            latency = time.monotonic() - started
            status = response.status
            retry_after = response.getheader("Retry-After")
            if latency > args.bound:
                kind = "hung"
            elif status == 200:
                kind = "200"
            elif status == 503 and retry_after:
                kind = "503"
            elif status == 503:
                kind = "no_retry_after"
            else:
                kind = "other"
            detail = f"{customer} {order}: {status} after {latency:.2f} s, Retry-After {retry_after}: {text[:300]}"
        except (socket.timeout, TimeoutError):
            latency = time.monotonic() - started
            kind, status, detail = "hung", 0, f"{customer} {order}: no answer within {args.bound} s"
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            latency = time.monotonic() - started
            kind, status, detail = "dropped", 0, f"{customer} {order}: {type(error).__name__} {error} after {latency:.2f} s"
        finally:
            connection.close()
        with lock:
            results.append((kind, status, latency, detail))

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline and not os.path.exists(args.stop_file):
            check(rng)
            time.sleep(rng.uniform(0.05, 0.25))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Every request is bounded by the socket timeout, so each thread ends soon after the stop.
        thread.join(args.max_seconds + 2 * args.bound)

    count = {kind: 0 for kind in ("200", "503", "other", "no_retry_after", "hung", "dropped")}
    for kind, _, _, _ in results:
        count[kind] += 1
    damaged = [detail for kind, _, _, detail in results if kind not in ("200", "503")]
    for detail in damaged[:10]:
        print(f"crashtest_http: {detail}", file=sys.stderr)
    latencies = sorted(latency for _, _, latency, _ in results)
    p50 = latencies[len(latencies) // 2] if latencies else 0.0
    print(
        f"total={len(results)} status_200={count['200']} status_503={count['503']} other={count['other']} "
        f"no_retry_after={count['no_retry_after']} hung={count['hung']} dropped={count['dropped']} "
        f"max_latency={max(latencies, default=0.0):.2f} p50_latency={p50:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
