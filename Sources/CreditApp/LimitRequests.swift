import CreditCore
import CreditStore
import Foundation
import GRDB

/// A page of limit requests, with how many match in all.
public struct LimitRequestPage: Sendable, Encodable {
    public var requests: [LimitRequestView]
    public var total: Int
}

/// A limit request as the credit team reads it: the request, and who may approve its limit (by
/// the authorities in force, against the suggestion it was asked under).
public struct LimitRequestView: Sendable, Encodable {
    public var request: LimitRequest
    public var approvableBy: [String]

    enum CodingKeys: String, CodingKey { case approvableBy }

    public func encode(to encoder: any Encoder) throws {
        try request.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(approvableBy, forKey: .approvableBy)
    }

    init(_ request: LimitRequest, authorities: ApprovalAuthorities) {
        self.request = request
        self.approvableBy = authorities.approvers(of: request.limit, suggested: request.suggestedLimit)
    }
}

/// Limit requests with approval authority: sales, collections or the credit team ask for a
/// customer's limit (amount, reason, expiry); the credit team lists the pending ones and approves
/// or rejects each once, with a reason. An approval is made by someone other than the requester
/// whose authority covers the limit (`ApprovalAuthorities`, against today's suggested limit), and
/// becomes the customer's override until the request's expiry, in one transaction. A rejection
/// changes nothing but the request. Every step shows on the customer's timeline.
public struct LimitRequests: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    let checks = InputChecks()

    /// Asks for `limit` for the customer until `expiresOn`, on `today`, by `requester`. Checked
    /// as an override would be (amount, reason, expiry after today); refused (`conflict`) while
    /// the customer has another request pending.
    public func request(
        customerId: String, limit: Money, reason: String, expiresOn: Day, requester: String, today: Day
    ) async throws -> LimitRequestView {
        try checks.id(customerId, "customerId")
        let policies = try requirePolicies()
        let checked = try Override.requested(
            gradeCode: nil, limit: limit, reason: reason, author: requester, setOn: today, expiresOn: expiresOn, model: model)
        let createdAt = Timestamp.string(now())
        let stored = try await writer.write { db -> LimitRequest in
            guard let decision = try decision(db, customerId: customerId, asOf: today) else {
                throw Refusal(.notFound, "no customer \(customerId)")
            }
            let store = LimitRequestStore()
            if let pending = try store.pending(db, customerId: customerId) {
                throw Refusal(
                    .conflict,
                    "customer \(customerId) already has limit request \(pending.id) pending (\(pending.limit.formatted), asked by "
                        + "\(pending.requestedBy) on \(pending.requestedOn.iso)); it must be decided first")
            }
            return try store.add(
                db,
                LimitRequest(
                    id: 0, customerId: customerId, limit: limit, reason: checked.reason, expiresOn: expiresOn, requestedBy: checked.author,
                    requestedOn: today, suggestedLimit: decision.effective.suggestedLimit, limitInForce: decision.effective.limit),
                createdAt: createdAt)
        }
        return LimitRequestView(stored, authorities: policies.authorities)
    }

    /// Requests oldest first, of `status` (as written: pending, approved, rejected; all when nil)
    /// and of `customerId` when given, at most `limit`.
    public func list(status: String?, customerId: String?, limit: Int) async throws -> LimitRequestPage {
        let parsed = try status.map { text throws(Refusal) -> LimitRequestStatus in
            guard let parsed = LimitRequestStatus(parsing: text) else {
                throw Refusal.invalid(
                    field: "status", "\"\(text.truncatedForMessage(40))\" is not a limit request status; use one of \(LimitRequestStatus.listed)")
            }
            return parsed
        }
        if let customerId { try checks.id(customerId, "customerId") }
        guard (1...1000).contains(limit) else { throw Refusal.invalid(field: "limit", "must be from 1 to 1000") }
        let authorities = try requirePolicies().authorities
        let (requests, total) = try await database.read { db in
            try LimitRequestStore().list(db, status: parsed, customerId: customerId, limit: limit)
        }
        return LimitRequestPage(requests: requests.map { LimitRequestView($0, authorities: authorities) }, total: total)
    }

    /// One request with who may approve it (sales following up on what they asked, the approver
    /// opening the request an alert or a colleague pointed to).
    public func request(id: Int64) async throws -> LimitRequestView {
        guard id > 0 else { throw Refusal(.notFound, "no limit request \(id)") }
        let authorities = try requirePolicies().authorities
        guard let request = try await database.read({ try LimitRequestStore().request($0, id: id) }) else {
            throw Refusal(.notFound, "no limit request \(id)")
        }
        return LimitRequestView(request, authorities: authorities)
    }

    /// Approves request `id` on `today`, by `approver` acting as `role`, for `reason`: the
    /// request must be pending and someone else's, its limit within the approver's authority
    /// against today's suggested limit, and its expiry still ahead. Its limit becomes the
    /// customer's override until the expiry, in the same transaction as the decision.
    public func approve(id: Int64, reason: String, approver: String, role: String, today: Day) async throws -> LimitRequestView {
        let (reason, approver) = try decisionText(reason: reason, by: approver)
        let policies = try requirePolicies()
        let createdAt = Timestamp.string(now())
        let model = self.model
        let approved = try await writer.write { db -> LimitRequest in
            let request = try pendingRequest(db, id: id, decider: approver)
            guard let decision = try decision(db, customerId: request.customerId, asOf: today) else {
                throw Refusal(.notFound, "no customer \(request.customerId)")
            }
            let override = try request.override(approvedBy: approver, on: today, model: model)
            let overrideId = try storeOverride(
                db, override, customerId: request.customerId, role: role, suggested: decision.effective.suggestedLimit,
                createdAt: createdAt, limitRequestId: request.id)
            try LimitRequestStore().decide(
                db, id: id, status: .approved,
                decision: .init(
                    by: approver, role: role, on: today, reason: reason, authorityVersion: policies.authorities.version, overrideId: overrideId),
                decidedAt: createdAt)
            return try LimitRequestStore().request(db, id: id) ?? request
        }
        return LimitRequestView(approved, authorities: policies.authorities)
    }

    /// Rejects request `id` on `today`, by `decider` acting as `role`, for `reason`: the request
    /// must be pending and someone else's. Nothing else changes.
    public func reject(id: Int64, reason: String, decider: String, role: String, today: Day) async throws -> LimitRequestView {
        let (reason, decider) = try decisionText(reason: reason, by: decider)
        let policies = try requirePolicies()
        let createdAt = Timestamp.string(now())
        let rejected = try await writer.write { db -> LimitRequest in
            let request = try pendingRequest(db, id: id, decider: decider)
            try LimitRequestStore().decide(
                db, id: id, status: .rejected,
                decision: .init(by: decider, role: role, on: today, reason: reason, authorityVersion: policies.authorities.version),
                decidedAt: createdAt)
            return try LimitRequestStore().request(db, id: id) ?? request
        }
        return LimitRequestView(rejected, authorities: policies.authorities)
    }

    /// Every request of the customer, oldest first: for the account's timeline.
    public func requests(customerId: String) async throws -> [LimitRequest] {
        try checks.id(customerId, "customerId")
        return try await database.read { try LimitRequestStore().requests($0, customerId: customerId) }
    }

    private func decisionText(reason: String, by author: String) throws(Refusal) -> (reason: String, author: String) {
        let reason = try checks.text(reason, "reason", required: true) ?? reason
        let author = try checks.text(author, "author", required: true) ?? author
        return (reason, author)
    }

    /// The request, when it exists and `decider` may decide it now.
    private func pendingRequest(_ db: Database, id: Int64, decider: String) throws -> LimitRequest {
        guard let request = try LimitRequestStore().request(db, id: id) else { throw Refusal(.notFound, "no limit request \(id)") }
        try request.checkDecidable(by: decider)
        return request
    }
}
