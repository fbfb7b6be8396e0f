import Foundation

/// Customer-months of a portfolio, each measured as of a month end with the scorer's own code,
/// and whether a default followed within the horizon: what a model is fitted and validated on.
///
/// Kept as columns, since a 100k portfolio over 24 months is millions of rows.
public struct SnapshotPanel: Sendable {
    /// The components the base model weighs, in its order: the columns of `effects`.
    public let components: [ScoreComponent]
    public let monthEnds: [Day]
    /// The month whose rows keep their raw values, the monitoring baseline (the last training month).
    public let baselineMonth: Int
    public private(set) var month: [Int] = []
    /// logit of the sector prior.
    public private(set) var priorLogOdds: [Double] = []
    /// Row-major: one effect per component under the base model (0 when missing).
    public private(set) var effects: [Double] = []
    public private(set) var thinFile: [Bool] = []
    public private(set) var defaulted: [Bool] = []
    /// Raw values of the baseline month's rows, per component weighed (nil: missing).
    public private(set) var baselineValues: [ScoreComponent: [Double?]] = [:]

    public var count: Int { defaulted.count }

    public init(components: [ScoreComponent], monthEnds: [Day], baselineMonth: Int) {
        self.components = components
        self.monthEnds = monthEnds
        self.baselineMonth = baselineMonth
    }

    /// One measured customer-month.
    public struct Row: Sendable {
        public var month: Int
        public var priorLogOdds: Double
        public var contributions: [Contribution]
        public var thinFile: Bool
        public var defaulted: Bool

        public init(month: Int, priorLogOdds: Double, contributions: [Contribution], thinFile: Bool, defaulted: Bool) {
            self.month = month
            self.priorLogOdds = priorLogOdds
            self.contributions = contributions
            self.thinFile = thinFile
            self.defaulted = defaulted
        }
    }

    public mutating func append(_ row: Row) {
        month.append(row.month)
        priorLogOdds.append(row.priorLogOdds)
        thinFile.append(row.thinFile)
        defaulted.append(row.defaulted)
        for (index, component) in components.enumerated() {
            let contribution = index < row.contributions.count && row.contributions[index].component == component
                ? row.contributions[index] : row.contributions.first { $0.component == component }
            effects.append(contribution?.effect ?? 0)
            if row.month == baselineMonth { baselineValues[component, default: []].append(contribution?.value) }
        }
    }

    public mutating func append(contentsOf rows: [Row]) {
        for row in rows { append(row) }
    }

    /// The measured rows of a customer's history: one per month end at which the customer had
    /// been invoiced, had not failed and was not in default by the model's rule; labelled with
    /// whether a default day falls within `horizonDays` after the month end.
    public static func rows(
        evidence: CustomerEvidence, statements: [DatedStatement], monthEnds: [Day], defaultDays: [Day], horizonDays: Int,
        scorer: Scorer
    ) -> [Row] {
        guard let firstInvoice = evidence.invoices.map(\.issueDate).min() else { return [] }
        let rule = scorer.model.financial
        var rows: [Row] = []
        for (index, day) in monthEnds.enumerated() where day >= firstInvoice {
            if defaultDays.contains(where: { $0 <= day }) && !defaultDays.contains(where: { $0 > day }) {
                // Failed before the snapshot and never again: nothing left to predict.
                continue
            }
            let measured = scorer.measure(evidence.asOf(day, statement: rule.latestKnown(statements, on: day)))
            if measured.inDefault { continue }
            let defaulted = defaultDays.contains { $0 > day && $0 <= day + horizonDays }
            rows.append(
                Row(
                    month: index, priorLogOdds: Scorer.logit(measured.benchmark.priorPD),
                    contributions: scorer.contributions(measured), thinFile: measured.profile.isThinFile, defaulted: defaulted))
        }
        return rows
    }
}

/// What a fit produced: the new model and the figures that justify it.
public struct FitOutcome: Sendable {
    public var model: ScoringModel
    public var record: FitRecord
    /// Out-of-time reports on the test snapshots: the base model, then the new one.
    public var baseReport: BacktestReport
    public var fittedReport: BacktestReport
}

