import CreditCore
import GRDB

/// The customers as the credit team looks them up: identity, standing (the latest assessment,
/// kept by the `assessment_standing` trigger) and the overrides in force.
public struct CustomerStore: Sendable {
    public init() {}

    /// Calls `body` with every customer of the group, sector and sales rep when given (all
    /// otherwise), with its name's search key and its standing when it was ever assessed.
    public func forEach(
        _ db: Database, group: String?, sector: String?, salesRep: String?,
        _ body: (Customer, _ nameKey: String, CustomerStanding?) throws -> Void
    ) throws {
        // By position: the list reads every customer. Columns: id, name, registration_id,
        // sector_code, country, terms_days, customer_group, strategic, sales_rep, then the
        // standing's as_of, grade, pd, score, suggested_limit_cents, exposure_cents, overdue_cents,
        // then name_key.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT c.id, c.name, c.registration_id, c.sector_code, c.country, c.terms_days, c.customer_group, c.strategic,
                           c.sales_rep, s.as_of, s.grade, s.pd, s.score, s.suggested_limit_cents, s.exposure_cents, s.overdue_cents,
                           c.name_key
                    FROM customer c LEFT JOIN customer_standing s ON s.customer_id = c.id
                    WHERE (?1 IS NULL OR c.customer_group = ?1) AND (?2 IS NULL OR c.sector_code = ?2) AND (?3 IS NULL OR c.sales_rep = ?3)
                    """), arguments: [group, sector, salesRep])
        while let row = try rows.next() {
            let customer = try Customer(
                id: row.decode(atIndex: 0), name: row.decode(atIndex: 1), registrationId: row.decode(atIndex: 2),
                sectorCode: row.decode(atIndex: 3), country: row.decode(atIndex: 4), termsDays: row.decode(atIndex: 5),
                group: row.decode(atIndex: 6), strategic: row.decode(atIndex: 7), salesRep: row.decode(atIndex: 8))
            let asOf: Day? = try row.decode(atIndex: 9)
            let standing = try asOf.map { day in
                try CustomerStanding(
                    asOf: day, grade: row.decode(atIndex: 10), pd: StoredRows.probability(row, "pd"), score: row.decode(atIndex: 12),
                    suggestedLimit: row.decode(atIndex: 13), exposure: row.decode(atIndex: 14), overdue: row.decode(atIndex: 15))
            }
            try body(customer, row.decode(atIndex: 16), standing)
        }
    }

    /// The selected customers counted by the grade of their latest assessment (nil: never
    /// assessed), with the exposure at that assessment: what the grade mix starts from, read from
    /// the standings without decoding a customer.
    public func gradeTally(_ db: Database, selection: PortfolioSelection) throws -> [(grade: String?, customers: Int, exposure: Money)] {
        try Row.fetchAll(
            db,
            sql: selection == .all
                ? """
                SELECT grade, COUNT(*), TOTAL(exposure_cents) FROM customer_standing GROUP BY grade
                UNION ALL SELECT NULL, (SELECT COUNT(*) FROM customer) - (SELECT COUNT(*) FROM customer_standing), 0
                """
                : """
                SELECT s.grade, COUNT(*), TOTAL(s.exposure_cents) FROM customer c LEFT JOIN customer_standing s ON s.customer_id = c.id
                WHERE \(ReportQueries.selecting(selection)) GROUP BY s.grade
                """, arguments: ReportQueries.arguments(selection)
        ).map { row in
            // By position: grade, customers, exposure (TOTAL: a float, clamped back to cents).
            try (row.decode(atIndex: 0), row.decode(atIndex: 1), Money(clampingCents: row.decode(atIndex: 2)))
        }
    }

    /// The overrides not revoked, by customer: whether each applies on a day is the core's call.
    public func currentOverrides(_ db: Database) throws -> [String: StoredOverride] {
        var found: [String: StoredOverride] = [:]
        for stored in try Row.fetchAll(db, sql: "\(OverrideStore.select) WHERE revoked_at IS NULL ORDER BY id").map(OverrideStore.stored) {
            found[stored.customerId] = stored
        }
        return found
    }

    /// One customer, nil when there is none with that id.
    public func customer(_ db: Database, id: String) throws -> Customer? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT id, name, registration_id, sector_code, country, terms_days, customer_group, strategic, sales_rep
                FROM customer WHERE id = ?
                """, arguments: [id]
        ).map(StoredRows.customer)
    }

    /// The customer's standing, nil before its first assessment.
    public func standing(_ db: Database, customerId: String) throws -> CustomerStanding? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT as_of, grade, pd, score, suggested_limit_cents, exposure_cents, overdue_cents
                FROM customer_standing WHERE customer_id = ?
                """, arguments: [customerId]
        ).map { row in
            try CustomerStanding(
                asOf: row.decode(forColumn: "as_of"), grade: row.decode(forColumn: "grade"), pd: StoredRows.probability(row, "pd"),
                score: row.decode(forColumn: "score"), suggestedLimit: row.decode(forColumn: "suggested_limit_cents"),
                exposure: row.decode(forColumn: "exposure_cents"), overdue: row.decode(forColumn: "overdue_cents"))
        }
    }

    /// The customer's open invoices and credit notes on `day`, each with whether an open
    /// dispute contests it.
    public func openItems(_ db: Database, customerId: String, asOf day: Day) throws -> [CustomerDetail.OpenItem] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT i.id, i.issue_date, i.due_date, i.amount_cents, i.open_cents,
                       EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.resolved_on IS NULL) AS disputed
                FROM invoice i INDEXED BY invoice_customer WHERE i.customer_id = ? AND i.open_cents <> 0
                """, arguments: [customerId]
        ).map { row in
            let due: Day = try row.decode(forColumn: "due_date")
            return try CustomerDetail.OpenItem(
                invoiceId: row.decode(forColumn: "id"), issueDate: row.decode(forColumn: "issue_date"), dueDate: due,
                amount: row.decode(forColumn: "amount_cents"), openAmount: row.decode(forColumn: "open_cents"), daysPastDue: day - due,
                disputed: row.decode(forColumn: "disputed"))
        }
    }
}
