# Reference values for the statistics tests (LogisticFitTests, DiscriminationTests,
# CalibrationTests, JeffreysIntervalTests), computed by other people's code: statsmodels,
# scipy and scikit-learn, never by the Swift toolkit under test.
#
# Rerun (any recent versions; these were numpy 2.4.6, scipy 1.17.1, scikit-learn 1.9.1,
# statsmodels 0.15.0):
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy scikit-learn statsmodels
#   /tmp/venv/bin/python Tests/References/statistics_references.py
# and copy the printed numbers into the Swift tests if they change.
#
# It lives outside Tests/ScoringTests because SwiftPM warns about any file in a target's folder
# that is not a source. The samples are drawn with SplitMix64, the generator of
# Tests/ScoringTests/Support.swift, in the same order and with the same arithmetic as
# Tests/ScoringTests/StatisticsSamples.swift, so both sides see identical rows.
import math

import numpy as np
import scipy.optimize
import scipy.special
import scipy.stats
import sklearn.linear_model
import sklearn.metrics
import statsmodels.api as sm

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, state):
        self.state = state

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def chance(self, probability):
        return (self.next() >> 11) / float(1 << 53) < probability


def logistic(x):
    return 1 / (1 + math.exp(-x))


def credit_sample():
    """500 rows, 4 columns, an offset and a frequency weight per row (StatisticsSamples.credit)."""
    random = SplitMix64(2024)
    rows, offsets, weights, defaulted = [], [], [], []
    for _ in range(500):
        x1 = (random.next() % 4001) / 1000 - 2
        x2 = 1.0 if random.next() % 10 < 3 else 0.0
        x3 = (random.next() % 1001) / 100
        x4 = (random.next() % 2001) / 1000 - 1 + 0.5 * x1
        offset = -3 + (random.next() % 9) * 0.25
        weight = float(1 + random.next() % 3)
        eta = offset + 0.3 + 0.9 * x1 + 0.6 * x2 - 0.04 * x3 - 0.5 * x4
        defaulted.append(1.0 if random.chance(logistic(eta)) else 0.0)
        rows.append([x1, x2, x3, x4])
        offsets.append(offset)
        weights.append(weight)
    return np.array(rows), np.array(defaulted), np.array(offsets), np.array(weights)


def scored_sample():
    """300 scores on a grid of 0.01 (many ties) with outcomes (StatisticsSamples.scored)."""
    random = SplitMix64(7)
    scores, defaulted = [], []
    for _ in range(300):
        score = (random.next() % 100) / 100
        defaulted.append(1.0 if random.chance(0.05 + 0.4 * score) else 0.0)
        scores.append(score)
    return np.array(scores), np.array(defaulted)


def penalized_objective(X, y, offsets, weights, ridge):
    """Negative of ℓ(β) − ½·ridge·Σ_{j≥1} β_j², intercept first and unpenalised."""
    design = np.column_stack([np.ones(len(y)), X])
    mask = np.ones(design.shape[1])
    mask[0] = 0

    def value_and_gradient(theta):
        eta = offsets + design @ theta
        loglik = np.sum(weights * (y * eta - np.logaddexp(0, eta)))
        p = scipy.special.expit(eta)
        gradient = design.T @ (weights * (y - p))
        return (-(loglik - 0.5 * ridge * np.sum(mask * theta**2)), -(gradient - ridge * mask * theta))

    def information(theta):
        p = scipy.special.expit(offsets + design @ theta)
        return design.T @ (design * (weights * p * (1 - p))[:, None]) + np.diag(ridge * mask)

    def loglik(theta):
        eta = offsets + design @ theta
        return np.sum(weights * (y * eta - np.logaddexp(0, eta)))

    return value_and_gradient, information, loglik


def show(name, values):
    print(f"{name}: [" + ", ".join(f"{v:.12g}" for v in values) + "]")


def lbfgsb(X, y, offsets, weights, ridge, bounds):
    value_and_gradient, information, loglik = penalized_objective(X, y, offsets, weights, ridge)
    result = scipy.optimize.minimize(
        value_and_gradient, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
        options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 100000, "maxcor": 50})
    return result.x, information, loglik, -result.fun


print("== logistic fit, no penalty, offsets and weights: statsmodels GLM (Binomial, offset, freq_weights)")
X, y, offsets, weights = credit_sample()
print(f"rows {len(y)}, defaults {int(y.sum())}, weighted defaults {weights @ y:.0f} of {weights.sum():.0f}")
glm = sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial(), offset=offsets, freq_weights=weights).fit(tol=1e-14)
show("params", glm.params)
show("bse", glm.bse)
print(f"loglik {glm.llf:.12g}")
theta, *_ = lbfgsb(X, y, offsets, weights, 0.0, None)
print(f"  cross-check, scipy L-BFGS-B: max |difference| {np.max(np.abs(theta - glm.params)):.2e}")