/// Fits a model on a snapshot panel, from a base model whose measures, bins and policies it keeps.
///
/// The first half of the months trains, the next quarter calibrates, the last quarter tests;
/// all three are out of time with respect to each other. Each payment component gets a
/// multiplier ≥ 0 on its base effect (so a component can weigh more, less or nothing, but never
/// turn around: paying later still never helps), fitted by ridge logistic regression with the
/// sector prior and the financial effects as offset. The PD is then recalibrated
/// (`logit PD = a + b·log-odds`) on the calibration months. The fitted payment part replaces the
/// base one only when it separates at least as well out of time.
public struct ModelFitter: Sendable {
    public var base: ScoringModel
    public var ridge: Double
    /// Also rescale the financial components (off by default: a ledger's statements are few).
    public var refitFinancial: Bool
    /// Grades need this many test rows for their calibration to be judged.
    public var minimumGradeRows: Int

    public init(base: ScoringModel, ridge: Double = 1, refitFinancial: Bool = false, minimumGradeRows: Int = 100) {
        self.base = base
        self.ridge = ridge
        self.refitFinancial = refitFinancial
        self.minimumGradeRows = minimumGradeRows
    }

    public enum Window: Sendable { case training, calibration, test }

    /// The window a month belongs to, out of `months`.
    public static func window(ofMonth month: Int, months: Int) -> Window {
        if month < months / 2 { return .training }
        if month < months * 3 / 4 { return .calibration }
        return .test
    }

    public func fit(
        _ panel: SnapshotPanel, version: String, labels: String, horizonDays: Int
    ) throws(LogisticFitError) -> FitOutcome {
        let months = panel.monthEnds.count
        let k = panel.components.count
        let fitted = panel.components.enumerated().filter { refitFinancial || !$0.element.isFinancial }
        let rows = Array(0..<panel.count)
        let windows = rows.map { Self.window(ofMonth: panel.month[$0], months: months) }
        let training = rows.filter { windows[$0] == .training }
        let calibrating = rows.filter { windows[$0] == .calibration }
        let testing = rows.filter { windows[$0] == .test }

        func rawLogOdds(_ row: Int, multipliers: [Double], intercept: Double) -> Double {
            var total = panel.priorLogOdds[row] + intercept
            for j in 0..<k { total += multipliers[j] * panel.effects[row * k + j] }
            return total
        }

        // Multipliers by ridge logistic regression; the components not refitted sit in the offset.
        var features: [Double] = []
        features.reserveCapacity(training.count * fitted.count)
        var offsets: [Double] = []
        offsets.reserveCapacity(training.count)
        for row in training {
            var offset = panel.priorLogOdds[row]
            for j in 0..<k where !fitted.contains(where: { $0.offset == j }) { offset += panel.effects[row * k + j] }
            offsets.append(offset)
            for (j, _) in fitted { features.append(panel.effects[row * k + j]) }
        }
        let sample = try LogisticSample(
            features: features, columnCount: fitted.count, defaulted: training.map { panel.defaulted[$0] }, offsets: offsets)
        let regression = LogisticRegression(ridge: ridge, signs: fitted.map { _ in .nonNegative })
        let solution = try regression.fit(sample)
        var multipliers = [Double](repeating: 1, count: k)
        for (position, (j, _)) in fitted.enumerated() { multipliers[j] = solution.coefficients[position] }

        // Recalibration on the calibration months, for the fitted part and for the base one.
        func calibration(multipliers: [Double], intercept: Double) throws(LogisticFitError) -> ScoringModel.PDCalibration {
            let outcomes = calibrating.map { row in
                PDOutcome(pd: Scorer.logistic(rawLogOdds(row, multipliers: multipliers, intercept: intercept)), defaulted: panel.defaulted[row])
            }
            let line = try Calibration.recalibration(outcomes)
            return ScoringModel.PDCalibration(intercept: line.intercept + line.slope * intercept, slope: line.slope)
        }
        let ones = [Double](repeating: 1, count: k)
        let fittedModel = try model(
            version: version, multipliers: multipliers,
            calibration: calibration(multipliers: multipliers, intercept: solution.intercept))
        let expertModel = try model(version: version, multipliers: ones, calibration: calibration(multipliers: ones, intercept: 0))

        func report(_ model: ScoringModel, multipliers: [Double]) -> BacktestReport {
            let scorer = Scorer(model: model)
            return Backtest.evaluate(
                predictions: testing.map { row in
                    var raw = panel.priorLogOdds[row]
                    for j in 0..<k { raw += multipliers[j] * panel.effects[row * k + j] }
                    let calibrated = model.combination.calibration.map { $0.intercept + $0.slope * raw } ?? raw
                    let pd = scorer.pd(logOdds: calibrated)
                    return BacktestPrediction(pd: pd, defaulted: panel.defaulted[row], grade: model.grade(forPD: pd, thinFile: panel.thinFile[row]))
                })
        }
        let baseReport = report(base, multipliers: ones)
        let fittedReport = report(fittedModel, multipliers: multipliers)
        let adopted = (fittedReport.auc ?? 0) >= (baseReport.auc ?? 0)
        var chosen = adopted ? fittedModel : expertModel
        let chosenReport = adopted ? fittedReport : report(expertModel, multipliers: ones)

        func window(_ selected: [Int], _ kind: Window) -> SnapshotWindow {
            let monthsIn = (0..<months).filter { Self.window(ofMonth: $0, months: months) == kind }
            return SnapshotWindow(
                from: monthsIn.first.map { panel.monthEnds[$0] } ?? panel.monthEnds[0],
                through: monthsIn.last.map { panel.monthEnds[$0] } ?? panel.monthEnds[0], snapshots: monthsIn.count,
                rows: selected.count, defaults: selected.filter { panel.defaulted[$0] }.count)
        }
        let record = FitRecord(
            training: window(training, .training), calibration: window(calibrating, .calibration), test: window(testing, .test),
            labels: labels, horizonDays: horizonDays, ridge: ridge,
            coefficients: fitted.enumerated().map { position, pair in
                FittedCoefficient(
                    component: pair.element, multiplier: solution.coefficients[position],
                    standardError: solution.standardErrors[position], heldAtZero: solution.heldAtZero[position])
            },
            intercept: solution.intercept,
            validation: ValidationFigures(chosenReport, minimumGradeRows: minimumGradeRows),
            baseValidation: ValidationFigures(baseReport, minimumGradeRows: minimumGradeRows), paymentPartAdopted: adopted)
        chosen.provenance = ModelProvenance(
            method: adopted ? "fitted" : "expert weights, fitted calibration", basedOn: base.version,
            financialScorecard: base.provenance?.financialScorecard, fit: record)
        chosen.monitoring = baseline(panel, model: chosen, multipliers: adopted ? multipliers : ones)
        return FitOutcome(model: chosen, record: record, baseReport: baseReport, fittedReport: chosenReport)
    }

