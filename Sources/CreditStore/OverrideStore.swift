import CreditCore
import GRDB

/// Credit managers' overrides, kept for good: a new override supersedes the previous one and a
/// cleared one is marked revoked, never deleted, so the history of decisions stays readable.
public struct OverrideStore: Sendable {
    public init() {}

    /// An override as stored: the grade by its code, resolved against the model by the caller.
    public typealias Stored = StoredOverride

    public func set(_ db: Database, customerId: String, override: Override, createdAt: String) throws {
        try revoke(db, customerId: customerId, at: createdAt)
        try db.execute(
            sql: """
                INSERT INTO credit_override (customer_id, grade, limit_cents, reason, author, set_on, expires_on, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                customerId, override.grade?.code, override.limit, override.reason, override.author,
                override.setOn, override.expiresOn, createdAt,
            ])
    }

    /// Marks the customer's override (if any) as revoked; returns whether there was one.
    @discardableResult
    public func revoke(_ db: Database, customerId: String, at time: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE credit_override SET revoked_at = ? WHERE customer_id = ? AND revoked_at IS NULL",
            arguments: [time, customerId])
        return db.changesCount > 0
    }

    /// The override in force for the customer (not revoked), whatever its dates: the core decides
    /// whether it is valid on a given day.
    public func current(_ db: Database, customerId: String) throws -> Stored? {
        // Cached: every order check reads it.
        try Row.fetchOne(
            db.cachedStatement(sql: "\(Self.select) WHERE customer_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1"),
            arguments: [customerId]
        ).map(Self.stored)
    }

    /// Every override ever set for the customer, oldest first.
    public func history(_ db: Database, customerId: String) throws -> [Stored] {
        try Row.fetchAll(db, sql: "\(Self.select) WHERE customer_id = ? ORDER BY id", arguments: [customerId])
            .map(Self.stored)
    }

    static let select =
        "SELECT id, customer_id, grade, limit_cents, reason, author, set_on, expires_on, created_at, revoked_at FROM credit_override"

    static func stored(_ row: Row) throws -> Stored {
        try Stored(
            id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"), gradeCode: row.decode(forColumn: "grade"),
            limit: row.decode(forColumn: "limit_cents"), reason: row.decode(forColumn: "reason"), author: row.decode(forColumn: "author"),
            setOn: row.decode(forColumn: "set_on"), expiresOn: row.decode(forColumn: "expires_on"),
            createdAt: row.decode(forColumn: "created_at"), revokedAt: row.decode(forColumn: "revoked_at"))
    }
}