print("== ridge 5, weights, no offset: scipy L-BFGS-B on the penalised log-likelihood")
zero = np.zeros(len(y))
theta, information, loglik, penalized = lbfgsb(X, y, zero, weights, 5.0, None)
show("params", theta)
show("se", np.sqrt(np.diag(np.linalg.inv(information(theta)))))
print(f"loglik {loglik(theta):.12g} penalized {penalized:.12g}")
model = sklearn.linear_model.LogisticRegression(C=1 / 5.0, tol=1e-12, max_iter=100000, solver="newton-cholesky")
model.fit(X, y, sample_weight=weights)
sk = np.concatenate([model.intercept_, model.coef_[0]])
print(f"  cross-check, scikit-learn C = 1/5: max |difference| {np.max(np.abs(theta - sk)):.2e}")

print("== ridge 1, offsets and weights, signs [nonPositive, nonNegative, nonNegative, free]: scipy L-BFGS-B with bounds")
bounds = [(None, None), (None, 0), (0, None), (0, None), (None, None)]
theta, information, loglik, penalized = lbfgsb(X, y, offsets, weights, 1.0, bounds)
held = [j for j in range(1, 5) if abs(theta[j]) < 1e-9]
theta[held] = 0
free = [j for j in range(5) if j not in held]
covariance = np.linalg.inv(information(theta)[np.ix_(free, free)])
se = [float("nan")] * 5
for position, j in enumerate(free):
    se[j] = math.sqrt(covariance[position, position])
show("params", theta)
print("held", held)
show("se (nan: held)", se)
print(f"loglik {loglik(theta):.12g} penalized {penalized:.12g}")
value_and_gradient, *_ = penalized_objective(X, y, offsets, weights, 1.0)
show("  gradient of the penalised log-likelihood (KKT: 0 where free, pointing out where held)", -value_and_gradient(theta)[1])
theta_free, *_ = lbfgsb(X, y, offsets, weights, 1.0, None)
show("  unconstrained, for comparison", theta_free)

print("== discrimination on the scored sample: scikit-learn AUC and ROC, scipy KS, DeLong by its 1988 definition")
scores, outcomes = scored_sample()
print(f"rows {len(outcomes)}, defaults {int(outcomes.sum())}")
auc = sklearn.metrics.roc_auc_score(outcomes, scores)
positives = scores[outcomes == 1]
negatives = scores[outcomes == 0]
# DeLong, DeLong & Clarke-Pearson (1988): structural components V10, V01 from the pairwise kernel
# psi(x, y) = 1 if x > y, 1/2 if x == y, 0 otherwise; O(m·n), independent of the sorting method.
psi = (positives[:, None] > negatives[None, :]) + 0.5 * (positives[:, None] == negatives[None, :])
v10 = psi.mean(axis=1)
v01 = psi.mean(axis=0)
variance = np.var(v10, ddof=1) / len(positives) + np.var(v01, ddof=1) / len(negatives)
z = scipy.stats.norm.ppf(0.975)
print(f"auc {auc:.12g} (psi mean {psi.mean():.12g})")
print(f"delong se {math.sqrt(variance):.12g} ci [{auc - z * math.sqrt(variance):.12g}, {auc + z * math.sqrt(variance):.12g}]")
print(f"ks {scipy.stats.ks_2samp(positives, negatives).statistic:.12g}")
fpr, tpr, _ = sklearn.metrics.roc_curve(outcomes, scores, drop_intermediate=False)
print(f"roc points {len(fpr)} (sklearn starts at (0, 0), one point per distinct score)")
print(f"brier of score as PD {sklearn.metrics.brier_score_loss(outcomes, scores):.12g}")

print("== calibration on the scored sample, PD = 0.01 + 0.5·score: statsmodels GLM on logit(PD)")
pds = 0.01 + 0.5 * scores
logit = np.log(pds / (1 - pds))
recalibration = sm.GLM(outcomes, sm.add_constant(logit), family=sm.families.Binomial()).fit(tol=1e-14)
show("recalibration a, b", recalibration.params)
show("recalibration se", recalibration.bse)
large = sm.GLM(outcomes, np.ones((len(outcomes), 1)), family=sm.families.Binomial(), offset=logit).fit(tol=1e-14)
show("in the large a", large.params)
show("in the large se", large.bse)
print(f"brier {sklearn.metrics.brier_score_loss(outcomes, pds):.12g}")

print("== Jeffreys intervals: scipy.stats.beta.ppf of Beta(d + 1/2, n - d + 1/2)")
for d, n, level in [(0, 10, 0.95), (10, 10, 0.95), (3, 50, 0.95), (1, 1000, 0.95), (50, 2000, 0.9), (7, 120, 0.99),
                    (0, 2400000, 0.95), (61234, 2400000, 0.95)]:
    lower = 0.0 if d == 0 else scipy.stats.beta.ppf((1 - level) / 2, d + 0.5, n - d + 0.5)
    upper = 1.0 if d == n else scipy.stats.beta.ppf((1 + level) / 2, d + 0.5, n - d + 0.5)
    print(f"({d}, {n}, {level}, {lower:.15g}, {upper:.15g}),")
print("== regularised incomplete beta: scipy.special.betainc")
for a, b, x in [(0.5, 0.5, 0.3), (2.5, 7.5, 0.2), (10.5, 3.5, 0.9), (0.5, 2400000.5, 1e-6), (3.5, 47.5, 0.0001)]:
    print(f"({a}, {b}, {x}, {scipy.special.betainc(a, b, x):.15g}),")
