import CreditCore
import GRDB

/// What the collections lists are built from: open invoices today with their dispute and promise
/// state, and each customer's latest grade and PD.
public struct CollectionsQueries: Sendable {
    public init() {}

    /// Calls `body` with every invoice that still has a positive balance (the partial index on
    /// open items drives the scan), or only `customerId`'s, with its open dispute and latest promise.
    public func forEachOpenInvoice(
        _ db: Database, customerId: String? = nil,
        _ body: (
            _ invoiceId: String, _ customerId: String, _ name: String, _ group: String?, _ due: Day, _ open: Money,
            _ disputed: Bool, _ promisedBy: Day?
        ) throws -> Void
    ) throws {
        let select = """
            SELECT i.id, i.customer_id, c.name, c.customer_group, i.due_date, i.open_cents,
                   EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.resolved_on IS NULL),
                   (SELECT MAX(p.pay_by) FROM payment_promise p WHERE p.invoice_id = i.id)
            """
        let rows =
            try customerId.map {
                try Row.fetchCursor(
                    db,
                    sql: select + """

                        FROM invoice i INDEXED BY invoice_customer JOIN customer c ON c.id = i.customer_id
                        WHERE i.customer_id = ? AND i.open_cents > 0
                        """, arguments: [$0])
            }
            ?? Row.fetchCursor(
                db,
                sql: select + """

                    FROM invoice i INDEXED BY invoice_open JOIN customer c ON c.id = i.customer_id
                    WHERE i.open_cents <> 0 AND i.open_cents > 0
                    """)
        while let row = try rows.next() {
            // By position: a measured hot path (the worklist reads every open item). Columns: id,
            // customer_id, name, customer_group, due_date, open_cents, disputed, latest pay_by.
            try body(
                row.decode(atIndex: 0), row.decode(atIndex: 1), row.decode(atIndex: 2), row.decode(atIndex: 3), row.decode(atIndex: 4),
                row.decode(atIndex: 5), row.decode(atIndex: 6), row.decode(atIndex: 7))
        }
    }
}
