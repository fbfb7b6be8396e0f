#!/usr/bin/env python3
"""Raw-socket attacks no HTTP client library sends, against a live creditrisk server.

    scripts/hostile_http.py --port PORT --pid SERVER_PID --idle-timeout SECONDS --max-body-bytes BYTES

Each case prints one line with what it measured; the script exits 1 if any case fails. Run by
scripts/fuzz after schemathesis, against the same server.
"""
import argparse
import json
import os
import urllib.error
import urllib.request
import socket
import sys
import threading
import time

KEY = "demo-collections-key-0001"


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def connect(port, timeout=10):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_status(sock, deadline):
    """The status code of the first response, or None if the server closed without one."""
    sock.settimeout(max(0.1, deadline - time.time()))
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return "timeout"
    except ConnectionResetError:
        return None
    if not data:
        return None
    return int(data.split(b" ", 2)[1])


def health(port, timeout=10):
    start = time.time()
    try:
        sock = connect(port, timeout)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        status = read_status(sock, start + timeout)
        sock.close()
    except OSError:
        status = None
    return status, time.time() - start


def chunked_post(port, chunks, key=KEY, path="/v1/events/payments"):
    sock = connect(port)
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nX-API-Key: {key}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    sock.sendall(head.encode())
    try:
        for chunk in chunks:
            sock.sendall(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    status = read_status(sock, time.time() + 10)
    sock.close()
    return status


failures = []


def case(name, ok, detail):
    print(f"hostile-http: {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


def lock_case(port, zip_path):
    """Reservations fired while an admin's import holds the database's writer: each answers within
    15 s with 200, or 503 with Retry-After; never another 5xx, a hang or a dropped connection."""
    outcome = {}

    def run_import():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/imports/ledger", data=open(zip_path, "rb").read(), method="POST",
            headers={"X-API-Key": "demo-admin-key-0001", "Content-Type": "application/zip"})
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                outcome["status"] = response.status
        except urllib.error.HTTPError as error:
            outcome["status"] = error.code

    importing = threading.Thread(target=run_import)
    importing.start()
    answers, slowest, number = [], 0.0, 0
    while importing.is_alive() and number < 200:
        number += 1
        body = json.dumps({"orderId": f"LOCK-{os.getpid()}-{number}", "amount": "1.00", "reserve": True}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/customers/C0000001/order-checks", data=body, method="POST",
            headers={"X-API-Key": "demo-sales-key-0001", "Content-Type": "application/json"})
        started = time.time()
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                answers.append((response.status, True))
        except urllib.error.HTTPError as error:
            answers.append((error.code, error.code != 503 or error.headers.get("Retry-After") is not None))
        except Exception as error:  # a hang (timeout) or a dropped connection
            answers.append((f"{type(error).__name__}", False))
        slowest = max(slowest, time.time() - started)
        time.sleep(0.05)
    importing.join()
    bad = [a for a in answers if a[0] not in (200, 503) or not a[1]]
    counts = {code: sum(1 for a in answers if str(a[0]) == code) for code in sorted({str(a[0]) for a in answers})}
    case("reservations during an import", outcome.get("status") in (200, 422) and not bad and slowest < 15,
         f"import answered {outcome.get('status')}; reservations {counts}, slowest {slowest:.2f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--idle-timeout", type=float, required=True)
    parser.add_argument("--max-body-bytes", type=int, required=True)
    parser.add_argument("--max-connections", type=int, default=512)
    parser.add_argument("--import-zip", help="a ledger export zipped: imported while reservations are fired (the lock case)")
    args = parser.parse_args()
    port = args.port

    status = chunked_post(port, [b"zz\r\n{}\r\n0\r\n\r\n"])
    case("malformed chunk size", status == 400, f"answered {status}")

    start = time.time()
    status = chunked_post(port, [b"ffffffffffffffff\r\n", b"{" * 1024])
    elapsed = time.time() - start
    case("chunk size ffffffffffffffff", status in (400, 413, None) and elapsed < 10,
         f"answered {status} in {elapsed:.1f} s")

    block = b"x" * (1 << 20)
    over = args.max_body_bytes // len(block) + 2
    status = chunked_post(port, [b"%x\r\n%s\r\n" % (len(block), block)] * over + [b"0\r\n\r\n"])
    case("chunked body over the limit", status == 413, f"{over} MiB sent, answered {status}")

    # Eight parallel posts of the body limit without a key: answered 401 without being held in memory.
    before = rss_mib(args.pid)
    peak = [before]
    statuses = []

    def unauthenticated_post():
        sock = connect(port, timeout=60)
        length = args.max_body_bytes
        sock.sendall(f"POST /v1/events/payments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {length}\r\n\r\n".encode())
        sent = 0
        try:
            while sent < length:
                piece = block[: min(len(block), length - sent)]
                sock.sendall(piece)
                sent += len(piece)
                peak[0] = max(peak[0], rss_mib(args.pid))
        except (BrokenPipeError, ConnectionResetError):
            pass
        statuses.append(read_status(sock, time.time() + 30))
        sock.close()

    threads = [threading.Thread(target=unauthenticated_post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    grown = peak[0] - before
    case("8 unauthenticated posts of the body limit", all(s in (401, None) for s in statuses) and grown < 100,
         f"answers {sorted(set(map(str, statuses)))}, memory {before:.0f} -> peak {peak[0]:.0f} MiB")

    # Stalled clients: half a request head, never finished, is closed after the idle timeout.
    stalled = [connect(port) for _ in range(50)]
    for sock in stalled:
        sock.sendall(b"POST /v1/events/payments HTTP/1.1\r\nHost: x\r\n")
    time.sleep(args.idle_timeout + 3)
    closed = 0
    for sock in stalled:
        sock.settimeout(1)
        try:
            if sock.recv(4096) == b"":
                closed += 1
            else:
                closed += 1  # answered (408/400) and closed: also freed
        except (socket.timeout, BlockingIOError):
            pass
        except ConnectionResetError:
            closed += 1
        sock.close()
    case("stalled request heads closed after the idle timeout", closed == len(stalled),
         f"{closed} of {len(stalled)} closed after {args.idle_timeout + 3:.0f} s")

    # A flood of idle sockets beyond the connection cap: /health answers once the idle ones expire.
    flood = []
    try:
        for _ in range(args.max_connections + 200):
            flood.append(connect(port, timeout=5))
    except OSError as error:
        print(f"hostile-http: flood stopped at {len(flood)} sockets: {error}")
    status, elapsed = health(port, timeout=args.idle_timeout + 15)
    case(f"/health under {len(flood)} idle sockets", status == 200, f"answered {status} in {elapsed:.1f} s")
    for sock in flood:
        sock.close()

    if args.import_zip:
        lock_case(port, args.import_zip)

    status, elapsed = health(port)
    case("/health at the end", status == 200, f"answered {status} in {elapsed:.2f} s")
    if failures:
        print(f"hostile-http: {len(failures)} failed: {', '.join(failures)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
