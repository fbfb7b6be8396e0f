import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader

/// How a fit or a comparison lays out its snapshots.
public struct SnapshotPlan: Sendable, Hashable {
    /// Month ends, oldest first.
    public var monthEnds: [Day]
    public var horizonDays: Int
    /// Outcomes file rows; nil: labels from the ledger by the model's default rule.
    public var outcomes: [Outcome]?
    /// The ledger's last day, the end of what has been observed: a month end's horizon is
    /// complete when it ends by then. Nil: every month end's horizon is taken as complete.
    public var observedThrough: Day?

    public init(monthEnds: [Day], horizonDays: Int = 365, outcomes: [Outcome]? = nil, observedThrough: Day? = nil) {
        self.monthEnds = monthEnds
        self.horizonDays = horizonDays
        self.outcomes = outcomes
        self.observedThrough = observedThrough
    }

    /// `count` month ends ending with the last one on or before `through`.
    public static func monthEnds(through: Day, count: Int) -> [Day] {
        var ends: [Day] = []
        let c = through.components
        var year = c.year
        var month = c.month
        // The month of `through` counts only when `through` is its last day.
        if through.components.day != Day.daysIn(month: month, year: year) {
            month -= 1
            if month == 0 {
                month = 12
                year -= 1
            }
        }
        for _ in 0..<max(0, count) {
            if let day = Day(year: year, month: month, day: Day.daysIn(month: month, year: year)) { ends.append(day) }
            month -= 1
            if month == 0 {
                month = 12
                year -= 1
            }
        }
        return ends.reversed()
    }

    public var labels: String { outcomes == nil ? "ledger default rule" : "outcomes file" }
}

/// Fitting, comparing and monitoring models on the portfolio's own history: the loop a credit
/// manager runs to learn the weights from outcomes and to see when they stop holding.
public struct ModelWork: Sendable {
    public let database: any DatabaseReader
    /// The model in force.
    public let model: ScoringModel

    public init(database: any DatabaseReader, model: ScoringModel) {
        self.database = database
        self.model = model
    }

    /// The last day anything happened in the ledger.
    public func latestLedgerDay() async throws -> Day? {
        try await database.read { db in try LedgerQueries().latestLedgerDay(db) }
    }

    /// The default plan: `snapshots` month ends, the last one a full horizon before the ledger's last day.
    public func plan(
        snapshots: Int, horizonDays: Int, outcomes: [Outcome]?, through: Day? = nil, minimum: Int = 4
    ) async throws
        -> SnapshotPlan
    {
        guard let last = try await latestLedgerDay() else { throw Refusal(.invalid, "the ledger is empty: nothing to fit on") }
        let end = through ?? (last - horizonDays)
        let ends = SnapshotPlan.monthEnds(through: end, count: snapshots)
        guard ends.count >= max(1, minimum) else {
            throw Refusal(
                .invalid, "at least \(max(1, minimum)) monthly snapshots are needed (--snapshots), not \(ends.count)", field: "snapshots")
        }
        return SnapshotPlan(monthEnds: ends, horizonDays: horizonDays, outcomes: outcomes, observedThrough: last)
    }

    /// The months a comparison judges on: those asked for, else the test months of the last
    /// model when it was fitted (months its fit never saw), else the 6 latest month ends with a
    /// full horizon.
    public func comparisonPlan(
        of models: [ScoringModel], snapshots: Int?, through: Day?, horizonDays: Int, outcomes: [Outcome]?
    ) async throws -> SnapshotPlan {
        let tested = models.last?.provenance?.fit?.test
        return try await plan(
            snapshots: snapshots ?? tested?.snapshots ?? 6, horizonDays: horizonDays, outcomes: outcomes,
            through: through ?? (snapshots == nil ? tested?.through : nil), minimum: 1)
    }

