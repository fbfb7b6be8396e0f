import CreditCore
import CreditStore
import Foundation
import GRDB
import NIOPosix

/// The application's one door. The HTTP API, the web pages and the CLI call these use cases and
/// nothing else: the store, SQL and GRDB stay behind it (Package.swift gives the adapters no
/// dependency on either), so every rule about reading and writing the data is written here once.
///
/// Built once with the database, the model, the clock and the limits; cheap to copy.
public struct CreditService: Sendable {
    /// The store. Adapters never see it; tests reach it through `@_spi(Testing) import CreditApp`.
    @_spi(Testing) public let database: any DatabaseWriter
    public let model: ScoringModel
    /// The clock, read here at the edge of the core: today's date for every decision and import.
    public let now: @Sendable () -> Date
    /// How long a request that writes waits for the database's writer before it is refused.
    public var maximumWriteWait: Duration
    /// Statement reading (libxml2 with the mapping files); nil when mappings are not available.
    public var statementDecoder: StatementDecoding?
    /// The collections worklist kept in memory, shared by every request of this service.
    public let collectionsIndex: CollectionsIndex
    /// Reminder letters and e-mails from the templates; nil when the templates were not found
    /// (then a reminder run is refused as unavailable).
    public var reminderTemplates: ReminderTemplates?
    /// How old the ledger's latest entry may be before a portfolio scoring run calls the data
    /// stale (`ScoringService.staleAfterDays`).
    public var ledgerStaleAfterDays = ScoringService.defaultStaleAfterDays
    /// Approval authorities and review policy; nil when they were not loaded (then limits set by
    /// people, limit requests and reviews are refused as unavailable).
    public var policies: CreditPolicies?
    /// The cash forecast's policy; nil when its file was not found (then the forecast is refused
    /// as unavailable).
    public var forecastPolicy: CashForecastPolicy?

    public init(
        database: any DatabaseWriter, model: ScoringModel, statementDecoder: StatementDecoding? = nil,
        now: @escaping @Sendable () -> Date = Date.init, maximumWriteWait: Duration = BoundedWriter.defaultMaximumWait
    ) {
        self.database = database
        self.model = model
        self.statementDecoder = statementDecoder
        self.now = now
        self.maximumWriteWait = maximumWriteWait
        self.collectionsIndex = CollectionsIndex(database: database, model: model)
    }

    /// Opens (creating it when missing) the database file at `path`, in WAL mode, with its schema
    /// brought up to date.
    public static func open(
        path: String, model: ScoringModel, statementDecoder: StatementDecoding? = nil,
        now: @escaping @Sendable () -> Date = Date.init, maximumWriteWait: Duration = BoundedWriter.defaultMaximumWait
    ) throws -> CreditService {
        let pool: DatabasePool
        do {
            pool = try CreditDatabase.open(path: path)
        } catch {
            // Opening writes (the WAL, the schema): on a full disk, say so rather than SQLite's I/O error.
            if let free = StorageGuard(databasePath: path).freeBytes(), free < StorageGuard.minimumFreeBytes,
                var failure = StorageFailure(error, operation: "opening the database \((path as NSString).lastPathComponent)")
            {
                failure.cause = .diskFull
                failure.detail = "\(free >> 20) MiB free"
                throw failure
            }
            // Busy: another process writes it and this open had to write too (a new or older
            // database, or one whose WAL another process's first load has set aside).
            if let error = error as? DatabaseError, error.resultCode == .SQLITE_BUSY {
                throw DatabaseOpenError(
                    path: path, reason: "another process is writing it (an import or a scoring run); try again when that has finished")
            }
            throw DatabaseOpenError(path: path, reason: "\(error)")
        }
        var service = CreditService(
            database: pool, model: model, statementDecoder: statementDecoder, now: now, maximumWriteWait: maximumWriteWait)
        service.reminderTemplates = try ReminderTemplates.loadIfPresent()
        service.forecastPolicy = try CashForecastPolicyFile.loadIfPresent()
        return service
    }

    /// A private in-memory database with the full schema: tests and dry runs.
    public static func inMemory(
        model: ScoringModel, statementDecoder: StatementDecoding? = nil, now: @escaping @Sendable () -> Date = Date.init,
        maximumWriteWait: Duration = BoundedWriter.defaultMaximumWait
    ) throws -> CreditService {
        CreditService(
            database: try CreditDatabase.inMemory(), model: model, statementDecoder: statementDecoder, now: now,
            maximumWriteWait: maximumWriteWait)
    }

