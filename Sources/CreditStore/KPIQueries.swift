import CreditCore
import GRDB

/// What the portfolio indicators are built from: the selected customers' ledgers as of a day
/// and their latest grades, plus the checks that a group or sector filter names something.
public struct KPIQueries: Sendable {
    public init() {}

    /// Whether any customer belongs to `group`.
    public func groupExists(_ db: Database, _ group: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE customer_group = ?)", arguments: [group]) ?? false
    }

    /// Whether `code` is in the sector table or is the sector of a customer (a ledger may name
    /// sectors the table does not have yet).
    public func sectorExists(_ db: Database, _ code: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM sector WHERE code = ?1)
                    OR EXISTS (SELECT 1 FROM customer WHERE sector_code = ?1)
                """, arguments: [code]) ?? false
    }

    /// Calls `body` with the ledger as of `day` of each selected customer, one customer at a time:
    /// flat memory whatever the ledger's size. The whole portfolio is read in one ordered pass
    /// (`LedgerHistories`); a group, sector or sales rep, usually a small part of it, is read
    /// through the customers' and invoices' indexes, so a filtered dashboard does not pay for the
    /// whole ledger.
    public func forEachLedger(
        _ db: Database, asOf day: Day, selection: PortfolioSelection, _ body: (CustomerHistory) throws -> Void
    ) throws {
        try LedgerHistories().forEach(db, asOf: day, selection: selection == .all ? .all : .customers(selection), body)
    }

    /// How many customers the ledger holds, or the selection.
    public func customerCount(_ db: Database, selection: PortfolioSelection = .all) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM customer c WHERE \(ReportQueries.selecting(selection))",
            arguments: ReportQueries.arguments(selection)) ?? 0
    }

    /// Each invoice with a dispute that matters on `day` (open then, or resolved within the year
    /// before), with its disputes opened by then and, for an invoice with one of them open on the
    /// day, its open balance then (left at zero otherwise: nothing reads it): what the dispute
    /// indicators read, without the invoices' other payments or the ledger around them. Disputes
    /// resolved earlier than the year (and a day) before are left out; the indicators would pass
    /// them over. Read from the disputes (a few thousand) whatever the selection: a large sector
    /// would otherwise be read through all its customers' invoices. The whole portfolio's are
    /// read from the disputes alone, and only the invoices with a dispute open on the day are
    /// looked up (a fifth of them on a past month end): a dispute is never opened before its
    /// invoice was issued (`LedgerWriter` and `LedgerEventStore` refuse it), so one opened by
    /// the day is on an invoice issued by then.
    public func disputedBalances(
        _ db: Database, asOf day: Day, selection: PortfolioSelection = .all
    ) throws -> [(disputes: [Dispute], openBalance: Money)] {
        // The dispute's columns, from `d.invoice_id` on, as `HistoryRows.dispute(_:from:)` reads them.
        let columns = "d.invoice_id, d.kind, d.opened_on, d.resolved_on, d.amount_cents, d.owner, d.outcome"
        let matters = "d.opened_on <= :asOf AND (d.resolved_on IS NULL OR d.resolved_on >= :windowStart)"
        let sql =
            selection == .all
            ? "SELECT \(columns) FROM dispute d WHERE \(matters) ORDER BY d.invoice_id"
            : """
            SELECT \(columns) FROM dispute d CROSS JOIN invoice i ON i.id = d.invoice_id CROSS JOIN customer c ON c.id = i.customer_id
            WHERE \(matters) AND i.issue_date <= :asOf AND \(ReportQueries.selecting(selection))
            ORDER BY d.invoice_id
            """
        let rows = try Row.fetchCursor(
            db, sql: sql, arguments: ReportQueries.arguments(selection, ["asOf": day, "windowStart": day - (PortfolioKPIs.trailingWindowDays + 1)]))
        var invoices: [(disputes: [Dispute], openBalance: Money)] = []
        var current: String?
        while let row = try rows.next() {
            let dispute = try HistoryRows.dispute(row, from: 0)
            if dispute.invoiceId != current {
                invoices.append(([], .zero))
                current = dispute.invoiceId
            }
            invoices[invoices.count - 1].disputes.append(dispute)
        }
        // Without a payment or invoice after the day, an invoice's stored open balance is the
        // day's; otherwise it is worked out from its payments by then.
        let movesAfter = try ReportQueries().ledgerMovesAfter(db, day)
        let balance = try db.cachedStatement(
            sql: movesAfter
                ? """
                SELECT i.amount_cents - (SELECT TOTAL(p.amount_cents) FROM payment p WHERE p.invoice_id = i.id AND p.paid_on <= ?)
                FROM invoice i WHERE i.id = ?
                """
                : "SELECT open_cents FROM invoice WHERE id = ?")
        for index in invoices.indices where invoices[index].disputes.contains(where: { $0.isOpen(on: day) }) {
            guard let invoiceId = invoices[index].disputes.first?.invoiceId,
                let row = try Row.fetchOne(balance, arguments: movesAfter ? [day, invoiceId] : [invoiceId])
            else { continue }
            invoices[index].openBalance = try StoredRows.money(row, 0)
        }
        return invoices
    }

    /// Customers and exposure per grade of `latestGrades` for the whole portfolio, without a row
    /// per customer: the sum of the grade mix's changes by `day` (v21, kept by a trigger on
    /// every assessment), a few hundred rows whatever the day.
    public func gradeShares(_ db: Database, asOf day: Day) throws -> [PortfolioKPIs.GradeShare] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT grade, SUM(customers), TOTAL(exposure_cents) FROM grade_mix_change WHERE day <= ?
                GROUP BY grade HAVING SUM(customers) <> 0
                """, arguments: [day])
        // By position: grade, customers, exposure.
        return try rows.map { row in
            PortfolioKPIs.GradeShare(grade: try row.decode(atIndex: 0), customers: try StoredRows.count(row, 1), exposure: try StoredRows.money(row, 2))
        }
    }

    /// The customer's (`s.customer_id`) latest assessment's `column` made by `:asOf`, from the grade index.
    static func latest(_ column: String) -> String {
        """
        (SELECT x.\(column) FROM assessment x INDEXED BY assessment_grade_as_of
         WHERE x.customer_id = s.customer_id AND x.as_of <= :asOf ORDER BY x.as_of DESC, x.id DESC LIMIT 1)
        """
    }

    /// Each selected customer's latest assessment made as of `day` or earlier. Later assessments
    /// are left out so that a past day's grade distribution is the one a credit manager saw then.
    /// A customer whose assessment in force was made by `day` is read from its standing; the
    /// others (a past day) seek their latest assessment by then in the grade index (v19), which
    /// holds the grade and the exposure, so no assessment row is read. The whole portfolio reads
    /// the standings alone; a selection reads its customers through their indexes first.
    public func latestGrades(_ db: Database, asOf day: Day, selection: PortfolioSelection) throws -> [CustomerGrade] {
        let standings =
            selection == .all
            ? "customer_standing s WHERE 1"
            : "customer c CROSS JOIN customer_standing s ON s.customer_id = c.id WHERE \(ReportQueries.selecting(selection))"
        var grades: [CustomerGrade] = []
        // By position: customer id, grade (NULL: no assessment by then), exposure.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.customer_id, s.grade, s.exposure_cents FROM \(standings) AND s.assessed_on <= :asOf
                UNION ALL
                SELECT s.customer_id, \(Self.latest("grade")), \(Self.latest("exposure_cents"))
                FROM \(standings) AND (s.assessed_on IS NULL OR s.assessed_on > :asOf)
                """,
            arguments: ReportQueries.arguments(selection, ["asOf": day]))
        while let row = try rows.next() {
            guard let grade: String = try row.decode(atIndex: 1) else { continue }
            grades.append(try CustomerGrade(customerId: row.decode(atIndex: 0), grade: grade, exposure: row.decode(atIndex: 2)))
        }
        return grades
    }

    /// The same by a seek per customer into its assessments: the reference `latestGrades` is
    /// checked against.
    public func latestGradesBySeeking(_ db: Database, asOf day: Day, selection: PortfolioSelection) throws -> [CustomerGrade] {
        var grades: [CustomerGrade] = []
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.customer_id, a.grade, a.exposure_cents
                FROM customer c JOIN assessment a ON a.customer_id = c.id
                WHERE \(ReportQueries.selectedCustomers)
                  AND a.id = (SELECT b.id FROM assessment b WHERE b.customer_id = c.id AND b.as_of <= :asOf
                              ORDER BY b.as_of DESC, b.id DESC LIMIT 1)
                """,
            arguments: ReportQueries.arguments(selection, ["asOf": day]))
        while let row = try rows.next() {
            grades.append(
                try CustomerGrade(customerId: row.decode(atIndex: 0), grade: row.decode(atIndex: 1), exposure: row.decode(atIndex: 2)))
        }
        return grades
    }
}
