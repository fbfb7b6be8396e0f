import Foundation

/// Customer-months of a portfolio, each measured as of a month end with the scorer's own code,
/// and whether a default followed within the horizon: what a model is fitted and validated on.
///
/// Kept as columns, since a 100k portfolio over 24 months is millions of rows.
public struct SnapshotPanel: Sendable {
    /// The components the base model weighs, in its order: the columns of `effects`.
    public let components: [ScoreComponent]
    public let monthEnds: [Day]
    /// The last day outcomes are known: a month end's horizon is complete when it ends by then.
    /// Nil: every month end's horizon is taken as complete.
    public let observedThrough: Day?
    /// The month whose rows keep their raw values, the monitoring baseline (the last training month).
    public let baselineMonth: Int
    public private(set) var month: [Int] = []
    /// logit of the sector prior.
    public private(set) var priorLogOdds: [Double] = []
    /// Row-major: one effect per component under the base model (0 when missing).
    public private(set) var effects: [Double] = []
    public private(set) var thinFile: [Bool] = []
    public private(set) var defaulted: [Bool] = []
    /// Row-major: each component's measured value (NaN when missing).
    public private(set) var values: [Double] = []

    /// The measured values of the rows of `month`, per component (nil: missing).
    public func values(ofMonth month: Int) -> [ScoreComponent: [Double?]] {
        let k = components.count
        var result: [ScoreComponent: [Double?]] = [:]
        for (j, component) in components.enumerated() {
            result[component] = (0..<count).compactMap { row -> Double?? in
                guard self.month[row] == month else { return nil }
                let value = values[row * k + j]
                return .some(value.isNaN ? nil : value)
            }
        }
        return result
    }

    /// The baseline month's values, per component.
    public var baselineValues: [ScoreComponent: [Double?]] { values(ofMonth: baselineMonth) }

    public var count: Int { defaulted.count }

    public init(components: [ScoreComponent], monthEnds: [Day], baselineMonth: Int, observedThrough: Day? = nil) {
        self.components = components
        self.monthEnds = monthEnds
        self.baselineMonth = baselineMonth
        self.observedThrough = observedThrough
    }

    /// The month end of a row: the reference date its prediction was made on.
    public func referenceDate(ofRow row: Int) -> Day? {
        monthEnds.indices.contains(month[row]) ? monthEnds[month[row]] : nil
    }

    /// One measured customer-month.
    public struct Row: Sendable {
        public var month: Int
        public var priorLogOdds: Double
        public var contributions: [Contribution]
        public var thinFile: Bool
        public var defaulted: Bool
    }

