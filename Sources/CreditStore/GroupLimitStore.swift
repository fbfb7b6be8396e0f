import CreditCore
import GRDB

/// One row of `group_limit`: the limit a group of customers shares, columns by name.
struct GroupLimitRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "group_limit"

    var group: String
    var limit: Money
    var currency: String
    var setBy: String
    var setOn: Day
    var reason: String?
    var updatedAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case group = "group_name"
        case limit = "limit_cents"
        case currency
        case setBy = "set_by"
        case setOn = "set_on"
        case reason
        case updatedAt = "updated_at"
    }

    init(_ limit: GroupLimit, updatedAt: String) {
        self.group = limit.group
        self.limit = limit.limit
        self.currency = limit.currency
        self.setBy = limit.setBy
        self.setOn = limit.setOn
        self.reason = limit.reason
        self.updatedAt = updatedAt
    }

    var stored: GroupLimit {
        GroupLimit(group: group, limit: limit, currency: currency, setBy: setBy, setOn: setOn, reason: reason)
    }
}

/// Group limits and what a group's members owe together. Writes run in the caller's transaction.
public struct GroupLimitStore: Sendable {
    public init() {}

    /// The group's limit, nil when it has none.
    public func limit(_ db: Database, group: String) throws -> GroupLimit? {
        // A cached statement: an order check of a group's member asks this every time.
        try GroupLimitRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM group_limit WHERE group_name = ?"), arguments: [group])?.stored
    }

    /// Sets (or replaces) the group's limit.
    public func set(_ db: Database, _ limit: GroupLimit, updatedAt: String) throws {
        try GroupLimitRecord(limit, updatedAt: updatedAt).save(db)
    }

    /// How many customers belong to the group (zero: no such group).
    public func memberCount(_ db: Database, group: String) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM customer WHERE customer_group = ?"), arguments: [group]) ?? 0
    }

    /// The group a customer belongs to, nil when none (or no such customer).
    public func group(_ db: Database, customerId: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT customer_group FROM customer WHERE id = ?"), arguments: [customerId])
    }

    /// The members' exposures added up, each by `AgedBalance.exposure(netOpen:pendingOrders:)`:
    /// its net open balance (never below zero) plus what its reservations hold today.
    public func exposure(_ db: Database, group: String) throws -> Money {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT
                        (SELECT COALESCE(SUM(open_cents), 0) FROM invoice WHERE customer_id = c.id AND open_cents <> 0) AS open_cents,
                        (SELECT COALESCE(SUM(amount_cents - invoiced_cents), 0) FROM pending_order
                            WHERE customer_id = c.id AND status = 'open') AS reserved_cents
                    FROM customer c WHERE c.customer_group = ?
                    """), arguments: [group])
        var total = Money.zero
        for row in rows {
            total += AgedBalance.exposure(
                netOpen: try row.decode(forColumn: "open_cents"), pendingOrders: try row.decode(forColumn: "reserved_cents"))
        }
        return total
    }
}
