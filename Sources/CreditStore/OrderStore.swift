import CreditCore
import Foundation
import GRDB

/// Where a reserved order (a `pending_order` row) stands: `open` counts in exposure until the
/// order is `invoiced` (its invoice counts instead) or `cancelled`.
enum PendingOrderStatus: String, DatabaseValueConvertible {
    case open, invoiced, cancelled
}

/// Order checks and the reservations they make: an approved order checked with `reserve`
/// counts in exposure (as a pending order) until it is invoiced or cancelled.
public struct OrderStore: Sendable {
    public init() {}

    /// The decision already given for `orderId`, if it was checked before.
    public func decision(_ db: Database, orderId: String) throws -> (customerId: String, amount: Money, detail: Data)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT customer_id, amount_cents, detail FROM order_check WHERE order_id = ?"),
            arguments: [orderId]
        ).map { row in
            let detail: String = try row.decode(forColumn: "detail")
            return try (row.decode(forColumn: "customer_id"), row.decode(forColumn: "amount_cents"), Data(detail.utf8))
        }
    }

    /// Orders reserved for the customer and not yet invoiced or cancelled.
    public func openReservations(_ db: Database, customerId: String) throws -> Money {
        // 'open' is written in the SQL rather than bound, as in the partial index on open orders
        // that serves this query: matching a bound value to it, SQLite would prepare the
        // statement again at every run.
        try Money.fetchOne(
            db.cachedStatement(
                sql: "SELECT COALESCE(SUM(amount_cents), 0) FROM pending_order WHERE customer_id = ? AND status = 'open'"),
            arguments: [customerId]) ?? .zero
    }

    public func record(
        _ db: Database, orderId: String, customerId: String, amount: Money, reserve: Bool, verdict: OrderVerdict, detail: Data,
        checkedAt: String, acceptedOn: Day
    ) throws {
        try db.cachedStatement(
            sql: "INSERT INTO order_check (order_id, customer_id, amount_cents, reserve, verdict, detail, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [orderId, customerId, amount, reserve, verdict, String(decoding: detail, as: UTF8.self), checkedAt])
        if reserve {
            try db.cachedStatement(
                sql: "INSERT INTO pending_order (id, customer_id, amount_cents, accepted_on, status) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [orderId, customerId, amount, acceptedOn, PendingOrderStatus.open])
        }
    }

    /// The customer's open items today, from the maintained open balances: what an order check
    /// needs to know about the ledger, without reading the whole history.
    public func openItems(_ db: Database, customerId: String) throws -> [OpenItem] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, due_date, open_cents FROM invoice WHERE customer_id = ? AND open_cents <> 0"),
            arguments: [customerId]
        ).map { row in
            try OpenItem(
                invoiceId: row.decode(forColumn: "id"), customerId: customerId, dueDate: row.decode(forColumn: "due_date"),
                openAmount: row.decode(forColumn: "open_cents"))
        }
    }

    /// Cancels a reserved order; returns false when there is no open reservation by that id.
    public func cancel(_ db: Database, orderId: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE pending_order SET status = ? WHERE id = ? AND status = ?",
            arguments: [PendingOrderStatus.cancelled, orderId, PendingOrderStatus.open])
        return db.changesCount > 0
    }
}
