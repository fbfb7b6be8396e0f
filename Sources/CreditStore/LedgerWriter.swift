import CreditCore
import GRDB

/// What writing one ledger row did to the store.
public enum RowOutcome: Sendable {
    case inserted, updated, unchanged
}

/// Why a row could not be written: the cross-row rules the store enforces.
public enum RowRejection: Error, Sendable, Equatable {
    /// The same id appears twice in the files of this import.
    case duplicateId
    /// The row refers to something neither the store nor this import holds.
    case unknownReference
    /// A payment or a dispute dated before the invoice it concerns was issued.
    case beforeIssue(Day)
    /// An invoice names an order the service keeps for another customer (given).
    case orderOfAnotherCustomer(String)
    /// The payment would be one more than `LedgerWriter.maximumPaymentsPerInvoice` on its invoice.
    case tooManyPayments(Int)
}

/// Writes ledger rows into the store inside the caller's transaction, by id.
///
/// A table that is empty when the import starts takes plain inserts, and its primary key and
/// foreign keys catch duplicates and dangling references: the fast path for a first load.
/// A table that already holds rows is merged: each row is compared with the stored one and
/// only a real change is written, so re-importing a file changes nothing and a newer export
/// updates by id. A temporary table of the ids seen in this import tells a duplicate in the
/// files from a row that was stored by an earlier import.
public final class LedgerWriter {
    private let db: Database
    private var merging: [String: Bool] = [:]
    /// `CREATE INDEX` statements dropped for a bulk load, to run again before commit.
    private var deferredIndexes: [String] = []
    /// `CREATE TRIGGER` statements set aside for a bulk load (they keep the ledger's daily
    /// totals), to run again before commit, after which the totals are rebuilt once.
    private var deferredTriggers: [String] = []
    private lazy var insertInvoice = try? BulkStatement(
        db,
        sql: """
            INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents, order_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7)
            """)
    private lazy var insertCustomer = try? BulkStatement(
        db,
        sql: """
            INSERT INTO customer (id, name, registration_id, sector_code, country, terms_days, customer_group, strategic, sales_rep, name_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    private lazy var insertPayment = try? BulkStatement(
        db, sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES (?, ?, ?, ?)")
    private lazy var reduceOpenBalance = try? BulkStatement(
        db, sql: "UPDATE invoice SET open_cents = open_cents - ?1 WHERE id = ?2 AND issue_date <= ?3")

    /// Whether the store kept any order when the import started (nil: not asked yet); without
    /// one, an invoice's order id needs no look-up.
    private var keepsOrders: Bool?
    /// The kept orders named by the invoices written (by their new or their former order id):
    /// their reservations are settled against their invoices once the import is written
    /// (`OrderStore.settle`).
    public private(set) var billedOrders: Set<String> = []
    /// The customer of each kept order looked up so far.
    private var orderOwners: [String: String] = [:]

    /// At most this many payments on one invoice. More is not a plausible ledger (rows repeated
    /// under new ids), and each payment stored beside others re-settles its invoice over all of
    /// them in the daily totals: 5 000 payments of one invoice took 143 s to merge, a cost that
    /// grows with the square of the count.
    public static let maximumPaymentsPerInvoice = 1_000
    /// Payments inserted by this import, by invoice.
    private var newPayments: [String: Int] = [:]
    /// Payments stored before this import, for the invoices this import could take past the
    /// maximum: those holding nearly as many already (read once), and any given 100 new ones.
    private var storedPayments: [String: Int]?

    /// Call inside a write transaction; the writer lives no longer than that transaction.
    public init(db: Database) {
        self.db = db
    }

    private func isMerging(_ table: String) throws -> Bool {
        if let mode = merging[table] { return mode }
        let hasRows = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") ?? false
        if hasRows {
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS import_seen_\(table) (id TEXT PRIMARY KEY NOT NULL)")
            try db.execute(sql: "DELETE FROM import_seen_\(table)")
        } else {
            // Bulk load: an index built once from sorted keys costs a fraction of a million
            // random insertions into it. The index is rebuilt by `finish()` in the same transaction.
            deferredIndexes += try setAside("index", of: table)
            // A trigger per row would cost more than the load; the totals it keeps are rebuilt at the end.
            deferredTriggers += try setAside("trigger", of: table)
        }
        merging[table] = hasRows
        return hasRows
    }

    /// Drops the indexes or triggers (`kind`) of `table` and returns the statements that create them again.
    private func setAside(_ kind: String, of table: String) throws -> [String] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL", arguments: [kind, table])
        return try rows.map { row in
            let name: String = try row.decode(forColumn: "name")
            try db.execute(sql: "DROP \(kind.uppercased()) \(name)")
            return try row.decode(forColumn: "sql")
        }
    }

    /// In merge mode, records `id` as seen in this import; a second sighting is a duplicate.
    private func markSeen(_ table: String, _ id: String) throws {
        do {
            try db.cachedStatement(sql: "INSERT INTO import_seen_\(table) (id) VALUES (?)").execute(arguments: [id])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw RowRejection.duplicateId
        }
    }

    /// The merge of one row into a table that held rows when the import started: the row stored
    /// under the same key (`stored`, a SELECT of its columns by key) is compared with the new
    /// one by `same`; an equal row is `.unchanged`, another is rewritten by `update` (given the
    /// stored row) and `.updated`. Nil when the table was empty or nothing is stored under the
    /// key: the caller inserts.
    private func merge(
        _ table: String, key: @autoclosure () -> String, stored sql: String, _ arguments: @autoclosure () -> StatementArguments,
        same: (Row) -> Bool, update: (Row) throws -> Void
    ) throws -> RowOutcome? {
        guard try isMerging(table) else { return nil }
        try markSeen(table, key())
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments()) else { return nil }
        if same(row) { return .unchanged }
        try update(row)
        return .updated
    }

    /// Runs an insert or update, translating constraint failures into rejections.
    private func run(_ sql: String, _ arguments: StatementArguments) throws {
        do {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
        } catch let error as DatabaseError {
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE: throw RowRejection.duplicateId
            case .SQLITE_CONSTRAINT_FOREIGNKEY: throw RowRejection.unknownReference
            default: throw error
            }
        }
    }

    // A stored row that does not decode (edited by hand: a date that is no day) differs from
    // any row an import brings, so the merges below compare with `try?` and rewrite it.

    public func write(_ sector: Sector) throws -> RowOutcome {
        let values: StatementArguments = [
            sector.code, sector.label, sector.averageDaysBeyondTerms, sector.averageDSODays,
            sector.annualFailureRate, sector.period, sector.source,
        ]
        if let outcome = try merge(
            "sector", key: sector.code,
            stored: "SELECT code, label, avg_days_beyond_terms, avg_dso_days, annual_failure_rate, period, source FROM sector WHERE code = ?",
            [sector.code], same: { (try? StoredRows.sector($0)) == sector },
            update: { _ in
                try run(
                    "UPDATE sector SET label = ?2, avg_days_beyond_terms = ?3, avg_dso_days = ?4, annual_failure_rate = ?5, period = ?6, source = ?7 WHERE code = ?1",
                    values)
            })
        {
            return outcome
        }
        try run("INSERT INTO sector VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        return .inserted
    }

    public func write(_ customer: Customer) throws -> RowOutcome {
        let nameKey = CustomerDirectory.searchKey(customer.name)
        if let outcome = try merge(
            "customer", key: customer.id,
            stored:
                "SELECT id, name, registration_id, sector_code, country, terms_days, customer_group, strategic, sales_rep FROM customer WHERE id = ?",
            [customer.id], same: { (try? StoredRows.customer($0)) == customer },
            update: { _ in
                try run(
                    "UPDATE customer SET name = ?2, registration_id = ?3, sector_code = ?4, country = ?5, terms_days = ?6, customer_group = ?7, strategic = ?8, sales_rep = ?9, name_key = ?10 WHERE id = ?1",
                    [
                        customer.id, customer.name, customer.registrationId, customer.sectorCode, customer.country,
                        customer.termsDays, customer.group, customer.strategic, customer.salesRep, nameKey,
                    ])
            })
        {
            return outcome
        }
        guard let insert = insertCustomer else { throw DatabaseError(message: "cannot prepare the customer insert") }
        insert.bind(customer.id)
        insert.bind(customer.name)
        insert.bind(customer.registrationId)
        insert.bind(customer.sectorCode)
        insert.bind(customer.country)
        insert.bind(Int64(customer.termsDays))
        insert.bind(customer.group)
        // Stored as GRDB stores a Bool: 1 or 0.
        insert.bind(Int64(customer.strategic ? 1 : 0))
        insert.bind(customer.salesRep)
        insert.bind(nameKey)
        try insert.run()
        return .inserted
    }

    /// Writes an invoice. One that names an order kept for its customer has that order settled
    /// after the import (`billedOrders`); naming an order kept for another customer is refused.
    /// An export without the order column (or with it empty) keeps the order id stored.
    public func write(_ invoice: Invoice) throws -> RowOutcome {
        try noteBilledOrder(invoice.orderId, customerId: invoice.customerId)
        var plain = invoice
        plain.orderId = nil
        if let outcome = try merge(
            "invoice", key: invoice.id,
            stored: "SELECT id, customer_id, issue_date, due_date, amount_cents, currency, order_id FROM invoice WHERE id = ?", [invoice.id],
            same: { row in
                (try? StoredRows.invoice(row)) == plain && (invoice.orderId == nil || row["order_id"] == invoice.orderId)
            },
            update: { stored in
                // The order billed before is settled again too: it may bill less now.
                if let former: String = try stored.decode(forColumn: "order_id") { try noteBilledOrder(former, customerId: nil) }
                // The open balance follows a corrected amount; payments already recorded still count.
                try run(
                    """
                    UPDATE invoice SET customer_id = ?2, issue_date = ?3, due_date = ?4, open_cents = open_cents + ?5 - amount_cents,
                        amount_cents = ?5, currency = ?6, order_id = COALESCE(?7, order_id) WHERE id = ?1
                    """,
                    [invoice.id, invoice.customerId, invoice.issueDate, invoice.dueDate, invoice.amount, invoice.currency, invoice.orderId])
            })
        {
            return outcome
        }
        guard let insert = insertInvoice else { throw DatabaseError(message: "cannot prepare the invoice insert") }
        insert.bind(invoice.id)
        insert.bind(invoice.customerId)
        insert.bind(invoice.issueDate)
        insert.bind(invoice.dueDate)
        insert.bind(invoice.amount)
        insert.bind(invoice.currency)
        insert.bind(invoice.orderId)
        try insert.run()
        return .inserted
    }

    /// Notes `orderId` among the billed orders when the store keeps it; with `customerId`, refuses
    /// an order kept for another customer.
    private func noteBilledOrder(_ orderId: String?, customerId: String?) throws {
        guard let orderId else { return }
        if keepsOrders == nil { keepsOrders = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_order)") ?? false }
        guard keepsOrders == true else { return }
        // An order is usually billed by several invoices of one export: looked up once.
        let owner: String?
        if let known = orderOwners[orderId] {
            owner = known
        } else {
            owner = try String.fetchOne(db.cachedStatement(sql: "SELECT customer_id FROM pending_order WHERE id = ?"), arguments: [orderId])
            if let owner { orderOwners[orderId] = owner }
        }
        guard let owner else { return }
        if let customerId, owner != customerId { throw RowRejection.orderOfAnotherCustomer(owner) }
        billedOrders.insert(orderId)
    }

    public func write(_ payment: Payment) throws -> RowOutcome {
        if let outcome = try merge(
            "payment", key: payment.id, stored: "SELECT id, invoice_id, paid_on, amount_cents FROM payment WHERE id = ?", [payment.id],
            same: { (try? StoredRows.payment($0)) == payment },
            update: { stored in
                let oldInvoice: String = try stored.decode(forColumn: "invoice_id")
                let oldAmount: Money = try stored.decode(forColumn: "amount_cents")
                try run(
                    "UPDATE payment SET invoice_id = ?2, paid_on = ?3, amount_cents = ?4 WHERE id = ?1",
                    [payment.id, payment.invoiceId, payment.paidOn, payment.amount])
                try run("UPDATE invoice SET open_cents = open_cents + ?1 WHERE id = ?2", [oldAmount, oldInvoice])
                try run(
                    "UPDATE invoice SET open_cents = open_cents - ?1 WHERE id = ?2 AND issue_date <= ?3",
                    [payment.amount, payment.invoiceId, payment.paidOn])
                if db.changesCount == 0 { throw try rejectionBeforeIssue(payment.invoiceId) }
            })
        {
            return outcome
        }
        guard let insert = insertPayment, let reduce = reduceOpenBalance else {
            throw DatabaseError(message: "cannot prepare the payment insert")
        }
        try countPayment(of: payment.invoiceId)
        insert.bind(payment.id)
        insert.bind(payment.invoiceId)
        insert.bind(payment.paidOn)
        insert.bind(payment.amount)
        try insert.run()
        reduce.bind(payment.amount)
        reduce.bind(payment.invoiceId)
        reduce.bind(payment.paidOn)
        try reduce.run()
        // The invoice exists (the insert's foreign key says so): no change means it was issued later.
        if reduce.changes == 0 { throw try rejectionBeforeIssue(payment.invoiceId) }
        return .inserted
    }

    /// Counts a payment about to be merged; refuses it past `maximumPaymentsPerInvoice`. A bulk
    /// load is checked once at its end instead (`crowdedInvoicesAfterBulkLoad`): counting each of
    /// a million rows by invoice cost a second and 70 MB.
    private func countPayment(of invoiceId: String) throws {
        guard merging["payment"] == true else { return }
        let limit = Self.maximumPaymentsPerInvoice
        let new = newPayments[invoiceId, default: 0] + 1
        newPayments[invoiceId] = new
        var stored = 0
        if storedPayments == nil {
            let rows = try Row.fetchAll(
                db, sql: "SELECT CAST(invoice_id AS TEXT), COUNT(*) FROM payment GROUP BY invoice_id HAVING COUNT(*) > ?",
                arguments: [limit - 100])
            // Decoded, not subscripted: a stored row edited by hand must not trap.
            storedPayments = Dictionary(
                try rows.map { (try $0.decode(atIndex: 0) as String, try $0.decode(atIndex: 1) as Int) }, uniquingKeysWith: { a, _ in a })
        }
        if let known = storedPayments?[invoiceId] {
            stored = known
        } else if new > 100 {
            // At most limit - 100 were stored: only now could the sum pass the limit.
            stored =
                try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM payment WHERE invoice_id = ?"), arguments: [invoiceId])
                ?? 0
            // The count read includes this import's payments so far.
            stored -= new - 1
            storedPayments?[invoiceId] = stored
        }
        if stored + new > limit { throw RowRejection.tooManyPayments(limit) }
    }

    /// After a bulk load of payments, the invoices holding more than `maximumPaymentsPerInvoice`
    /// (at most `limit` of them, with their count), read through the index `finish()` rebuilt.
    public func crowdedInvoicesAfterBulkLoad(limit: Int) throws -> [(invoiceId: String, payments: Int)] {
        guard merging["payment"] == false else { return [] }
        return try Row.fetchAll(
            db,
            sql: "SELECT CAST(invoice_id AS TEXT), COUNT(*) FROM payment GROUP BY invoice_id HAVING COUNT(*) > ? ORDER BY invoice_id LIMIT ?",
            arguments: [Self.maximumPaymentsPerInvoice, limit]
        ).map { (try $0.decode(atIndex: 0), try $0.decode(atIndex: 1)) }
    }

    /// The day the invoice was issued, nil when no such invoice is stored.
    private func issueDate(_ invoiceId: String) throws -> Day? {
        try Day.fetchOne(db.cachedStatement(sql: "SELECT issue_date FROM invoice WHERE id = ?"), arguments: [invoiceId])
    }

    /// The rejection of a payment or dispute dated before its invoice's issue date.
    private func rejectionBeforeIssue(_ invoiceId: String) throws -> RowRejection {
        try issueDate(invoiceId).map(RowRejection.beforeIssue) ?? .unknownReference
    }

    /// Writes a dispute by invoice and opening day. An export that leaves out the disputed part
    /// or the owner (columns absent or empty) keeps what the dispute workflow recorded; one that
    /// gives them replaces it.
    public func write(_ dispute: Dispute) throws -> RowOutcome {
        if let issued = try issueDate(dispute.invoiceId), dispute.openedOn < issued {
            throw RowRejection.beforeIssue(issued)
        }
        let values: StatementArguments = [
            dispute.invoiceId, dispute.openedOn, dispute.kind, dispute.resolvedOn, dispute.amount, dispute.owner,
        ]
        if let outcome = try merge(
            "dispute", key: dispute.invoiceId + "\u{1F}" + dispute.openedOn.iso,
            stored: "SELECT invoice_id, opened_on, kind, resolved_on, amount_cents, owner FROM dispute WHERE invoice_id = ? AND opened_on = ?",
            [dispute.invoiceId, dispute.openedOn],
            same: { row in
                guard let stored = try? StoredRows.dispute(row) else { return false }
                return stored.kind == dispute.kind && stored.resolvedOn == dispute.resolvedOn
                    && (dispute.amount == nil || stored.amount == dispute.amount) && (dispute.owner == nil || stored.owner == dispute.owner)
            },
            update: { _ in
                try run(
                    """
                    UPDATE dispute SET kind = ?3, resolved_on = ?4, amount_cents = COALESCE(?5, amount_cents), owner = COALESCE(?6, owner)
                    WHERE invoice_id = ?1 AND opened_on = ?2
                    """, values)
            })
        {
            return outcome
        }
        try run("INSERT INTO dispute (invoice_id, opened_on, kind, resolved_on, amount_cents, owner) VALUES (?, ?, ?, ?, ?, ?)", values)
        return .inserted
    }

    /// Writes a group's limit; the group must be one of the customers'.
    public func write(_ limit: GroupLimit, updatedAt: String) throws -> RowOutcome {
        let members = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE customer_group = ?)")
        guard try Bool.fetchOne(members, arguments: [limit.group]) == true else { throw RowRejection.unknownReference }
        let values: StatementArguments = [limit.group, limit.limit, limit.currency, limit.setBy, limit.setOn, limit.reason, updatedAt]
        if let outcome = try merge(
            "group_limit", key: limit.group, stored: "SELECT limit_cents, currency FROM group_limit WHERE group_name = ?", [limit.group],
            same: { row in
                row["limit_cents"] == limit.limit.cents && row["currency"] == limit.currency
            },
            update: { _ in
                try run(
                    "UPDATE group_limit SET limit_cents = ?2, currency = ?3, set_by = ?4, set_on = ?5, reason = ?6, updated_at = ?7 WHERE group_name = ?1",
                    values)
            })
        {
            return outcome
        }
        try run(
            "INSERT INTO group_limit (group_name, limit_cents, currency, set_by, set_on, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        return .inserted
    }

    /// Invoices whose recorded payments now exceed their amount (or go beyond a credit note's
    /// amount the other way). Checked once after all payments are written, because several
    /// rows together make the excess.
    public func overpaidInvoices(limit: Int) throws -> [OverpaidInvoice] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, amount_cents, amount_cents - open_cents AS paid_cents FROM invoice
                WHERE \(OverpaymentRule.brokenSQL)
                ORDER BY id LIMIT ?
                """, arguments: [limit]
        ).map {
            try OverpaidInvoice(
                invoiceId: $0.decode(forColumn: "id"), amount: $0.decode(forColumn: "amount_cents"), paid: $0.decode(forColumn: "paid_cents"))
        }
    }

    /// Counts invoices whose payments exceed them, for the total of problems.
    public func overpaidInvoiceCount() throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM invoice WHERE \(OverpaymentRule.brokenSQL)
                """) ?? 0
    }

    /// Rebuilds the indexes and triggers set aside for bulk loads (then the daily totals the
    /// triggers keep) and drops the bookkeeping of this import; call before the transaction commits.
    public func finish() throws {
        for sql in deferredIndexes {
            try db.execute(sql: sql)
        }
        deferredIndexes = []
        if !deferredTriggers.isEmpty {
            for sql in deferredTriggers {
                try db.execute(sql: sql)
            }
            deferredTriggers = []
            try LedgerDayTotals().rebuild(db)
        } else if try LedgerDayTotals().scopesStale(db) {
            // A customer moved to another group, sector or sales rep: their totals are built anew.
            try LedgerDayTotals().rebuild(db)
        }
        for (table, merged) in merging where merged {
            try db.execute(sql: "DROP TABLE IF EXISTS import_seen_\(table)")
        }
    }
}

/// An invoice that its payments overshoot.
public struct OverpaidInvoice: Sendable, Hashable {
    public var invoiceId: String
    public var amount: Money
    public var paid: Money
}
