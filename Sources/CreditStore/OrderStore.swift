import CreditCore
import Foundation
import GRDB

// Stored as their raw values, the text the schema's CHECKs list (see StoredValues.swift).
extension OrderStatus: DatabaseValueConvertible {}
extension OrderAction: DatabaseValueConvertible {}

/// One row of `pending_order`: an order the service keeps, columns by name.
struct PendingOrderRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pending_order"

    var id: String
    var customerId: String
    var amount: Money
    var invoiced: Money
    var acceptedOn: Day?
    var status: OrderStatus
    var requestedOn: Day
    var requestedBy: String
    var requestedAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case customerId = "customer_id"
        case amount = "amount_cents"
        case invoiced = "invoiced_cents"
        case acceptedOn = "accepted_on"
        case status
        case requestedOn = "requested_on"
        case requestedBy = "requested_by"
        case requestedAt = "requested_at"
    }
}

/// One row of `order_event`: a step of an order's history.
struct OrderEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "order_event"

    var id: Int64?
    var orderId: String
    var customerId: String
    var action: OrderAction
    var amount: Money
    var author: String
    var onDay: Day
    var reason: String?
    var createdAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case orderId = "order_id"
        case customerId = "customer_id"
        case action
        case amount = "amount_cents"
        case author
        case onDay = "on_day"
        case reason
        case createdAt = "created_at"
    }

    var step: OrderStep {
        OrderStep(action: action, author: author, day: onDay, reason: reason, amount: amount, createdAt: createdAt)
    }
}

/// Who takes an order step, on which day, and when it is recorded.
public struct OrderStepAuthor: Sendable {
    public var author: String
    public var day: Day
    public var createdAt: String

    public init(author: String, day: Day, createdAt: String) {
        self.author = author
        self.day = day
        self.createdAt = createdAt
    }
}

/// Order checks and the orders they keep: an approved order checked with `reserve` counts in
/// exposure (a reservation, status `open`) for the part its invoices have not billed yet, until
/// invoiced in full or cancelled; a referred one is held for the credit manager, who releases it
/// (a reservation from then on) or rejects it. Every step is kept in `order_event`. Writes run
/// in the caller's transaction.
public struct OrderStore: Sendable {
    public init() {}

