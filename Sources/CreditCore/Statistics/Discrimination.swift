import Foundation

/// How well PDs rank the customers that defaulted above those that did not: the AUC with its
/// DeLong confidence interval, the Gini (accuracy ratio) and the Kolmogorov–Smirnov statistic.
///
/// Only the order of the PDs counts, so any score that rises with risk may stand in. An outcome
/// whose PD is not a finite number is skipped and counted in `skipped`. Everything is computed
/// from the two sorted samples in O(n log n), so a portfolio of millions is cheap.
public struct Discrimination: Sendable, Hashable, Codable {
    public var defaults: Int
    public var survivors: Int
    /// Outcomes left out because their PD was NaN or infinite.
    public var skipped: Int
    /// The chance that a random defaulter got a higher PD than a random survivor, ties counting
    /// half (Mann–Whitney).
    public var auc: Double
    /// DeLong, DeLong & Clarke-Pearson (1988): from the variances of each defaulter's and each
    /// survivor's share of the pairs it wins. Nil with fewer than two of either.
    public var aucStandardError: Double?
    /// AUC ± z·standard error, cut to [0, 1].
    public var aucInterval: ConfidenceInterval?
    /// Accuracy ratio, 2·AUC − 1.
    public var gini: Double
    /// The largest gap between the shares of defaulters and of survivors with a PD at or below
    /// a threshold, over all thresholds.
    public var ks: Double

    /// Nil without at least one defaulter and one survivor with a finite PD: nothing to rank.
    public init?(_ outcomes: [PDOutcome], level: Double = 0.95) {
        guard level > 0, level < 1 else { return nil }
        let split = SortedOutcomes(outcomes)
        let positives = split.defaulters
        let negatives = split.survivors
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let m = Double(positives.count)
        let n = Double(negatives.count)

        // Placement values: each defaulter's share of survivors below it (ties half), each
        // survivor's share of defaulters above it. Their means are both the AUC; their variances
        // give DeLong's. Computed per run of tied values, walking both sorted lists once.
        let defaulterPlacements = Self.placements(of: positives, among: negatives, counting: .below)
        let survivorPlacements = Self.placements(of: negatives, among: positives, counting: .above)
        let auc = defaulterPlacements.reduce(0) { $0 + Double($1.count) * $1.share } / m
        var standardError: Double?
        var interval: ConfidenceInterval?
        if positives.count >= 2, negatives.count >= 2 {
            let s10 = defaulterPlacements.reduce(0) { $0 + Double($1.count) * ($1.share - auc) * ($1.share - auc) } / (m - 1)
            let s01 = survivorPlacements.reduce(0) { $0 + Double($1.count) * ($1.share - auc) * ($1.share - auc) } / (n - 1)
            let error = (s10 / m + s01 / n).squareRoot()
            let z = StandardNormal.quantile((1 + level) / 2)
            standardError = error
            interval = ConfidenceInterval(lower: max(0, auc - z * error), upper: min(1, auc + z * error), level: level)
        }

        // KS: walk the thresholds upwards; after each run of tied PDs, compare the two shares at or below.
        var ks = 0.0
        var i = 0
        var j = 0
        while i < positives.count || j < negatives.count {
            let threshold = min(i < positives.count ? positives[i] : .infinity, j < negatives.count ? negatives[j] : .infinity)
            while i < positives.count, positives[i] <= threshold { i += 1 }
            while j < negatives.count, negatives[j] <= threshold { j += 1 }
            ks = max(ks, abs(Double(i) / m - Double(j) / n))
        }

        self.defaults = positives.count
        self.survivors = negatives.count
        self.skipped = split.skipped
        self.auc = auc
        self.aucStandardError = standardError
        self.aucInterval = interval
        self.gini = 2 * auc - 1
        self.ks = ks
    }

    private enum Side { case below, above }

    /// For each run of equal values in `sorted`: its length and the share of `others` strictly
    /// below (or above) it plus half the share tied with it.
    private static func placements(of sorted: [Double], among others: [Double], counting side: Side) -> [(count: Int, share: Double)] {
        var result: [(count: Int, share: Double)] = []
        let total = Double(others.count)
        var below = 0
        var start = 0
        while start < sorted.count {
            let value = sorted[start]
            var end = start
            while end < sorted.count, sorted[end] == value { end += 1 }
            while below < others.count, others[below] < value { below += 1 }
            var tied = 0
            while below + tied < others.count, others[below + tied] == value { tied += 1 }
            let strictly = side == .below ? below : others.count - below - tied
            result.append((end - start, (Double(strictly) + Double(tied) / 2) / total))
            start = end
        }
        return result
    }

    /// The ROC curve: (false positive rate, true positive rate) when every customer with a PD at
    /// or above a threshold is flagged, from (0, 0) to (1, 1), one point per distinct PD.
    ///
    /// For drawing, at most `maximumPoints` (at least 2) are kept, spread evenly along the
    /// curve's length FPR + TPR, which both only grow: flat stretches and steep ones get points
    /// alike. Empty without both outcomes.
    public static func rocCurve(_ outcomes: [PDOutcome], maximumPoints: Int = 200) -> [ROCPoint] {
        let split = SortedOutcomes(outcomes)
        let positives = split.defaulters
        let negatives = split.survivors
        guard !positives.isEmpty, !negatives.isEmpty else { return [] }
        let m = Double(positives.count)
        let n = Double(negatives.count)
        var points = [ROCPoint(falsePositiveRate: 0, truePositiveRate: 0, threshold: .infinity)]
        var i = positives.count
        var j = negatives.count
        while i > 0 || j > 0 {
            let threshold = max(i > 0 ? positives[i - 1] : -.infinity, j > 0 ? negatives[j - 1] : -.infinity)
            while i > 0, positives[i - 1] >= threshold { i -= 1 }
            while j > 0, negatives[j - 1] >= threshold { j -= 1 }
            points.append(
                ROCPoint(
                    falsePositiveRate: Double(negatives.count - j) / n, truePositiveRate: Double(positives.count - i) / m,
                    threshold: threshold))
        }
        let limit = max(2, maximumPoints)
        guard points.count > limit, let last = points.last else { return points }
        let spacing = 2 / Double(limit - 1)
        var thinned = [points[0]]
        var next = spacing
        for point in points[1..<(points.count - 1)] {
            let length = point.falsePositiveRate + point.truePositiveRate
            guard length >= next else { continue }
            thinned.append(point)
            next = ((length / spacing).rounded(.down) + 1) * spacing
        }
        // Each kept point took a distinct step of the spacing below 2, so at most limit − 2 did;
        // the prefix only guards against rounding.
        return Array(thinned.prefix(limit - 1)) + [last]
    }
}

/// One point of a ROC curve.
public struct ROCPoint: Sendable, Hashable, Codable {
    public var falsePositiveRate: Double
    public var truePositiveRate: Double
    /// Customers with a PD at or above this are flagged; +∞ for the first point.
    public var threshold: Double
}

/// The PDs of defaulters and of survivors, each sorted upwards, with the non-finite ones left out.
struct SortedOutcomes {
    var defaulters: [Double] = []
    var survivors: [Double] = []
    var skipped = 0

    init(_ outcomes: [PDOutcome], accepting isValid: (Double) -> Bool = { $0.isFinite }) {
        for outcome in outcomes {
            guard isValid(outcome.pd) else {
                skipped += 1
                continue
            }
            if outcome.defaulted { defaulters.append(outcome.pd) } else { survivors.append(outcome.pd) }
        }
        defaulters.sort()
        survivors.sort()
    }
}
