import CreditCore
import Foundation
import GRDB

/// What the credit team's reports read: open balances per customer, grades at both ends of a
/// period, the open items and payment delays a cash forecast starts from.
public struct ReportQueries: Sendable {
    public init() {}

    /// The customers a report is about, as a condition on `customer c`: every filter is one line
    /// here (a sales rep's, once customers carry one: `AND (:salesRep IS NULL OR c.sales_rep = :salesRep)`).
    static let selectedCustomers = """
        (:group IS NULL OR c.customer_group = :group)
        AND (:sector IS NULL OR c.sector_code = :sector)
        AND (:salesRep IS NULL OR c.sales_rep = :salesRep)
        """

    /// The same condition on `customer c` with only the filters `selection` sets (`1` for the
    /// whole portfolio), so that SQLite reads the selected customers through their indexes
    /// rather than testing every customer; the same named arguments.
    static func selecting(_ selection: PortfolioSelection) -> String {
        [
            selection.group.map { _ in "c.customer_group = :group" }, selection.sector.map { _ in "c.sector_code = :sector" },
            selection.salesRep.map { _ in "c.sales_rep = :salesRep" },
        ].compactMap { $0 }.joined(separator: " AND ").ifEmpty("1")
    }

    static func arguments(_ selection: PortfolioSelection, _ more: [String: (any DatabaseValueConvertible)?] = [:]) -> StatementArguments {
        var values: [String: (any DatabaseValueConvertible)?] = [
            "group": selection.group, "sector": selection.sector, "salesRep": selection.salesRep,
        ]
        values.merge(more) { _, new in new }
        return StatementArguments(values)
    }

    // MARK: Late payers

    /// Each selected customer with something overdue on `asOf`, from the open balances the
    /// ledger holds: one pass over the overdue part of the open items' covering index, in
    /// customer order (the customers are joined only to apply a filter).
    public func overdueBalances(_ db: Database, asOf day: Day, selection: PortfolioSelection) throws -> [OverdueBalance] {
        let totals = """
            SELECT customer_id, TOTAL(open_cents) AS overdue, TOTAL(open_cents * (:asOfJulian - julianday(due_date))) AS amount_days
            FROM invoice INDEXED BY invoice_open_balance
            WHERE open_cents <> 0 AND open_cents > 0 AND due_date < :asOf
            GROUP BY customer_id
            """
        let sql =
            selection == .all
            ? totals
            : "SELECT o.* FROM (\(totals)) o JOIN customer c ON c.id = o.customer_id WHERE \(Self.selectedCustomers)"
        let rows = try Row.fetchCursor(db, sql: sql, arguments: Self.arguments(selection, ["asOf": day, "asOfJulian": day.julianDay]))
        var balances: [OverdueBalance] = []
        while let row = try rows.next() {
            // By position: customer_id, overdue, amount_days.
            balances.append(
                try OverdueBalance(
                    customerId: row.decode(atIndex: 0), overdue: StoredRows.money(row, 1), overdueAmountDays: row.decode(atIndex: 2)))
        }
        return balances
    }

