import CreditCore
import GRDB

/// Credit managers' overrides, kept for good: a new override supersedes the previous one and a
/// cleared one is marked revoked, never deleted, so the history of decisions stays readable.
public struct OverrideStore: Sendable {
    public init() {}

    /// An override as stored: the grade by its code, resolved against the model by the caller.
    public typealias Stored = StoredOverride

    /// Stores `override` as the customer's, superseding the one in force; with the approval
    /// authorities its limit was checked against and the limit request it carries out, when any.
    /// Returns its id.
    @discardableResult
    public func set(
        _ db: Database, customerId: String, override: Override, createdAt: String, authorityVersion: String? = nil,
        limitRequestId: Int64? = nil
    ) throws -> Int64 {
        try revoke(db, customerId: customerId, at: createdAt)
        try db.execute(
            sql: """
                INSERT INTO credit_override (
                    customer_id, grade, limit_cents, reason, author, set_on, expires_on, created_at, authority_version, limit_request_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                customerId, override.grade?.code, override.limit, override.reason, override.author,
                override.setOn, override.expiresOn, createdAt, authorityVersion, limitRequestId,
            ])
        return db.lastInsertedRowID
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

    /// The overrides in force (not revoked) whose expiry falls from `from` to `through`, the
    /// soonest first; with `unalertedOnly`, those whose coming expiry was not alerted yet.
    public func expiring(_ db: Database, from: Day, through: Day, unalertedOnly: Bool = false) throws -> [Stored] {
        try Row.fetchAll(
            db,
            sql: """
                \(Self.select) WHERE revoked_at IS NULL AND expires_on BETWEEN ? AND ?
                \(unalertedOnly ? "AND expiry_alerted_on IS NULL" : "") ORDER BY expires_on, customer_id, id
                """,
            arguments: [from, through]
        ).map(Self.stored)
    }

    /// The override with that id, revoked or not.
    public func override(_ db: Database, id: Int64) throws -> Stored? {
        try Row.fetchOne(db, sql: "\(Self.select) WHERE id = ?", arguments: [id]).map(Self.stored)
    }

    /// Notes that the override's coming expiry was alerted on `day`: never again for it.
    public func markExpiryAlerted(_ db: Database, overrideId: Int64, on day: Day) throws {
        try db.execute(sql: "UPDATE credit_override SET expiry_alerted_on = ? WHERE id = ?", arguments: [day, overrideId])
    }

    static let select = """
        SELECT id, customer_id, grade, limit_cents, reason, author, set_on, expires_on, created_at, revoked_at, authority_version,
               limit_request_id
        FROM credit_override
        """

    static func stored(_ row: Row) throws -> Stored {
        try Stored(
            id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"), gradeCode: row.decode(forColumn: "grade"),
            limit: row.decode(forColumn: "limit_cents"), reason: row.decode(forColumn: "reason"), author: row.decode(forColumn: "author"),
            setOn: row.decode(forColumn: "set_on"), expiresOn: row.decode(forColumn: "expires_on"),
            createdAt: row.decode(forColumn: "created_at"), revokedAt: row.decode(forColumn: "revoked_at"),
            authorityVersion: row.decode(forColumn: "authority_version"), limitRequestId: row.decode(forColumn: "limit_request_id"))
    }
}
