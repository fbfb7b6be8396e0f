import CreditCore
import CreditStore
import Dispatch
import Foundation
import GRDB

/// What a scoring run did: how many customers, the grades they got, the alerts it raised.
public struct ScoringRunSummary: Sendable, Codable, Hashable {
    public var asOf: Day
    public var modelVersion: String
    public var customers: Int
    /// Customers per grade code, in the model's order.
    public var grades: [GradeCount]
    public var alerts: Int

    public struct GradeCount: Sendable, Codable, Hashable {
        public var grade: String
        public var customers: Int
    }
}

/// Scores customers as of a day with one model, stores each assessment with the evidence it
/// used, and raises alerts for downgrades and limits below exposure.
///
/// The evidence for a customer holds only what was known on the as-of day: the ledger up to
/// that day and the latest statement that had been published by then (a year's accounts are
/// taken as public `publicationLagDays` (model file) after the year end, so a backtest never reads
/// accounts nobody had yet).
public struct ScoringService: Sendable {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    public let now: @Sendable () -> Date

    /// How many customers one transaction of a portfolio run holds (`defaultCustomersPerTransaction`).
    public let customersPerTransaction: Int

    public init(
        database: any DatabaseWriter, model: ScoringModel, now: @escaping @Sendable () -> Date = Date.init,
        customersPerTransaction: Int = ScoringService.defaultCustomersPerTransaction
    ) {
        self.customersPerTransaction = max(1, customersPerTransaction)
        self.database = database
        self.model = model
        self.now = now
    }

    /// Assesses one customer without storing anything: what `explain` and the API show.
    public func assess(customerId: String, asOf day: Day) throws -> Assessment? {
        try database.read { db in try assess(db, customerId: customerId, asOf: day) }
    }

    /// Assesses one customer inside the caller's transaction.
    func assess(_ db: Database, customerId: String, asOf day: Day) throws -> Assessment? {
        let context = try EvidenceContext(db, model: model)
        var result: Assessment?
        try LedgerHistories().forEach(db, asOf: day, customerId: customerId) { history in
            result = Scorer(model: model).assess(try context.evidence(db, history, asOf: day))
        }
        return result
    }

    /// Scores the whole portfolio as of `day` unless every customer already has an assessment as
    /// of that day or later: the daily run, safe to call as often as one likes.
    public func scoreIfStale(asOf day: Day) async throws -> ScoringRunSummary? {
        guard try await database.read({ try AssessmentStore().hasCustomersNotAssessed($0, since: day) }) else { return nil }
        return try await scoreAndStore(asOf: day)
    }

    /// How many customers one transaction of a portfolio run scores and stores: about a quarter
    /// of a second of the writer at a time, so an order check or an event waiting for the writer
    /// gets in between two slices instead of after the whole run.
    public static let defaultCustomersPerTransaction = 2048

