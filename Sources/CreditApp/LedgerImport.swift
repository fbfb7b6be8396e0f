import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader

/// What one file of an import did to the store.
public struct FileImportSummary: Sendable, Codable, Hashable {
    public var kind: LedgerFileKind
    public var fileName: String
    public var sha256: String
    public var rowsRead: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
}

/// What an import did, file by file, and what it left aside.
public struct ImportSummary: Sendable, Codable, Hashable {
    public var files: [FileImportSummary]
    /// Files in the folder that are not part of a ledger export (read nothing from them).
    public var ignoredFiles: [String]
    public var baseCurrency: String
    /// What went wrong after the import was stored (the disk filled up): the data is safe, but
    /// later writes may fail until space is freed.
    public var warnings: [String] = []
}

/// Progress of a running import: the file being read and the data rows read from it so far.
public typealias ImportProgress = (_ fileName: String, _ rows: Int) -> Void

/// Imports ledger and sector files into the store, all or nothing.
///
/// Every file of one call is read and written inside a single transaction. Rows are checked as
/// they stream by (types, dates, references, duplicates, currency) and valid ones are written
/// at once, so memory stays flat whatever the file size; if anything at all was wrong the
/// transaction is rolled back and the error lists the problems, so the store is exactly as it was.
public struct LedgerImporter: Sendable {
    /// Why an invoice with more payments than `LedgerWriter.maximumPaymentsPerInvoice` is refused,
    /// whether a merge finds it row by row or a first load at its end.
    static let tooManyPayments =
        ": an invoice paid in that many parts is not a plausible ledger (payment rows repeated under new ids?); check the export"

    public let database: any DatabaseWriter
    public let now: @Sendable () -> Date
    public let problemLimit: Int
    /// Whether a first load into an empty database file may go through a rollback journal
    /// (`FirstLoadJournal`): for a process that serves no reads meanwhile, such as the command
    /// line. Off, as a server needs it: its readers go on reading the WAL during the import.
    public var firstLoadJournal = false

    public init(database: any DatabaseWriter, problemLimit: Int = 50, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.problemLimit = problemLimit
        self.now = now
    }

    /// Imports the ledger files found in `directory` (customers, invoices, payments, disputes,
    /// and sectors when present). A newer export of the same ledger updates rows by id.
    ///
    /// - Parameter baseCurrency: the portfolio's currency; required to match the stored one once set.
    public func importLedger(
        directory: URL, baseCurrency: String? = nil, progress: ImportProgress? = nil
    ) throws -> ImportSummary {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard !names.isEmpty || FileManager.default.fileExists(atPath: directory.path) else {
            throw LedgerImportError(
                problems: [LocatedProblem(file: directory.lastPathComponent, message: "is not a folder that can be read")],
                totalCount: 1)
        }
        let known = Set(LedgerFileKind.allCases.map(\.fileName))
        let files = LedgerFileKind.importOrder.compactMap { kind -> (LedgerFileKind, URL)? in
            names.contains(kind.fileName) ? (kind, directory.appendingPathComponent(kind.fileName)) : nil
        }
        guard !files.isEmpty else {
            throw LedgerImportError(
                problems: [
                    LocatedProblem(
                        file: directory.lastPathComponent,
                        message: "holds none of the ledger files ("
                            + LedgerFileKind.importOrder.map(\.fileName).joined(separator: ", ") + ")")
                ], totalCount: 1)
        }
        let ignored = names.filter { !known.contains($0) && !$0.hasPrefix(".") }.sorted()
        var summary = try importFiles(files, baseCurrency: baseCurrency, progress: progress)
        summary.ignoredFiles = ignored
        return summary
    }

    /// Imports a sector table on its own.
    public func importSectors(file: URL, progress: ImportProgress? = nil) throws -> ImportSummary {
        try importFiles([(.sectors, file)], baseCurrency: nil, progress: progress)
    }