    /// Today, by the service's clock.
    public var today: Day { Day(containing: now()) }

    // MARK: Use cases

    public var scoring: ScoringService {
        var scoring = ScoringService(database: database, model: model, now: now)
        scoring.staleAfterDays = ledgerStaleAfterDays
        return scoring
    }
    public var orders: OrderChecks { OrderChecks(resources: requestResources) }
    /// Limits shared by the customers of a group.
    public var groups: GroupLimits { GroupLimits(resources: requestResources) }
    public var events: FeedbackEvents { FeedbackEvents(resources: requestResources) }
    /// Activities recorded by collections and each account's timeline.
    public var activities: CollectionsActivities {
        CollectionsActivities(resources: requestResources)
    }
    /// Reminder runs and the outbox of documents they issued.
    public var reminders: ReminderRuns {
        ReminderRuns(
            resources: requestResources,
            templates: reminderTemplates)
    }
    /// Disputes as a workflow: open, assign, comment, resolve, the dispute list, deadline alerts.
    public var disputes: DisputeWorkflow {
        DisputeWorkflow(resources: requestResources)
    }
    public var decisions: CreditDecisions { CreditDecisions(resources: requestResources) }
    /// Limit requests: asked by sales, collections or the credit team, decided within authority.
    public var limitRequests: LimitRequests { LimitRequests(resources: requestResources) }
    /// Periodic reviews by risk class, expiring overrides, and their alerts.
    public var reviews: CreditReviews { CreditReviews(resources: requestResources) }

    /// What the request use cases share: the store, the model, the clock, the writer's wait, the policies.
    var requestResources: RequestResources {
        RequestResources(database: database, model: model, now: now, maximumWait: maximumWriteWait, policies: policies)
    }
    public var applications: AccountApplications {
        AccountApplications(resources: requestResources, decode: statementDecoder)
    }
    /// The worklist and disputes read straight from the store (the reference the index is checked against).
    public var collections: CollectionsLists { CollectionsLists(database: database, model: model) }
    public var indicators: PortfolioKPIReport { PortfolioKPIReport(database: database, model: model) }
    public var portfolio: PortfolioReport { PortfolioReport(database: database) }
    /// The credit team's weekly reports: late payers, grade changes, the cash forecast, the KPI trend.
    public var reports: PortfolioReports { PortfolioReports(database: database, model: model, forecastPolicy: forecastPolicy) }
    public var backtests: BacktestRun { BacktestRun(database: database, model: model) }
    /// Fitting, comparing and monitoring models on this portfolio.
    public var modelWork: ModelWork { ModelWork(database: database, model: model) }
    public var ledgerImports: LedgerImporter { LedgerImporter(database: database, now: now) }
    /// Alerts to work: listed by kind, customer and status, acknowledged.
    public var alerts: AlertDesk { AlertDesk(database: database, model: model, now: now, maximumWait: maximumWriteWait) }
    /// Finding customers and reading one.
    public var customers: CustomerAccounts { CustomerAccounts(database: database, model: model, reviewPolicy: policies?.reviews) }
    /// Customers' billing contacts: who reminders go to, and in which language.
    public var contacts: CustomerContacts { CustomerContacts(database: database, now: now, maximumWait: maximumWriteWait) }

    public func statementImports(maximumDocumentBytes: Int = 20 << 20) throws -> StatementImporter {
        guard let statementDecoder else {
            throw Refusal(.unavailable, "statements cannot be read: the statement mapping files were not found")
        }
        let now = self.now
        return StatementImporter(
            database: database, decode: statementDecoder, maximumDocumentBytes: maximumDocumentBytes,
            today: { Day(containing: now()) })
    }

    // MARK: Reads the adapters used to make by hand

    /// A customer's stored assessments and overrides, oldest first, and its alerts: how its grade
    /// and limit moved, and who decided what; and the last day a run confirmed the latest
    /// assessment unchanged.
    public func history(customerId: String) async throws -> CustomerRecordHistory {
        try await database.read { db in
            let assessments = try AssessmentStore().history(db, customerId: customerId)
            let standing = try CustomerStore().standing(db, customerId: customerId)
            return CustomerRecordHistory(
                assessments: assessments,
                confirmedOn: standing.map(\.asOf).flatMap { day in assessments.last.flatMap { day > $0.asOf ? day : nil } },
                overrides: try OverrideStore().history(db, customerId: customerId),
                alerts: try ActivityStore().alerts(db, customerId: customerId))
        }
    }

