import CreditCore
import GRDB

/// A customer's ledger as of a day: its invoices issued, payments received and disputes
/// opened on or before that day. Later events are not loaded at all, so nothing downstream
/// can look ahead.
public struct CustomerHistory: Sendable {
    public var customer: Customer
    public var invoices: [Invoice] = []
    public var payments: [Payment] = []
    public var disputes: [Dispute] = []
    /// Payment promises taken on or before the day.
    public var promises: [PaymentPromise] = []
    /// Orders accepted and not yet invoiced (part of exposure).
    public var pendingOrders: Money = .zero

    public init(customer: Customer) {
        self.customer = customer
    }
}

/// Reads customer histories in one ordered pass over the ledger.
///
/// Scoring a whole portfolio needs every customer's history; fetching them one customer at a
/// time costs a query each. Here four cursors walk customers, invoices, payments and disputes
/// in customer order side by side (each driven by an index, so SQLite sorts nothing) and hand
/// out one complete history at a time: one pass, flat memory.
public struct LedgerHistories: Sendable {
    public init() {}

    /// Which customers a pass reads: one, a slice of the id order, or all.
    public enum Selection: Sendable, Hashable {
        case all
        case one(String)
        /// Customers with `after < id <= through` (either bound absent: open on that side). A
        /// long scoring run goes slice by slice, each in its own short transaction.
        case slice(after: String?, through: String?)

        /// The SQL condition on the customer id column `column`, with `:one`, `:after`, `:through`.
        func condition(_ column: String) -> String {
            switch self {
            case .all: return "1"
            case .one: return "\(column) = :one"
            case .slice(let after, let through):
                return [after.map { _ in "\(column) > :after" }, through.map { _ in "\(column) <= :through" }]
                    .compactMap { $0 }.joined(separator: " AND ").ifEmpty("1")
            }
        }

        var arguments: [String: (any DatabaseValueConvertible)?] {
            switch self {
            case .all: return [:]
            case .one(let id): return ["one": id]
            case .slice(let after, let through):
                var arguments: [String: (any DatabaseValueConvertible)?] = [:]
                if let after { arguments["after"] = after }
                if let through { arguments["through"] = through }
                return arguments
            }
        }
    }

