import CreditCore
import GRDB

/// Read-side questions about the ledger, answered as of a day so that only what was known
/// then counts.
public struct LedgerQueries: Sendable {
    public init() {}

    /// Calls `body` with every invoice issued on or before `day` that still had a balance that day.
    /// Streams through a cursor: a million open items never sit in memory together.
    public func forEachOpenItem(_ db: Database, asOf day: Day, _ body: (OpenItem) throws -> Void) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT i.id, i.customer_id, i.due_date,
                       i.amount_cents - COALESCE((SELECT SUM(p.amount_cents) FROM payment p
                                                  WHERE p.invoice_id = i.id AND p.paid_on <= ?1), 0) AS open_cents
                FROM invoice i
                WHERE i.issue_date <= ?1
                """, arguments: [day])
        while let row = try cursor.next() {
            // By position: a measured hot path (every invoice of the ledger). Columns: id,
            // customer_id, due_date, open_cents.
            let open: Money = try row.decode(atIndex: 3)
            guard open != .zero else { continue }
            try body(
                OpenItem(invoiceId: row.decode(atIndex: 0), customerId: row.decode(atIndex: 1), dueDate: row.decode(atIndex: 2), openAmount: open))
        }
    }

    /// The last day anything happened in the ledger: the best stand-in for the export date.
    public func latestLedgerDay(_ db: Database) throws -> Day? {
        try Day.fetchOne(
            db,
            sql: """
                SELECT MAX(d) FROM (
                    SELECT MAX(issue_date) AS d FROM invoice
                    UNION ALL SELECT MAX(paid_on) FROM payment
                    UNION ALL SELECT MAX(opened_on) FROM dispute
                    UNION ALL SELECT MAX(resolved_on) FROM dispute)
                """)
    }

    /// Builds the portfolio summary as of `day`.
    public func summary(_ db: Database, asOf day: Day) throws -> PortfolioSummary {
        var aged = AgedBalance()
        var openItems = 0
        var customersWithOpen = Set<String>()
        try forEachOpenItem(db, asOf: day) { item in
            aged.add(item.openAmount, daysPastDue: item.daysPastDue(asOf: day))
            openItems += 1
            customersWithOpen.insert(item.customerId)
        }
        let customers = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer") ?? 0
        let invoices = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoice WHERE issue_date <= ?", arguments: [day]) ?? 0
        let disputes = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS disputes,
                       COALESCE(SUM(i.amount_cents - COALESCE((SELECT SUM(p.amount_cents) FROM payment p
                                                               WHERE p.invoice_id = i.id AND p.paid_on <= ?1), 0)), 0) AS disputed_cents
                FROM dispute d JOIN invoice i ON i.id = d.invoice_id
                WHERE d.opened_on <= ?1 AND (d.resolved_on IS NULL OR d.resolved_on > ?1)
                """, arguments: [day])
        return PortfolioSummary(
            asOf: day, customers: customers, customersWithOpenItems: customersWithOpen.count, invoices: invoices,
            openItems: openItems, openReceivables: aged.total, agedBalance: aged,
            openDisputes: try disputes?.decode(Int.self, forColumn: "disputes") ?? 0,
            disputedAmount: try disputes?.decode(Money.self, forColumn: "disputed_cents") ?? .zero)
    }

    public func baseCurrency(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM portfolio_setting WHERE key = 'base_currency'")
    }

    public func setBaseCurrency(_ db: Database, _ currency: String) throws {
        try db.execute(
            sql: "INSERT INTO portfolio_setting (key, value) VALUES ('base_currency', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [currency])
    }
}