    /// The portfolio's base currency, EUR until the first import fixes it.
    public func baseCurrency() async throws -> String {
        try await database.read { try LedgerQueries().baseCurrency($0) } ?? "EUR"
    }

    /// How many customers the ledger holds.
    public func customerCount() async throws -> Int {
        try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") ?? 0 }
    }

    /// Whether the database answers, and what (if anything) stops it from being written.
    public func health() async throws -> StorageHealth {
        _ = try await database.read { try Int.fetchOne($0, sql: "SELECT 1") }
        return StorageHealth.of(databasePath: database.path)
    }

    // MARK: Imports, re-scored

    /// Imports a ledger export, then re-scores the portfolio as of `rescoreAsOf` (nil: no
    /// re-scoring): new evidence changes grades, so when this returns, assessments, order checks
    /// and the worklist all reflect it. The CLI and the API both import through here.
    ///
    /// `firstLoadJournal`: a first load may go through a rollback journal (see
    /// `LedgerImporter.firstLoadJournal`); for the command line, never for a server.
    public func importLedger(
        directory: URL, baseCurrency: String? = nil, rescoreAsOf: Day?, firstLoadJournal: Bool = false,
        progress: (@Sendable (String, Int) -> Void)? = nil
    ) async throws -> Imported<ImportSummary> {
        var ledgerImports = self.ledgerImports
        ledgerImports.firstLoadJournal = firstLoadJournal
        let importer = ledgerImports
        let summary = try await BlockingWork.run {
            try importer.importLedger(directory: directory, baseCurrency: baseCurrency, progress: progress)
        }
        return try await rescored(summary, asOf: rescoreAsOf)
    }

    /// Imports a sector table, then re-scores as `importLedger` does.
    public func importSectors(file: URL, rescoreAsOf: Day?) async throws -> Imported<ImportSummary> {
        let importer = ledgerImports
        let summary = try await BlockingWork.run { try importer.importSectors(file: file) }
        return try await rescored(summary, asOf: rescoreAsOf)
    }

    /// Imports statement documents (files, folders, zips), then re-scores as `importLedger` does.
    /// All or nothing unless `skipInvalid`: then the valid documents are stored and the others
    /// listed in the summary's `refused`.
    public func importStatements(
        paths: [URL], maximumDocumentBytes: Int = 20 << 20, skipInvalid: Bool = false, rescoreAsOf: Day?,
        progress: (@Sendable (String, Int) -> Void)? = nil
    ) async throws -> Imported<StatementImportSummary> {
        let importer = try statementImports(maximumDocumentBytes: maximumDocumentBytes)
        let summary = try await BlockingWork.run {
            try importer.importStatements(paths: paths, skipInvalid: skipInvalid, progress: progress)
        }
        return try await rescored(summary, asOf: rescoreAsOf)
    }

    /// Lists and reads statement documents without the database (`StatementImporter.read`), on
    /// the blocking-work pool: a command line opens its database meanwhile.
    public static func readStatements(
        paths: [URL], decoder: @escaping StatementDecoding, maximumDocumentBytes: Int = 20 << 20, skipInvalid: Bool = false,
        progress: (@Sendable (String, Int) -> Void)? = nil
    ) async throws -> StatementImporter.ReadDocuments {
        try await BlockingWork.run {
            try StatementImporter.read(
                paths: paths, decode: decoder, maximumDocumentBytes: maximumDocumentBytes, skipInvalid: skipInvalid, progress: progress)
        }
    }

    /// Stores documents `readStatements` read, then re-scores as `importLedger` does.
    public func storeStatements(_ read: StatementImporter.ReadDocuments, rescoreAsOf: Day?) async throws -> Imported<StatementImportSummary> {
        let importer = try statementImports()
        let summary = try await BlockingWork.run { try importer.store(read) }
        return try await rescored(summary, asOf: rescoreAsOf)
    }

