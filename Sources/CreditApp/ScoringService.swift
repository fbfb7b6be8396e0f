import CreditCore
import CreditStore
import Crypto
import Foundation
import GRDB
import StreamingJSON

/// What a scoring run did: how many customers, the grades they got, the alerts it raised.
public struct ScoringRunSummary: Sendable, Codable, Hashable {
    public var asOf: Day
    public var modelVersion: String
    public var customers: Int
    /// Customers per grade code, in the model's order.
    public var grades: [GradeCount]
    public var alerts: Int
    /// Customers whose assessment in force was confirmed as it stood (same decision on the same
    /// evidence): their history gained no row, only the day of the confirmation.
    public var unchanged: Int

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
    /// How old the ledger's latest entry may be before a portfolio run calls the data stale
    /// (an alert, and a caveat on every downgrade it raises).
    public var staleAfterDays = ScoringService.defaultStaleAfterDays
    public static let defaultStaleAfterDays = 7

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

    /// How many customers one slice of a portfolio run reads, scores and stores together.
    public static let defaultCustomersPerTransaction = 2048

    /// Scores every customer (or one) as of `day` and stores the assessments.
    ///
    /// A portfolio run goes in slices of `customersPerTransaction` customers in id order, as a
    /// pipeline: while one slice's evidence is read (on a reader connection, beside requests) and
    /// scored (on the background thread pool), the slice before is stored in a short write
    /// transaction of its own. The writer is held only for the inserts, so an order check or an
    /// event waiting for it gets in between two slices; a run killed half way leaves whole
    /// slices, which the next daily run completes. A customer whose ledger changed between the
    /// read and the write (an event) is scored again inside the write, so every stored
    /// assessment matches the ledger it was written over. Alerts compare with the grades as they
    /// were when the run began.
    public func scoreAndStore(
        asOf day: Day, customerId: String? = nil, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ScoringRunSummary {
        // An assessment is a decision in force from its day: one dated ahead would stand as the
        // customer's until that day came, whatever later runs found.
        if let problem = InputBounds.standard.pastDayProblem(day, today: Day(containing: now())) {
            throw Refusal.invalid(field: "asOf", "\(day.iso) \(problem)")
        }
        let createdAt = Timestamp.string(now())
        if let customerId {
            let tally = try await database.write { db in try storeOne(db, customerId: customerId, asOf: day, createdAt: createdAt) }
            return summary(tally, asOf: day)
        }
        let staleAfter = staleAfterDays
        let (bounds, previous, freshness) = try await database.read { db in
            (
                try LedgerHistories().sliceBounds(db, size: customersPerTransaction), try AssessmentStore().latestGrades(db),
                try LedgerQueries().latestLedgerDay(db).map { DataFreshness(latestEntry: $0, asOf: day, staleAfterDays: staleAfter) }
            )
        }
        // The last slice is open at the end, so customers added since the bounds were read are scored too.
        let slices = LedgerHistories.slices(bounds: bounds)
        var tally = RunTally()
        var prepared: Task<PreparedSlice, any Error>? = nil
        for (index, slice) in slices.enumerated() {
            let next = Task { try await prepare(slice, asOf: day) }
            if let prepared {
                tally.add(
                    try await store(
                        try await prepared.value, asOf: day, previous: previous, freshness: freshness, createdAt: createdAt, last: false))
                progress?(tally.customers)
            }
            prepared = next
            if index == slices.count - 1 {
                tally.add(
                    try await store(try await next.value, asOf: day, previous: previous, freshness: freshness, createdAt: createdAt, last: true))
                progress?(tally.customers)
            }
        }
        // The portfolio's freshness alert: raised while the data is stale, closed once it is not.
        if let freshness {
            try await database.write { db in
                if let alert = freshness.alert {
                    try AlertStore().raise(db, Alert(alert, customerId: nil, asOf: day, createdAt: createdAt))
                } else {
                    try AlertStore().close(db, customerId: nil, kind: .dataFreshness, on: day)
                }
            }
        }
        return summary(tally, asOf: day)
    }

    /// One slice read and scored, waiting to be stored.
    struct PreparedSlice: Sendable {
        var selection: LedgerHistories.Selection
        var results: [ScoredCustomer]
        /// The change log's last entry when the evidence was read: later entries name the
        /// customers whose ledger moved since.
        var changeSeq: Int64
    }

    /// An assessment with its JSON, as stored (deflated), and the fingerprint of its verdict.
    struct ScoredCustomer: Sendable {
        var assessment: Assessment
        var detail: Data
        var packed: PackedDetail
        var fingerprint: Data

        /// Encodes, deflates and fingerprints `assessment`: the CPU part of storing it, done by
        /// the worker that scored it.
        init(_ assessment: Assessment) {
            self.assessment = assessment
            // Written by hand (`AssessmentJSON.swift`); what that refuses (a non-finite figure)
            // goes the general way, which stores `{}` when `JSONEncoder` refuses it too.
            detail = (try? Data(assessment.detailJSON())) ?? (try? StreamingJSONEncoder().encodeOrFallBack(assessment)) ?? Data("{}".utf8)
            packed = PackedDetail(json: detail)
            fingerprint = Self.fingerprint(assessment)
        }

        /// The first 16 bytes of the SHA-256 of the verdict's JSON (keys sorted, so the same
        /// verdict gives the same bytes in every process): two assessments with the same
        /// fingerprint decided the same on the same evidence (`Assessment.verdict`).
        static func fingerprint(_ assessment: Assessment) -> Data {
            // The bytes of `JSONEncoder` with sorted keys, written by hand (a test holds them equal).
            // A verdict that does not encode (a non-finite figure) never matches: it is stored.
            guard let json = try? assessment.verdictJSON() else { return Data() }
            return Data(SHA256.hash(data: json).prefix(16))
        }
    }

    /// Reads a slice's evidence (one read transaction) and scores it on the background pool.
    func prepare(_ selection: LedgerHistories.Selection, asOf day: Day) async throws -> PreparedSlice {
        let model = self.model
        let (evidence, seq) = try await database.read { db -> ([CustomerEvidence], Int64) in
            let context = try EvidenceContext(db, model: model)
            let withStatements = try context.statements.registrationsWithStatements(db, among: selection)
            var evidence: [CustomerEvidence] = []
            try LedgerHistories().forEach(db, asOf: day, selection: selection) { history in
                evidence.append(try context.evidence(db, history, asOf: day, withStatements: withStatements))
            }
            return (evidence, try CollectionsChangeLog().lastSeq(db))
        }
        let results = try await Self.assessInParallel(evidence, scorer: Scorer(model: model))
        return PreparedSlice(selection: selection, results: results, changeSeq: seq)
    }

    /// Stores a prepared slice in one write transaction; customers whose ledger changed since it
    /// was read are scored again here, on the ledger as it now is.
    func store(
        _ slice: PreparedSlice, asOf day: Day, previous: [String: (grade: String, asOf: Day, pd: Double)], freshness: DataFreshness?,
        createdAt: String, last: Bool
    ) async throws -> RunTally {
        try await database.write { db -> RunTally in
            let changed = try CollectionsChangeLog().changes(db, after: slice.changeSeq).customers
            var tally: RunTally
            if let changed {
                let fresh = slice.results.filter { !changed.contains($0.assessment.customerId) }
                tally = try keep(db, fresh, previous: previous, freshness: freshness, createdAt: createdAt)
                for customer in slice.results.map(\.assessment.customerId) where changed.contains(customer) {
                    tally.add(
                        try store(db, selection: .one(customer), asOf: day, previous: previous, freshness: freshness, createdAt: createdAt))
                }
            } else {
                // Everything may have changed (an import in between): the slice is read again here.
                tally = try store(
                    db, selection: slice.selection, asOf: day, previous: previous, freshness: freshness, createdAt: createdAt)
            }
            if last { try CollectionsChangeLog().touchAll(db) }
            return tally
        }
    }

    /// Re-scores one customer inside the caller's transaction (an event and the grade it changes
    /// are stored together) and returns the new assessment as stored; nil for an unknown customer.
    func storeOne(_ db: Database, customerId: String, asOf day: Day, createdAt: String) throws -> RunTally {
        let previous = try AssessmentStore().latestGrade(db, customerId: customerId).map { [customerId: $0] }
        let tally = try store(
            db, selection: .one(customerId), asOf: day, previous: previous ?? [:], freshness: nil, createdAt: createdAt)
        // An unknown customer scores nothing and changes nothing: no change-log row.
        if tally.customers > 0 { try CollectionsChangeLog().touch(db, customerId: customerId) }
        return tally
    }

    /// What one or more transactions of a run did.
    struct RunTally {
        var customers = 0
        var alerts = 0
        var unchanged = 0
        var grades: [String: Int] = [:]

        mutating func add(_ other: RunTally) {
            customers += other.customers
            alerts += other.alerts
            unchanged += other.unchanged
            grades.merge(other.grades, uniquingKeysWith: +)
        }
    }

    private func summary(_ tally: RunTally, asOf day: Day) -> ScoringRunSummary {
        let grades = model.grades.map(\.code).compactMap { code in
            tally.grades[code].map { ScoringRunSummary.GradeCount(grade: code, customers: $0) }
        }
        return ScoringRunSummary(
            asOf: day, modelVersion: model.version, customers: tally.customers, grades: grades, alerts: tally.alerts,
            unchanged: tally.unchanged)
    }

    /// Scores the selected customers and stores their assessments and alerts in the caller's
    /// transaction: one customer's re-scoring after an event, or a slice read again.
    private func store(
        _ db: Database, selection: LedgerHistories.Selection, asOf day: Day,
        previous: [String: (grade: String, asOf: Day, pd: Double)], freshness: DataFreshness?, createdAt: String
    ) throws -> RunTally {
        let context = try EvidenceContext(db, model: model)
        let scorer = Scorer(model: model)
        var scored: [ScoredCustomer] = []
        try LedgerHistories().forEach(db, asOf: day, selection: selection) { history in
            scored.append(ScoredCustomer(scorer.assess(try context.evidence(db, history, asOf: day))))
        }
        return try keep(db, scored, previous: previous, freshness: freshness, createdAt: createdAt)
    }

    /// Stores assessments and the alerts they raise, in the caller's transaction: an assessment
    /// that only repeats the one in force (same fingerprint, a day on or after its standing) is
    /// recorded as a confirmation instead of a new row; an alert already open is not raised
    /// again, and a customer's limit-below-exposure alert closes once its assessment no longer
    /// raises it.
    private func keep(
        _ db: Database, _ results: [ScoredCustomer], previous: [String: (grade: String, asOf: Day, pd: Double)],
        freshness: DataFreshness?, createdAt: String
    ) throws -> RunTally {
        let store = AssessmentStore()
        let alerts = AlertStore()
        let belowExposure = try alerts.customersWithUnclosed(db, kind: .limitBelowExposure)
        var tally = RunTally()
        for result in results {
            let assessment = result.assessment
            if let standing = try store.standingVerdict(db, customerId: assessment.customerId), standing.fingerprint == result.fingerprint,
                assessment.asOf >= standing.asOf
            {
                try store.confirm(db, customerId: assessment.customerId, on: assessment.asOf, overdue: assessment.paymentProfile.agedBalance.overdue)
                tally.unchanged += 1
            } else {
                try store.save(
                    db,
                    StoredAssessment(
                        customerId: assessment.customerId, asOf: assessment.asOf, modelVersion: assessment.modelVersion,
                        grade: assessment.grade.code, pd: assessment.pd, score: assessment.score,
                        suggestedLimit: assessment.suggestedLimit, exposure: assessment.exposure,
                        overdue: assessment.paymentProfile.agedBalance.overdue, detail: result.detail,
                        createdAt: createdAt, paymentDelayDays: assessment.paymentProfile.signedAverageDaysBeyondTerms,
                        thinFile: assessment.paymentProfile.isThinFile),
                    packed: result.packed, fingerprint: result.fingerprint)
            }
            tally.grades[assessment.grade.code, default: 0] += 1
            let raised = AlertRules.alerts(
                for: assessment, previous: previous[assessment.customerId].map { AlertRules.Previous(grade: $0.grade, asOf: $0.asOf) },
                model: model, freshness: freshness)
            for alert in raised
            where try alerts.raise(db, Alert(alert, customerId: assessment.customerId, asOf: assessment.asOf, createdAt: createdAt)) {
                tally.alerts += 1
            }
            if belowExposure.contains(assessment.customerId), !raised.contains(where: { $0.kind == .limitBelowExposure }) {
                try alerts.close(db, customerId: assessment.customerId, kind: .limitBelowExposure, on: assessment.asOf)
            }
        }
        tally.customers += results.count
        return tally
    }

    /// Scores a batch on every core of the background pool: the core is pure, so customers are
    /// independent. Each assessment is encoded as JSON on the same worker.
    static func assessInParallel(_ batch: [CustomerEvidence], scorer: Scorer) async throws -> [ScoredCustomer] {
        try await BlockingWork.backgroundMap(batch, minimumPerWorker: 256) { evidence in
            ScoredCustomer(scorer.assess(evidence))
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
    /// The ledger's currency, in which limits are stated (nil before any ledger import).
    let ledgerCurrency: String?

    init(_ db: Database, model: ScoringModel) throws {
        statementRule = model.financial
        ledgerCurrency = try LedgerQueries().baseCurrency(db)
        sectors = try SectorQueries().all(db)
        portfolioSector =
            try SectorQueries().portfolioAverage(db)
            ?? Sector(
                code: "*", label: "no sector table", averageDaysBeyondTerms: 0, averageDSODays: 0,
                annualFailureRate: 0.02, period: "", source: "default used when no sector table was imported")
    }

    /// `withStatements`: the registration ids known to have a statement stored, when the
    /// caller looked them up for many customers at once; the others are not asked for one.
    func evidence(_ db: Database, _ history: CustomerHistory, asOf day: Day, withStatements: Set<String>? = nil) throws -> CustomerEvidence {
        let statement = try history.customer.registrationId.flatMap { id in
            withStatements?.contains(id) == false ? nil : try statements.latest(db, registrationId: id, knownOn: day, rule: statementRule)
        }
        return evidence(history, asOf: day, statement: statement)
    }

    /// The evidence of a history read up to `day`, with the statement already chosen.
    func evidence(_ history: CustomerHistory, asOf day: Day, statement: FinancialStatement?) -> CustomerEvidence {
        CustomerEvidence(
            customer: history.customer, asOf: day, invoices: history.invoices, payments: history.payments,
            disputes: history.disputes, sector: sectors[history.customer.sectorCode], portfolioSector: portfolioSector,
            statement: statement, defaultFlag: false, pendingOrders: history.pendingOrders, promises: history.promises,
            ledgerCurrency: ledgerCurrency)
    }
}
