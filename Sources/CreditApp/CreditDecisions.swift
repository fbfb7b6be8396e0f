import CreditCore
import CreditStore
import Foundation
import GRDB

/// A customer's credit decision: the model's suggestion, the credit manager's override if any,
/// and what follows from both (effective grade and limit, exposure, headroom).
public struct CreditDecision: Sendable, Codable {
    public var assessment: Assessment
    public var effective: EffectiveDecision
}

/// The credit manager's use cases: read a decision, set or clear an override. Overrides are
/// requests: they wait for the writer only so long. A limit set by a person goes through the
/// approval authorities, here and in limit requests and reviews alike (`storeOverride`).
public struct CreditDecisions: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    /// The decision as of `day`: assessed afresh from the evidence known then, with the override in force.
    public func decision(customerId: String, asOf day: Day) async throws -> CreditDecision? {
        guard InputBounds.standard.idProblem(customerId) == nil else { return nil }
        return try await database.read { db in try decision(db, customerId: customerId, asOf: day) }
    }

    /// Sets a grade and/or limit override, checked by the one override rule (`Override.requested`)
    /// and, for a limit, by the approval authority of `role` (`ApprovalAuthorities`): a limit
    /// beyond it is refused (`forbidden`) with who may approve it.
    public func setOverride(
        customerId: String, gradeCode: String?, limit: Money?, reason: String, author: String, role: String, setOn: Day,
        expiresOn: Day
    ) async throws -> Override {
        guard InputBounds.standard.idProblem(customerId) == nil else {
            throw Refusal(.notFound, "no customer \(customerId.truncatedForMessage(40))")
        }
        let override = try Override.requested(
            gradeCode: gradeCode, limit: limit, reason: reason, author: author, setOn: setOn, expiresOn: expiresOn,
            model: model)
        let createdAt = Timestamp.string(now())
        try await writer.write { db in
            guard let decision = try decision(db, customerId: customerId, asOf: setOn) else {
                throw Refusal(.notFound, "no customer \(customerId)")
            }
            try storeOverride(
                db, override, customerId: customerId, role: role, suggested: decision.effective.suggestedLimit, createdAt: createdAt)
        }
        return override
    }

    /// Clears the customer's override; returns whether there was one.
    public func clearOverride(customerId: String) async throws -> Bool {
        guard InputBounds.standard.idProblem(customerId) == nil else { return false }
        let at = Timestamp.string(now())
        let today = Day(containing: now())
        return try await writer.write { db in
            guard try OverrideStore().revoke(db, customerId: customerId, at: at) else { return false }
            try AlertStore().close(db, customerId: customerId, kind: .overrideExpiring, on: today)
            return true
        }
    }
}

extension RequestUseCase {
    /// The customer's decision on `day` inside the caller's transaction: assessed afresh, with
    /// the override in force; nil for an unknown customer.
    func decision(_ db: Database, customerId: String, asOf day: Day) throws -> CreditDecision? {
        guard let assessment = try scoring.assess(db, customerId: customerId, asOf: day) else { return nil }
        let override = try OverrideStore().current(db, customerId: customerId).map { $0.override(on: model) }
        return CreditDecision(assessment: assessment, effective: assessment.effective(override: override, on: day))
    }

    /// The one door through which a person's decision becomes the customer's override (a direct
    /// override, an approved limit request, a review, an account opened with a limit of one's
    /// own). A limit is first checked against the authority of `role` for the model's `suggested`
    /// limit (refused, `forbidden`, with who may approve it), then stored with the authorities'
    /// version; a grade alone needs no authority. Returns the override's id.
    @discardableResult
    func storeOverride(
        _ db: Database, _ override: Override, customerId: String, role: String, suggested: Money, createdAt: String,
        limitRequestId: Int64? = nil
    ) throws -> Int64 {
        var authorityVersion: String?
        if let limit = override.limit {
            let authorities = try requirePolicies().authorities
            try authorities.authorize(limit: limit, suggested: suggested, role: role)
            authorityVersion = authorities.version
        }
        // The override it replaces no longer expires: its alert ends.
        try AlertStore().close(db, customerId: customerId, kind: .overrideExpiring, on: override.setOn)
        return try OverrideStore().set(
            db, customerId: customerId, override: override, createdAt: createdAt, authorityVersion: authorityVersion,
            limitRequestId: limitRequestId)
    }
}