    public mutating func append(_ row: Row) {
        month.append(row.month)
        priorLogOdds.append(row.priorLogOdds)
        thinFile.append(row.thinFile)
        defaulted.append(row.defaulted)
        for (index, component) in components.enumerated() {
            let contribution =
                index < row.contributions.count && row.contributions[index].component == component
                ? row.contributions[index] : row.contributions.first { $0.component == component }
            effects.append(contribution?.effect ?? 0)
            values.append(contribution?.value ?? .nan)
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
        var defaults = DefaultDays(known: defaultDays)
        return rows(evidence: evidence, statements: statements, monthEnds: monthEnds, defaults: &defaults, horizonDays: horizonDays, scorer: scorer)
    }

    /// `rows` with the default days asked of `defaults` only as far as the month ends need.
    public static func rows(
        evidence: CustomerEvidence, statements: [DatedStatement], monthEnds: [Day], defaults: inout DefaultDays, horizonDays: Int,
        scorer: Scorer
    ) -> [Row] {
        guard let firstInvoice = evidence.invoices.map(\.issueDate).min() else { return [] }
        let rule = scorer.model.financial
        var rows: [Row] = []
        for (index, day) in monthEnds.enumerated() where day >= firstInvoice {
            if defaults.contains(after: nil, through: day) && !defaults.contains(after: day, through: nil) {
                // Failed before the snapshot and never again: nothing left to predict.
                continue
            }
            let measured = scorer.measure(evidence.asOf(day, statement: rule.latestKnown(statements, on: day)))
            if measured.inDefault { continue }
            let defaulted = defaults.contains(after: day, through: day + horizonDays)
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

/// Fits a model on a snapshot panel, from a base model whose measures, financial scorecard,
/// grades and policies it keeps.
///
/// The first half of the months trains, the next quarter calibrates, the last quarter tests;
/// the three are out of time with respect to each other. Each payment component is cut into
/// bins whose default rate only moves in the component's risk direction (monotone weight of
/// evidence, on the training months), and its effect is a fitted multiplier ≥ 0 times the bin's
/// weight of evidence: a step function that can follow the data's shape but never turns around,
/// so paying later still never helps. The multipliers come from ridge logistic regression with
/// the sector prior and the financial effects as offset. The PD is then recalibrated
/// (`logit PD = a + b·log-odds`) on the calibration months. The fitted payment part replaces the
/// base one only when it separates at least as well on the test months; otherwise the base
/// weights stay and only the calibration is new.
public struct ModelFitter: Sendable {
    public var base: ScoringModel
    public var ridge: Double
    /// Also refit the financial components (off by default: a ledger's statements are few).
    public var refitFinancial: Bool
    /// Fit only the payment components: the sector prior and the financial scorecard keep the
    /// base model's weights (what a model shipped for every portfolio is fitted with).
    public var paymentOnly: Bool
    /// Grades need this many customers on a test reference date for their calibration to be judged.
    public var minimumGradeRows: Int
    /// Equal-count pre-bins before monotone merging.
    public var preBins: Int
    /// Rows per equal-count pre-bin of the calibration months' log-odds, before monotone merging
    /// (at least 20 pre-bins): small enough for the few high-PD rows to get bins of their own.
    public var calibrationRowsPerBin = 2_500

    public init(
        base: ScoringModel, ridge: Double = 1, refitFinancial: Bool = false, paymentOnly: Bool = false, minimumGradeRows: Int = 100,
        preBins: Int = 20
    ) {
        self.base = base
        self.paymentOnly = paymentOnly
        self.ridge = ridge
        self.refitFinancial = refitFinancial
        self.minimumGradeRows = minimumGradeRows
        self.preBins = preBins
    }

    public enum Window: Sendable { case training, calibration, test }

    /// The window a month belongs to, out of `months`.
    public static func window(ofMonth month: Int, months: Int) -> Window {
        if month < months / 2 { return .training }
        if month < months * 3 / 4 { return .calibration }
        return .test
    }

    /// One refitted component: its column in the panel and its bins on the training months.
    struct Refit {
        var column: Int
        var component: ScoreComponent
        var binning: MonotoneBinning

        /// The risk-oriented feature of a value: minus the weight of evidence of its bin, 0 when missing.
        func feature(_ value: Double) -> Double {
            guard let bin = binning.bin(for: value), bin < binning.bins.count else { return 0 }
            return -binning.bins[bin].weightOfEvidence
        }
    }

    public func fit(
        _ panel: SnapshotPanel, version: String, labels: String, horizonDays: Int
    ) throws(LogisticFitError) -> FitOutcome {
        let months = panel.monthEnds.count
        guard months >= 4 else {
            throw .shapeMismatch("a fit needs at least 4 month ends (training, calibration, test), not \(months)")
        }
        let k = panel.components.count
        let rows = Array(0..<panel.count)
        let windows = rows.map { Self.window(ofMonth: panel.month[$0], months: months) }
        let training = rows.filter { windows[$0] == .training }
        let calibrating = rows.filter { windows[$0] == .calibration }
        let testing = rows.filter { windows[$0] == .test }
        let trainingOutcomes = training.map { panel.defaulted[$0] }

        // Bins for each component refitted; one that does not separate on the training months stays as it was.
        // A financial component the base model holds at zero is a candidate: binned and weighed here like a payment one.
        var refits: [Refit] = []
        for (j, component) in panel.components.enumerated()
        where refitFinancial || !component.isFinancial || (!paymentOnly && Self.isCandidate(component, in: base)) {
            let values = training.map { row -> Double? in
                let value = panel.values[row * k + j]
                return value.isNaN ? nil : value
            }
            let direction: MonotoneBinning.Direction = component.riskDirection == .increasing ? .increasing : .decreasing
            guard let binning = MonotoneBinning(values: values, defaulted: trainingOutcomes, direction: direction, preBins: preBins),
                binning.bins.count >= 2
            else { continue }
            refits.append(Refit(column: j, component: component, binning: binning))
        }
        let refitColumns = Set(refits.map(\.column))

        // The sector prior and the financial scorecard as a whole get one weight each: the
        // scorecard's proportions come from public data, their weight here from this ledger. One
        // that does not vary over the training rows (a single sector, no statements) cannot be
        // told from the intercept and keeps its base weight.
        let financialColumns = (0..<k).filter { panel.components[$0].isFinancial && !refitColumns.contains($0) }
        let priorWeight = base.combination.priorWeight ?? 1
        func financial(_ row: Int) -> Double { financialColumns.reduce(0) { $0 + panel.effects[row * k + $1] } }
        func varies(_ value: (Int) -> Double) -> Bool {
            guard let first = training.first.map(value) else { return false }
            return training.contains { abs(value($0) - first) > 1e-12 }
        }
        let fitsPrior = !paymentOnly && varies { panel.priorLogOdds[$0] }
        let fitsFinancial = !paymentOnly && !financialColumns.isEmpty && varies(financial)
        /// What is not fitted: the prior or the financial block when they are held, and the components neither refitted nor financial.
        func offset(_ row: Int) -> Double {
            var total = fitsPrior ? 0 : priorWeight * panel.priorLogOdds[row]
            if !fitsFinancial { total += financial(row) }
            for j in 0..<k where !refitColumns.contains(j) && !financialColumns.contains(j) { total += panel.effects[row * k + j] }
            return total
        }
        /// The prior's and the financial block's columns when fitted, then one per refitted component.
        func features(_ row: Int) -> [Double] {
            (fitsPrior ? [priorWeight * panel.priorLogOdds[row]] : []) + (fitsFinancial ? [financial(row)] : [])
                + refits.map { $0.feature(panel.values[row * k + $0.column]) }
        }
        let names = (fitsPrior ? ["sectorPrior"] : []) + (fitsFinancial ? ["financialScorecard"] : []) + refits.map(\.component.rawValue)
        let leading = names.count - refits.count
        func baseRaw(_ row: Int) -> Double {
            var total = priorWeight * panel.priorLogOdds[row]
            for j in 0..<k { total += panel.effects[row * k + j] }
            return total
        }

        var design: [Double] = []
        design.reserveCapacity(training.count * names.count)
        for row in training { design += features(row) }
        let sample = try LogisticSample(
            features: design, columnCount: names.count, defaulted: trainingOutcomes, offsets: training.map(offset))
        let solution = try LogisticRegression(ridge: ridge, signs: names.map { _ in .nonNegative }).fit(sample)
        func fittedRaw(_ row: Int) -> Double {
            zip(solution.coefficients, features(row)).reduce(offset(row)) { $0 + $1.0 * $1.1 }
        }

        /// The line through the calibration months' outcomes for log-odds `raw(row) + shift`.
        func calibration(_ raw: (Int) -> Double, shift: Double) throws(LogisticFitError) -> ScoringModel.PDCalibration {
            let outcomes = calibrating.map { PDOutcome(pd: Scorer.logistic(raw($0) + shift), defaulted: panel.defaulted[$0]) }
            // PDs that do not vary (a base model that weighs nothing here) have no slope to fit: only their level.
            var calibration: ScoringModel.PDCalibration
            if let line = try? Calibration.recalibration(outcomes), line.slope > 0 {
                calibration = ScoringModel.PDCalibration(intercept: line.intercept + line.slope * shift, slope: line.slope)
            } else {
                let level = try Calibration.calibrationInTheLarge(outcomes)
                calibration = ScoringModel.PDCalibration(intercept: level.intercept + shift, slope: 1)
            }
            calibration.knots = knots(calibrating.map { calibration.intercept + calibration.slope * raw($0) })
            return calibration
        }

        /// The line's shape corrected where the calibration months say it is off: their rows cut
        /// into bins whose default rate only rises with the log-odds (pool-adjacent-violators),
        /// one knot per bin at its mean log-odds and its observed rate (½ a default added to
        /// both counts, so no rate is 0 or 1). Nil when fewer than two bins remain.
        func knots(_ logOdds: [Double]) -> [ScoringModel.PDCalibration.Knot]? {
            let outcomes = calibrating.map { panel.defaulted[$0] }
            guard
                let binning = MonotoneBinning(
                    values: logOdds, defaulted: outcomes, direction: .increasing, preBins: max(20, logOdds.count / calibrationRowsPerBin)),
                binning.bins.count >= 2
            else { return nil }
            var sums = [Double](repeating: 0, count: binning.bins.count)
            for value in logOdds { if let bin = binning.bin(for: value), bin < sums.count { sums[bin] += value } }
            let knots = binning.bins.enumerated().map { index, bin in
                ScoringModel.PDCalibration.Knot(
                    logOdds: sums[index] / Double(max(1, bin.customers)),
                    calibrated: Scorer.logit((Double(bin.defaults) + 0.5) / (Double(bin.customers) + 1)))
            }
            // The half default added can undo a tiny step between two bins: such a knot is dropped,
            // so that the map stays strictly increasing.
            var kept: [ScoringModel.PDCalibration.Knot] = []
            for knot in knots where kept.last.map({ $0.logOdds < knot.logOdds && $0.calibrated < knot.calibrated }) ?? true {
                kept.append(knot)
            }
            return kept.count >= 2 ? kept : nil
        }

        var fittedModel = base
        fittedModel.version = version
        if fitsPrior { fittedModel.combination.priorWeight = priorWeight * solution.coefficients[0] }
        if fitsFinancial {
            let multiplier = solution.coefficients[fitsPrior ? 1 : 0]
            for j in financialColumns {
                fittedModel.components[panel.components[j]] = base.components[panel.components[j]]?.scaled(by: multiplier)
            }
        }
        for (position, refit) in refits.enumerated() {
            let multiplier = solution.coefficients[leading + position]
            fittedModel.components[refit.component] = .bins(
                ScoringModel.Bins(
                    edges: refit.binning.edges,
                    // A weight held at 0 gives effects of 0, not −0.
                    effects: refit.binning.bins.map { multiplier == 0 ? 0 : -multiplier * $0.weightOfEvidence }))
        }
        fittedModel.combination.calibration = try calibration(fittedRaw, shift: solution.intercept)
        var expertModel = base
        expertModel.version = version
        expertModel.combination.calibration = try calibration(baseRaw, shift: 0)

        // Each test month end is a reference date of its own (`ReferenceDateBacktest`).
        func report(_ model: ScoringModel, _ raw: (Int) -> Double) -> BacktestReport {
            let scorer = Scorer(model: model)
            return Backtest.evaluate(
                predictions: testing.map { row in
                    let pd = scorer.pd(logOdds: scorer.calibrated(raw(row)))
                    return BacktestPrediction(
                        pd: pd, defaulted: panel.defaulted[row], grade: model.grade(forPD: pd, thinFile: panel.thinFile[row]),
                        referenceDate: panel.referenceDate(ofRow: row))
                }, horizonDays: horizonDays, observedThrough: panel.observedThrough, minimumCustomers: minimumGradeRows)
        }
        let baseReport = report(base, baseRaw)
        let fittedReport = report(fittedModel, fittedRaw)
        // Whether the refitted weights are kept is decided on the calibration months: out of
        // time for the fit, and before the test months, which only report. Choosing on the test
        // months would make the figures reported on them the better of two tries.
        func separation(_ raw: (Int) -> Double) -> Double {
            Discrimination(calibrating.map { PDOutcome(pd: Scorer.logistic(raw($0)), defaulted: panel.defaulted[$0]) })?.auc ?? 0.5
        }
        let (fittedSeparation, baseSeparation) = (separation(fittedRaw), separation(baseRaw))
        let adopted = !refits.isEmpty && fittedSeparation >= baseSeparation
        var chosen = adopted ? fittedModel : expertModel
        let chosenRaw: (Int) -> Double = adopted ? fittedRaw : baseRaw
        let chosenReport = adopted ? fittedReport : report(expertModel, baseRaw)

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
            coefficients: names.enumerated().map { position, name in
                FittedCoefficient(
                    name: name, multiplier: solution.coefficients[position], standardError: solution.standardErrors[position],
                    heldAtZero: solution.heldAtZero[position])
            },
            intercept: solution.intercept,
            validation: ValidationFigures(chosenReport, minimumGradeRows: minimumGradeRows),
            baseValidation: ValidationFigures(baseReport, minimumGradeRows: minimumGradeRows), paymentPartAdopted: adopted)
        func auc(_ report: BacktestReport) -> String { report.auc.map { String(format: "%.3f", $0) } ?? "n/a" }
        chosen.summary =
            "\(base.version) refitted on \(panel.count) customer-months, month ends \(panel.monthEnds.first?.iso ?? "?") to \(panel.monthEnds.last?.iso ?? "?") (labels: \(labels), \(horizonDays)-day horizon): "
            + (adopted
                ? "\(refits.map(\.component.rawValue).joined(separator: ", ")) in monotone bins weighted by ridge logistic regression"
                    + (paymentOnly ? "" : ", with fitted weights on the sector prior and the financial scorecard")
                : "the base weights kept (the fitted ones separated worse out of time)")
            + String(format: " (calibration months' AUC %.3f fitted, %.3f base)", fittedSeparation, baseSeparation)
            + ", PD calibrated on \(record.calibration.from.iso) to \(record.calibration.through.iso). Out-of-time AUC \(auc(chosenReport)) against \(auc(baseReport)) for \(base.version) on \(record.test.rows) rows from \(record.test.from.iso) to \(record.test.through.iso)."
        chosen.provenance = ModelProvenance(
            method: adopted ? "fitted" : "expert weights, fitted calibration", basedOn: base.version,
            financialScorecard: base.provenance?.financialScorecard, fit: record)
        chosen.monitoring = baseline(panel, model: chosen, raw: chosenRaw)
        // A candidate the fit left at zero is not part of the new model: it would only add a line that counts for nothing.
        for component in panel.components where Self.isCandidate(component, in: chosen) { chosen.components[component] = nil }
        return FitOutcome(model: chosen, record: record, baseReport: baseReport, fittedReport: chosenReport)
    }

    /// A financial component the model lists with a rule that weighs nothing (`ComponentRule.neutral`).
    static func isCandidate(_ component: ScoreComponent, in model: ScoringModel) -> Bool {
        component.isFinancial && model.components[component]?.isNeutral == true
    }

    /// `model` with each of `candidates` listed at zero, for a fit to weigh on the ledger: only
    /// financial components it does not weigh yet qualify (the others are refused, named).
    public static func withCandidates(_ candidates: [ScoreComponent], added model: ScoringModel) throws(Refusal) -> ScoringModel {
        var model = model
        for candidate in candidates {
            guard candidate.isFinancial, model.components[candidate] == nil else {
                let open = ScoreComponent.allCases.filter { $0.isFinancial && model.components[$0] == nil }.map(\.rawValue)
                throw Refusal(
                    .invalid,
                    "\(candidate.rawValue) cannot be a candidate: it is \(candidate.isFinancial ? "already weighed by \(model.version) (--refit-financial refits it)" : "not a statement ratio"); "
                        + "candidates: \(open.joined(separator: ", "))",
                    field: "candidate")
            }
            model.components[candidate] = .neutral
        }
        return model
    }

    /// The baseline month's distributions: each component's measured values and the model's score.
    func baseline(_ panel: SnapshotPanel, model: ScoringModel, raw: (Int) -> Double) -> MonitoringBaseline {
        let scorer = Scorer(model: model)
        var scores: [Double?] = []
        for row in 0..<panel.count where panel.month[row] == panel.baselineMonth {
            let logOdds = scorer.calibrated(raw(row))
            scores.append(Double(Scorer.score(pd: scorer.pd(logOdds: logOdds), scale: model.score)))
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
    /// The headline figures of a backtest report. The calibration verdict is the headline
    /// reference date's when the report has one (none judged when no date's horizon is complete);
    /// a report without reference dates is one sample, judged as a whole. Grades with fewer than
    /// `minimumGradeRows` customers are not judged.
    public init(_ report: BacktestReport, minimumGradeRows: Int) {
        let pooled = report.grades.filter { $0.customers >= minimumGradeRows }
        let pooledCalibrated = pooled.filter { $0.isCalibrated() == true }.count
        guard let backtest = report.referenceDates else {
            self.init(
                rows: report.customers, defaults: report.defaults, auc: report.auc, aucLow: report.aucInterval?.lower,
                aucHigh: report.aucInterval?.upper, ks: report.ks, brier: report.brier, gradesChecked: pooled.count,
                gradesCalibrated: pooledCalibrated)
            return
        }
        let headline = backtest.headlineTable
        self.init(
            rows: report.customers, defaults: report.defaults, auc: report.auc, aucLow: report.aucInterval?.lower,
            aucHigh: report.aucInterval?.upper, ks: report.ks, brier: report.brier, gradesChecked: headline?.gradesChecked ?? 0,
            gradesCalibrated: headline?.gradesCalibrated ?? 0)
        referenceDate = backtest.headline
        referenceDates = backtest.dates.map(ReferenceDateCount.init)
        gradeRecords = backtest.grades
        pooledGradesChecked = pooled.count
        pooledGradesCalibrated = pooledCalibrated
    }
}

extension SnapshotPanel {
    /// The calibrated log-odds of each row under `model`, which must weigh the panel's
    /// components (the panel was measured with it): prior plus effects, then the calibration.
    public func logOdds(under model: ScoringModel) -> [Double] {
        let k = components.count
        let scorer = Scorer(model: model)
        return (0..<count).map { row in
            scorer.logOdds(priorLogOdds: priorLogOdds[row], effects: (0..<k).reduce(0) { $0 + effects[row * k + $1] })
        }
    }

    /// Each row's PD, grade, outcome and month end under `model`, for a backtest of the rows in `months`.
    public func predictions(under model: ScoringModel, months: Set<Int>? = nil) -> [BacktestPrediction] {
        let scorer = Scorer(model: model)
        let logOdds = logOdds(under: model)
        return (0..<count).compactMap { row in
            if let months, !months.contains(month[row]) { return nil }
            let pd = scorer.pd(logOdds: logOdds[row])
            return BacktestPrediction(
                pd: pd, defaulted: defaulted[row], grade: model.grade(forPD: pd, thinFile: thinFile[row]), referenceDate: referenceDate(ofRow: row))
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
