/// How well PDs separated the customers that defaulted from the others, and how well they were
/// calibrated: the figures a model validation report starts with.
public struct BacktestReport: Hashable, Sendable, Codable {
    public var customers: Int
    public var defaults: Int
    /// Area under the ROC curve: the chance a random defaulter got a higher PD than a random
    /// survivor, ties counting half (Mann–Whitney). Nil without both outcomes.
    public var auc: Double?
    /// Accuracy ratio, 2·AUC − 1.
    public var gini: Double?
    /// Kolmogorov–Smirnov: the largest gap between the PD distributions of defaulters and survivors.
    public var ks: Double?
    /// Mean squared difference between PD and outcome (0 or 1); lower is better.
    public var brier: Double?
    /// One row per grade seen, best grade first.
    public var grades: [GradeRow]

    public struct GradeRow: Hashable, Sendable, Codable {
        public var grade: Grade
        public var customers: Int
        public var defaults: Int
        public var meanPD: Double
        public var observedDefaultRate: Double
    }
}

/// One customer's prediction as of the backtest date and what happened in the next 12 months.
public struct BacktestPrediction: Hashable, Sendable, Codable {
    public var pd: Double
    public var defaulted: Bool
    public var grade: Grade

    public init(pd: Double, defaulted: Bool, grade: Grade) {
        self.pd = pd
        self.defaulted = defaulted
        self.grade = grade
    }
}

/// Evaluates predictions against outcomes; pure, so the CLI and tests share it.
public enum Backtest {
    public static func evaluate(predictions observations: [BacktestPrediction]) -> BacktestReport {
        let positives = observations.filter(\.defaulted).map(\.pd).sorted()
        let negatives = observations.filter { !$0.defaulted }.map(\.pd).sorted()
        var auc: Double?
        var ks: Double?
        if !positives.isEmpty, !negatives.isEmpty {
            // Mann–Whitney by merging the two sorted lists: for each defaulter, survivors below it
            // count 1, survivors tied with it count 1/2.
            var wins = 0.0
            var below = 0
            for value in positives {
                while below < negatives.count, negatives[below] < value { below += 1 }
                var ties = 0
                while below + ties < negatives.count, negatives[below + ties] == value { ties += 1 }
                wins += Double(below) + Double(ties) / 2
            }
            auc = wins / (Double(positives.count) * Double(negatives.count))
            // KS over every threshold t: |F_defaulters(t) − F_survivors(t)| with F(t) = share ≤ t.
            var best = 0.0
            for threshold in Set(positives + negatives) {
                let p = Double(countNotAbove(positives, threshold)) / Double(positives.count)
                let n = Double(countNotAbove(negatives, threshold)) / Double(negatives.count)
                best = max(best, abs(p - n))
            }
            ks = best
        }
        let brier: Double? =
            observations.isEmpty
            ? nil
            : observations.reduce(0) { $0 + ($1.pd - ($1.defaulted ? 1 : 0)) * ($1.pd - ($1.defaulted ? 1 : 0)) }
                / Double(observations.count)

        var byGrade = [Grade: [BacktestPrediction]]()
        for observation in observations { byGrade[observation.grade, default: []].append(observation) }
        let rows = byGrade.keys.sorted { $0.rank != $1.rank ? $0.rank < $1.rank : $0.code < $1.code }.map { grade in
            let group = byGrade[grade] ?? []
            let defaults = group.filter(\.defaulted).count
            return BacktestReport.GradeRow(
                grade: grade, customers: group.count, defaults: defaults,
                meanPD: group.reduce(0) { $0 + $1.pd } / Double(group.count),
                observedDefaultRate: Double(defaults) / Double(group.count))
        }
        return BacktestReport(
            customers: observations.count, defaults: positives.count, auc: auc, gini: auc.map { 2 * $0 - 1 }, ks: ks,
            brier: brier, grades: rows)
    }

    /// How many values of the sorted array are at most `threshold` (binary search).
    private static func countNotAbove(_ sorted: [Double], _ threshold: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= threshold { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
