import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The model in force, where its numbers come from and how far the portfolio has moved from the
/// sample it was fitted on: what a credit manager or a validator asks before trusting a grade.
struct ModelController {
    let dependencies: ServiceDependencies

    func add(to group: RouterGroup<CreditRequestContext>) {
        let work = dependencies.service.modelWork
        let gate = WorkGate()
        let readers = group.requiring(.readPortfolio)
        readers.get("model") { _, _ -> UseCaseAnswer<ModelDescription> in
            UseCaseAnswer(ModelDescription(work.model))
        }
        readers.get("model/backtest") { request, _ -> UseCaseAnswer<ModelBacktest> in
            let entry = try await backtest(request, work, gate)
            return UseCaseAnswer(ModelBacktest(entry.plan, entry.entry))
        }
        readers.get("model/backtest/roc.svg") { request, _ -> Response in
            let (_, entry) = try await backtest(request, work, gate)
            return svg(ValidationCharts.roc([(entry.version, entry.roc, entry.report.auc)]))
        }
        readers.get("model/backtest/calibration.svg") { request, _ -> Response in
            let (_, entry) = try await backtest(request, work, gate)
            return svg(ValidationCharts.calibration([(entry.version, entry.calibration)]))
        }
        readers.get("model/monitoring") { request, _ -> UseCaseAnswer<MonitoringReport> in
            // Default: the ledger's last day, the portfolio as the data last describes it.
            let day = try QueryParameters(request: request).day("asOf")
            return UseCaseAnswer(try await gate.answer(for: "monitoring \(day?.iso ?? "-")") { try await work.monitoring(asOf: day) })
        }
    }
}

/// The model in force backtested on the months the query names, its own test months when it
/// was fitted, or the 6 latest with a full horizon; defaults read from the ledger by its rule.
private func backtest(
    _ request: Request, _ work: ModelWork, _ gate: WorkGate
) async throws -> (plan: SnapshotPlan, entry: ModelComparisonEntry) {
    let query = QueryParameters(request: request)
    let snapshots = try query.integer("snapshots", in: 1...36)
    let through = try query.day("through")
    let horizonDays = try query.integer("horizonDays", in: 30...1825) ?? 365
    let key = "backtest \(snapshots.map(String.init) ?? "-") \(through?.iso ?? "-") \(horizonDays)"
    return try await gate.answer(for: key) { () async throws -> (plan: SnapshotPlan, entry: ModelComparisonEntry) in
        let plan = try await work.comparisonPlan(
            of: [work.model], snapshots: snapshots, through: through, horizonDays: horizonDays, outcomes: nil)
        let entries = try await work.compare([work.model], plan: plan)
        guard let entry = entries.first else { throw Refusal(.invalid, "nothing to backtest") }
        return (plan, entry)
    }
}

/// Backtests and monitoring asked over HTTP run one at a time, and a question asked again while
/// its answer is being worked out waits for that answer instead of starting its own. Any reader
/// may ask, and each takes the background pool for seconds (minutes on a large portfolio):
/// without this, a few impatient clicks, or a client that retries, kept both threads busy and an
/// import's re-scoring waiting behind them.
actor WorkGate {
    private var inFlight: [String: Task<any Sendable, any Error>] = [:]
    /// The last piece of work started: the next one begins when it has ended.
    private var tail: Task<Void, Never>?

    func answer<Answer: Sendable>(for key: String, _ compute: @escaping @Sendable () async throws -> Answer) async throws -> Answer {
        if let running = inFlight[key] { return try await Self.cast(running.value) }
        let previous = tail
        let task = Task<any Sendable, any Error> {
            await previous?.value
            return try await compute()
        }
        tail = Task { _ = try? await task.value }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await Self.cast(task.value)
    }

    /// The answer of a key is always of the type its first asker computed: the keys name the question.
    private static func cast<Answer>(_ value: any Sendable) throws -> Answer {
        guard let answer = value as? Answer else { throw Refusal(.unavailable, "two different questions were asked under one key") }
        return answer
    }
}

private func svg(_ document: String) -> Response {
    Response(
        status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: document)))
}

/// A backtest as the API answers it: the months, the figures, the grade table and the curves.
struct ModelBacktest: Encodable, Sendable {
    var modelVersion: String
    var monthEnds: [Day]
    var horizonDays: Int
    var labels: String
    /// The figures over every customer-month, and the PD backtest per reference date
    /// (`report.referenceDates`), whose headline date carries the calibration verdict.
    var report: BacktestReport
    /// Each grade of the pooled table (`report.grades`, a customer once per month end) with its
    /// Jeffreys 95 % interval and whether its mean PD lies inside: descriptive, as pooling makes
    /// the intervals too narrow; the verdict is `report.referenceDates`.
    var gradeCalibration: [GradeCalibration]
    var roc: [ROCPointBody]
    var calibration: [CalibrationBin]

    /// A point of the ROC curve; the first one's threshold (+∞, nothing flagged) has no JSON number: null.
    struct ROCPointBody: Encodable, Sendable {
        var falsePositiveRate: Double
        var truePositiveRate: Double
        var threshold: Double?
    }

    struct GradeCalibration: Encodable, Sendable {
        var grade: String
        var lower: Double?
        var upper: Double?
        var calibrated: Bool?
    }

    init(_ plan: SnapshotPlan, _ entry: ModelComparisonEntry) {
        modelVersion = entry.version
        monthEnds = plan.monthEnds
        horizonDays = plan.horizonDays
        labels = plan.labels
        report = entry.report
        gradeCalibration = entry.report.grades.map { row in
            let interval = row.jeffreysInterval()
            return GradeCalibration(grade: row.grade.code, lower: interval?.lower, upper: interval?.upper, calibrated: row.isCalibrated())
        }
        roc = entry.roc.map {
            ROCPointBody(
                falsePositiveRate: $0.falsePositiveRate, truePositiveRate: $0.truePositiveRate, threshold: $0.threshold.isFinite ? $0.threshold : nil)
        }
        calibration = entry.calibration
    }
}

/// The model as the API shows it: its identity, provenance, validation and every rule it weighs.
struct ModelDescription: Encodable, Sendable {
    var version: String
    var summary: String
    var provenance: ModelProvenance?
    var components: ScoringModel.Components
    var calibration: ScoringModel.PDCalibration?
    var gradeScale: [ScoringModel.GradeBand]
    /// The fit sample's day, when the model can be monitored.
    var monitoringBaselineAsOf: Day?

    init(_ model: ScoringModel) {
        version = model.version
        summary = model.summary
        provenance = model.provenance
        components = model.components
        calibration = model.combination.calibration
        gradeScale = model.gradeScale
        monitoringBaselineAsOf = model.monitoring?.asOf
    }
}
