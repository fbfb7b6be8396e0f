"""Statement benchmark: our import of about 10,000 statement files (INPI and XBRL) into a fresh
database, against `xmllint --noout` over the same files in one process.

Usage: python3 scripts/bench_statements.py CREDITRISK_BIN DATA_DIR
Prints: statements: ours=<s> baseline=<s> ratio=<ours/baseline> files=<n> mb=<n>
"""
import os
import shutil
import subprocess
import sys
import time

binary, data = sys.argv[1:3]
folder = os.path.join(data, "statements-10k")
if not os.path.exists(os.path.join(folder, ".complete")):
    print("bench: generating statements into %s..." % folder, file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    # 6,800 customers give about 10,000 statement files (two thirds of French companies file,
    # about 2.2 years each within the history).
    subprocess.run([binary, "generate", "--customers", "6800", "--seed", "7", "--out", folder], check=True, stdout=sys.stderr)
    open(os.path.join(folder, ".complete"), "w").close()
statements = os.path.join(folder, "statements")
files = sorted(os.path.join(statements, name) for name in os.listdir(statements) if name.endswith(".xml"))
megabytes = sum(os.path.getsize(f) for f in files) / 1e6

work = os.path.join(data, "work")
os.makedirs(work, exist_ok=True)
database = os.path.join(work, "statements.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(database + suffix):
        os.remove(database + suffix)
start = time.perf_counter()
subprocess.run([binary, "import", "statements", "--db", database, statements], check=True, stdout=subprocess.DEVNULL)
ours = time.perf_counter() - start

start = time.perf_counter()
subprocess.run(["xmllint", "--noout"] + files, check=True)
baseline = time.perf_counter() - start

print("statements: ours=%.2f baseline=%.2f ratio=%.2f files=%d mb=%d" % (ours, baseline, ours / baseline, len(files), round(megabytes)))
