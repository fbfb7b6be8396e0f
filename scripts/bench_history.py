"""History benchmark: 30 daily scoring runs over a 100k-customer ledger that does not move.

Each run scores every customer as of the next day and stores what changed; an assessment that
only repeats the one in force is recorded as a confirmation. The database's size (main file and
write-ahead log) is read after each run, once the process has closed it.

Usage: python3 scripts/bench_history.py CREDITRISK_BIN CLEAN_DATABASE WORK_DATABASE FIRST_DAY [RUNS]
Prints, per run on stderr: day, seconds, new assessments, confirmed, database MB;
then: history: runs=<n> first_s=<s> last_s=<s> db_mb_first=<n> db_mb_last=<n>
and:  history-growth: mb_per_run_max=<n> mb_per_run_median=<n> new_per_run_median=<n>
"""
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

binary, clean, database, first_day = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 30


def size_mb(path):
    return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s)) / 1e6


for suffix in ("", "-wal", "-shm"):
    if os.path.exists(database + suffix):
        os.remove(database + suffix)
shutil.copyfile(clean, database)
# Bring the copy up to the current schema before the clock starts: the first run is timed as a
# daily run, not as a migration.
subprocess.run([binary, "customers", "--db", database, "--limit", "1"], check=True, capture_output=True)

start_day = datetime.date.fromisoformat(first_day)
seconds, sizes, new = [], [], []
for i in range(runs):
    day = (start_day + datetime.timedelta(days=i)).isoformat()
    start = time.perf_counter()
    out = subprocess.run([binary, "score", "--db", database, "--as-of", day], check=True, capture_output=True, text=True).stdout
    seconds.append(time.perf_counter() - start)
    sizes.append(size_mb(database))
    found = re.search(r"([\d ,\u202f]+) new assessments, ([\d ,\u202f]+) confirmed unchanged", out)
    counts = [int(re.sub(r"\D", "", g)) for g in found.groups()] if found else [-1, -1]
    new.append(counts[0])
    print(f"history: day={day} s={seconds[-1]:.2f} new={counts[0]} confirmed={counts[1]} db_mb={sizes[-1]:.1f}", file=sys.stderr)

growth = [b - a for a, b in zip(sizes, sizes[1:])] or [0.0]
print(f"history: runs={runs} first_s={seconds[0]:.2f} last_s={seconds[-1]:.2f} db_mb_first={sizes[0]:.1f} db_mb_last={sizes[-1]:.1f}")
print(
    f"history-growth: mb_per_run_max={max(growth):.2f} mb_per_run_median={statistics.median(growth):.2f} "
    f"new_per_run_median={statistics.median(new[1:] or new):.0f}"
)
