"""Import benchmark: our validated, indexed, all-or-nothing import against sqlite3's bare .import.

Usage: python3 scripts/bench_import.py CREDITRISK_BIN PORTFOLIO_DIR WORK_DIR
Prints: import: ours=<s> baseline=<s> ratio=<ours/baseline> rows=<n> peak_rss_mb=<n>
"""
import os
import resource
import shutil
import subprocess
import sys
import time

binary, portfolio, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
files = ["sectors", "customers", "invoices", "payments", "disputes"]


def header(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.readline().rstrip("\r\n")


def delimiter(line):
    return max([";", "\t", ","], key=line.count)


def data_rows(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip()) - 1


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


rows = sum(data_rows(os.path.join(portfolio, f + ".csv")) for f in files)

# Ours: a child process, so its peak RSS is the children's maximum.
ours_db = os.path.join(work, "ours.sqlite")
fresh(ours_db)
start = time.perf_counter()
subprocess.run([binary, "import", "ledger", "--no-rescore", "--db", ours_db, portfolio], check=True, stdout=subprocess.DEVNULL)
ours = time.perf_counter() - start
peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

# Baseline: the sqlite3 shell loading the same files into plain tables with the same columns.
base_db = os.path.join(work, "baseline.sqlite")
fresh(base_db)
script = []
for name in files:
    path = os.path.join(portfolio, name + ".csv")
    line = header(path)
    sep = delimiter(line)
    columns = ", ".join('"%s" TEXT' % c for c in line.split(sep))
    script.append('CREATE TABLE "%s" (%s);' % (name, columns))
    script.append(".mode csv")
    script.append(".separator \"%s\"" % ("\\t" if sep == "\t" else sep))
    script.append('.import --skip 1 "%s" "%s"' % (path, name))
start = time.perf_counter()
subprocess.run(["sqlite3", base_db], input="\n".join(script) + "\n", text=True, check=True)
baseline = time.perf_counter() - start

print(
    "import: ours=%.2f baseline=%.2f ratio=%.2f rows=%d peak_rss_mb=%d"
    % (ours, baseline, ours / baseline, rows, peak_rss_mb)
)