    /// Loads a generated portfolio folder (ledger CSVs and `statements/`) and scores it as of
    /// `scoreAsOf` (the ledger's last day when nil): what `creditrisk demo` and the server's first
    /// start on an empty database do. With `movedTo`, the whole portfolio is moved in time so
    /// that its last ledger day is that day and its statements keep their age (the files stay
    /// as generated): a demo generated months ago still tells its story as of yesterday.
    public func loadPortfolio(
        from folder: URL, scoreAsOf: Day?, movedTo: Day? = nil, progress: (@Sendable (String, Int) -> Void)? = nil
    ) async throws -> (ledger: ImportSummary, statements: StatementImportSummary?, scoring: ScoringRunSummary) {
        let database = self.database
        let decoder = statementDecoder
        let now = self.now
        let loaded = try await BlockingWork.run {
            try DemoPortfolio.load(
                from: folder, into: database, decode: decoder, today: { Day(containing: now()) }, progress: progress)
        }
        if let movedTo, let last = try await database.read({ try LedgerQueries().latestLedgerDay($0) }), last != movedTo {
            try await database.write { try LedgerTimeShift().shift($0, days: movedTo - last) }
        }
        let day = try scoreAsOf ?? portfolio.latestDay(notAfter: today)
        let run = try await scoring.scoreAndStore(asOf: day)
        return (loaded.ledger, loaded.statements, run)
    }

    private func rescored<Summary: Sendable>(_ summary: Summary, asOf day: Day?) async throws -> Imported<Summary> {
        guard let day else { return Imported(summary: summary, scoring: nil) }
        do {
            let run = try await scoring.scoreAndStore(asOf: day)
            // The run wrote after the import's own checkpoint: the disk may have filled since.
            let storage = StorageGuard(databasePath: database.path)
            let warnings = try await database.writeWithoutTransaction { db in storage.warningsAfterCommit(db) }
            return Imported(summary: summary, scoring: run, warnings: warnings)
        } catch {
            // The import is committed: say so, and what is left to do, rather than "nothing was stored".
            guard var failure = StorageFailure(error, operation: "the re-scoring after the import") else { throw error }
            failure.stored =
                "the import itself is stored, and the customers scored before the failure too; "
                + "the others keep their earlier grades until the next scoring run (`creditrisk score`, or the daily run)"
            throw failure
        }
    }
}

/// An import's own summary and the scoring run that followed it (nil when none was asked for).
public struct Imported<Summary: Sendable>: Sendable {
    public var summary: Summary
    public var scoring: ScoringRunSummary?
    /// What went wrong with the storage after the re-scoring was stored (the disk filled up).
    public var warnings: [String] = []
}

/// A customer's stored decisions over time.
public struct CustomerRecordHistory: Sendable {
    public var assessments: [StoredAssessment]
    /// The last day a scoring run found the latest assessment unchanged (same decision on the
    /// same evidence) and kept it rather than storing it again; nil when none did since.
    public var confirmedOn: Day?
    public var overrides: [OverrideStore.Stored]
    public var alerts: [Alert]
}

/// The database file could not be opened (missing folder, not a database, no permission).
public struct DatabaseOpenError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "cannot open database \(path): \(reason)" }
}

/// Long blocking work, written once: never on Swift's cooperative threads, of which there are only
/// as many as cores, so that a blocked one stalls every request.
public enum BlockingWork {
    /// Work a request waits for (unpacking an upload, an import, ranking a worklist): NIO's
    /// shared thread pool, the one Hummingbird's own file I/O uses.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// `transform` over `items` in one chunk per core, each on the background pool, results in
    /// the items' order: for batches of independent pure work (scoring customers, measuring snapshots).
    public static func backgroundMap<Item: Sendable, Result: Sendable>(
        _ items: [Item], minimumPerWorker: Int = 64, _ transform: @escaping @Sendable (Item) -> Result
    ) async throws -> [Result] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count / max(1, minimumPerWorker) + 1))
        let chunk = (items.count + workers - 1) / workers
        return try await withThrowingTaskGroup(of: (Int, [Result]).self) { group in
            for worker in 0..<workers {
                let part = Array(items[min(worker * chunk, items.count)..<min((worker + 1) * chunk, items.count)])
                group.addTask { try await background { (worker, part.map(transform)) } }
            }
            var parts = [[Result]](repeating: [], count: workers)
            for try await (worker, results) in group { parts[worker] = results }
            return parts.flatMap { $0 }
        }
    }

    /// Work no request waits for (scoring a whole portfolio): a pool of its own, one thread per
    /// core, whose threads run at a lower priority (nice 10). On a busy machine the threads that
    /// answer requests get the cores first, and the run takes what is left.
    public static func background<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await backgroundPool.runIfActive {
            // Per thread on Linux (the nice value is a thread's attribute); raising it needs no privilege.
            _ = setpriority(__priority_which_t(0), 0, 10)
            return try body()
        }
    }

    static let backgroundPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()
}