    /// Every customer measured as of every month end of the plan by `base`, with its label.
    ///
    /// Histories are read slice by slice up to the end of the last horizon, each customer once;
    /// the month-end evidence is cut from that one read (`CustomerEvidence.asOf`) and measured by
    /// the scorer, on the background pool.
    public func panel(
        base: ScoringModel, plan: SnapshotPlan, baselineMonth: Int, progress: (@Sendable (Int) -> Void)? = nil
    )
        async throws -> SnapshotPanel
    {
        guard let lastEnd = plan.monthEnds.last else { throw Refusal(.invalid, "the plan has no month end") }
        let readThrough = lastEnd + plan.horizonDays
        let outcomes = plan.outcomes.map { rows in
            Dictionary(rows.map { ($0.customerId, $0.defaultDate) }, uniquingKeysWith: { $0 ?? $1 })
        }
        let (bounds, statements, context) = try await database.read { db in
            (try LedgerHistories().sliceBounds(db, size: 4096), try StatementStore().datedStatements(db), try EvidenceContext(db, model: base))
        }
        var panel = SnapshotPanel(
            components: base.components.weighed, monthEnds: plan.monthEnds, baselineMonth: baselineMonth, observedThrough: plan.observedThrough)
        let scorer = Scorer(model: base)
        var customers = 0
        for slice in LedgerHistories.slices(bounds: bounds) {
            let histories = try await database.read { db in try LedgerHistories().histories(db, asOf: readThrough, selection: slice) }
            customers += histories.count
            let rows = try await BlockingWork.backgroundMap(histories) { history in
                // Each month end picks its own statement (`SnapshotPanel.rows`); none for the whole read.
                let evidence = context.evidence(history, asOf: readThrough, statement: nil)
                let dated = history.customer.registrationId.flatMap { statements[$0] } ?? []
                var defaults =
                    outcomes.map { DefaultDays(known: ($0[history.customer.id] ?? nil).map { [$0] } ?? []) }
                    ?? DefaultDays(evidence: evidence, model: base)
                return SnapshotPanel.rows(
                    evidence: evidence, statements: dated, monthEnds: plan.monthEnds, defaults: &defaults,
                    horizonDays: plan.horizonDays, scorer: scorer)
            }
            for part in rows { panel.append(contentsOf: part) }
            progress?(customers)
        }
        return panel
    }

    /// Fits a new version from `base` on the plan's snapshots.
    public func fit(
        base: ScoringModel, plan: SnapshotPlan, version: String, ridge: Double, refitFinancial: Bool, paymentOnly: Bool = false,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> (outcome: FitOutcome, panel: SnapshotPanel) {
        let months = plan.monthEnds.count
        // The monitoring baseline is the last training month.
        let baselineMonth = max(0, months / 2 - 1)
        let panel = try await panel(base: base, plan: plan, baselineMonth: baselineMonth, progress: progress)
        guard panel.defaulted.contains(true) else {
            throw Refusal(.invalid, "no default followed any snapshot within \(plan.horizonDays) days: nothing to learn from")
        }
        let fitter = ModelFitter(base: base, ridge: ridge, refitFinancial: refitFinancial, paymentOnly: paymentOnly)
        let outcome = try await BlockingWork.background {
            do {
                return try fitter.fit(panel, version: version, labels: plan.labels, horizonDays: plan.horizonDays)
            } catch {
                throw Refusal(.invalid, "the fit failed: \(error)")
            }
        }
        return (outcome, panel)
    }

}

/// One model's out-of-time figures in a comparison, with what the charts draw.
public struct ModelComparisonEntry: Sendable {
    public var version: String
    public var report: BacktestReport
    public var roc: [ROCPoint]
    public var calibration: [CalibrationBin]
}

extension ModelWork {
    /// Champion against challenger on the same snapshots: each model measures the customers with
    /// its own rules, and both are judged on the same customer-months and outcomes.
    public func compare(_ models: [ScoringModel], plan: SnapshotPlan) async throws -> [ModelComparisonEntry] {
        var entries: [ModelComparisonEntry] = []
        for model in models {
            let panel = try await panel(base: model, plan: plan, baselineMonth: -1)
            let predictions = try await BlockingWork.background { panel.predictions(under: model) }
            let outcomes = predictions.map { PDOutcome(pd: $0.pd, defaulted: $0.defaulted) }
            entries.append(
                ModelComparisonEntry(
                    version: model.version,
                    report: Backtest.evaluate(predictions: predictions, horizonDays: plan.horizonDays, observedThrough: plan.observedThrough),
                    roc: Discrimination.rocCurve(outcomes), calibration: Calibration.curve(outcomes, bins: 10)))
        }
        return entries
    }

    /// Today's portfolio against the model's fit sample: population stability of the score and
    /// of each component, and their missing rates.
    public func monitoring(asOf: Day?) async throws -> MonitoringReport {
        guard model.monitoring != nil else {
            throw Refusal(
                .invalid,
                "model \(model.version) carries no fit sample to compare with: monitoring needs a model written by `creditrisk fit`")
        }
        let latest = try await latestLedgerDay()
        guard let day = asOf ?? latest else { throw Refusal(.invalid, "the ledger is empty: nothing to monitor") }
        let panel = try await panel(base: model, plan: SnapshotPlan(monthEnds: [day], horizonDays: 1, outcomes: []), baselineMonth: 0)
        let model = self.model
        return try await BlockingWork.background {
            let scorer = Scorer(model: model)
            let scores: [Double?] = panel.logOdds(under: model).map { Double(Scorer.score(pd: scorer.pd(logOdds: $0), scale: model.score)) }
            guard let report = MonitoringReport(model: model, asOf: day, scores: scores, values: panel.baselineValues) else {
                throw Refusal(.invalid, "model \(model.version) carries no fit sample to compare with")
            }
            return report
        }
    }
}

/// Writes a model as a versioned file: pretty, keys sorted, so two fits differ only where their numbers do.
public enum ModelFileWriter {
    public static func encode(_ model: ScoringModel) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(model)
        data.append(0x0A)
        return data
    }
}