    /// The ids that cut the customers, in id order, into slices of `size`: the last id of each
    /// full slice. Customers after the last bound form the final, shorter slice.
    public func sliceBounds(_ db: Database, size: Int) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customer) WHERE n % ? = 0 ORDER BY id",
            arguments: [max(1, size)])
    }

    /// Calls `body` with the history of each customer (or only `customerId`), in id order.
    public func forEach(
        _ db: Database, asOf day: Day, customerId: String? = nil, _ body: (CustomerHistory) throws -> Void
    ) throws {
        try forEach(db, asOf: day, selection: customerId.map(Selection.one) ?? .all, body)
    }

    /// Calls `body` with the history of each selected customer, in id order.
    public func forEach(
        _ db: Database, asOf day: Day, selection: Selection, _ body: (CustomerHistory) throws -> Void
    ) throws {
        var values = selection.arguments
        values["asOf"] = day.iso
        let arguments = StatementArguments(values)
        let customers = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, name, registration_id, sector_code, country, terms_days, customer_group, strategic
                FROM customer WHERE \(selection.condition("id")) ORDER BY id
                """, arguments: arguments)
        var invoices = try PeekingCursor(
            decode: StoredRows.invoice,
            Row.fetchCursor(
                db,
                sql: """
                    SELECT i.customer_id, i.id, i.issue_date, i.due_date, i.amount_cents, i.currency
                    FROM invoice i INDEXED BY invoice_customer
                    WHERE i.issue_date <= :asOf AND \(selection.condition("i.customer_id")) ORDER BY i.customer_id
                    """, arguments: arguments))
        var payments = try PeekingCursor(
            decode: StoredRows.payment,
            Row.fetchCursor(
                db,
                sql: """
                    SELECT i.customer_id, p.id, p.invoice_id, p.paid_on, p.amount_cents
                    FROM invoice i INDEXED BY invoice_customer JOIN payment p ON p.invoice_id = i.id
                    WHERE i.issue_date <= :asOf AND p.paid_on <= :asOf AND \(selection.condition("i.customer_id"))
                    ORDER BY i.customer_id
                    """, arguments: arguments))
        var disputes = try PeekingCursor(
            decode: StoredRows.dispute,
            Row.fetchCursor(
                db,
                sql: """
                    SELECT i.customer_id, d.invoice_id, d.kind, d.opened_on, d.resolved_on
                    FROM invoice i INDEXED BY invoice_customer JOIN dispute d ON d.invoice_id = i.id
                    WHERE i.issue_date <= :asOf AND d.opened_on <= :asOf AND \(selection.condition("i.customer_id"))
                    ORDER BY i.customer_id
                    """, arguments: arguments))
        var promises = try PeekingCursor(
            decode: StoredRows.promise,
            Row.fetchCursor(
                db,
                sql: """
                    SELECT p.customer_id, p.invoice_id, p.promised_on, p.pay_by, p.amount_cents
                    FROM payment_promise p INDEXED BY payment_promise_customer
                    WHERE p.promised_on <= :asOf AND \(selection.condition("p.customer_id"))
                    ORDER BY p.customer_id
                    """, arguments: arguments))
        let orders = try Dictionary(
            Row.fetchAll(
                db,
                sql: """
                    SELECT customer_id, SUM(amount_cents) FROM pending_order
                    WHERE status = 'open' AND accepted_on <= :asOf AND \(selection.condition("customer_id"))
                    GROUP BY customer_id
                    """, arguments: arguments
            ).map { (row: Row) -> (String, Int64) in (row[0], row[1]) }, uniquingKeysWith: +)

        while let row = try customers.next() {
            var history = CustomerHistory(customer: StoredRows.customer(row))
            let id = history.customer.id
            while let invoice = try invoices.next(ifKey: id) { history.invoices.append(invoice) }
            while let payment = try payments.next(ifKey: id) { history.payments.append(payment) }
            while let dispute = try disputes.next(ifKey: id) { history.disputes.append(dispute) }
            while let promise = try promises.next(ifKey: id) { history.promises.append(promise) }
            history.pendingOrders = Money(cents: orders[id] ?? 0)
            try body(history)
        }
    }
}

/// A cursor whose rows start with a customer id, read group by group in step with the customers.
/// Each row is decoded as it is read (no copy of the row), and the one that belongs to the next
/// customer waits in `peeked`.
private struct PeekingCursor<Value> {
    let cursor: RowCursor
    let decode: (Row) throws -> (key: String, value: Value)
    var peeked: (key: String, value: Value)?
    var exhausted = false

    init(decode: @escaping (Row) throws -> (key: String, value: Value), _ cursor: RowCursor) {
        self.cursor = cursor
        self.decode = decode
    }

    /// The next value if it belongs to `key`; rows of customers that sort before `key` (possible
    /// only if a row has no customer record, which foreign keys prevent) are skipped.
    mutating func next(ifKey key: String) throws -> Value? {
        while true {
            if peeked == nil, !exhausted {
                if let row = try cursor.next() { peeked = try decode(row) } else { exhausted = true }
            }
            guard let (rowKey, value) = peeked else { return nil }
            if rowKey.utf8.lexicographicallyPrecedes(key.utf8) {  // SQLite BINARY order
                peeked = nil
                continue
            }
            guard rowKey == key else { return nil }
            peeked = nil
            return value
        }
    }
}

/// Decoding of ledger rows into domain values. Dates are stored as ISO text written by the
/// importer, so a failure here means the database was edited by hand.
enum StoredRows {
    static func day(_ text: String) throws -> Day {
        guard let day = Day(parsing: text) else {
            throw DatabaseError(message: "stored date \"\(text)\" is not YYYY-MM-DD")
        }
        return day
    }

    static func customer(_ row: Row) -> Customer {
        Customer(
            id: row[0], name: row[1], registrationId: row[2], sectorCode: row[3], country: row[4], termsDays: row[5],
            group: row[6], strategic: row[7])
    }

    /// Columns: customer_id, id, issue_date, due_date, amount_cents, currency.
    static func invoice(_ row: Row) throws -> (key: String, value: Invoice) {
        let customer: String = row[0]
        let invoice = Invoice(
            id: row[1], customerId: customer, issueDate: try day(row[2]), dueDate: try day(row[3]),
            amount: Money(cents: row[4]), currency: row[5])
        return (customer, invoice)
    }

    /// Columns: customer_id, id, invoice_id, paid_on, amount_cents.
    static func payment(_ row: Row) throws -> (key: String, value: Payment) {
        (row[0], Payment(id: row[1], invoiceId: row[2], paidOn: try day(row[3]), amount: Money(cents: row[4])))
    }

    /// Columns: customer_id, invoice_id, promised_on, pay_by, amount_cents.
    static func promise(_ row: Row) throws -> (key: String, value: PaymentPromise) {
        let cents: Int64? = row[4]
        return (
            row[0],
            PaymentPromise(
                invoiceId: row[1], promisedOn: try day(row[2]), payBy: try day(row[3]), amount: cents.map(Money.init(cents:)))
        )
    }

    /// Columns: customer_id, invoice_id, kind, opened_on, resolved_on.
    static func dispute(_ row: Row) throws -> (key: String, value: Dispute) {
        let resolved: String? = row[4]
        return (row[0], Dispute(invoiceId: row[1], kind: row[2], openedOn: try day(row[3]), resolvedOn: try resolved.map(day)))
    }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
