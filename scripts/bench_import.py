"""Import benchmark: our validated, indexed, all-or-nothing import against sqlite3's bare .import.

Usage: python3 scripts/bench_import.py CREDITRISK_BIN PORTFOLIO_DIR WORK_DIR
Prints: import: ours=<s> baseline=<s> ratio=<ours/baseline> rows=<n> peak_rss_mb=<n>

Where the 100k import's time goes (phase marks and perf record -F 999 -g on the release binary,
2026-12-07, the 2-core machine at load 1.4-1.7; wall seconds, CPU in brackets: the parser thread
overlaps the writer while files stream, the rest is the writer's connection alone):
                          before (ab82150)   after (importperf)
  customers.csv (100k)     1.43 (2.7)         0.91 (1.6)  contacts: two look-ups and a GRDB upsert a row, none now when
                                                          the table was empty; customers through a bound statement
  invoices.csv (1.0M)      3.12 (5.6)         2.01 (3.8)  parser thread 3.6 -> 1.7 s of CPU (CSV.swift through Unicode
  payments.csv (1.0M)      4.43 (6.0)         3.29 (4.8)  scalars -> StrictCSV's RecordSplitter over bytes); the writer
                                                          is ~85 % SQLite: text-keyed B-trees, a foreign-key probe and
                                                          an open-balance update a payment
  disputes, overpayments   0.28               0.21
  11 index rebuilds        1.75               1.67        1M text keys sorted three times (invoice_due alone 0.7 s)
  daily totals rebuild     6.41 (6.2)         3.19 (3.2)  one ordered pass over invoice and payment side by side, C-API
                                                          reads and writes in key order (GRDB rows and a join before);
                                                          its dictionaries of (scope, day) are a third of it
  commit (+ checkpoint)    1.06 + 0.3         0.31        a first load goes through a rollback journal: pages written
                                                          once, not into the WAL and again by the checkpoint
  total                    18.78 (23.4)       11.68 (15.4)
What remains is SQLite's own work on this schema (text primary keys WITHOUT ROWID, foreign keys,
11 secondary indexes, ~300 MB written against ~130 MB for the bare load) and the daily totals;
a ratio of 1.5 needs the schema itself to change (integer surrogate keys) or the totals kept apart.
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
