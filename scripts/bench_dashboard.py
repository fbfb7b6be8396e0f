"""Dashboard benchmark: the credit team's dashboard (`CreditService.dashboard`) computed in-process
on the 100k benchmark portfolio, for the whole portfolio and for one sales rep's accounts.

Usage: python3 scripts/bench_dashboard.py CREDITRISK_BIN REPORTS_DATABASE AS_OF WORK_DIR
Prints: dashboard: whole_ms=<median> rep_ms=<median> customers=<n>
Each figure is the median of 9 computations in one process (`creditrisk dashboard --repeat 9`
writes each one's server time on stderr), the first included. The database is a copy of the
reports suite's (scored at two month-ends); a portfolio generated before customers had sales
reps gets them as the generator now assigns them (customer n: one of six reps, none for one
customer in seven), so that a rep holds about 14 000 accounts.
"""
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys

binary, reports_db, as_of, work = sys.argv[1:5]
database = os.path.join(work, "dashboard.sqlite")
ready = os.path.join(work, "dashboard.ready")
reps = ["marie", "julien", "sophie", "karim", "lea", "thomas"]  # PortfolioGenerator's BillingContact.salesReps

if not os.path.exists(ready):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    shutil.copyfile(reports_db, database)
    with sqlite3.connect(database) as db:
        if db.execute("SELECT COUNT(*) FROM customer WHERE sales_rep IS NOT NULL").fetchone()[0] == 0:
            print("bench: giving the portfolio's customers sales reps as the generator does...", file=sys.stderr)
            db.executemany(
                "UPDATE customer SET sales_rep = ? WHERE CAST(substr(id, 2) AS INTEGER) % 7 = ?",
                [(rep, (index + 1) % 7) for index, rep in enumerate(reps)])
    open(ready, "w").close()

with sqlite3.connect(database) as db:
    customers = db.execute("SELECT COUNT(*) FROM customer").fetchone()[0]
    rep, rep_customers = db.execute(
        "SELECT sales_rep, COUNT(*) FROM customer WHERE sales_rep IS NOT NULL GROUP BY sales_rep ORDER BY 2 DESC, 1 LIMIT 1").fetchone()


def timings(*extra):
    run = subprocess.run(
        [binary, "dashboard", "--db", database, "--as-of", as_of, "--json", "--repeat", "9", *extra],
        check=True, capture_output=True, text=True)
    return [float(line.split("=")[1]) for line in run.stderr.splitlines() if line.startswith("dashboard_ms=")]


medians = {}
for name, extra in (("whole", ()), ("rep", ("--sales-rep", rep))):
    times = timings(*extra)
    medians[name] = statistics.median(times)
    print("bench: %s first_ms=%.1f median_ms=%.1f max_ms=%.1f" % (name, times[0], medians[name], max(times)), file=sys.stderr)
print("bench: rep %s holds %d of %d customers" % (rep, rep_customers, customers), file=sys.stderr)
print("dashboard: whole_ms=%.1f rep_ms=%.1f customers=%d" % (medians["whole"], medians["rep"], customers))
