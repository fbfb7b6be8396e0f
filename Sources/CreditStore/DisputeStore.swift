import CreditCore
import GRDB

// Stored as their raw values, the text the schema's CHECKs list (see StoredValues.swift).
extension DisputeOutcome: DatabaseValueConvertible {}
extension DisputeAction: DatabaseValueConvertible {}

/// One row of `dispute_event`: a step of a dispute's history, columns by name.
struct DisputeEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "dispute_event"

    var id: Int64?
    var invoiceId: String
    var openedOn: Day
    var customerId: String
    var action: DisputeAction
    var author: String
    var note: String?
    var owner: String?
    var onDay: Day
    var createdAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case invoiceId = "invoice_id"
        case openedOn = "opened_on"
        case customerId = "customer_id"
        case action, author, note, owner
        case onDay = "on_day"
        case createdAt = "created_at"
    }

    init(_ event: DisputeEvent) {
        self.invoiceId = event.invoiceId
        self.openedOn = event.openedOn
        self.customerId = event.customerId
        self.action = event.action
        self.author = event.author
        self.note = event.note
        self.owner = event.owner
        self.onDay = event.day
        self.createdAt = event.createdAt
    }

    var event: DisputeEvent {
        DisputeEvent(
            invoiceId: invoiceId, openedOn: openedOn, customerId: customerId, action: action, author: author, note: note,
            owner: owner, day: onDay, createdAt: createdAt)
    }
}

/// The dispute workflow's store: each dispute's history (who opened, assigned, commented and
/// resolved it), its owner, the open disputes with their latest comment for the dispute
/// worklist, and which passed deadlines were alerted. Writes run in the caller's transaction,
/// with the ledger change they go with (`LedgerEventStore`).
public struct DisputeStore: Sendable {
    public init() {}

    /// Records one step of a dispute's history.
    public func record(_ db: Database, _ event: DisputeEvent) throws {
        try DisputeEventRecord(event).insert(db)
    }

    /// Every step of the customer's disputes, oldest first (by day, then as recorded): the
    /// disputes' part of the account's timeline.
    public func disputeEvents(_ db: Database, customerId: String) throws -> [DisputeEvent] {
        try DisputeEventRecord
            .filter(DisputeEventRecord.CodingKeys.customerId == customerId)
            .order(DisputeEventRecord.CodingKeys.onDay, DisputeEventRecord.CodingKeys.id)
            .fetchAll(db).map(\.event)
    }

    /// Every step of one dispute (the invoice's dispute opened on `openedOn`), oldest first.
    public func disputeEvents(_ db: Database, invoiceId: String, openedOn: Day) throws -> [DisputeEvent] {
        try DisputeEventRecord
            .filter(DisputeEventRecord.CodingKeys.invoiceId == invoiceId && DisputeEventRecord.CodingKeys.openedOn == openedOn)
            .order(DisputeEventRecord.CodingKeys.onDay, DisputeEventRecord.CodingKeys.id)
            .fetchAll(db).map(\.event)
    }

    /// Gives the open dispute `dispute` (by invoice and opening day) to `owner`.
    public func assign(_ db: Database, _ dispute: Dispute, to owner: String) throws {
        try db.execute(
            sql: "UPDATE dispute SET owner = ? WHERE invoice_id = ? AND opened_on = ?",
            arguments: [owner, dispute.invoiceId, dispute.openedOn])
    }

    /// Disputes still open (on the selected customers' invoices), with the invoice's customer and
    /// open balance and the latest comment (the latest step with a note): what the dispute
    /// worklist and the dashboard's counts are built from.
    public func openCases(_ db: Database, selection: PortfolioSelection = .all) throws -> [OpenDisputeCase] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.invoice_id, d.kind, d.opened_on, d.amount_cents, d.owner, i.customer_id, i.open_cents,
                       e.note AS last_note, e.author AS last_author, e.on_day AS last_day
                FROM dispute d JOIN invoice i ON i.id = d.invoice_id
                LEFT JOIN dispute_event e ON e.id = (
                    SELECT x.id FROM dispute_event x
                    WHERE x.invoice_id = d.invoice_id AND x.opened_on = d.opened_on AND x.note IS NOT NULL
                    ORDER BY x.on_day DESC, x.id DESC LIMIT 1)
                WHERE d.resolved_on IS NULL
                  AND (:all OR i.customer_id IN (SELECT c.id FROM customer c WHERE \(ReportQueries.selecting(selection))))
                """, arguments: ReportQueries.arguments(selection, ["all": selection == .all])
        ).map { row in
            let note: String? = try row.decode(forColumn: "last_note")
            let comment = try note.map { note in
                DisputeEntry.Comment(note: note, author: try row.decode(forColumn: "last_author"), day: try row.decode(forColumn: "last_day"))
            }
            return try OpenDisputeCase(
                dispute: StoredRows.dispute(row), customerId: row.decode(forColumn: "customer_id"),
                openAmount: row.decode(forColumn: "open_cents"), lastComment: comment)
        }
    }

    /// Open disputes whose passed deadline has not been alerted yet, with their customer.
    public func unalertedOpenDisputes(_ db: Database) throws -> [(dispute: Dispute, customerId: String)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.invoice_id, d.kind, d.opened_on, d.amount_cents, d.owner, i.customer_id
                FROM dispute d JOIN invoice i ON i.id = d.invoice_id
                WHERE d.resolved_on IS NULL AND d.deadline_alerted_on IS NULL
                """
        ).map { row in (try StoredRows.dispute(row), try row.decode(forColumn: "customer_id")) }
    }

    /// Notes that the dispute's passed deadline was alerted on `day`: never again for it.
    public func markDeadlineAlerted(_ db: Database, _ dispute: Dispute, on day: Day) throws {
        try db.execute(
            sql: "UPDATE dispute SET deadline_alerted_on = ? WHERE invoice_id = ? AND opened_on = ?",
            arguments: [day, dispute.invoiceId, dispute.openedOn])
    }
}
