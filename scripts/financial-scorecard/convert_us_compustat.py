#!/usr/bin/env python3
"""Convert the public US bankruptcy data of Lombardo et al. (2022) / Pellegrino et al. (2024)
(as published, with CIK and raw Compustat figures, in the windowed LSTM files of
github.com/sowide/multi-head_LSTM_for_bankruptcy-prediction, CC BY 4.0) into the generic
labelled-statements CSV.

Input : data/us_lstm/{3,4,5}_{train,validation,test}.csv  (extracted with git show from the mirror)
Output: labelled-statements-us_compustat.csv        (generic header, one row per firm-year)
        labelled-statements-us_compustat-meta.csv   (sidecar: split, company name, ticker,
                                                     firmFailed, yearsToLastYear)
Amounts in the source are USD millions -> multiplied by 1e6 (whole USD).
"""
import glob, os, sys
import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "data", "us_lstm")
OUT = os.path.join(HERE, "labelled-statements-us_compustat.csv")
META = os.path.join(HERE, "labelled-statements-us_compustat-meta.csv")

CANON = ["revenue", "operatingIncome", "depreciationAndAmortisation", "netIncome", "totalAssets",
         "currentAssets", "inventories", "tradeReceivables", "cash", "totalLiabilities",
         "currentLiabilities", "financialDebt", "tradePayables", "equity", "retainedEarnings",
         "financialExpenses", "costOfSales", "personnelCosts", "fixedAssets",
         "shortTermFinancialDebt", "longTermFinancialDebt", "minorityInterests"]

# source column (Compustat item per README of sowide/bankruptcy_dataset) -> canonical field
MAP = {
    "total_revenue": "revenue",                          # X16 REVT
    "ebit": "operatingIncome",                           # X12 EBIT
    "depreciation_and_amortization": "depreciationAndAmortisation",  # X3 DP
    "net_income": "netIncome",                           # X6 NI
    "total_assets": "totalAssets",                       # X10 AT
    "current_assets": "currentAssets",                   # X1 ACT
    "inventory": "inventories",                          # X5 INVT
    "total_receivables": "tradeReceivables",             # X7 RECT (total receivables, incl. non-trade)
    "total_liabilities": "totalLiabilities",             # X17 LT
    "total_current_liabilities": "currentLiabilities",   # X14 LCT
    "retained_earnings": "retainedEarnings",             # X15 RE
    "cost_of_goods_sold": "costOfSales",                 # X2 COGS
    "total_long_term_debt": "longTermFinancialDebt",     # X11 DLTT
}
SCALE = 1e6


def load():
    frames = []
    for f in sorted(glob.glob(os.path.join(SRC, "*_*.csv"))):
        w, split = os.path.basename(f)[:-4].split("_")
        d = pd.read_csv(f)
        d["split"] = split
        frames.append(d)
    if not frames:
        sys.exit(f"no input files in {SRC}")
    a = pd.concat(frames, ignore_index=True)
    a["fyear"] = a["fyear"].astype(int)
    # the same (cik, fyear) appears in the 3/4/5-year windows; figures are identical (checked)
    chk = a.groupby(["cik", "fyear"])[list(MAP)].nunique(dropna=False)
    assert (chk <= 1).all().all(), "conflicting figures for a firm-year"
    u = a.drop_duplicates(["cik", "fyear"]).sort_values(["cik", "fyear"]).reset_index(drop=True)
    return u


def main():
    u = load()
    out = pd.DataFrame()
    out["registrationId"] = "CIK" + u["cik"].astype(int).astype(str).str.zfill(10)
    out["periodEnd"] = u["fyear"].astype(str) + "-12-31"
    out["periodMonths"] = 12
    out["currency"] = "USD"
    # label: status is a FIRM-level flag (constant over all of a failed firm's rows). The data set's
    # definition puts bankruptcy on the fiscal year before the Chapter 7/11 filing = the firm's last
    # fiscal year in the data. So only that row is a failure within the next ~12 months.
    last = u.groupby("cik")["fyear"].transform("max")
    firm_failed = u["status"].astype(int)
    out["failedWithin12Months"] = ((firm_failed == 1) & (u["fyear"] == last)).astype(int)
    for c in CANON:
        out[c] = np.nan
    for src, dst in MAP.items():
        out[dst] = u[src].astype(float) * SCALE
    # equity not given in the source: derived as total assets - total liabilities
    out["equity"] = out["totalAssets"] - out["totalLiabilities"]
    # prior year: same firm, fiscal year - 1, when that row exists
    key = u["cik"].astype(str) + "_" + u["fyear"].astype(str)
    prev_key = u["cik"].astype(str) + "_" + (u["fyear"] - 1).astype(str)
    idx = pd.Series(np.arange(len(u)), index=key)
    pos = prev_key.map(idx)
    for c in CANON:
        vals = out[c].to_numpy()
        pv = np.full(len(u), np.nan)
        ok = pos.notna().to_numpy()
        pv[ok] = vals[pos[ok].astype(int).to_numpy()]
        out["prior_" + c] = pv
    # drop float noise from x1e6 (e.g. 1077.4*1e6 = 1077400000.0000001)
    num = out.columns[5:]
    out[num] = out[num].round(2)
    out.to_csv(OUT, index=False, float_format="%.2f")
    meta = pd.DataFrame({
        "registrationId": out["registrationId"], "periodEnd": out["periodEnd"],
        "fiscalYear": u["fyear"], "split": u["split"], "companyName": u["company_name"],
        "ticker": u["tic"], "firmFailed": firm_failed, "yearsBeforeLastYear": (last - u["fyear"]).astype(int),
    })
    meta.to_csv(META, index=False)
    print(f"wrote {OUT}: {len(out)} rows, {u.cik.nunique()} firms, "
          f"{int(out.failedWithin12Months.sum())} failures, years {u.fyear.min()}-{u.fyear.max()}")
    print(meta.groupby("split").agg(rows=("fiscalYear", "size"), firms=("registrationId", "nunique"),
                                    fy_min=("fiscalYear", "min"), fy_max=("fiscalYear", "max")))
    lastyr = meta[meta.yearsBeforeLastYear == 0]
    print("last-year range per split:\n", lastyr.groupby("split").fiscalYear.agg(["min", "max"]))
    print("failures per split:", out.groupby(meta.split).failedWithin12Months.sum().to_dict())


if __name__ == "__main__":
    main()