    /// The base model with each component's effects multiplied and the given calibration.
    func model(version: String, multipliers: [Double], calibration: ScoringModel.PDCalibration) throws(LogisticFitError)
        -> ScoringModel
    {
        var model = base
        model.version = version
        for (j, component) in base.components.weighed.enumerated() where j < multipliers.count {
            model.components[component] = base.components[component]?.scaled(by: multipliers[j])
        }
        model.combination.calibration = calibration
        return model
    }

    /// The baseline month's distributions: each component's raw values and the model's score.
    func baseline(_ panel: SnapshotPanel, model: ScoringModel, multipliers: [Double]) -> MonitoringBaseline {
        let k = panel.components.count
        let scorer = Scorer(model: model)
        var scores: [Double?] = []
        for row in 0..<panel.count where panel.month[row] == panel.baselineMonth {
            var raw = panel.priorLogOdds[row]
            for j in 0..<k { raw += multipliers[j] * panel.effects[row * k + j] }
            let calibrated = model.combination.calibration.map { $0.intercept + $0.slope * raw } ?? raw
            scores.append(Double(Scorer.score(pd: scorer.pd(logOdds: calibrated), scale: model.score)))
        }
        var components: [ScoreComponent: MonitoringBaseline.Distribution] = [:]
        for (component, values) in panel.baselineValues {
            components[component] = MonitoringBaseline.Distribution(sample: values)
        }
        return MonitoringBaseline(
            asOf: panel.monthEnds[min(max(0, panel.baselineMonth), panel.monthEnds.count - 1)],
            score: MonitoringBaseline.Distribution(sample: scores), components: components)
    }
}

