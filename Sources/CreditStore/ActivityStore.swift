import CreditCore
import Foundation
import GRDB

/// What collections did on the accounts: activities, the invoices they covered, and each
/// invoice's last reminder step. Every write is in the caller's transaction.
public struct ActivityStore: Sendable {
    public init() {}

    /// The customer's invoices still open (credit notes included), for an activity to cover.
    public func openInvoices(_ db: Database, customerId: String) throws -> [(invoiceId: String, dueDate: Day, open: Money)] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, due_date, open_cents FROM invoice WHERE customer_id = ? AND open_cents <> 0 ORDER BY due_date, id"),
            arguments: [customerId]
        ).map { try ($0.decode(forColumn: "id"), $0.decode(forColumn: "due_date"), $0.decode(forColumn: "open_cents")) }
    }

    /// The named invoices of one customer with their due dates; an id that is not the
    /// customer's invoice is refused.
    public func invoices(_ db: Database, customerId: String, ids: [String]) throws -> [(invoiceId: String, dueDate: Day, open: Money)] {
        try ids.map { id in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT customer_id, due_date, open_cents FROM invoice WHERE id = ?"), arguments: [id])
            else { throw Refusal(.notFound, "no invoice \(id)", field: "invoiceIds") }
            let owner: String = try row.decode(forColumn: "customer_id")
            guard owner == customerId else {
                throw Refusal.invalid(field: "invoiceIds", "holds \(id), an invoice of customer \(owner), not of \(customerId)")
            }
            return try (id, row.decode(forColumn: "due_date"), row.decode(forColumn: "open_cents"))
        }
    }

    /// The last step carried out on each of the invoices that has one.
    public func progress(_ db: Database, invoiceIds: [String]) throws -> [String: DunningProgress] {
        var found: [String: DunningProgress] = [:]
        let statement = try db.cachedStatement(sql: "SELECT step, on_day FROM dunning_progress WHERE invoice_id = ?")
        for id in invoiceIds {
            if let row = try Row.fetchOne(statement, arguments: [id]) {
                found[id] = try DunningProgress(step: row.decode(forColumn: "step"), on: row.decode(forColumn: "on_day"))
            }
        }
        return found
    }

    /// Records an activity and moves each covered invoice's progress to the step it carried
    /// out; returns its id.
    @discardableResult
    public func record(_ db: Database, _ activity: Activity, createdAt: String) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO activity (customer_id, kind, on_day, channel, outcome, note, author, document_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            activity.customerId, activity.kind, activity.on, activity.channel, activity.outcome, activity.note, activity.author,
            activity.documentId, createdAt,
        ])
        let id = db.lastInsertedRowID
        let cover = try db.cachedStatement(sql: "INSERT INTO activity_invoice (activity_id, invoice_id, step) VALUES (?, ?, ?)")
        let advance = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO dunning_progress (invoice_id, step, on_day, activity_id) VALUES (?, ?, ?, ?)")
        for invoice in activity.invoices {
            try cover.execute(arguments: [id, invoice.invoiceId, invoice.step])
            if let step = invoice.step { try advance.execute(arguments: [invoice.invoiceId, step, activity.on, id]) }
        }
        return id
    }

    /// The customer's activities, newest first, with the invoices each covered.
    public func activities(_ db: Database, customerId: String) throws -> [Activity] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, customer_id, kind, on_day, channel, outcome, note, author, document_id FROM activity
                    WHERE customer_id = ? ORDER BY on_day DESC, id DESC
                    """), arguments: [customerId])
        var covered: [Int64: [Activity.CoveredInvoice]] = [:]
        let items = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT ai.activity_id, ai.invoice_id, ai.step FROM activity_invoice ai JOIN activity a ON a.id = ai.activity_id
                    WHERE a.customer_id = ? ORDER BY ai.invoice_id
                    """), arguments: [customerId])
        while let row = try items.next() {
            covered[try row.decode(forColumn: "activity_id"), default: []].append(
                try Activity.CoveredInvoice(invoiceId: row.decode(forColumn: "invoice_id"), step: row.decode(forColumn: "step")))
        }
        return try rows.map { row in
            let id: Int64 = try row.decode(forColumn: "id")
            return try Activity(
                id: id, customerId: row.decode(forColumn: "customer_id"), kind: row.decode(forColumn: "kind"),
                on: row.decode(forColumn: "on_day"), channel: row.decode(forColumn: "channel"), outcome: row.decode(forColumn: "outcome"),
                note: row.decode(forColumn: "note"), author: row.decode(forColumn: "author"), invoices: covered[id] ?? [],
                documentId: row.decode(forColumn: "document_id"))
        }
    }

    /// Each customer's latest activity (by day, then order of recording), or only `customerId`'s.
    public func lastActions(_ db: Database, customerId: String? = nil) throws -> [String: LastAction] {
        let filter = customerId == nil ? "" : "WHERE customer_id = ?"
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT customer_id, kind, on_day, author, outcome, note FROM (
                    SELECT *, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY on_day DESC, id DESC) AS latest
                    FROM activity \(filter)
                ) WHERE latest = 1
                """, arguments: customerId.map { [$0] } ?? [])
        var actions: [String: LastAction] = [:]
        while let row = try rows.next() {
            actions[try row.decode(forColumn: "customer_id")] = try LastAction(
                kind: row.decode(forColumn: "kind"), on: row.decode(forColumn: "on_day"), author: row.decode(forColumn: "author"),
                outcome: row.decode(forColumn: "outcome"), note: row.decode(forColumn: "note"))
        }
        return actions
    }
}

extension ActivityStore {
    /// The customer's promises with who took them and their notes, in the order taken.
    public func promises(_ db: Database, customerId: String) throws -> [RecordedPromise] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT invoice_id, promised_on, pay_by, amount_cents, author, note FROM payment_promise
                    WHERE customer_id = ? ORDER BY promised_on, id
                    """), arguments: [customerId]
        ).map { row in
            try RecordedPromise(
                promise: PaymentPromise(
                    invoiceId: row.decode(forColumn: "invoice_id"), promisedOn: row.decode(forColumn: "promised_on"),
                    payBy: row.decode(forColumn: "pay_by"), amount: row.decode(forColumn: "amount_cents")),
                author: row.decode(forColumn: "author"), note: row.decode(forColumn: "note"))
        }
    }

    /// The customer's alerts, oldest first.
    public func alerts(_ db: Database, customerId: String) throws -> [Alert] {
        try AlertStore().alerts(db, AlertFilter(customerId: customerId, limit: Int.max)).reversed()
    }

    /// The customer's grades as assessed, oldest first.
    public func grades(_ db: Database, customerId: String) throws -> [(asOf: Day, grade: String)] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT as_of, grade FROM assessment WHERE customer_id = ? ORDER BY as_of, id"), arguments: [customerId]
        ).map { try ($0.decode(forColumn: "as_of"), $0.decode(forColumn: "grade")) }
    }
}
