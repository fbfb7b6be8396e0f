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
        /// The customers of a group, a sector or a sales rep, found through the customers' indexes.
        case customers(PortfolioSelection)

        /// The SQL condition on the customer id column `column`, with `:one`, `:after`, `:through`.
        func condition(_ column: String) -> String {
            switch self {
            case .all: return "1"
            case .one: return "\(column) = :one"
            case .slice(let after, let through):
                return [after.map { _ in "\(column) > :after" }, through.map { _ in "\(column) <= :through" }]
                    .compactMap { $0 }.joined(separator: " AND ").ifEmpty("1")
            case .customers(let selection):
                return "\(column) IN (SELECT c.id FROM customer c WHERE \(ReportQueries.selecting(selection)))"
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
            case .customers(let selection):
                return ["group": selection.group, "sector": selection.sector, "salesRep": selection.salesRep]
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

    /// The slices `bounds` (from `sliceBounds`) cut, in id order. The last is open at its end, so
    /// that customers added since the bounds were read are included too.
    public static func slices(bounds: [String]) -> [Selection] {
        var slices: [Selection] = []
        var after: String?
        for through in bounds.map(Optional.some) + [nil] {
            slices.append(.slice(after: after, through: through))
            after = through
        }
        return slices
    }

    /// The histories of the selected customers, in id order.
    public func histories(_ db: Database, asOf day: Day, selection: Selection) throws -> [CustomerHistory] {
        var histories: [CustomerHistory] = []
        try forEach(db, asOf: day, selection: selection) { histories.append($0) }
        return histories
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
        values["asOf"] = day
        let arguments = StatementArguments(values)
        /// Rows keyed by customer, in customer order through the invoices' customer index: the
        /// invoices issued by the day, or (`joining`) their payments or disputes dated by the day.
        func invoiceRows<Value>(
            _ columns: String, joining join: String = "", dated: String? = nil, _ decode: @escaping (Row) throws -> (key: String, value: Value)
        ) throws -> PeekingCursor<Value> {
            try PeekingCursor(
                decode: decode,
                Row.fetchCursor(
                    db,
                    sql: """
                        SELECT i.customer_id, \(columns)
                        FROM invoice i INDEXED BY invoice_customer\(join)
                        WHERE i.issue_date <= :asOf\(dated.map { " AND \($0) <= :asOf" } ?? "") AND \(selection.condition("i.customer_id"))
                        ORDER BY i.customer_id
                        """, arguments: arguments))
        }
        let customers = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, name, registration_id, sector_code, country, terms_days, customer_group, strategic, sales_rep
                FROM customer WHERE \(selection.condition("id")) ORDER BY id
                """, arguments: arguments)
        var invoices = try invoiceRows("i.id, i.issue_date, i.due_date, i.amount_cents, i.currency", HistoryRows.invoice)
        var payments = try invoiceRows(
            "p.id, p.invoice_id, p.paid_on, p.amount_cents", joining: " JOIN payment p ON p.invoice_id = i.id", dated: "p.paid_on",
            HistoryRows.payment)
        var disputes = try invoiceRows(
            "d.invoice_id, d.kind, d.opened_on, d.resolved_on, d.amount_cents, d.owner, d.outcome",
            joining: " JOIN dispute d ON d.invoice_id = i.id", dated: "d.opened_on", HistoryRows.dispute)
        var promises = try PeekingCursor(
            decode: HistoryRows.promise,
            Row.fetchCursor(
                db,
                sql: """
                    SELECT p.customer_id, p.invoice_id, p.promised_on, p.pay_by, p.amount_cents
                    FROM payment_promise p INDEXED BY payment_promise_customer
                    WHERE p.promised_on <= :asOf AND \(selection.condition("p.customer_id"))
                    ORDER BY p.customer_id
                    """, arguments: arguments))
        // 'open' is written in the SQL, as in the partial index on open orders (see `OrderStore`);
        // a reservation counts for the part its invoices have not billed yet.
        let orders = try Dictionary(
            Row.fetchAll(
                db,
                sql: """
                    SELECT customer_id, SUM(amount_cents - invoiced_cents) AS amount_cents FROM pending_order
                    WHERE status = 'open' AND accepted_on <= :asOf AND \(selection.condition("customer_id"))
                    GROUP BY customer_id
                    """, arguments: arguments
            ).map { (row: Row) -> (String, Money) in
                (try row.decode(forColumn: "customer_id"), try row.decode(forColumn: "amount_cents"))
            }, uniquingKeysWith: +)

        while let row = try customers.next() {
            var history = CustomerHistory(customer: try HistoryRows.customer(row))
            let id = history.customer.id
            while let invoice = try invoices.next(ifKey: id) { history.invoices.append(invoice) }
            while let payment = try payments.next(ifKey: id) { history.payments.append(payment) }
            while let dispute = try disputes.next(ifKey: id) { history.disputes.append(dispute) }
            while let promise = try promises.next(ifKey: id) { history.promises.append(promise) }
            history.pendingOrders = orders[id] ?? .zero
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

/// The rows of a history pass decoded into domain values, by position: the measured hot path of
/// scoring a portfolio (a whole pass reads every row of the ledger), where looking columns up by
/// name costs more than the decoding. Each function names the columns its SELECT lists, in
/// order. The decoding throws on a value that does not fit (a date that is no day, a NULL where
/// none may be), naming the column; it never traps.
enum HistoryRows {
    /// id, name, registration_id, sector_code, country, terms_days, customer_group, strategic, sales_rep.
    static func customer(_ row: Row) throws -> Customer {
        try Customer(
            id: row.decode(atIndex: 0), name: row.decode(atIndex: 1), registrationId: row.decode(atIndex: 2),
            sectorCode: row.decode(atIndex: 3), country: row.decode(atIndex: 4), termsDays: row.decode(atIndex: 5),
            group: row.decode(atIndex: 6), strategic: row.decode(atIndex: 7), salesRep: row.decode(atIndex: 8))
    }

    /// customer_id, id, issue_date, due_date, amount_cents, currency.
    static func invoice(_ row: Row) throws -> (key: String, value: Invoice) {
        let customer: String = try row.decode(atIndex: 0)
        let invoice = try Invoice(
            id: row.decode(atIndex: 1), customerId: customer, issueDate: row.decode(atIndex: 2),
            dueDate: row.decode(atIndex: 3), amount: row.decode(atIndex: 4), currency: row.decode(atIndex: 5))
        return (customer, invoice)
    }

    /// customer_id, id, invoice_id, paid_on, amount_cents.
    static func payment(_ row: Row) throws -> (key: String, value: Payment) {
        let payment = try Payment(
            id: row.decode(atIndex: 1), invoiceId: row.decode(atIndex: 2), paidOn: row.decode(atIndex: 3),
            amount: row.decode(atIndex: 4))
        return (try row.decode(atIndex: 0), payment)
    }

    /// customer_id, invoice_id, promised_on, pay_by, amount_cents (NULL: the whole balance).
    static func promise(_ row: Row) throws -> (key: String, value: PaymentPromise) {
        let promise = try PaymentPromise(
            invoiceId: row.decode(atIndex: 1), promisedOn: row.decode(atIndex: 2), payBy: row.decode(atIndex: 3),
            amount: row.decode(atIndex: 4))
        return (try row.decode(atIndex: 0), promise)
    }

    /// customer_id, invoice_id, kind, opened_on, resolved_on, amount_cents, owner, outcome.
    static func dispute(_ row: Row) throws -> (key: String, value: Dispute) {
        (try row.decode(atIndex: 0), try dispute(row, from: 1))
    }

    /// A dispute from its columns from `first` on: invoice id, kind, opened on, resolved on,
    /// amount, owner, outcome.
    static func dispute(_ row: Row, from first: Int) throws -> Dispute {
        try Dispute(
            invoiceId: row.decode(atIndex: first), kind: row.decode(atIndex: first + 1), openedOn: row.decode(atIndex: first + 2),
            resolvedOn: row.decode(atIndex: first + 3), amount: row.decode(atIndex: first + 4), owner: row.decode(atIndex: first + 5),
            outcome: row.decode(atIndex: first + 6))
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
