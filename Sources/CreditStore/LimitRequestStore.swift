import CreditCore
import GRDB

extension LimitRequestStatus: DatabaseValueConvertible {}

/// One row of `limit_request`, columns by name.
struct LimitRequestRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "limit_request"

    var id: Int64?
    var customerId: String
    var limitCents: Money
    var reason: String
    var expiresOn: Day
    var requestedBy: String
    var requestedOn: Day
    var suggestedLimitCents: Money
    var limitInForceCents: Money
    var status: LimitRequestStatus
    var decidedBy: String?
    var deciderRole: String?
    var decidedOn: Day?
    var decisionReason: String?
    var authorityVersion: String?
    var overrideId: Int64?
    var createdAt: String
    var decidedAt: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case customerId = "customer_id"
        case limitCents = "limit_cents"
        case reason
        case expiresOn = "expires_on"
        case requestedBy = "requested_by"
        case requestedOn = "requested_on"
        case suggestedLimitCents = "suggested_limit_cents"
        case limitInForceCents = "limit_in_force_cents"
        case status
        case decidedBy = "decided_by"
        case deciderRole = "decider_role"
        case decidedOn = "decided_on"
        case decisionReason = "decision_reason"
        case authorityVersion = "authority_version"
        case overrideId = "override_id"
        case createdAt = "created_at"
        case decidedAt = "decided_at"
    }

    var request: LimitRequest {
        var decision: LimitRequest.Decision?
        if let decidedBy, let decidedOn {
            decision = LimitRequest.Decision(
                by: decidedBy, role: deciderRole ?? "", on: decidedOn, reason: decisionReason ?? "", authorityVersion: authorityVersion ?? "",
                overrideId: overrideId)
        }
        return LimitRequest(
            id: id ?? 0, customerId: customerId, limit: limitCents, reason: reason, expiresOn: expiresOn, requestedBy: requestedBy,
            requestedOn: requestedOn, suggestedLimit: suggestedLimitCents, limitInForce: limitInForceCents, status: status,
            decision: decision)
    }
}

/// Limit requests and their decisions, kept for good: a request is decided once, and the
/// decision is written on its row with who, which role, when, why and under which authorities.
/// Writes run in the caller's transaction (with the override an approval sets).
public struct LimitRequestStore: Sendable {
    public init() {}

    /// Stores a new pending request (its `id` is ignored) and returns it with its id.
    public func add(_ db: Database, _ request: LimitRequest, createdAt: String) throws -> LimitRequest {
        var record = LimitRequestRecord(
            id: nil, customerId: request.customerId, limitCents: request.limit, reason: request.reason, expiresOn: request.expiresOn,
            requestedBy: request.requestedBy, requestedOn: request.requestedOn, suggestedLimitCents: request.suggestedLimit,
            limitInForceCents: request.limitInForce, status: .pending, createdAt: createdAt)
        try record.insert(db)
        record.id = db.lastInsertedRowID
        return record.request
    }

    public func request(_ db: Database, id: Int64) throws -> LimitRequest? {
        try LimitRequestRecord.fetchOne(db, key: id)?.request
    }

    /// The customer's request still waiting for a decision, if any.
    public func pending(_ db: Database, customerId: String) throws -> LimitRequest? {
        try LimitRequestRecord
            .filter(LimitRequestRecord.CodingKeys.customerId == customerId && LimitRequestRecord.CodingKeys.status == LimitRequestStatus.pending)
            .order(LimitRequestRecord.CodingKeys.id)
            .fetchOne(db)?.request
    }

    /// Requests oldest first, of `status` and `customerId` when given, at most `limit`, and how
    /// many there are in all.
    public func list(_ db: Database, status: LimitRequestStatus?, customerId: String?, limit: Int) throws -> (requests: [LimitRequest], total: Int) {
        var query = LimitRequestRecord.all()
        if let status { query = query.filter(LimitRequestRecord.CodingKeys.status == status) }
        if let customerId { query = query.filter(LimitRequestRecord.CodingKeys.customerId == customerId) }
        let total = try query.fetchCount(db)
        return (try query.order(LimitRequestRecord.CodingKeys.id).limit(limit).fetchAll(db).map(\.request), total)
    }

    /// How many requests of the selected customers have `status`.
    public func count(_ db: Database, status: LimitRequestStatus, selection: PortfolioSelection) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM limit_request r JOIN customer c ON c.id = r.customer_id
                WHERE r.status = :status AND \(ReportQueries.selecting(selection))
                """, arguments: ReportQueries.arguments(selection, ["status": status])) ?? 0
    }

    /// Every request of the customer, oldest first: for the account's timeline.
    public func requests(_ db: Database, customerId: String) throws -> [LimitRequest] {
        try LimitRequestRecord.filter(LimitRequestRecord.CodingKeys.customerId == customerId)
            .order(LimitRequestRecord.CodingKeys.id).fetchAll(db).map(\.request)
    }

    /// Writes the decision on a pending request; throws when it was decided meanwhile.
    public func decide(
        _ db: Database, id: Int64, status: LimitRequestStatus, decision: LimitRequest.Decision, decidedAt: String
    ) throws {
        try db.execute(
            sql: """
                UPDATE limit_request
                SET status = ?, decided_by = ?, decider_role = ?, decided_on = ?, decision_reason = ?, authority_version = ?,
                    override_id = ?, decided_at = ?
                WHERE id = ? AND status = 'pending'
                """,
            arguments: [
                status, decision.by, decision.role, decision.on, decision.reason, decision.authorityVersion, decision.overrideId,
                decidedAt, id,
            ])
        guard db.changesCount == 1 else { throw Refusal(.conflict, "limit request \(id) is no longer pending") }
    }
}