    /// Scores every customer (or one) as of `day` and stores the assessments.
    ///
    /// A portfolio run goes in slices of `customersPerTransaction` customers in id order, each
    /// read, scored and stored in its own write transaction: every stored assessment is consistent
    /// with the ledger it was computed from, and a run killed half way leaves whole slices, which
    /// the next daily run completes. Alerts compare with the grades as they were when the run began.
    public func scoreAndStore(
        asOf day: Day, customerId: String? = nil, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ScoringRunSummary {
        let createdAt = Timestamp.string(now())
        if let customerId {
            let tally = try await database.write { db in try storeOne(db, customerId: customerId, asOf: day, createdAt: createdAt) }
            return summary(tally, asOf: day)
        }
        let (bounds, previous) = try await database.read { db in
            (try LedgerHistories().sliceBounds(db, size: customersPerTransaction), try AssessmentStore().latestGrades(db))
        }
        var tally = RunTally()
        var after: String?
        // The last slice is open at the end, so customers added since the bounds were read are scored too.
        for through in bounds.map(Optional.some) + [nil] {
            let slice = LedgerHistories.Selection.slice(after: after, through: through)
            let part = try await database.write { db -> RunTally in
                let part = try store(db, selection: slice, asOf: day, previous: previous, createdAt: createdAt)
                if through == nil { try CollectionsChangeLog().touchAll(db) }
                return part
            }
            tally.add(part)
            progress?(tally.customers)
            after = through
        }
        return summary(tally, asOf: day)
    }

    /// Re-scores one customer inside the caller's transaction (an event and the grade it changes
    /// are stored together) and returns the new assessment as stored; nil for an unknown customer.
    func storeOne(_ db: Database, customerId: String, asOf day: Day, createdAt: String) throws -> RunTally {
        let previous = try AssessmentStore().latest(db, customerId: customerId).map {
            [customerId: (grade: $0.grade, asOf: $0.asOf, pd: $0.pd)]
        }
        let tally = try store(db, selection: .one(customerId), asOf: day, previous: previous ?? [:], createdAt: createdAt)
        // An unknown customer scores nothing and changes nothing: no change-log row.
        if tally.customers > 0 { try CollectionsChangeLog().touch(db, customerId: customerId) }
        return tally
    }

    /// What one or more transactions of a run did.
    struct RunTally {
        var customers = 0
        var alerts = 0
        var grades: [String: Int] = [:]

        mutating func add(_ other: RunTally) {
            customers += other.customers
            alerts += other.alerts
            grades.merge(other.grades, uniquingKeysWith: +)
        }
    }

    private func summary(_ tally: RunTally, asOf day: Day) -> ScoringRunSummary {
        let grades = model.grades.map(\.code).compactMap { code in
            tally.grades[code].map { ScoringRunSummary.GradeCount(grade: code, customers: $0) }
        }
        return ScoringRunSummary(
            asOf: day, modelVersion: model.version, customers: tally.customers, grades: grades, alerts: tally.alerts)
    }

    /// Scores the selected customers and stores their assessments and alerts in the caller's
    /// transaction. While a batch is scored on the worker threads, this thread reads the next one
    /// and stores the one before: reading, scoring and writing overlap.
    private func store(
        _ db: Database, selection: LedgerHistories.Selection, asOf day: Day,
        previous: [String: (grade: String, asOf: Day, pd: Double)], createdAt: String
    ) throws -> RunTally {
        let context = try EvidenceContext(db, model: model)
        let store = AssessmentStore()
        let scorer = Scorer(model: model)
        var tally = RunTally()
        func keep(_ results: [(Assessment, Data)]) throws {
            for (assessment, detail) in results {
                try store.save(
                    db,
                    StoredAssessment(
                        customerId: assessment.customerId, asOf: assessment.asOf,
                        modelVersion: assessment.modelVersion, grade: assessment.grade.code, pd: assessment.pd,
                        score: assessment.score, suggestedLimit: assessment.suggestedLimit,
                        exposure: assessment.exposure, detail: detail, createdAt: createdAt))
                tally.grades[assessment.grade.code, default: 0] += 1
                for alert in ScoringService.alerts(
                    for: assessment, previous: previous[assessment.customerId], scale: model, createdAt: createdAt)
                {
                    try store.add(db, alert)
                    tally.alerts += 1
                }
            }
            tally.customers += results.count
        }
        var batch: [CustomerEvidence] = []
        var scoring: ScoringJob?
        try LedgerHistories().forEach(db, asOf: day, selection: selection) { history in
            batch.append(try context.evidence(db, history, asOf: day))
            if batch.count == 1024 {
                let next = ScoringJob(batch, scorer: scorer)
                batch.removeAll(keepingCapacity: true)
                if let scoring { try keep(scoring.results()) }
                scoring = next
            }
        }
        if let scoring { try keep(scoring.results()) }
        if batch.count == 1 {
            // One customer (an event's re-scoring): no thread hop for it.
            let assessment = scorer.assess(batch[0])
            try keep([(assessment, (try? JSONEncoder().encode(assessment)) ?? Data("{}".utf8))])
        } else if !batch.isEmpty {
            try keep(ScoringJob(batch, scorer: scorer).results())
        }
        return tally
    }

    /// Scores a batch on every core: the core is pure, so customers are independent. Returns
    /// each assessment with its JSON, encoded on the same worker.
    static func assessInParallel(_ batch: [CustomerEvidence], scorer: Scorer) -> [(Assessment, Data)] {
        let results = IndexedResults<(Assessment, Data)>(count: batch.count)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = (batch.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let encoder = JSONEncoder()
            let start = worker * chunk
            for index in start..<min(start + chunk, batch.count) {
                let assessment = scorer.assess(batch[index])
                let detail = (try? encoder.encode(assessment)) ?? Data("{}".utf8)
                results.set(index, (assessment, detail))
            }
        }
        return results.values
    }

    /// The core's alert rules, stamped for storage.
    static func alerts(
        for assessment: Assessment, previous: (grade: String, asOf: Day, pd: Double)?, scale: ScoringModel, createdAt: String
    ) -> [Alert] {
        AlertRules.alerts(
            for: assessment, previous: previous.map { AlertRules.Previous(grade: $0.grade, asOf: $0.asOf) }, model: scale
        ).map {
            Alert(
                customerId: assessment.customerId, kind: $0.kind.rawValue, detail: $0.detail, asOf: assessment.asOf,
                createdAt: createdAt)
        }
    }
}

/// Sector table, portfolio fallback and statements: what evidence needs beyond the ledger.
struct EvidenceContext {
    let sectors: [String: Sector]
    let portfolioSector: Sector
    let statements = StatementStore()
    /// When a statement counts as known (the model's publication rule).
    let statementRule: ScoringModel.Financial

    init(_ db: Database, model: ScoringModel) throws {
        statementRule = model.financial
        sectors = try SectorQueries().all(db)
        portfolioSector =
            try SectorQueries().portfolioAverage(db)
            ?? Sector(
                code: "*", label: "no sector table", averageDaysBeyondTerms: 0, averageDSODays: 0,
                annualFailureRate: 0.02, period: "", source: "default used when no sector table was imported")
    }

    func evidence(_ db: Database, _ history: CustomerHistory, asOf day: Day) throws -> CustomerEvidence {
        let statement = try history.customer.registrationId.flatMap {
            try statements.latest(db, registrationId: $0, knownOn: day, rule: statementRule)
        }
        return CustomerEvidence(
            customer: history.customer, asOf: day, invoices: history.invoices, payments: history.payments,
            disputes: history.disputes, sector: sectors[history.customer.sectorCode], portfolioSector: portfolioSector,
            statement: statement, defaultFlag: false, pendingOrders: history.pendingOrders, promises: history.promises)
    }
}

/// A batch being scored in the background; `results()` waits for it.
private final class ScoringJob: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once by the worker before `group` is left, read only after `group.wait()`.
    private var output: [(Assessment, Data)] = []

    init(_ batch: [CustomerEvidence], scorer: Scorer) {
        DispatchQueue.global().async(group: group) { [self] in
            output = ScoringService.assessInParallel(batch, scorer: scorer)
        }
    }

    func results() -> [(Assessment, Data)] {
        group.wait()
        return output
    }
}