    func importFiles(
        _ files: [(LedgerFileKind, URL)], baseCurrency requested: String?, progress: ImportProgress?
    ) throws -> ImportSummary {
        let importedAt = Timestamp.string(now())
        let storage = StorageGuard(databasePath: database.path)
        let operation = files.contains { $0.0 != .sectors } ? "the ledger import" : "the sector import"
        // Refused by name before anything is read: a pipe would be waited on for ever, a device
        // read without end, and a folder where a file belongs gave only Foundation's "(null)".
        let unreadable = files.compactMap { _, url -> LocatedProblem? in
            if DocumentFile.isSpecial(url.path) { return LocatedProblem(file: url.lastPathComponent, message: DocumentFile.notAFileMessage) }
            if DocumentFile.status(of: url.path)?.isFolder == true {
                return LocatedProblem(file: url.lastPathComponent, message: "is a folder, not a CSV file: only files are read")
            }
            return nil
        }
        guard unreadable.isEmpty else { throw LedgerImportError(problems: unreadable, totalCount: unreadable.count) }
        try storage.checkRoom(forInputBytes: StorageGuard.size(of: files.map(\.1)), operation: operation)
        return try storage.refusingStorageErrors(operation: operation) {
            try write(files, baseCurrency: requested, importedAt: importedAt, storage: storage, progress: progress)
        }
    }

    private func write(
        _ files: [(LedgerFileKind, URL)], baseCurrency requested: String?, importedAt: String, storage: StorageGuard,
        progress: ImportProgress?
    ) throws -> ImportSummary {
        try database.writeWithoutTransaction { db in
            // A larger page cache for the import's own connection keeps the indexes being built in memory.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -16000
            try db.execute(sql: "PRAGMA cache_size = -131072")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            let journal = try FirstLoadJournal(db, allowed: firstLoadJournal)
            defer { journal.restore(db) }
            var summary: ImportSummary?
            try db.inTransaction {
                summary = try importFiles(files, db: db, baseCurrency: requested, importedAt: importedAt, progress: progress)
                try CollectionsChangeLog().touchAll(db)
                return .commit
            }
            guard var stored = summary else { throw DatabaseError(message: "the import ended without a summary") }
            stored.warnings = storage.warningsAfterCommit(db)
            return stored
        }
    }

    private func importFiles(
        _ files: [(LedgerFileKind, URL)], db: Database, baseCurrency requested: String?, importedAt: String,
        progress: ImportProgress?
    ) throws -> ImportSummary {
        let queries = LedgerQueries()
        let limit = problemLimit
        var log = ProblemLog(limit: limit)
        let stored = try queries.baseCurrency(db)
        let currency = (requested ?? stored ?? "EUR").uppercased()
        if let stored, stored != currency {
            throw LedgerImportError(
                problems: [
                    LocatedProblem(
                        file: "--base-currency", value: currency,
                        message: "differs from the portfolio's base currency \(stored)")
                ], totalCount: 1)
        }
        let today = Day(containing: now())
        let parser = LedgerRowParser(baseCurrency: currency, today: today)
        let writer = LedgerWriter(db: db)
        var failedIds: [LedgerFileKind: Set<String>] = [:]
        var summaries: [FileImportSummary] = []
        for (kind, url) in files {
            let sha = try FileDigest.sha256(of: url)
            let records: CSVRecords
            do {
                records = try CSVRecords(url: url, kind: kind)
            } catch let error as LedgerImportError {
                log.record(contentsOf: error.problems)
                continue
            }
            var file = FileImportSummary(
                kind: kind, fileName: url.lastPathComponent, sha256: sha, rowsRead: 0, inserted: 0, updated: 0,
                unchanged: 0)
            var reading = RowReading(
                kind: kind, writer: writer, fileName: file.fileName, failedIds: failedIds,
                contacts: try ContactWriting(db: db, updatedAt: importedAt), importedAt: importedAt)
            let pipeline = ParsingPipeline(records: records, kind: kind, parser: parser)
            defer { pipeline.cancel() }
            for batch in pipeline {
                for row in batch {
                    switch try reading.apply(row) {
                    case .success(.inserted): file.inserted += 1
                    case .success(.updated): file.updated += 1
                    case .success(.unchanged): file.unchanged += 1
                    case .failure(let problems): log.record(contentsOf: problems.problems)
                    }
                }
                file.rowsRead += batch.count
                progress?(file.fileName, file.rowsRead)
            }
            if let problem = pipeline.problemAtEnd { log.record(problem) }
            failedIds = reading.failedIds
            summaries.append(file)
        }
        if files.contains(where: { $0.0 == .payments || $0.0 == .invoices }) {
            try checkOverpayments(writer: writer, files: files, log: &log)
        }
        guard log.isEmpty else { throw log.error }
        try writer.finish()
        for crowded in try writer.crowdedInvoicesAfterBulkLoad(limit: problemLimit) {
            log.record(
                LocatedProblem(
                    file: LedgerFileKind.payments.fileName, column: "invoice_id", value: crowded.invoiceId,
                    message: "has \(crowded.payments) payments, more than \(LedgerWriter.maximumPaymentsPerInvoice)" + Self.tooManyPayments))
        }
        guard log.isEmpty else { throw log.error }
        // Invoices that bill kept orders end their reservations (in part for a partial invoice),
        // in the same transaction: the exposure never counts an order and its invoice together.
        try OrderStore().settle(
            db, orderIds: writer.billedOrders.sorted(), by: OrderStepAuthor(author: "import", day: today, createdAt: importedAt))
        for file in summaries {
            let entry = ImportLogEntry(
                kind: file.kind.rawValue, fileName: file.fileName, sha256: file.sha256, rowsRead: file.rowsRead,
                inserted: file.inserted, updated: file.updated, unchanged: file.unchanged, importedAt: importedAt)
            try entry.insert(db)
        }
        if stored == nil, files.contains(where: { $0.0 != .sectors }) {
            try queries.setBaseCurrency(db, currency)
        }
        return ImportSummary(files: summaries, ignoredFiles: [], baseCurrency: currency)
    }