extension ValidationFigures {
    /// The headline figures of a backtest report; grades with fewer than `minimumGradeRows` rows are not judged.
    public init(_ report: BacktestReport, minimumGradeRows: Int) {
        let judged = report.grades.filter { $0.customers >= minimumGradeRows }
        self.init(
            rows: report.customers, defaults: report.defaults, auc: report.auc, aucLow: report.aucInterval?.lower,
            aucHigh: report.aucInterval?.upper, ks: report.ks, brier: report.brier, gradesChecked: judged.count,
            gradesCalibrated: judged.filter { $0.isCalibrated() == true }.count)
    }
}

extension SnapshotPanel {
    /// The calibrated log-odds of each row under `model`, which must weigh the panel's
    /// components (the panel was measured with it): prior plus effects, then the calibration.
    public func logOdds(under model: ScoringModel) -> [Double] {
        let k = components.count
        return (0..<count).map { row in
            var raw = priorLogOdds[row]
            for j in 0..<k { raw += effects[row * k + j] }
            return model.combination.calibration.map { $0.intercept + $0.slope * raw } ?? raw
        }
    }

    /// Each row's PD, grade and outcome under `model`, for a backtest of the rows in `months`.
    public func predictions(under model: ScoringModel, months: Set<Int>? = nil) -> [BacktestPrediction] {
        let scorer = Scorer(model: model)
        let logOdds = logOdds(under: model)
        return (0..<count).compactMap { row in
            if let months, !months.contains(month[row]) { return nil }
            let pd = scorer.pd(logOdds: logOdds[row])
            return BacktestPrediction(pd: pd, defaulted: defaulted[row], grade: model.grade(forPD: pd, thinFile: thinFile[row]))
        }
    }
}

/// How far today's portfolio has moved from the sample a model was fitted on.
public struct MonitoringReport: Hashable, Sendable, Codable {
    public var modelVersion: String
    public var baselineAsOf: Day
    public var asOf: Day
    public var customers: Int
    public var score: Shift?
    public var components: [Shift]
    /// One line per shift past the review threshold.
    public var alerts: [String]

    /// The review threshold of the population stability index (the usual rule of thumb).
    public static let reviewThreshold = 0.25

    public struct Shift: Hashable, Sendable, Codable {
        /// "score" or a component's name.
        public var measure: String
        public var populationStability: Double
        public var baselineMissingRate: Double
        public var missingRate: Double
        /// "stable" below 0.1, "watch" to 0.25, "review" above.
        public var status: String
    }

    /// Compares `values` (per component) and `scores` of today's rows with the model's baseline;
    /// nil when the model carries no baseline.
    public init?(model: ScoringModel, asOf: Day, scores: [Double?], values: [ScoreComponent: [Double?]]) {
        guard let baseline = model.monitoring else { return nil }
        func shift(_ name: String, _ distribution: MonitoringBaseline.Distribution, _ sample: [Double?]) -> Shift? {
            guard let psi = PopulationStability(expectedCounts: distribution.counts, actual: sample, edges: distribution.edges)
            else { return nil }
            let status = psi.index > Self.reviewThreshold ? "review" : (psi.index > 0.1 ? "watch" : "stable")
            return Shift(
                measure: name, populationStability: psi.index, baselineMissingRate: distribution.missingRate,
                missingRate: PopulationStability.missingRate(sample) ?? 0, status: status)
        }
        self.modelVersion = model.version
        self.baselineAsOf = baseline.asOf
        self.asOf = asOf
        self.customers = scores.count
        self.score = shift("score", baseline.score, scores)
        self.components = ScoreComponent.allCases.compactMap { component in
            baseline.components[component].flatMap { shift(component.rawValue, $0, values[component] ?? []) }
        }
        self.alerts = ([score].compactMap { $0 } + components).filter { $0.populationStability > Self.reviewThreshold }.map {
            "\($0.measure): population stability \(String(format: "%.3f", $0.populationStability)) since \(baseline.asOf.iso) (above \(Self.reviewThreshold)): review the model"
        }
    }
}
