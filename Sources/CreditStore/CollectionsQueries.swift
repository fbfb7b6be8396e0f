import CreditCore
import GRDB

/// What the collections lists are built from: open invoices today with their dispute and promise
/// state, and each customer's latest grade and PD.
public struct CollectionsQueries: Sendable {
    public init() {}

    /// Calls `body` with every invoice that still has a positive balance (the partial index on
    /// open items drives the scan), or only `customerId`'s, as a worklist item: its disputed
    /// part, its latest promise and its last reminder step.
    public func forEachOpenInvoice(
        _ db: Database, customerId: String? = nil,
        _ body: (_ customerId: String, _ name: String, _ group: String?, _ item: CollectionsAccount.Item) throws -> Void
    ) throws {
        let select = """
            SELECT i.id, i.customer_id, c.name, c.customer_group, i.due_date, i.open_cents,
                   (SELECT MIN(i.open_cents, COALESCE(d.amount_cents, i.open_cents)) FROM dispute d
                    WHERE d.invoice_id = i.id AND d.resolved_on IS NULL LIMIT 1),
                   pp.pay_by, pp.amount_cents, dp.step, dp.on_day
            """
        let joins = """

            LEFT JOIN payment_promise pp ON pp.id = (
                SELECT p.id FROM payment_promise p WHERE p.invoice_id = i.id ORDER BY p.promised_on DESC, p.id DESC LIMIT 1)
            LEFT JOIN dunning_progress dp ON dp.invoice_id = i.id
            """
        let rows =
            try customerId.map {
                try Row.fetchCursor(
                    db,
                    sql: select + """

                        FROM invoice i INDEXED BY invoice_customer JOIN customer c ON c.id = i.customer_id
                        """ + joins + """

                            WHERE i.customer_id = ? AND i.open_cents > 0
                            """, arguments: [$0])
            }
            ?? Row.fetchCursor(
                db,
                sql: select + """

                    FROM invoice i INDEXED BY invoice_open JOIN customer c ON c.id = i.customer_id
                    """ + joins + """

                        WHERE i.open_cents <> 0 AND i.open_cents > 0
                        """)
        while let row = try rows.next() {
            // By position: a measured hot path (the worklist reads every open item). Columns: id,
            // customer_id, name, customer_group, due_date, open_cents, disputed part, latest
            // promise's pay_by and amount, last step and its day.
            let payBy: Day? = try row.decode(atIndex: 7)
            let promised: Money? = try row.decode(atIndex: 8)
            let step: ReminderStep? = try row.decode(atIndex: 9)
            let stepOn: Day? = try row.decode(atIndex: 10)
            let item = try CollectionsAccount.Item(
                invoiceId: row.decode(atIndex: 0), dueDate: row.decode(atIndex: 4), openAmount: row.decode(atIndex: 5),
                disputedAmount: row.decode(Money?.self, atIndex: 6) ?? .zero,
                promise: payBy.map { HeldPromise(payBy: $0, amount: promised) },
                progress: step.flatMap { step in stepOn.map { DunningProgress(step: step, on: $0) } })
            try body(row.decode(atIndex: 1), row.decode(atIndex: 2), row.decode(atIndex: 3), item)
        }
    }

    /// Unapplied credits per customer (credit notes' open balances, as positive amounts), or
    /// only `customerId`'s.
    public func credits(_ db: Database, customerId: String? = nil) throws -> [String: Money] {
        let rows =
            try customerId.map {
                try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT customer_id, -SUM(open_cents) FROM invoice INDEXED BY invoice_customer
                        WHERE customer_id = ? AND open_cents < 0 GROUP BY customer_id
                        """, arguments: [$0])
            }
            ?? Row.fetchCursor(
                db,
                sql: """
                    SELECT customer_id, -SUM(open_cents) FROM invoice INDEXED BY invoice_open
                    WHERE open_cents <> 0 AND open_cents < 0 GROUP BY customer_id
                    """)
        var credits: [String: Money] = [:]
        while let row = try rows.next() { credits[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1) }
        return credits
    }
}
