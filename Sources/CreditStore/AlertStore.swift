import CreditCore
import GRDB

/// Alerts and their lifecycle: raised once per condition while it lasts, acknowledged by
/// someone, closed when the condition ends. Every write is in the caller's transaction.
public struct AlertStore: Sendable {
    public init() {}

    /// Stores the alert unless the same one (customer, kind, condition) is already open or
    /// acknowledged; returns whether it was stored.
    @discardableResult
    public func raise(_ db: Database, _ alert: Alert) throws -> Bool {
        let open =
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM alert WHERE IFNULL(customer_id, '') = IFNULL(?, '') AND kind = ? AND condition = ?
                                       AND status <> 'closed')
                        """), arguments: [alert.customerId, alert.kind, alert.condition]) ?? false
        guard !open else { return false }
        try db.cachedStatement(
            sql: "INSERT INTO alert (customer_id, kind, detail, as_of, created_at, condition) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [alert.customerId, alert.kind, alert.detail, alert.asOf, alert.createdAt, alert.condition])
        return true
    }

    /// Closes the customer's (nil: the portfolio's) alerts of `kind` not yet closed, only the
    /// one about `condition` when given, on `day`; returns how many.
    @discardableResult
    public func close(_ db: Database, customerId: String?, kind: AlertKind, condition: String? = nil, on day: Day) throws -> Int {
        try db.cachedStatement(
            sql: """
                UPDATE alert SET status = 'closed', closed_on = ?
                WHERE IFNULL(customer_id, '') = IFNULL(?, '') AND kind = ? AND (? IS NULL OR condition = ?) AND status <> 'closed'
                """
        ).execute(arguments: [day, customerId, kind, condition, condition])
        return db.changesCount
    }

    /// The customers with an alert of `kind` not closed: whose condition a scoring run checks.
    public func customersWithUnclosed(_ db: Database, kind: AlertKind) throws -> Set<String> {
        try Set(
            String.fetchAll(
                db, sql: "SELECT customer_id FROM alert WHERE kind = ? AND status <> 'closed' AND customer_id IS NOT NULL",
                arguments: [kind]))
    }

    /// The alerts of `kind` not closed, as their customer and condition: the conditions a run checks again.
    public func unclosed(_ db: Database, kind: AlertKind) throws -> [(customerId: String, condition: String)] {
        try Row.fetchAll(
            db, sql: "SELECT customer_id, condition FROM alert WHERE kind = ? AND status <> 'closed' AND customer_id IS NOT NULL ORDER BY id",
            arguments: [kind]
        ).map { row in try (row.decode(forColumn: "customer_id"), row.decode(forColumn: "condition")) }
    }

    /// Records who acknowledged the alert; nil when there is no alert with that id. A closed alert
    /// stays closed (its acknowledgement is still kept).
    public func acknowledge(_ db: Database, id: Int64, by author: String, at time: String, note: String?) throws -> Alert? {
        try db.execute(
            sql: """
                UPDATE alert SET acknowledged_by = ?, acknowledged_at = ?, acknowledgement_note = ?,
                    status = CASE status WHEN 'closed' THEN 'closed' ELSE 'acknowledged' END
                WHERE id = ?
                """, arguments: [author, time, note, id])
        return try Row.fetchOne(db, sql: "\(Self.select) WHERE id = ?", arguments: [id]).map(Self.alert)
    }

    /// The alerts the filter asks for, newest first.
    public func alerts(_ db: Database, _ filter: AlertFilter) throws -> [Alert] {
        try Row.fetchAll(
            db,
            sql: """
                \(Self.select)
                WHERE (?1 IS NULL OR as_of >= ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR customer_id = ?3)
                  AND (?4 IS NULL OR status = ?4)
                ORDER BY id DESC LIMIT ?5
                """, arguments: [filter.since, filter.kind, filter.customerId, filter.status, filter.limit]
        ).map(Self.alert)
    }

    /// The alerts not closed, of the selected customers and about the whole portfolio (no
    /// customer), counted by kind and status (open or acknowledged).
    public func unclosedCounts(_ db: Database, selection: PortfolioSelection) throws -> [(kind: AlertKind, status: AlertStatus, count: Int)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT a.kind, a.status, COUNT(*) FROM alert a INDEXED BY alert_status_kind LEFT JOIN customer c ON c.id = a.customer_id
                WHERE a.status <> 'closed' AND (a.customer_id IS NULL OR (\(ReportQueries.selecting(selection))))
                GROUP BY a.kind, a.status
                """, arguments: ReportQueries.arguments(selection)
        ).map { row in try (row.decode(atIndex: 0), row.decode(atIndex: 1), row.decode(atIndex: 2)) }
    }

    /// The newest `limit` alerts not closed, of the selected customers and about the whole
    /// portfolio, newest first.
    public func newestUnclosed(_ db: Database, selection: PortfolioSelection, limit: Int) throws -> [Alert] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.customer_id, a.kind, a.detail, a.as_of, a.created_at, a.condition, a.status, a.closed_on,
                       a.acknowledged_by, a.acknowledged_at, a.acknowledgement_note
                FROM alert a LEFT JOIN customer c ON c.id = a.customer_id
                WHERE a.status <> 'closed' AND (a.customer_id IS NULL OR (\(ReportQueries.selecting(selection))))
                ORDER BY a.id DESC LIMIT :limit
                """, arguments: ReportQueries.arguments(selection, ["limit": limit])
        ).map(Self.alert)
    }

    static let select = """
        SELECT id, customer_id, kind, detail, as_of, created_at, condition, status, closed_on, acknowledged_by, acknowledged_at,
               acknowledgement_note FROM alert
        """

    static func alert(_ row: Row) throws -> Alert {
        let by: String? = try row.decode(forColumn: "acknowledged_by")
        return try Alert(
            id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"), kind: row.decode(forColumn: "kind"),
            detail: row.decode(forColumn: "detail"), asOf: row.decode(forColumn: "as_of"), createdAt: row.decode(forColumn: "created_at"),
            condition: row.decode(forColumn: "condition"), status: row.decode(forColumn: "status"), closedOn: row.decode(forColumn: "closed_on"),
            acknowledgement: try by.map {
                try Alert.Acknowledgement(by: $0, at: row.decode(forColumn: "acknowledged_at"), note: row.decode(forColumn: "acknowledgement_note"))
            })
    }
}
