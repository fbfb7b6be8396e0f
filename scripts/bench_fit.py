"""Fit benchmark: `creditrisk fit` on the 100k generated portfolio (60 months) with 24 monthly snapshots
(outcomes from the generator's outcomes.csv), the first half training, the next quarter
calibrating, the last quarter testing out of time; the base model (v3, expert payment weights)
and the fitted one are scored on the same test rows in the same run. `--payment-only`: how the
shipped v4 was made (the sector prior and the public-data financial scorecard keep their weights).

Usage: python3 scripts/bench_fit.py CREDITRISK_BIN DATABASE OUTCOMES WORK_DIR
Prints: fit: seconds=<s> rows=<n> oot_auc_expert=<a> oot_auc_fitted=<b> grades_calibrated=<k>/<n>
where grades_calibrated counts the grades with at least 100 customers on the headline reference
date (the latest test month end with a complete horizon, each customer once) whose observed
default rate's Jeffreys 95 % interval holds the grade's mean PD. A second line gives every test
month end's count and each grade's record over them, so that the headline date is seen not to be
picked: fit-dates: <date>=<k>/<n> ... grades: <grade>=<calibrated>/<judged> ...
"""
import json
import os
import subprocess
import sys
import time

binary, database, outcomes, work = sys.argv[1:5]
output = os.path.join(work, "bench-fit-model.json")
start = time.perf_counter()
subprocess.run(
    [binary, "fit", "--db", database, "--model", "Models/scoring-model-v3.json", "--outcomes", outcomes,
     "--snapshots", "24", "--payment-only", "--version", "bench-fit", "--output", output],
    check=True, stdout=open(os.path.join(work, "bench-fit-report.txt"), "w"))
seconds = time.perf_counter() - start
fit = json.load(open(output))["provenance"]["fit"]
rows = fit["training"]["rows"] + fit["calibration"]["rows"] + fit["test"]["rows"]
fitted, expert = fit["validation"], fit["baseValidation"]
print(f"fit: seconds={seconds:.1f} rows={rows} oot_auc_expert={expert['auc']:.3f} "
      f"oot_auc_fitted={fitted['auc']:.3f} grades_calibrated={fitted['gradesCalibrated']}/{fitted['gradesChecked']}")
dates = " ".join(f"{d['referenceDate']}={d['gradesCalibrated']}/{d['gradesChecked']}"
                 + ("" if d["completeHorizon"] else "(horizon-incomplete)") for d in fitted.get("referenceDates", []))
grades = " ".join(f"{g['grade']}={g['datesCalibrated']}/{g['datesChecked']}" for g in fitted.get("gradeRecords", []))
print(f"fit-dates: headline={fitted.get('referenceDate')} {dates} grades: {grades} "
      f"pooled={fitted.get('pooledGradesCalibrated')}/{fitted.get('pooledGradesChecked')}")