    /// Several payments together can overshoot an invoice, and a corrected invoice amount can fall
    /// below what was paid: both show as invoices whose payments exceed them. Locates the payments'
    /// lines by reading the payments file again, which happens only on this error path.
    private func checkOverpayments(
        writer: LedgerWriter, files: [(LedgerFileKind, URL)], log: inout ProblemLog
    ) throws {
        let overpaid = try writer.overpaidInvoices(limit: problemLimit)
        guard !overpaid.isEmpty else { return }
        let total = try writer.overpaidInvoiceCount()
        let paymentsURL = files.first { $0.0 == .payments }?.1
        var lines: [String: [Int]] = [:]
        if let paymentsURL, let records = try? CSVRecords(url: paymentsURL, kind: .payments) {
            let wanted = Set(overpaid.map(\.invoiceId))
            for record in records where wanted.contains(record["invoice_id"]) {
                lines[record["invoice_id"], default: []].append(record.line)
            }
        }
        for invoice in overpaid {
            let where_ = lines[invoice.invoiceId].map { " (payment lines " + $0.map(String.init).joined(separator: ", ") + ")" } ?? ""
            log.record(
                LocatedProblem(
                    file: paymentsURL?.lastPathComponent ?? "invoices.csv", line: lines[invoice.invoiceId]?.first,
                    column: "invoice_id", value: invoice.invoiceId,
                    message: "is paid \(invoice.paid.formatted) in all, beyond its amount of \(invoice.amount.formatted)\(where_)"))
        }
        for _ in overpaid.count..<max(total, overpaid.count) {
            log.record(LocatedProblem(file: paymentsURL?.lastPathComponent ?? "invoices.csv", message: "payments exceed an invoice"))
        }
    }
}

/// A first load into an empty ledger written through a rollback journal instead of the WAL: the
/// WAL would take every page of the new database once and the checkpoint after commit copy it
/// again into the database file; a rollback journal holds only the few pages that existed
/// before, and the pages are written once. All or nothing is kept (the journal rolls back a
/// refused import), with `synchronous = FULL` as rollback mode needs to survive a power cut.
///
/// SQLite leaves WAL mode only when no other connection has the database open (another process
/// serving it, or a reader of this pool): then the import keeps the WAL and nothing changes.
/// The WAL is set back once the import is over, whatever its outcome. Only when the importer
/// allows it (`LedgerImporter.firstLoadJournal`): readers arriving meanwhile would wait.
struct FirstLoadJournal {
    let switched: Bool
    let synchronous: Int

    init(_ db: Database, allowed: Bool) throws {
        synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 1
        let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM invoice) AND NOT EXISTS (SELECT 1 FROM customer)") ?? false
        guard allowed, empty, try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" else {
            switched = false
            return
        }
        // Asked without waiting: another connection that has the file open refuses it at once (busy).
        let timeout = try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 0
        try db.execute(sql: "PRAGMA busy_timeout = 0")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(timeout)") }
        switched = (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete"
        if switched { try db.execute(sql: "PRAGMA synchronous = FULL") }
    }

    func restore(_ db: Database) {
        guard switched else { return }
        _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        try? db.execute(sql: "PRAGMA synchronous = \(synchronous)")
    }
}

