"""Rescore benchmark: scoring every customer of the benchmark portfolio as of a day and storing
the assessments, against one sqlite3 query computing each customer's amount-weighted days
beyond terms over the same tables.

Usage: python3 scripts/bench_rescore.py CREDITRISK_BIN DATABASE AS_OF
Prints: rescore: ours=<s> baseline=<s> ratio=<ours/baseline> customers=<n>
"""
import subprocess
import sys
import time

binary, database, as_of = sys.argv[1:4]

# Bring the copy up to the current schema before the clock starts: a ledger imported by an
# older binary would otherwise have its migrations (a rebuild of the daily totals among them)
# timed as scoring.
subprocess.run([binary, "customers", "--db", database, "--limit", "1"], check=True, capture_output=True)

start = time.perf_counter()
subprocess.run([binary, "score", "--db", database, "--as-of", as_of], check=True, stdout=subprocess.DEVNULL)
ours = time.perf_counter() - start

# Payments of the trailing 12 months, each weighted by its amount and its days beyond the due date
# (floored at 0); open overdue amounts count at the as-of date. One row per customer.
query = """
WITH paid AS (
  SELECT i.customer_id, p.amount_cents AS w,
         MAX(julianday(p.paid_on) - julianday(i.due_date), 0) AS dbt
  FROM payment p JOIN invoice i ON i.id = p.invoice_id
  WHERE p.paid_on > date('{d}', '-12 months') AND p.paid_on <= '{d}' AND i.amount_cents > 0
), open AS (
  SELECT i.customer_id,
         i.amount_cents - COALESCE((SELECT SUM(p.amount_cents) FROM payment p
                                    WHERE p.invoice_id = i.id AND p.paid_on <= '{d}'), 0) AS w,
         julianday('{d}') - julianday(i.due_date) AS dbt
  FROM invoice i
  WHERE i.issue_date <= '{d}' AND i.due_date < '{d}' AND i.amount_cents > 0
)
SELECT c.id, SUM(x.w * x.dbt) / NULLIF(SUM(x.w), 0)
FROM customer c LEFT JOIN (SELECT * FROM paid UNION ALL SELECT * FROM open WHERE w > 0) x ON x.customer_id = c.id
GROUP BY c.id;
""".format(d=as_of)
start = time.perf_counter()
result = subprocess.run(["sqlite3", database], input=query, text=True, check=True, capture_output=True)
baseline = time.perf_counter() - start
customers = len(result.stdout.splitlines())

print("rescore: ours=%.2f baseline=%.2f ratio=%.2f customers=%d" % (ours, baseline, ours / baseline, customers))