    /// The latest answer given for `orderId` by a check with reserve, if there was one.
    public func decision(_ db: Database, orderId: String) throws -> (customerId: String, amount: Money, detail: Data)? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT customer_id, amount_cents, detail FROM order_check WHERE order_id = ?"),
            arguments: [orderId]
        ).map { row in
            let detail: String = try row.decode(forColumn: "detail")
            return try (row.decode(forColumn: "customer_id"), row.decode(forColumn: "amount_cents"), Data(detail.utf8))
        }
    }

    /// Keeps `detail` as the answer for `orderId`, replacing an earlier one.
    public func saveDecision(
        _ db: Database, orderId: String, customerId: String, amount: Money, reserve: Bool, verdict: OrderVerdict, detail: Data,
        checkedAt: String
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO order_check (order_id, customer_id, amount_cents, reserve, verdict, detail, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, amount_cents = excluded.amount_cents,
                    reserve = excluded.reserve, verdict = excluded.verdict, detail = excluded.detail, checked_at = excluded.checked_at
                """
        ).execute(arguments: [orderId, customerId, amount, reserve, verdict, String(decoding: detail, as: UTF8.self), checkedAt])
    }

    /// Rewrites the kept answer of `orderId` (after a release or a rejection), when there is one.
    public func updateDecision(_ db: Database, orderId: String, detail: Data) throws {
        try db.cachedStatement(sql: "UPDATE order_check SET detail = ? WHERE order_id = ?")
            .execute(arguments: [String(decoding: detail, as: UTF8.self), orderId])
    }

    /// What counts in the customer's exposure for its reservations: the part of each open order
    /// its invoices have not billed yet.
    public func openReservations(_ db: Database, customerId: String) throws -> Money {
        // 'open' is written in the SQL rather than bound, as in the partial index on open orders
        // that serves this query: matching a bound value to it, SQLite would prepare the
        // statement again at every run.
        try Money.fetchOne(
            db.cachedStatement(
                sql: "SELECT COALESCE(SUM(amount_cents - invoiced_cents), 0) FROM pending_order WHERE customer_id = ? AND status = 'open'"),
            arguments: [customerId]) ?? .zero
    }

    /// The customer's open items aged on `day`, and its exposure with the orders it has reserved:
    /// what an order check counts, and the customer's page shows.
    public func currentExposure(_ db: Database, customerId: String, on day: Day) throws -> (aged: AgedBalance, exposure: Money) {
        let aged = AgedBalance(openItems: try openItems(db, customerId: customerId), asOf: day)
        return (aged, aged.exposure(pendingOrders: try openReservations(db, customerId: customerId)))
    }

    /// The order kept under `orderId`, with the customer's name, its latest check and its history.
    public func order(_ db: Database, orderId: String) throws -> KeptOrder? {
        guard let record = try PendingOrderRecord.fetchOne(db, key: orderId) else { return nil }
        return try keptOrder(db, record)
    }

    /// Who the order kept under `orderId` belongs to and where it stands, without its history.
    public func status(_ db: Database, orderId: String) throws -> (customerId: String, amount: Money, status: OrderStatus)? {
        // A cached statement, not the record's query interface: every order check asks this, and
        // building and preparing the SQL each time cost two thirds of the check's database work.
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT customer_id, amount_cents, status FROM pending_order WHERE id = ?"), arguments: [orderId]
        ).map { row in
            try (row.decode(forColumn: "customer_id"), row.decode(forColumn: "amount_cents"), row.decode(forColumn: "status"))
        }
    }

    /// Every step of the customer's orders, in the order they were taken: for its timeline.
    public func steps(_ db: Database, customerId: String) throws -> [(orderId: String, step: OrderStep)] {
        try OrderEventRecord.fetchAll(
            db, sql: "SELECT * FROM order_event INDEXED BY order_event_customer WHERE customer_id = ? ORDER BY id", arguments: [customerId]
        ).map { ($0.orderId, $0.step) }
    }

    /// How many orders of the selected customers are held, waiting for the credit manager.
    public func heldCount(_ db: Database, selection: PortfolioSelection) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM pending_order o JOIN customer c ON c.id = o.customer_id
                WHERE o.status = 'held' AND \(ReportQueries.selecting(selection))
                """, arguments: ReportQueries.arguments(selection)) ?? 0
    }

    /// Held orders, the longest waiting first.
    public func heldOrders(_ db: Database) throws -> [KeptOrder] {
        try PendingOrderRecord.fetchAll(
            db, sql: "SELECT * FROM pending_order WHERE status = 'held' ORDER BY requested_on, requested_at, id"
        ).map { try keptOrder(db, $0) }
    }

    private func keptOrder(_ db: Database, _ record: PendingOrderRecord) throws -> KeptOrder {
        let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM customer WHERE id = ?"), arguments: [record.customerId])
        let detail = try decision(db, orderId: record.id).flatMap { stored -> OrderDecision? in
            struct Kept: Decodable { var decision: OrderDecision }
            return try? JSONDecoder().decode(Kept.self, from: stored.detail).decision
        }
        let steps = try OrderEventRecord.filter(OrderEventRecord.CodingKeys.orderId == record.id)
            .order(OrderEventRecord.CodingKeys.id).fetchAll(db).map(\.step)
        return KeptOrder(
            orderId: record.id, customerId: record.customerId, customerName: name ?? record.customerId, amount: record.amount,
            status: record.status, invoiced: record.invoiced, requestedOn: record.requestedOn, requestedBy: record.requestedBy,
            decision: detail, steps: steps)
    }

    /// Makes `orderId` a reservation of `amount` for the customer from `by.day` (a new order, or
    /// one held, cancelled or rejected before), the part its invoices already bill deducted.
    public func reserve(
        _ db: Database, orderId: String, customerId: String, amount: Money, by: OrderStepAuthor, reason: String?
    ) throws {
        try keep(db, orderId: orderId, customerId: customerId, amount: amount, status: .open, by: by)
        try record(db, orderId: orderId, customerId: customerId, action: .reserved, amount: amount, by: by, reason: reason)
        try settle(db, orderId: orderId, by: by)
    }

    /// Holds `orderId` for the credit manager. Returns false when it was already held for the
    /// same amount (nothing new to tell them).
    public func hold(
        _ db: Database, orderId: String, customerId: String, amount: Money, by: OrderStepAuthor, reason: String?
    ) throws -> Bool {
        if let kept = try status(db, orderId: orderId), kept.status == .held, kept.amount == amount { return false }
        try keep(db, orderId: orderId, customerId: customerId, amount: amount, status: .held, by: by)
        try record(db, orderId: orderId, customerId: customerId, action: .held, amount: amount, by: by, reason: reason)
        try settle(db, orderId: orderId, by: by)
        return true
    }

    private func keep(
        _ db: Database, orderId: String, customerId: String, amount: Money, status: OrderStatus, by: OrderStepAuthor
    ) throws {
        try PendingOrderRecord(
            id: orderId, customerId: customerId, amount: amount, invoiced: .zero, acceptedOn: status == .open ? by.day : nil,
            status: status, requestedOn: by.day, requestedBy: by.author, requestedAt: by.createdAt
        ).save(db)
    }

    /// Moves a held order to `status` (`open` on release, `rejected`), recording the step.
    /// Returns false when `orderId` is not held.
    public func decideHeld(_ db: Database, orderId: String, release: Bool, by: OrderStepAuthor, reason: String) throws -> Bool {
        guard var order = try PendingOrderRecord.fetchOne(db, key: orderId), order.status == .held else { return false }
        order.status = release ? .open : .rejected
        if release { order.acceptedOn = by.day }
        try order.update(db)
        try record(
            db, orderId: orderId, customerId: order.customerId, action: release ? .released : .rejected, amount: order.amount, by: by,
            reason: reason)
        if release { try settle(db, orderId: orderId, by: by) }
        return true
    }

    /// Cancels a reserved or held order; returns false when there is no such order by that id.
    public func cancel(_ db: Database, orderId: String, by: OrderStepAuthor) throws -> Bool {
        guard var order = try PendingOrderRecord.fetchOne(db, key: orderId), order.status == .open || order.status == .held
        else { return false }
        order.status = .cancelled
        try order.update(db)
        try record(db, orderId: orderId, customerId: order.customerId, action: .cancelled, amount: order.amount, by: by, reason: nil)
        return true
    }

    private func record(
        _ db: Database, orderId: String, customerId: String, action: OrderAction, amount: Money, by: OrderStepAuthor, reason: String?
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO order_event (order_id, customer_id, action, amount_cents, author, on_day, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [orderId, customerId, action, amount, by.author, by.day, reason, by.createdAt])
    }

    /// Brings each order of `orderIds` in line with the invoices of its customer that name it
    /// (credit notes aside: they lower the invoices' balance, not the order): what they bill
    /// is deducted from its reservation, and an order billed in full is over
    /// (`OrderStatus.afterInvoicing`). A change is recorded as an `invoiced` step. Returns the
    /// orders changed.
    @discardableResult
    public func settle(_ db: Database, orderIds: some Sequence<String>, by: OrderStepAuthor) throws -> Int {
        var changed = 0
        for orderId in orderIds {
            if try settle(db, orderId: orderId, by: by) { changed += 1 }
        }
        return changed
    }

    @discardableResult
    private func settle(_ db: Database, orderId: String, by: OrderStepAuthor) throws -> Bool {
        // Statements rather than records: an import may settle thousands of orders.
        guard
            let order = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT customer_id, amount_cents, invoiced_cents, status FROM pending_order WHERE id = ?"),
                arguments: [orderId])
        else { return false }
        let customerId: String = try order.decode(forColumn: "customer_id")
        let amount: Money = try order.decode(forColumn: "amount_cents")
        let current: OrderStatus = try order.decode(forColumn: "status")
        let invoices = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT id, amount_cents FROM invoice WHERE order_id = ? AND customer_id = ? AND amount_cents > 0 ORDER BY issue_date, id"),
            arguments: [orderId, customerId])
        var invoiced = Money.zero
        var ids: [String] = []
        for row in invoices {
            invoiced += try row.decode(forColumn: "amount_cents") as Money
            ids.append(try row.decode(forColumn: "id"))
        }
        let status = current.afterInvoicing(amount: amount, invoiced: invoiced)
        guard try invoiced != order.decode(forColumn: "invoiced_cents") || status != current else { return false }
        try db.cachedStatement(sql: "UPDATE pending_order SET invoiced_cents = ?, status = ? WHERE id = ?")
            .execute(arguments: [invoiced, status, orderId])
        try record(
            db, orderId: orderId, customerId: customerId, action: .invoiced, amount: invoiced, by: by,
            reason: OrderStep.invoicingReason(invoiceIds: ids, invoiced: invoiced, amount: amount, status: status))
        return true
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
}