/// Writes the parsed rows of one file, turning rejections into located problems.
/// Remembers the ids of rows that failed, so that rows referring to them are not reported a
/// second time as dangling references.
struct RowReading {
    let kind: LedgerFileKind
    let writer: LedgerWriter
    let fileName: String
    var failedIds: [LedgerFileKind: Set<String>]
    let contacts: ContactWriting
    /// When the import runs: a group limit read from the file is stored with it.
    let importedAt: String

    mutating func apply(_ row: ParsedRow) throws -> Result<RowOutcome, RowProblems> {
        do {
            switch try row.value.get() {
            case .sector(let sector): return .success(try writer.write(sector))
            case .customer(let customer):
                let outcome = try writer.write(customer)
                // A row whose only change is its contact is an updated row.
                guard let update = row.contact, try contacts.apply(update) else { return .success(outcome) }
                return .success(outcome == .unchanged ? .updated : outcome)
            case .invoice(let invoice): return .success(try writer.write(invoice))
            case .payment(let payment): return .success(try writer.write(payment))
            case .dispute(let dispute): return .success(try writer.write(dispute))
            case .groupLimit(let limit): return .success(try writer.write(limit, updatedAt: importedAt))
            }
        } catch let problems as RowProblems {
            noteFailure(row)
            return .failure(problems)
        } catch let rejection as RowRejection {
            noteFailure(row)
            return .failure(RowProblems(problem(for: rejection, row).map { [$0] } ?? []))
        }
    }

    private mutating func noteFailure(_ row: ParsedRow) {
        if !row.id.isEmpty { failedIds[kind, default: []].insert(row.id) }
    }

    /// Words a store rejection with its file, line and column; nil for a dangling reference
    /// whose target row was itself rejected (that row's problem is already reported).
    private func problem(for rejection: RowRejection, _ row: ParsedRow) -> LocatedProblem? {
        switch rejection {
        case .duplicateId:
            var message = "appears more than once in this import; ids must be unique"
            if case .success(.dispute(let dispute)) = row.value {
                message = "is disputed twice from the same opened_on \(dispute.openedOn.iso) in this import; keep one row"
            }
            return LocatedProblem(file: fileName, line: row.line, column: kind.idColumn, value: row.id, message: message)
        case .beforeIssue(let issued):
            let column = kind == .payments ? "paid_on" : "opened_on"
            let day: Day? =
                switch row.value {
                case .success(.payment(let payment)): payment.paidOn
                case .success(.dispute(let dispute)): dispute.openedOn
                default: nil
                }
            return LocatedProblem(
                file: fileName, line: row.line, column: column, value: day?.iso ?? "",
                message: "is before invoice \(row.reference.truncatedForMessage(40)) was issued on \(issued.iso)")
        case .orderOfAnotherCustomer(let owner):
            guard case .success(.invoice(let invoice)) = row.value else { return nil }
            return LocatedProblem(
                file: fileName, line: row.line, column: "order_id", value: invoice.orderId ?? "",
                message: "is an order of customer \(owner.truncatedForMessage(40)), not of \(invoice.customerId.truncatedForMessage(40)); "
                    + "correct the order id or the customer")
        case .tooManyPayments(let limit):
            return LocatedProblem(
                file: fileName, line: row.line, column: "invoice_id", value: row.reference,
                message: "would have more than \(limit) payments" + LedgerImporter.tooManyPayments)
        case .unknownReference:
            guard let reference = kind.reference else { return nil }
            if failedIds[reference.kind]?.contains(row.reference) == true { return nil }
            return LocatedProblem(
                file: fileName, line: row.line, column: reference.column, value: row.reference,
                message: "is not a known \(reference.noun): neither the store nor \(reference.kind.fileName) of this import has it")
        }
    }
}

/// Writes the contact columns of `customers.csv` rows inside the import's transaction.
struct ContactWriting {
    let db: Database
    let updatedAt: String
    /// No contact was stored when the import started: each customer's one row (a second is
    /// refused as a duplicate before its contact) finds none, so none is looked up.
    let noneStored: Bool

    init(db: Database, updatedAt: String) throws {
        self.db = db
        self.updatedAt = updatedAt
        noneStored = try ContactStore().isEmpty(db)
    }

    /// Whether the stored contact changed.
    func apply(_ update: ContactUpdate) throws -> Bool {
        try ContactStore().apply(db, update, updatedAt: updatedAt, noneStored: noneStored)
    }
}
