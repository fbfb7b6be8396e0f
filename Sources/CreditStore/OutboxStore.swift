import CreditCore
import Foundation
import GRDB

/// Reminder runs and the documents they issued, kept as issued: the outbox a mail gateway or a
/// print room reads. Every write is in the caller's transaction.
public struct OutboxStore: Sendable {
    public init() {}

    /// Starts a run; its report is written by `finishRun`.
    public func startRun(_ db: Database, on day: Day, author: String, createdAt: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO reminder_run (run_on, author, report, created_at) VALUES (?, ?, '{}', ?)", arguments: [day, author, createdAt])
        return db.lastInsertedRowID
    }

    public func finishRun(_ db: Database, runId: Int64, report: String) throws {
        try db.execute(sql: "UPDATE reminder_run SET report = ? WHERE id = ?", arguments: [report, runId])
    }

    /// Whether the customer was already sent a document that day (one per customer and day).
    public func hasDocument(_ db: Database, customerId: String, issuedOn day: Day) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox_document WHERE customer_id = ? AND issued_on = ?)"),
            arguments: [customerId, day]) == true
    }

    /// Keeps a rendered document (`entry` says what it is; its id is assigned here) with its
    /// content and what the core computed it from (`document`, as JSON).
    public func add(_ db: Database, _ entry: OutboxEntry, content: String, document: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO outbox_document (run_id, customer_id, issued_on, step, channel, language, recipient, subject,
                    file_name, content_type, content, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.runId, entry.customerId, entry.issuedOn, entry.step, entry.channel, entry.language, entry.recipient,
                entry.subject, entry.fileName, entry.contentType, content, document,
            ])
        return db.lastInsertedRowID
    }

    /// Documents issued, newest first, filtered by day and customer, those before `beforeId`.
    public func entries(_ db: Database, issuedOn day: Day?, customerId: String?, limit: Int, beforeId: Int64?) throws -> [OutboxEntry] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let day {
            conditions.append("issued_on = ?")
            arguments.append(day)
        }
        if let customerId {
            conditions.append("customer_id = ?")
            arguments.append(customerId)
        }
        if let beforeId {
            conditions.append("id < ?")
            arguments.append(beforeId)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        return try Row.fetchAll(
            db,
            sql: """
                SELECT id, run_id, customer_id, issued_on, step, channel, language, recipient, subject, file_name, content_type
                FROM outbox_document \(filter) ORDER BY id DESC LIMIT ?
                """, arguments: StatementArguments(arguments)
        ).map(Self.entry)
    }

    /// One document with its content, nil when there is none with that id.
    public func document(_ db: Database, id: Int64) throws -> (entry: OutboxEntry, content: String)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, run_id, customer_id, issued_on, step, channel, language, recipient, subject, file_name, content_type,
                           content FROM outbox_document WHERE id = ?
                    """, arguments: [id])
        else { return nil }
        return (try Self.entry(row), try row.decode(forColumn: "content"))
    }

    /// The customer's open invoices and credit notes with their open balances: what a
    /// reminder lists.
    public func openInvoices(_ db: Database, customerId: String) throws -> [(invoice: Invoice, open: Money)] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, customer_id, issue_date, due_date, amount_cents, currency, open_cents FROM invoice INDEXED BY invoice_customer
                    WHERE customer_id = ? AND open_cents <> 0
                    """), arguments: [customerId]
        ).map { row in
            try (
                Invoice(
                    id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"),
                    issueDate: row.decode(forColumn: "issue_date"), dueDate: row.decode(forColumn: "due_date"),
                    amount: row.decode(forColumn: "amount_cents"), currency: row.decode(forColumn: "currency")),
                row.decode(forColumn: "open_cents")
            )
        }
    }

    static func entry(_ row: Row) throws -> OutboxEntry {
        try OutboxEntry(
            id: row.decode(forColumn: "id"), runId: row.decode(forColumn: "run_id"), customerId: row.decode(forColumn: "customer_id"),
            issuedOn: row.decode(forColumn: "issued_on"), step: row.decode(forColumn: "step"), channel: row.decode(forColumn: "channel"),
            language: row.decode(forColumn: "language"), recipient: row.decode(forColumn: "recipient"),
            subject: row.decode(forColumn: "subject"), fileName: row.decode(forColumn: "file_name"),
            contentType: row.decode(forColumn: "content_type"))
    }
}
