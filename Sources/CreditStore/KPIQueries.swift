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

    /// Calls `body` with the history of each customer with a dispute opened by `day`.
    public func forEachDisputedLedger(_ db: Database, asOf day: Day, _ body: (CustomerHistory) throws -> Void) throws {
        try LedgerHistories().forEach(db, asOf: day, selection: .disputed, body)
    }

    /// Each selected customer's latest assessment made as of `day` or earlier. Later assessments
    /// are left out so that a past day's grade distribution is the one a credit manager saw then.
    public func latestGrades(_ db: Database, asOf day: Day, selection: PortfolioSelection) throws -> [CustomerGrade] {
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
                try CustomerGrade(
                    customerId: row.decode(forColumn: "customer_id"), grade: row.decode(forColumn: "grade"),
                    exposure: row.decode(forColumn: "exposure_cents")))
        }
        return grades
    }
}
