/// How well PDs separated the customers that defaulted from the others, and how well they were
/// calibrated: the figures a model validation report starts with.
public struct BacktestReport: Hashable, Sendable, Codable {
    /// Rows: customers for a backtest on one day; customer-months for one over several month ends,
    /// where a customer counts once per month end.
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
    /// One row per grade seen, best grade first, over every row: pooled over the month ends when
    /// there are several, so a customer counts once per month end. Descriptive only: its Jeffreys
    /// intervals are too narrow for a verdict (see `referenceDates`).
    public var grades: [GradeRow]
    /// The PD backtest per reference date, with the calibration verdict; nil when the rows carry
    /// no reference date.
    public var referenceDates: ReferenceDateBacktest?

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
    /// The month end the prediction was made on, when the backtest spans several.
    public var referenceDate: Day?

    public init(pd: Double, defaulted: Bool, grade: Grade, referenceDate: Day? = nil) {
        self.pd = pd
        self.defaulted = defaulted
        self.grade = grade
        self.referenceDate = referenceDate
    }
}

/// The PD backtest of the EBA/ECB validation guidance, done as the guidance does it: on one
/// reference date, the customers in each grade at that date, each once, and the defaults among
/// them within the horizon that follows.
///
/// Source: ECB, "Instructions for reporting the validation results of internal models – IRB
/// Pillar I models for credit risk" (February 2019), section 2.5 (PD, predictive ability: the
/// Jeffreys test on N, the customers in the grade at the beginning of the observation period, and
/// D, those of them that defaulted within it); the one-year default rate of CRR Article 4(1)(78)
/// (defaults within the year after a date over the obligors assigned to the grade at that date)
/// and EBA/GL/2017/16 paragraph 73 (counted in obligors, those not in default at the start).
///
/// Pooling several month ends would count a customer up to once per month, with overlapping
/// horizons: its defaults count several times and the Jeffreys interval comes out narrower than
/// the evidence (a design effect of 1.9 to 3.6 on the benchmark portfolio). So every reference
/// date gets its own table; the verdict is the latest date whose horizon is complete (the most
/// recent observation year that has fully elapsed), and each grade's record over every date
/// with a complete horizon is kept beside it, so that no date can be picked for its result.
public struct ReferenceDateBacktest: Hashable, Sendable, Codable {
    /// Grades with fewer customers on a date are shown but not judged on it.
    public var minimumCustomers: Int
    public var horizonDays: Int
    /// The reference date whose verdict is the headline: the latest with a complete horizon.
    /// Nil when no date's horizon is complete.
    public var headline: Day?
    /// One table per reference date, oldest first.
    public var dates: [DateTable]
    /// Each grade's record over the dates with a complete horizon, best grade first.
    public var grades: [GradeRecord]

    /// The grade table of one reference date: each customer once, as it stood at that month end.
    public struct DateTable: Hashable, Sendable, Codable {
        public var referenceDate: Day
        /// Whether the whole horizon after the date has been observed; a date without it is not judged.
        public var completeHorizon: Bool
        public var customers: Int
        public var defaults: Int
        public var grades: [BacktestReport.GradeRow]
        /// Grades with at least `minimumCustomers` customers on the date (0 when the horizon is
        /// incomplete), and those whose mean PD lies inside the Jeffreys interval of their observed rate.
        public var gradesChecked: Int
        public var gradesCalibrated: Int
    }

    /// On how many reference dates a grade was judged, and calibrated.
    public struct GradeRecord: Hashable, Sendable, Codable {
        /// The grade's code.
        public var grade: String
        public var datesChecked: Int
        public var datesCalibrated: Int
    }

    /// The headline date's table.
    public var headlineTable: DateTable? { dates.first { $0.referenceDate == headline } }
}

/// Evaluates predictions against outcomes; pure, so the CLI and tests share it.
public enum Backtest {
    /// The figures over every prediction and, when predictions carry their reference date, the
    /// calibration per reference date. A date's horizon is complete when `observedThrough` (the
    /// last day outcomes are known) is at least `horizonDays` after it; nil: every date's is.
    public static func evaluate(
        predictions observations: [BacktestPrediction], horizonDays: Int = 365, observedThrough: Day? = nil, minimumCustomers: Int = 100
    ) -> BacktestReport {
        let discrimination = Discrimination(observations.map { PDOutcome(pd: $0.pd, defaulted: $0.defaulted) })
        let brier = Calibration.brierScore(observations.map { PDOutcome(pd: $0.pd, defaulted: $0.defaulted) })
        return BacktestReport(
            customers: observations.count, defaults: observations.filter(\.defaulted).count, auc: discrimination?.auc,
            aucInterval: discrimination?.aucInterval, gini: discrimination?.gini, ks: discrimination?.ks, brier: brier,
            grades: gradeRows(observations),
            referenceDates: referenceDates(
                observations, horizonDays: horizonDays, observedThrough: observedThrough, minimumCustomers: minimumCustomers))
    }

    /// One row per grade, best grade first.
    static func gradeRows(_ observations: [BacktestPrediction]) -> [BacktestReport.GradeRow] {
        var byGrade = [Grade: [BacktestPrediction]]()
        for observation in observations { byGrade[observation.grade, default: []].append(observation) }
        return byGrade.keys.sorted(by: bestFirst).map { grade in
            let group = byGrade[grade] ?? []
            let defaults = group.filter(\.defaulted).count
            return BacktestReport.GradeRow(
                grade: grade, customers: group.count, defaults: defaults, meanPD: group.reduce(0) { $0 + $1.pd } / Double(group.count),
                observedDefaultRate: Double(defaults) / Double(group.count))
        }
    }

    static func bestFirst(_ a: Grade, _ b: Grade) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.code < b.code }

    /// The tables per reference date; nil when no prediction carries one.
    static func referenceDates(
        _ observations: [BacktestPrediction], horizonDays: Int, observedThrough: Day?, minimumCustomers: Int
    ) -> ReferenceDateBacktest? {
        var byDate = [Day: [BacktestPrediction]]()
        for observation in observations {
            if let day = observation.referenceDate { byDate[day, default: []].append(observation) }
        }
        guard !byDate.isEmpty else { return nil }
        var records = [Grade: (checked: Int, calibrated: Int)]()
        let tables = byDate.keys.sorted().map { day in
            let group = byDate[day] ?? []
            let complete = observedThrough.map { day + horizonDays <= $0 } ?? true
            let rows = gradeRows(group)
            let judged = complete ? rows.filter { $0.customers >= minimumCustomers } : []
            for row in judged {
                records[row.grade, default: (0, 0)].checked += 1
                if row.isCalibrated() == true { records[row.grade, default: (0, 0)].calibrated += 1 }
            }
            return ReferenceDateBacktest.DateTable(
                referenceDate: day, completeHorizon: complete, customers: group.count, defaults: group.filter(\.defaulted).count,
                grades: rows, gradesChecked: judged.count, gradesCalibrated: judged.filter { $0.isCalibrated() == true }.count)
        }
        return ReferenceDateBacktest(
            minimumCustomers: minimumCustomers, horizonDays: horizonDays, headline: tables.last { $0.completeHorizon }?.referenceDate,
            dates: tables,
            grades: records.keys.sorted(by: bestFirst).map { grade in
                ReferenceDateBacktest.GradeRecord(
                    grade: grade.code, datesChecked: records[grade]?.checked ?? 0, datesCalibrated: records[grade]?.calibrated ?? 0)
            })
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