    /// A listed late payer's open account on `asOf`: its overdue invoices, the earliest due date
    /// among them, its net open balance and its unapplied credits.
    public func openAccount(
        _ db: Database, customerId: String, asOf day: Day
    ) throws -> (
        overdueInvoices: Int, oldestDueDate: Day?, openBalance: Money, credits: Money
    ) {
        let overdue = "open_cents > 0 AND due_date < ?2"
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT COUNT(CASE WHEN \(overdue) THEN 1 END), MIN(CASE WHEN \(overdue) THEN due_date END),
                           TOTAL(open_cents), TOTAL(MIN(open_cents, 0))
                    FROM invoice INDEXED BY invoice_open_balance WHERE customer_id = ?1 AND open_cents <> 0
                    """), arguments: [customerId, day])
        guard let row else { return (0, nil, .zero, .zero) }
        // By position: overdue invoices, oldest due date, open balance, credits (TOTAL: 0.0 without rows).
        return (
            try row.decode(atIndex: 0), try row.decode(atIndex: 1), Money(clampingCents: try row.decode(atIndex: 2)),
            Money(clampingCents: try row.decode(atIndex: 3))
        )
    }

    /// A listed customer's name, group, sector and latest grade on or before `asOf`.
    public struct CustomerLine: Sendable, Hashable {
        public var name: String
        public var group: String?
        public var sectorCode: String
        public var grade: String?
    }

    public func customerLine(_ db: Database, customerId: String, asOf day: Day) throws -> CustomerLine? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT c.name, c.customer_group, c.sector_code,
                           (SELECT a.grade FROM assessment a WHERE a.customer_id = c.id AND a.as_of <= ?2
                            ORDER BY a.as_of DESC, a.id DESC LIMIT 1) AS grade
                    FROM customer c WHERE c.id = ?1
                    """), arguments: [customerId, day]
        ).map {
            try CustomerLine(
                name: $0.decode(forColumn: "name"), group: $0.decode(forColumn: "customer_group"),
                sectorCode: $0.decode(forColumn: "sector_code"), grade: $0.decode(forColumn: "grade"))
        }
    }

    /// The disputes open on `asOf` on the customer's overdue invoices, with each invoice's open
    /// balance: the disputed part of what it owes late.
    public func overdueDisputes(_ db: Database, customerId: String, asOf day: Day) throws -> [(open: Money, disputes: [Dispute])] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT i.open_cents, d.invoice_id, d.kind, d.opened_on, d.resolved_on, d.amount_cents, d.owner, d.outcome
                    FROM invoice i INDEXED BY invoice_open_balance JOIN dispute d ON d.invoice_id = i.id
                    WHERE i.customer_id = ?1 AND i.open_cents <> 0 AND i.open_cents > 0 AND i.due_date < ?2
                      AND d.opened_on <= ?2 AND (d.resolved_on IS NULL OR d.resolved_on > ?2)
                    ORDER BY d.invoice_id
                    """), arguments: [customerId, day])
        var grouped: [(open: Money, disputes: [Dispute])] = []
        var current: String?
        for row in rows {
            let dispute = try StoredRows.dispute(row)
            if dispute.invoiceId == current {
                grouped[grouped.count - 1].disputes.append(dispute)
            } else {
                grouped.append((try row.decode(forColumn: "open_cents"), [dispute]))
                current = dispute.invoiceId
            }
        }
        return grouped
    }

    // MARK: Grade changes

    /// A selected customer's grades at both ends of a period: the grade of its latest assessment
    /// before `from` (nil when it had none) and on or before `to`, and the PD at the end.
    public struct GradeEnds: Sendable, Hashable {
        public var customerId: String
        public var startGrade: String?
        public var endGrade: String
        public var endPD: Double?
    }

    /// The selected customers whose grade moved between the two ends of a period or who were
    /// first assessed in it, with their grades at both ends, and how many selected customers were
    /// assessed on or before `to`. Both grades come from two seeks per customer into the
    /// assessments' covering index, each once (the customers' grades are materialized), the PD at
    /// the end from a third for the customers listed; the rest is read for the few shown.
    public func gradeEnds(_ db: Database, from: Day, to: Day, selection: PortfolioSelection) throws -> (ends: [GradeEnds], assessed: Int) {
        func latest(_ column: String, of customer: String, _ condition: String) -> String {
            """
            (SELECT b.\(column) FROM assessment b INDEXED BY assessment_latest WHERE b.customer_id = \(customer) AND b.as_of \(condition)
             ORDER BY b.as_of DESC, b.id DESC LIMIT 1)
            """
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                WITH x AS MATERIALIZED (
                    SELECT c.id, \(latest("grade", of: "c.id", "< :from")) AS start_grade, \(latest("grade", of: "c.id", "<= :to")) AS end_grade
                    FROM customer c WHERE \(Self.selectedCustomers))
                SELECT id, start_grade, end_grade, \(latest("pd", of: "x.id", "<= :to")),
                       (SELECT COUNT(*) FROM x WHERE end_grade IS NOT NULL)
                FROM x WHERE end_grade IS NOT NULL AND (start_grade IS NULL OR start_grade <> end_grade)
                """, arguments: Self.arguments(selection, ["from": from, "to": to]))
        var ends: [GradeEnds] = []
        var assessed = 0
        while let row = try rows.next() {
            // By position: customer id, start grade, end grade, end PD, customers assessed.
            ends.append(
                GradeEnds(
                    customerId: try row.decode(atIndex: 0), startGrade: try row.decode(atIndex: 1), endGrade: try row.decode(atIndex: 2),
                    endPD: try row.decode(atIndex: 3)))
            assessed = try row.decode(atIndex: 4)
        }
        if ends.isEmpty {
            assessed =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM customer c
                        WHERE \(Self.selectedCustomers) AND EXISTS (SELECT 1 FROM assessment b INDEXED BY assessment_latest
                                                                   WHERE b.customer_id = c.id AND b.as_of <= :to)
                        """, arguments: Self.arguments(selection, ["to": to])) ?? 0
        }
        return (ends, assessed)
    }

    /// The customer's latest assessment before `day` (`inclusive`: on or before), read from the
    /// covering index, with its id.
    public func gradeSnapshot(_ db: Database, customerId: String, before day: Day, inclusive: Bool) throws -> (id: Int64, snapshot: GradeSnapshot)? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id, as_of, grade, pd, suggested_limit_cents FROM assessment INDEXED BY assessment_latest
                    WHERE customer_id = ? AND as_of \(inclusive ? "<=" : "<") ? ORDER BY as_of DESC, id DESC LIMIT 1
                    """), arguments: [customerId, day]
        ).map { row in
            (
                try row.decode(atIndex: 0),
                GradeSnapshot(
                    asOf: try row.decode(atIndex: 1), grade: try row.decode(atIndex: 2), pd: try row.decode(atIndex: 3),
                    suggestedLimit: try row.decode(atIndex: 4), reasons: [])
            )
        }
    }

    /// The reasons stored with each assessment of `ids` (read from its detail).
    public func reasons(_ db: Database, assessmentIds ids: [Int64]) throws -> [Int64: [Reason]] {
        struct Detail: Decodable { var reasons: [Reason] }
        var reasons: [Int64: [Reason]] = [:]
        let decoder = JSONDecoder()
        let statement = try db.cachedStatement(sql: "SELECT detail FROM assessment WHERE id = ?")
        for id in ids where reasons[id] == nil {
            guard let stored = try DatabaseValue.fetchOne(statement, arguments: [id]) else { continue }
            let json = try PackedDetail.json(stored, assessmentId: id)
            reasons[id] = (try? decoder.decode(Detail.self, from: json))?.reasons ?? []
        }
        return reasons
    }

    // MARK: Cash forecast

    /// Whether an invoice was issued or a payment received after `day`: when not, the stored
    /// open balances are those of `day`.
    public func ledgerMovesAfter(_ db: Database, _ day: Day) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM ledger_day WHERE day > ? AND (invoices_issued <> 0 OR payments_received <> 0))",
            arguments: [day]) ?? false
    }

    /// A customer with open items, its sector and its payment profile as its latest assessment
    /// on or before the day stored it (nil without one).
    public struct OpenAccount: Sendable {
        public var customerId: String
        public var sectorCode: String
        public var paymentDelayDays: Double?
        public var thinFile: Bool?
        public var assessed: Bool
        /// Open invoices (id, due date, balance above zero) and the open credits' total.
        public var items: [(invoiceId: String, dueDate: Day, open: Money)] = []
        public var credits = Money.zero
    }

    /// Calls `body` with each customer holding open items, in id order, with those items as the
    /// ledger holds them and its latest stored payment profile on or before `asOf`.
    public func forEachOpenAccount(_ db: Database, asOf day: Day, _ body: (OpenAccount) throws -> Void) throws {
        let items = try Row.fetchCursor(
            db,
            sql: """
                SELECT customer_id, id, due_date, open_cents FROM invoice INDEXED BY invoice_open_balance
                WHERE open_cents <> 0 ORDER BY customer_id
                """)
        let accounts = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.customer_id, c.sector_code,
                       (SELECT a.payment_delay_days FROM assessment a INDEXED BY assessment_latest WHERE a.customer_id = o.customer_id
                        AND a.as_of <= :asOf ORDER BY a.as_of DESC, a.id DESC LIMIT 1) AS delay,
                       (SELECT a.thin_file FROM assessment a INDEXED BY assessment_latest WHERE a.customer_id = o.customer_id
                        AND a.as_of <= :asOf ORDER BY a.as_of DESC, a.id DESC LIMIT 1) AS thin
                FROM (SELECT DISTINCT customer_id FROM invoice INDEXED BY invoice_open_balance WHERE open_cents <> 0) o
                JOIN customer c ON c.id = o.customer_id
                ORDER BY o.customer_id
                """, arguments: ["asOf": day])
        var pending: (customer: String, id: String, due: Day, open: Money)?
        func nextItem() throws -> (customer: String, id: String, due: Day, open: Money)? {
            if let item = pending {
                pending = nil
                return item
            }
            guard let row = try items.next() else { return nil }
            return (try row.decode(atIndex: 0), try row.decode(atIndex: 1), try row.decode(atIndex: 2), try row.decode(atIndex: 3))
        }
        while let row = try accounts.next() {
            // By position: id, sector_code, delay, thin (the thin-file flag is stored with every assessment).
            let thin: Bool? = try row.decode(atIndex: 3)
            var account = OpenAccount(
                customerId: try row.decode(atIndex: 0), sectorCode: try row.decode(atIndex: 1), paymentDelayDays: try row.decode(atIndex: 2),
                thinFile: thin, assessed: thin != nil)
            while let item = try nextItem() {
                if item.customer != account.customerId {
                    // Items of a customer before this one cannot be (both sides are in id order); keep the next one.
                    if item.customer.utf8.lexicographicallyPrecedes(account.customerId.utf8) { continue }
                    pending = item
                    break
                }
                if item.open.cents > 0 {
                    account.items.append((item.id, item.due, item.open))
                } else {
                    account.credits += item.open
                }
            }
            try body(account)
        }
    }

    /// The disputes open on `asOf`, by invoice.
    public func openDisputes(_ db: Database, asOf day: Day) throws -> [String: [Dispute]] {
        var disputes: [String: [Dispute]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT invoice_id, kind, opened_on, resolved_on, amount_cents, owner, outcome FROM dispute
                WHERE opened_on <= ?1 AND (resolved_on IS NULL OR resolved_on > ?1)
                """, arguments: [day])
        {
            let dispute = try StoredRows.dispute(row)
            disputes[dispute.invoiceId, default: []].append(dispute)
        }
        return disputes
    }

    /// The promises taken on or before `asOf` on invoices with a promise whose promised day is
    /// `earliestPayBy` or later (the others can no longer be pending), with those invoices and
    /// their payments on or before `asOf`: what `PaymentPromise.judge` needs.
    public func promisesToJudge(
        _ db: Database, asOf day: Day, earliestPayBy: Day
    ) throws -> (promises: [PaymentPromise], invoices: [Invoice], payments: [Payment]) {
        let invoiceIds = try String.fetchAll(
            db, sql: "SELECT DISTINCT invoice_id FROM payment_promise WHERE promised_on <= ? AND pay_by >= ?", arguments: [day, earliestPayBy])
        var promises: [PaymentPromise] = []
        var invoices: [Invoice] = []
        var payments: [Payment] = []
        for id in invoiceIds {
            promises += try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT invoice_id, promised_on, pay_by, amount_cents FROM payment_promise WHERE invoice_id = ? AND promised_on <= ?"),
                arguments: [id, day]
            ).map {
                try PaymentPromise(
                    invoiceId: $0.decode(forColumn: "invoice_id"), promisedOn: $0.decode(forColumn: "promised_on"),
                    payBy: $0.decode(forColumn: "pay_by"), amount: $0.decode(forColumn: "amount_cents"))
            }
            invoices += try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, customer_id, issue_date, due_date, amount_cents, currency FROM invoice WHERE id = ?"),
                arguments: [id]
            ).map(StoredRows.invoice)
            payments += try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, invoice_id, paid_on, amount_cents FROM payment WHERE invoice_id = ? AND paid_on <= ?"),
                arguments: [id, day]
            ).map(StoredRows.payment)
        }
        return (promises, invoices, payments)
    }
}

extension Day {
    /// The day as SQLite's `julianday()` gives it for its `YYYY-MM-DD` text (midnight: x.5).
    fileprivate var julianDay: Double { Double(daysSinceEpoch) + 2_440_587.5 }
}
