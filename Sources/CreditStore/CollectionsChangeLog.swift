import GRDB

/// The collections change log: writers note which customers' open items, disputes, promises or
/// grades changed; an in-memory worklist replays the log to stay exact without a full re-read.
///
/// Every write is in the caller's transaction, so a reader that sees the change sees the data.
public struct CollectionsChangeLog: Sendable {
    public init() {}

    /// One customer's items or grade changed.
    public func touch(_ db: Database, customerId: String) throws {
        try db.cachedStatement(sql: "INSERT INTO collections_change (customer_id) VALUES (?)").execute(arguments: [customerId])
    }

    /// Anything may have changed (import, full scoring run). Earlier rows are superseded, so
    /// they are dropped: the log stays short.
    public func touchAll(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM collections_change")
        try db.execute(sql: "INSERT INTO collections_change (customer_id) VALUES (NULL)")
    }

    /// The last entry's sequence number (0 for an empty log): what a reader remembers to ask
    /// later what changed since.
    public func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM collections_change") ?? 0
    }

    /// What changed after `seq`: the last sequence number, and either `nil` (everything: rebuild)
    /// or the customers touched.
    public func changes(_ db: Database, after seq: Int64) throws -> (last: Int64, customers: Set<String>?) {
        var last = seq
        var customers: Set<String>? = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT seq, customer_id FROM collections_change WHERE seq > ? ORDER BY seq", arguments: [seq])
        while let row = try rows.next() {
            last = try row.decode(forColumn: "seq")
            if let customer: String = try row.decode(forColumn: "customer_id") {
                customers?.insert(customer)
            } else {
                customers = nil
            }
        }
        return (last, customers)
    }
}
