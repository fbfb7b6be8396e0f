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
    private lazy var insertInvoice = try? BulkStatement(
        db,
        sql: "INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)")
    private lazy var insertPayment = try? BulkStatement(
        db, sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES (?, ?, ?, ?)")
    private lazy var reduceOpenBalance = try? BulkStatement(
        db, sql: "UPDATE invoice SET open_cents = open_cents - ?1 WHERE id = ?2 AND issue_date <= ?3")

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
            let indexes = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                arguments: [table])
            for index in indexes {
                let name: String = index[0]
                try db.execute(sql: "DROP INDEX \(name)")
                deferredIndexes.append(index[1])
            }
        }
        merging[table] = hasRows
        return hasRows
    }

    /// In merge mode, records `id` as seen in this import; a second sighting is a duplicate.
    private func markSeen(_ table: String, _ id: String) throws {
        do {
            try db.cachedStatement(sql: "INSERT INTO import_seen_\(table) (id) VALUES (?)").execute(arguments: [id])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw RowRejection.duplicateId
        }
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

    public func write(_ sector: Sector) throws -> RowOutcome {
        let values: StatementArguments = [
            sector.code, sector.label, sector.averageDaysBeyondTerms, sector.averageDSODays,
            sector.annualFailureRate, sector.period, sector.source,
        ]
        if try isMerging("sector") {
            try markSeen("sector", sector.code)
            if let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT label, avg_days_beyond_terms, avg_dso_days, annual_failure_rate, period, source FROM sector WHERE code = ?"),
                arguments: [sector.code])
            {
                let same =
                    row[0] == sector.label && row[1] == sector.averageDaysBeyondTerms && row[2] == sector.averageDSODays
                    && row[3] == sector.annualFailureRate && row[4] == sector.period && row[5] == sector.source
                if same { return .unchanged }
                try run(
                    "UPDATE sector SET label = ?2, avg_days_beyond_terms = ?3, avg_dso_days = ?4, annual_failure_rate = ?5, period = ?6, source = ?7 WHERE code = ?1",
                    values)
                return .updated
            }
        }
        try run("INSERT INTO sector VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        return .inserted
    }

    public func write(_ customer: Customer) throws -> RowOutcome {
        let values: StatementArguments = [
            customer.id, customer.name, customer.registrationId, customer.sectorCode, customer.country,
            customer.termsDays, customer.group, customer.strategic,
        ]
        if try isMerging("customer") {
            try markSeen("customer", customer.id)
            if let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT name, registration_id, sector_code, country, terms_days, customer_group, strategic FROM customer WHERE id = ?"),
                arguments: [customer.id])
            {
                let same =
                    row[0] == customer.name && row[1] == customer.registrationId && row[2] == customer.sectorCode
                    && row[3] == customer.country && row[4] == customer.termsDays && row[5] == customer.group
                    && row[6] == customer.strategic
                if same { return .unchanged }
                try run(
                    "UPDATE customer SET name = ?2, registration_id = ?3, sector_code = ?4, country = ?5, terms_days = ?6, customer_group = ?7, strategic = ?8 WHERE id = ?1",
                    values)
                return .updated
            }
        }
        try run(
            "INSERT INTO customer (id, name, registration_id, sector_code, country, terms_days, customer_group, strategic) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            values)
        return .inserted
    }

    public func write(_ invoice: Invoice) throws -> RowOutcome {
        let values: StatementArguments = [
            invoice.id, invoice.customerId, invoice.issueDate.iso, invoice.dueDate.iso, invoice.amount.cents,
            invoice.currency,
        ]
        if try isMerging("invoice") {
            try markSeen("invoice", invoice.id)
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT customer_id, issue_date, due_date, amount_cents, currency FROM invoice WHERE id = ?"),
                arguments: [invoice.id])
            {
                let same =
                    row[0] == invoice.customerId && row[1] == invoice.issueDate.iso && row[2] == invoice.dueDate.iso
                    && row[3] == invoice.amount.cents && row[4] == invoice.currency
                if same { return .unchanged }
                // The open balance follows a corrected amount; payments already recorded still count.
                try run(
                    "UPDATE invoice SET customer_id = ?2, issue_date = ?3, due_date = ?4, open_cents = open_cents + ?5 - amount_cents, amount_cents = ?5, currency = ?6 WHERE id = ?1",
                    values)
                return .updated
            }
        }
        guard let insert = insertInvoice else { throw DatabaseError(message: "cannot prepare the invoice insert") }
        insert.bind(invoice.id)
        insert.bind(invoice.customerId)
        insert.bind(invoice.issueDate.iso)
        insert.bind(invoice.dueDate.iso)
        insert.bind(invoice.amount.cents)
        insert.bind(invoice.currency)
        try insert.run()
        return .inserted
    }

    public func write(_ payment: Payment) throws -> RowOutcome {
        let values: StatementArguments = [payment.id, payment.invoiceId, payment.paidOn.iso, payment.amount.cents]
        if try isMerging("payment") {
            try markSeen("payment", payment.id)
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT invoice_id, paid_on, amount_cents FROM payment WHERE id = ?"),
                arguments: [payment.id])
            {
                let oldInvoice: String = row[0]
                let oldAmount: Int64 = row[2]
                if oldInvoice == payment.invoiceId && row[1] == payment.paidOn.iso && oldAmount == payment.amount.cents {
                    return .unchanged
                }
                try run("UPDATE payment SET invoice_id = ?2, paid_on = ?3, amount_cents = ?4 WHERE id = ?1", values)
                try run("UPDATE invoice SET open_cents = open_cents + ?1 WHERE id = ?2", [oldAmount, oldInvoice])
                try run(
                    "UPDATE invoice SET open_cents = open_cents - ?1 WHERE id = ?2 AND issue_date <= ?3",
                    [payment.amount.cents, payment.invoiceId, payment.paidOn.iso])
                if db.changesCount == 0 { throw try rejectionBeforeIssue(payment.invoiceId) }
                return .updated
            }
        }
        guard let insert = insertPayment, let reduce = reduceOpenBalance else {
            throw DatabaseError(message: "cannot prepare the payment insert")
        }
        insert.bind(payment.id)
        insert.bind(payment.invoiceId)
        insert.bind(payment.paidOn.iso)
        insert.bind(payment.amount.cents)
        try insert.run()
        reduce.bind(payment.amount.cents)
        reduce.bind(payment.invoiceId)
        reduce.bind(payment.paidOn.iso)
        try reduce.run()
        // The invoice exists (the insert's foreign key says so): no change means it was issued later.
        if reduce.changes == 0 { throw try rejectionBeforeIssue(payment.invoiceId) }
        return .inserted
    }

    /// The rejection of a payment or dispute dated before its invoice's issue date.
    private func rejectionBeforeIssue(_ invoiceId: String) throws -> RowRejection {
        let issued = try String.fetchOne(
            db.cachedStatement(sql: "SELECT issue_date FROM invoice WHERE id = ?"), arguments: [invoiceId])
        return issued.flatMap(Day.init(parsing:)).map(RowRejection.beforeIssue) ?? .unknownReference
    }

    public func write(_ dispute: Dispute) throws -> RowOutcome {
        let values: StatementArguments = [dispute.invoiceId, dispute.openedOn.iso, dispute.kind, dispute.resolvedOn?.iso]
        if let issued = try String.fetchOne(
            db.cachedStatement(sql: "SELECT issue_date FROM invoice WHERE id = ?"), arguments: [dispute.invoiceId]
        ).flatMap(Day.init(parsing:)), dispute.openedOn < issued {
            throw RowRejection.beforeIssue(issued)
        }
        if try isMerging("dispute") {
            try markSeen("dispute", dispute.invoiceId + "\u{1F}" + dispute.openedOn.iso)
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT kind, resolved_on FROM dispute WHERE invoice_id = ? AND opened_on = ?"),
                arguments: [dispute.invoiceId, dispute.openedOn.iso])
            {
                if row[0] == dispute.kind && row[1] == dispute.resolvedOn?.iso { return .unchanged }
                try run("UPDATE dispute SET kind = ?3, resolved_on = ?4 WHERE invoice_id = ?1 AND opened_on = ?2", values)
                return .updated
            }
        }
        try run("INSERT INTO dispute (invoice_id, opened_on, kind, resolved_on) VALUES (?, ?, ?, ?)", values)
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
            OverpaidInvoice(invoiceId: $0[0], amount: Money(cents: $0[1]), paid: Money(cents: $0[2]))
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

    /// Rebuilds the indexes set aside for bulk loads and drops the bookkeeping of this import;
    /// call before the transaction commits.
    public func finish() throws {
        for sql in deferredIndexes {
            try db.execute(sql: sql)
        }
        deferredIndexes = []
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
