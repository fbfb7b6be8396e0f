#!/usr/bin/env python3
"""Exploratory, out-of-time analysis of ratios on labelled-statements-us_compustat.csv.

Design
- Firms are split by their LAST fiscal year (as in the source): train = firms ending 2001-2011,
  validation = 2012-2014, test = 2015-2018. All firm-years of a firm are in one split.
- Unit = firm-year; target = failedWithin12Months (1 only on the last fiscal year of a failed firm).
- Ratios are computed only from canonical fields (no market value).
- Monotone WoE binning fitted on the development sample; WoE oriented so that higher = riskier;
  L2 logistic regression with non-negative coefficients (scipy L-BFGS-B with bounds).
Writes results/*.csv|json and prints a summary used in FINDINGS.md.
"""
import json, os
import numpy as np
import pandas as pd
from scipy.optimize import minimize
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "results")
os.makedirs(RES, exist_ok=True)


def safe_div(a, b):
    a = np.asarray(a, float); b = np.asarray(b, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where((b != 0) & np.isfinite(b) & np.isfinite(a), a / b, np.nan)
    return r


def ratios(d):
    """All candidate ratios computable from canonical fields. Returns DataFrame + direction dict
    (+1: higher value = higher risk, -1: higher value = lower risk)."""
    r = pd.DataFrame(index=d.index)
    ta = d.totalAssets.where(d.totalAssets > 0)
    eq = d.equity
    tl = d.totalLiabilities
    ebitda = d.operatingIncome + d.depreciationAndAmortisation
    r["leverage_TL_TA"] = tl / ta
    r["equity_ratio"] = eq / ta
    r["ROA_NI_TA"] = d.netIncome / ta
    r["EBIT_TA"] = d.operatingIncome / ta
    r["RE_TA"] = d.retainedEarnings / ta
    r["WC_TA"] = (d.currentAssets - d.currentLiabilities) / ta
    r["current_ratio"] = safe_div(d.currentAssets, d.currentLiabilities)
    r["quick_ratio"] = safe_div(d.currentAssets - d.inventories, d.currentLiabilities)
    r["cash_ratio"] = safe_div(d.cash, d.currentLiabilities)
    r["interest_cover"] = safe_div(d.operatingIncome, d.financialExpenses)
    r["asset_turnover"] = d.revenue / ta
    r["size_lnTA"] = np.log(ta)
    prev_rev = d.prior_revenue.where(d.prior_revenue > 0)
    r["revenue_growth"] = d.revenue / prev_rev - 1
    pta = d.prior_totalAssets.where(d.prior_totalAssets > 0)
    r["delta_ROA"] = d.netIncome / ta - d.prior_netIncome / pta
    r["EBITDA_TL"] = safe_div(ebitda, tl.where(tl > 0))
    r["EBITDA_TA"] = ebitda / ta
    # debt/EBITDA: financial debt = financialDebt if given, else short+long when both given,
    # else long-term only (US data: long-term debt only -> documented). EBITDA<=0 with debt>0 -> +inf
    debt = d.financialDebt.copy()
    both = debt.isna() & d.shortTermFinancialDebt.notna() & d.longTermFinancialDebt.notna()
    debt[both] = d.shortTermFinancialDebt[both] + d.longTermFinancialDebt[both]
    debt = debt.fillna(d.longTermFinancialDebt)
    de = safe_div(debt, ebitda)
    de = np.where((ebitda <= 0) & (debt > 0), 99.0, de)       # worst: debt but no EBITDA
    de = np.where((ebitda <= 0) & (debt == 0), 0.0, de)
    r["debt_EBITDA"] = np.clip(de, -1e9, 99.0)
    r["LTdebt_TA"] = d.longTermFinancialDebt / ta
    r["CL_TA"] = d.currentLiabilities / ta
    r["WC_days"] = safe_div((d.currentAssets - d.currentLiabilities) * 365, d.revenue.where(d.revenue > 0))
    r["receivable_days"] = safe_div(d.tradeReceivables * 365, d.revenue.where(d.revenue > 0))
    r["inventory_days"] = safe_div(d.inventories * 365, d.costOfSales.where(d.costOfSales > 0))
    r["net_margin"] = safe_div(d.netIncome, d.revenue.where(d.revenue > 0))
    r["neg_equity_flag"] = (eq < 0).astype(float).where(eq.notna())
    r["loss_flag"] = (d.netIncome < 0).astype(float).where(d.netIncome.notna())
    r["altman_Z2"] = (6.56 * r.WC_TA + 3.26 * r.RE_TA + 6.72 * r.EBIT_TA
                      + 1.05 * safe_div(eq, tl.where(tl > 0)))
    r = r.replace([np.inf, -np.inf], np.nan)
    direction = {
        "leverage_TL_TA": 1, "equity_ratio": -1, "ROA_NI_TA": -1, "EBIT_TA": -1, "RE_TA": -1,
        "WC_TA": -1, "current_ratio": -1, "quick_ratio": -1, "cash_ratio": -1, "interest_cover": -1,
        "asset_turnover": -1, "size_lnTA": -1, "revenue_growth": -1, "delta_ROA": -1,
        "EBITDA_TL": -1, "EBITDA_TA": -1, "debt_EBITDA": 1, "LTdebt_TA": 1, "CL_TA": 1,
        "WC_days": -1, "receivable_days": 1, "inventory_days": 1, "net_margin": -1,
        "neg_equity_flag": 1, "loss_flag": 1, "altman_Z2": -1,
    }
    return r, direction


# ---------------- monotone WoE binning ----------------
def _woe(b, g, B, G):
    return np.log(((b + 0.5) / (B + 0.5)) / ((g + 0.5) / (G + 0.5)))  # risk-oriented: >0 = riskier


def monotone_bins(x, y, direction, max_bins=7, n_pre=20, min_frac=0.05, min_bad=5):
    """Return sorted inner cut points (bins are (-inf,c1],(c1,c2],...,(ck,inf)) such that the
    bad rate is monotone in `direction` (+1 increasing with x, -1 decreasing)."""
    m = ~np.isnan(x)
    x, y = x[m], y[m]
    qs = np.unique(np.nanquantile(x, np.linspace(0, 1, n_pre + 1)[1:-1]))
    cuts = list(qs)

    def stats(cuts):
        idx = np.searchsorted(cuts, x, side="left")  # value == cut goes to lower bin
        k = len(cuts) + 1
        n = np.bincount(idx, minlength=k).astype(float)
        b = np.bincount(idx, weights=y, minlength=k)
        return n, b
    while True:
        n, b = stats(cuts)
        # remove empty bins
        if (n == 0).any():
            i = int(np.where(n == 0)[0][0])
            cuts.pop(min(i, len(cuts) - 1)); continue
        rate = b / n * direction
        viol = np.where(np.diff(rate) < 0)[0]          # monotone non-decreasing in oriented rate
        small = np.where((n < min_frac * len(x)) | (b < min_bad))[0]
        if len(cuts) == 0:
            break
        if len(viol):
            i = viol[0]
        elif len(cuts) + 1 > max_bins or len(small):
            # merge the adjacent pair with closest bad rate (among pairs touching a small bin if any)
            cand = range(len(cuts))
            if len(small) and len(cuts) + 1 <= max_bins:
                s = set(small)
                cand = [j for j in range(len(cuts)) if j in s or j + 1 in s]
            diffs = [(abs(rate[j + 1] - rate[j]), j) for j in cand]
            i = min(diffs)[1]
        else:
            break
        cuts.pop(i)
    return np.array(cuts)


class WoEFeature:
    def __init__(self, name, direction, **kw):
        self.name, self.direction, self.kw = name, direction, kw

    def fit(self, x, y):
        x = np.asarray(x, float); y = np.asarray(y, float)
        self.cuts = monotone_bins(x, y, self.direction, **self.kw)
        B, G = y.sum(), len(y) - y.sum()
        idx = np.searchsorted(self.cuts, x, side="left")
        miss = np.isnan(x)
        k = len(self.cuts) + 1
        self.n = np.array([(~miss & (idx == i)).sum() for i in range(k)])
        self.b = np.array([y[~miss & (idx == i)].sum() for i in range(k)])
        self.woe = _woe(self.b, self.n - self.b, B, G)
        self.n_miss, self.b_miss = miss.sum(), y[miss].sum()
        # missing bin: own WoE if it has enough observations, else neutral 0
        self.woe_miss = _woe(self.b_miss, self.n_miss - self.b_miss, B, G) if self.n_miss >= 0.02 * len(x) and self.b_miss >= 5 else 0.0
        return self

    def transform(self, x, missing_neutral=False):
        x = np.asarray(x, float)
        idx = np.searchsorted(self.cuts, x, side="left")
        w = self.woe[np.clip(idx, 0, len(self.woe) - 1)]
        return np.where(np.isnan(x), 0.0 if missing_neutral else self.woe_miss, w)

    def table(self):
        edges = [-np.inf] + list(self.cuts) + [np.inf]
        rows = [{"feature": self.name, "bin": f"({edges[i]:.4g}, {edges[i+1]:.4g}]", "lo": edges[i], "hi": edges[i + 1],
                 "n": int(self.n[i]), "bads": int(self.b[i]), "bad_rate": self.b[i] / max(self.n[i], 1),
                 "woe_risk": self.woe[i]} for i in range(len(self.n))]
        rows.append({"feature": self.name, "bin": "missing", "lo": np.nan, "hi": np.nan, "n": int(self.n_miss),
                     "bads": int(self.b_miss), "bad_rate": self.b_miss / max(self.n_miss, 1), "woe_risk": self.woe_miss})
        return pd.DataFrame(rows)

    def iv(self):
        B, G = self.b.sum() + self.b_miss, (self.n - self.b).sum() + self.n_miss - self.b_miss
        b = np.append(self.b, self.b_miss); g = np.append(self.n - self.b, self.n_miss - self.b_miss)
        w = np.append(self.woe, self.woe_miss)
        return float(np.sum((b / B - g / G) * w))


def fit_nonneg_logit(X, y, l2=1.0):
    """min  -loglik/n + l2/(2n)*||w||^2  s.t. w >= 0 (intercept free)."""
    n, p = X.shape
    def f(theta):
        a, w = theta[0], theta[1:]
        z = a + X @ w
        ll = np.sum(np.logaddexp(0, z) - y * z)
        pr = 1 / (1 + np.exp(-z))
        g0 = np.sum(pr - y)
        gw = X.T @ (pr - y) + l2 * w
        return (ll + 0.5 * l2 * w @ w) / n, np.concatenate([[g0], gw]) / n
    x0 = np.zeros(p + 1); x0[0] = np.log(y.mean() / (1 - y.mean()))
    bounds = [(None, None)] + [(0, None)] * p
    r = minimize(f, x0, jac=True, method="L-BFGS-B", bounds=bounds)
    return r.x[0], r.x[1:]


def auc(y, s):
    m = ~np.isnan(s)
    if y[m].sum() == 0 or y[m].sum() == m.sum():
        return np.nan
    return roc_auc_score(y[m], s[m])


def main():
    d = pd.read_csv(os.path.join(HERE, "labelled-statements-us_compustat.csv"))
    meta = pd.read_csv(os.path.join(HERE, "labelled-statements-us_compustat-meta.csv"))
    assert (d.registrationId == meta.registrationId).all()
    R, DIR = ratios(d)
    y = d.failedWithin12Months.to_numpy().astype(float)
    split = meta.split.to_numpy()
    early_fail = ((meta.firmFailed == 1) & (meta.yearsBeforeLastYear > 0)).to_numpy()
    tr, va, te = split == "train", split == "validation", split == "test"
    trva = tr | va
    out = {}
    # drop rows with non-positive total assets from modelling (ratios undefined)
    ok = (d.totalAssets > 0).to_numpy()
    out["rows_nonpositive_TA"] = int((~ok).sum())
    # The source only holds each firm's last 3-5 years, so the first row of every firm has no prior
    # year and (by construction) is never a failure row: 'prior missing' would be a pure artefact.
    # Primary modelling sample = rows WITH a prior-year row.
    has_prior = d.prior_totalAssets.notna().to_numpy()
    out["rows_without_prior"] = int((~has_prior).sum()); out["bads_without_prior"] = int(y[~has_prior].sum())
    te_all = te & ok
    tr, va, te, trva = tr & ok & has_prior, va & ok & has_prior, te & ok & has_prior, trva & ok & has_prior
    print("rows train/valid/test:", tr.sum(), va.sum(), te.sum(), " bads:", y[tr].sum(), y[va].sum(), y[te].sum())
    print("bad rate by fiscal year:\n", d.assign(fy=meta.fiscalYear).groupby("fy").failedWithin12Months.agg(["size", "sum", "mean"]).to_string())

    # -------- univariate --------
    rows = []
    feats = {}
    for c in R.columns:
        x = R[c].to_numpy()
        s = x * DIR[c]
        cov_tr = np.mean(~np.isnan(x[tr]))
        if cov_tr == 0:
            rows.append({"ratio": c, "direction": DIR[c], "coverage_train": 0, "note": "not computable (field absent)"}); continue
        wf = WoEFeature(c, DIR[c]).fit(x[tr], y[tr])
        feats[c] = wf
        wte = wf.transform(x[te])
        cl = te & ~early_fail
        rows.append({"ratio": c, "direction": DIR[c], "coverage_train": round(cov_tr, 3),
                     "coverage_test": round(np.mean(~np.isnan(x[te])), 3),
                     "AUC_raw_train": auc(y[tr], s[tr]), "AUC_raw_test": auc(y[te], s[te]),
                     "AUC_woe_test": auc(y[te], wte), "AUC_woe_test_clean": auc(y[cl], wf.transform(x[cl])),
                     "IV_train": wf.iv(), "n_bins": len(wf.cuts) + 1})
    uni = pd.DataFrame(rows).sort_values("AUC_woe_test", ascending=False)
    uni.to_csv(os.path.join(RES, "univariate_us.csv"), index=False)
    print(uni.to_string(index=False, float_format=lambda v: f"{v:.3f}"))

    # -------- candidate pool & forward selection on validation --------
    # Z'' is the benchmark; size is a scale measure (not wanted); cash/interest absent here;
    # inventory_days / receivable_days / asset_turnover: direction flips between train and test
    # (raw AUC < 0.5 in one period) or binning collapses to an industry proxy (inventory > 0) -> unstable
    exclude = {"altman_Z2", "size_lnTA", "cash_ratio", "interest_cover",
               "inventory_days", "receivable_days", "asset_turnover"}
    pool = [c for c in feats if c not in exclude]
    W = {c: feats[c].transform(R[c].to_numpy()) for c in pool}
    Wdf = pd.DataFrame(W)
    corr = Wdf[tr].corr()

    def fit_eval(cols, fit_mask, eval_mask, l2=1.0):
        X = Wdf[cols].to_numpy()
        a, w = fit_nonneg_logit(X[fit_mask], y[fit_mask], l2)
        return auc(y[eval_mask], a + X[eval_mask] @ w), a, w
    # ---- forward selection A: grouped 5-fold CV on train+valid (bins refitted per fold) ----
    from sklearn.model_selection import GroupKFold
    firms = d.registrationId.to_numpy()
    idx_tv = np.where(trva)[0]
    folds = list(GroupKFold(n_splits=5).split(idx_tv, groups=firms[idx_tv]))
    fold_W = []
    for f_tr, f_te in folds:
        itr, ite = idx_tv[f_tr], idx_tv[f_te]
        Wf = {}
        for c in pool:
            wf = WoEFeature(c, DIR[c]).fit(R[c].to_numpy()[itr], y[itr])
            Wf[c] = (wf.transform(R[c].to_numpy()[itr]), wf.transform(R[c].to_numpy()[ite]))
        fold_W.append((itr, ite, Wf))

    def cv_auc(cols):
        ss, yy = [], []
        for itr, ite, Wf in fold_W:
            Xtr = np.column_stack([Wf[c][0] for c in cols]); Xte = np.column_stack([Wf[c][1] for c in cols])
            a_, w_ = fit_nonneg_logit(Xtr, y[itr])
            ss.append(a_ + Xte @ w_); yy.append(y[ite])
        return auc(np.concatenate(yy), np.concatenate(ss))
    sel_cv, best_cv, trace_cv = [], 0.5, []
    while True:
        cand = [(cv_auc(sel_cv + [c]), c) for c in pool
                if c not in sel_cv and not any(abs(corr.loc[c, s_]) > 0.75 for s_ in sel_cv)]
        if not cand:
            break
        a_cv, c = max(cand)
        if a_cv < best_cv + 0.002:
            break
        sel_cv.append(c); best_cv = a_cv
        trace_cv.append({"step": len(sel_cv), "added": c, "AUC_cv": a_cv})
        print(f"CV forward step {len(sel_cv)}: +{c}  cv AUC {a_cv:.4f}")
    out["forward_trace_cv"] = trace_cv
    # ---- forward selection B: fit on train, pick on validation ----
    selected, best = [], 0.5
    trace = []
    while True:
        cand = []
        for c in pool:
            if c in selected or any(abs(corr.loc[c, s]) > 0.75 for s in selected):
                continue
            a_va, _, w = fit_eval(selected + [c], tr, va)
            if w[-1] <= 1e-6:
                continue
            cand.append((a_va, c))
        if not cand:
            break
        a_va, c = max(cand)
        if a_va < best + 0.002:
            break
        selected.append(c); best = a_va
        trace.append({"step": len(selected), "added": c, "AUC_valid": a_va})
        print(f"forward step {len(selected)}: +{c}  valid AUC {a_va:.4f}")
    out["forward_trace"] = trace
    out["selected_by_validation"] = list(selected)
    # Recommended set (chosen on CV AUC + economic balance + data availability for SMEs, see
    # candidate_sets_us.csv: all 4-8 ratio sets are within 0.002 CV AUC of each other)
    RECOMMENDED = ["leverage_TL_TA", "ROA_NI_TA", "quick_ratio", "EBITDA_TL", "revenue_growth", "delta_ROA"]
    selected = RECOMMENDED

    # -------- final: refit bins+model on train+validation, evaluate on test --------
    def build(cols, fit_mask, l2=1.0, kw=None):
        fs = {c: WoEFeature(c, DIR[c], **(kw or {})).fit(R[c].to_numpy()[fit_mask], y[fit_mask]) for c in cols}
        X = np.column_stack([fs[c].transform(R[c].to_numpy()) for c in cols])
        a, w = fit_nonneg_logit(X[fit_mask], y[fit_mask], l2)
        return fs, a, w

    def score(fs, a, w, cols, neutral=()):
        X = np.column_stack([fs[c].transform(R[c].to_numpy(), missing_neutral=(c in neutral)) if c not in neutral
                             else np.zeros(len(R)) for c in cols])
        return a + X @ w

    fs, a, w = build(selected, trva)
    s_all = score(fs, a, w, selected)
    z = -R.altman_Z2.to_numpy()
    zf = WoEFeature("altman_Z2", -1).fit(R.altman_Z2.to_numpy()[trva], y[trva])
    clean = te & ~early_fail
    res = {
        "scorecard_AUC_test": auc(y[te], s_all[te]),
        "scorecard_AUC_test_excl_early_years_of_failers": auc(y[clean], s_all[clean]),
        "scorecard_AUC_train_valid_insample": auc(y[trva], s_all[trva]),
        "altmanZ2_raw_AUC_test": auc(y[te], z[te]),
        "altmanZ2_raw_AUC_test_excl_early": auc(y[clean], z[clean]),
        "altmanZ2_woe_AUC_test": auc(y[te], zf.transform(R.altman_Z2.to_numpy())[te]),
        "intercept": a, "coefficients": dict(zip(selected, w)),
    }
    # last-year-only evaluation (one row per firm: its final fiscal year) = the source paper's setting
    last = (meta.yearsBeforeLastYear == 0).to_numpy() & te
    res["scorecard_AUC_test_last_year_only"] = auc(y[last], s_all[last])
    res["altmanZ2_AUC_test_last_year_only"] = auc(y[last], z[last])
    # model fitted on train only, tested on test (no validation data in fit)
    fs_t, a_t, w_t = build(selected, tr)
    res["scorecard_trainonly_AUC_test"] = auc(y[te], score(fs_t, a_t, w_t, selected)[te])
    # l2 sensitivity
    for l2 in [0.1, 10, 100]:
        f2, a2, w2 = build(selected, trva, l2=l2)
        res[f"scorecard_AUC_test_l2_{l2}"] = auc(y[te], score(f2, a2, w2, selected)[te])
    # bins count sensitivity
    for mb in [5, 8]:
        f2, a2, w2 = build(selected, trva, kw={"max_bins": mb})
        res[f"scorecard_AUC_test_maxbins_{mb}"] = auc(y[te], score(f2, a2, w2, selected)[te])
    # per-year test AUC
    fy = meta.fiscalYear.to_numpy()
    res["test_AUC_by_fiscal_year"] = {int(t): auc(y[te & (fy == t)], s_all[te & (fy == t)]) for t in range(2013, 2019)}

    # ---- degradation when figures are missing ----
    # figure -> ratios that need it
    needs = {
        "prior year": [c for c in selected if c in ("revenue_growth", "delta_ROA")],
        "inventories": [c for c in selected if c in ("quick_ratio", "inventory_days")],
        "retainedEarnings": [c for c in selected if c in ("RE_TA",)],
        "depreciationAndAmortisation": [c for c in selected if c in ("EBITDA_TL", "EBITDA_TA", "debt_EBITDA")],
        "longTermFinancialDebt": [c for c in selected if c in ("debt_EBITDA", "LTdebt_TA")],
        "currentAssets/currentLiabilities": [c for c in selected if c in ("WC_TA", "current_ratio", "quick_ratio", "CL_TA", "WC_days")],
        "revenue": [c for c in selected if c in ("asset_turnover", "revenue_growth", "WC_days", "receivable_days", "net_margin")],
    }
    deg = []
    for what, cols in needs.items():
        if not cols:
            deg.append({"missing": what, "ratios_lost": "", "AUC_neutral_WoE": res["scorecard_AUC_test"], "AUC_refit_without": res["scorecard_AUC_test"]}); continue
        s_neu = score(fs, a, w, selected, neutral=cols)
        keep = [c for c in selected if c not in cols]
        f2, a2, w2 = build(keep, trva)
        deg.append({"missing": what, "ratios_lost": " ".join(cols), "AUC_neutral_WoE": auc(y[te], s_neu[te]),
                    "AUC_refit_without": auc(y[te], score(f2, a2, w2, keep)[te])})
    # minimal statement: only TA, TL, NI, EBIT (no CA/CL, no RE, no prior)
    minimal = [c for c in selected if c in ("leverage_TL_TA", "equity_ratio", "ROA_NI_TA", "EBIT_TA", "loss_flag", "neg_equity_flag")]
    if minimal:
        f2, a2, w2 = build(minimal, trva)
        deg.append({"missing": "everything except TA, TL, NI, EBIT", "ratios_lost": "", "AUC_neutral_WoE": np.nan,
                    "AUC_refit_without": auc(y[te], score(f2, a2, w2, minimal)[te])})
    # all test rows incl. first window year (prior missing -> neutral WoE)
    s_neu_all = score(fs, a, w, selected, neutral=[c for c in selected if c in ("revenue_growth", "delta_ROA")])
    res["scorecard_AUC_test_all_rows_prior_neutral"] = auc(y[te_all], s_neu_all[te_all])
    res["altmanZ2_AUC_test_all_rows"] = auc(y[te_all], z[te_all])
    # fixed candidate sets, compared by grouped CV on train+valid (chosen without looking at test)
    sets = {
        "A_lev_roa_quick_ebitdaTL": ["leverage_TL_TA", "ROA_NI_TA", "quick_ratio", "EBITDA_TL"],
        "B_A+growth+dROA": ["leverage_TL_TA", "ROA_NI_TA", "quick_ratio", "EBITDA_TL", "revenue_growth", "delta_ROA"],
        "C_B+RE_TA+WC_TA": ["leverage_TL_TA", "ROA_NI_TA", "quick_ratio", "EBITDA_TL", "revenue_growth", "delta_ROA", "RE_TA", "WC_TA"],
        "D_lev_netmargin_quick_ebitdaTL": ["leverage_TL_TA", "net_margin", "quick_ratio", "EBITDA_TL"],
        "E_D+growth+dROA": ["leverage_TL_TA", "net_margin", "quick_ratio", "EBITDA_TL", "revenue_growth", "delta_ROA"],
        "F_altman_components_woe": ["WC_TA", "RE_TA", "EBIT_TA", "equity_ratio"],
        "G_B+debt_EBITDA+loss": ["leverage_TL_TA", "ROA_NI_TA", "quick_ratio", "EBITDA_TL", "revenue_growth", "delta_ROA", "debt_EBITDA", "loss_flag"],
        "H_cv_selected": list(sel_cv),
    }
    set_rows = []
    for k, cols in sets.items():
        f2, a2, w2 = build(cols, trva)
        st = score(f2, a2, w2, cols)
        set_rows.append({"set": k, "ratios": " ".join(cols), "AUC_cv_trainvalid": cv_auc(cols),
                         "AUC_test": auc(y[te], st[te]), "AUC_test_last_year_only": auc(y[last], st[last]),
                         "coefs": " ".join(f"{c}={v:.3f}" for c, v in zip(cols, w2))})
    res["candidate_sets"] = set_rows
    pd.DataFrame(set_rows).to_csv(os.path.join(RES, "candidate_sets_us.csv"), index=False)
    # validation-selected alternative
    sv = out["selected_by_validation"]
    f2, a2, w2 = build(sv, trva)
    res["valselected_AUC_test"] = auc(y[te], score(f2, a2, w2, sv)[te]); res["valselected_coefficients"] = dict(zip(sv, w2))
    # balance-sheet only (e.g. French small companies that file a confidential income statement)
    bs = ["leverage_TL_TA", "quick_ratio", "WC_TA", "RE_TA", "CL_TA"]
    f2, a2, w2 = build(bs, trva)
    deg.append({"missing": "income statement (balance sheet only: " + " ".join(bs) + ")", "ratios_lost": "",
                "AUC_neutral_WoE": np.nan, "AUC_refit_without": auc(y[te], score(f2, a2, w2, bs)[te])})
    # bootstrap (firm-clustered) CI of test AUC: scorecard vs Altman Z''
    rng = np.random.default_rng(0)
    ite = np.where(te)[0]; fid = pd.factorize(firms[ite])[0]; nf = fid.max() + 1
    members = [np.where(fid == k)[0] for k in range(nf)]
    diffs, sc, zz = [], [], []
    for _ in range(500):
        pick = np.concatenate([members[k] for k in rng.integers(0, nf, nf)])
        ii = ite[pick]
        a1, a2_ = auc(y[ii], s_all[ii]), auc(y[ii], z[ii])
        sc.append(a1); zz.append(a2_); diffs.append(a1 - a2_)
    res["bootstrap_CI95_scorecard"] = list(np.percentile(sc, [2.5, 97.5]))
    res["bootstrap_CI95_altmanZ2"] = list(np.percentile(zz, [2.5, 97.5]))
    res["bootstrap_CI95_difference"] = list(np.percentile(diffs, [2.5, 97.5]))
    res["degradation"] = deg
    pd.DataFrame(deg).to_csv(os.path.join(RES, "degradation_us.csv"), index=False)

    # a compact "core" model with fixed economically chosen set (for comparison)
    core = ["leverage_TL_TA", "ROA_NI_TA", "EBIT_TA", "RE_TA", "WC_TA", "quick_ratio", "EBITDA_TL", "revenue_growth", "delta_ROA"]
    f2, a2, w2 = build(core, trva)
    s_core = score(f2, a2, w2, core)
    res["core9_AUC_test"] = auc(y[te], s_core[te]); res["core9_coefficients"] = dict(zip(core, w2))

    tabs = pd.concat([fs[c].table() for c in selected] + [zf.table()])
    for c in selected:
        tabs.loc[tabs.feature == c, "coef"] = res["coefficients"][c]
    tabs.to_csv(os.path.join(RES, "scorecard_bins_us.csv"), index=False)
    # all univariate bins (train-fit) for reference
    pd.concat([f.table() for f in feats.values()]).to_csv(os.path.join(RES, "univariate_bins_us.csv"), index=False)
    out.update(res)
    out["selected"] = selected
    with open(os.path.join(RES, "scorecard_us.json"), "w") as fh:
        json.dump(out, fh, indent=1, default=float)
    print(json.dumps(out, indent=1, default=lambda v: round(float(v), 4)))
    print(tabs.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


if __name__ == "__main__":
    main()
