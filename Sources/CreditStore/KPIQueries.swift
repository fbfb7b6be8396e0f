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

    /// How many customers the ledger holds.
    public func customerCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer") ?? 0
    }

    /// The invoices under a dispute opened by `day`, with their payments and disputes dated by
    /// it: all the dispute indicators read (columns as `LedgerHistories` reads them).
    public func disputedInvoices(_ db: Database, asOf day: Day) throws -> (invoices: [Invoice], payments: [Payment], disputes: [Dispute]) {
        let disputed = "SELECT invoice_id FROM dispute WHERE opened_on <= :asOf"
        let arguments: StatementArguments = ["asOf": day]
        let invoices = try Row.fetchAll(
            db,
            sql: """
                SELECT i.customer_id, i.id, i.issue_date, i.due_date, i.amount_cents, i.currency FROM invoice i
                WHERE i.id IN (\(disputed)) AND i.issue_date <= :asOf
                """, arguments: arguments
        ).map { try HistoryRows.invoice($0).value }
        let payments = try Row.fetchAll(
            db,
            sql: """
                SELECT i.customer_id, p.id, p.invoice_id, p.paid_on, p.amount_cents FROM payment p JOIN invoice i ON i.id = p.invoice_id
                WHERE p.invoice_id IN (\(disputed)) AND p.paid_on <= :asOf
                """, arguments: arguments
        ).map { try HistoryRows.payment($0).value }
        let disputes = try Row.fetchAll(
            db,
            sql: """
                SELECT i.customer_id, d.invoice_id, d.kind, d.opened_on, d.resolved_on, d.amount_cents, d.owner, d.outcome
                FROM dispute d JOIN invoice i ON i.id = d.invoice_id WHERE d.opened_on <= :asOf
                """, arguments: arguments
        ).map { try HistoryRows.dispute($0).value }
        return (invoices, payments, disputes)
    }

    /// Each selected customer's latest assessment made as of `day` or earlier. Later assessments
    /// are left out so that a past day's grade distribution is the one a credit manager saw then.
    /// A customer whose assessment in force was made by `day` is read from its standing; the
    /// others seek their latest assessment by then in the grade index (v19).
    public func latestGrades(_ db: Database, asOf day: Day, selection: PortfolioSelection) throws -> [CustomerGrade] {
        var grades: [CustomerGrade] = []
        // By position: customer id, grade, exposure (grade NULL: no assessment by then).
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.customer_id, s.grade, s.exposure_cents
                FROM customer c JOIN customer_standing s ON s.customer_id = c.id
                WHERE \(ReportQueries.selectedCustomers) AND s.assessed_on <= :asOf
                UNION ALL
                SELECT c.id, b.grade, b.exposure_cents
                FROM customer c JOIN customer_standing s ON s.customer_id = c.id
                JOIN assessment b INDEXED BY assessment_grade_as_of ON b.customer_id = c.id
                    AND b.id = (SELECT x.id FROM assessment x INDEXED BY assessment_grade_as_of
                                WHERE x.customer_id = c.id AND x.as_of <= :asOf ORDER BY x.as_of DESC, x.id DESC LIMIT 1)
                WHERE \(ReportQueries.selectedCustomers) AND (s.assessed_on IS NULL OR s.assessed_on > :asOf)
                """,
            arguments: ReportQueries.arguments(selection, ["asOf": day]))
        while let row = try rows.next() {
            grades.append(
                try CustomerGrade(customerId: row.decode(atIndex: 0), grade: row.decode(atIndex: 1), exposure: row.decode(atIndex: 2)))
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
