/// How well PDs separated the customers that defaulted from the others, and how well they were
/// calibrated: the figures a model validation report starts with.
public struct BacktestReport: Hashable, Sendable, Codable {
    public var customers: Int
    public var defaults: Int
    /// Area under the ROC curve: the chance a random defaulter got a higher PD than a random
    /// survivor, ties counting half (Mann–Whitney). Nil without both outcomes.
    public var auc: Double?
    /// DeLong's 95 % interval of the AUC.
    public var aucInterval: ConfidenceInterval?
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
        let discrimination = Discrimination(observations.map { PDOutcome(pd: $0.pd, defaulted: $0.defaulted) })
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
            customers: observations.count, defaults: observations.filter(\.defaulted).count, auc: discrimination?.auc,
            aucInterval: discrimination?.aucInterval,
            gini: discrimination?.gini, ks: discrimination?.ks, brier: brier, grades: rows)
    }
}

extension BacktestReport.GradeRow {
    /// The Jeffreys interval of the grade's observed default rate.
    public func jeffreysInterval(level: Double = 0.95) -> ConfidenceInterval? {
        ConfidenceInterval.jeffreys(defaults: defaults, customers: customers, level: level)
    }

    /// The EBA/ECB test of a grade's PD: calibrated when its mean PD lies inside the Jeffreys
    /// interval of its observed default rate. Nil for a grade without customers.
    public func isCalibrated(level: Double = 0.95) -> Bool? {
        jeffreysInterval(level: level)?.contains(meanPD)
    }
}
