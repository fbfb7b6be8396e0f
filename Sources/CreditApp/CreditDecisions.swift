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
/// requests: they wait for the writer only so long.
public struct CreditDecisions: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    /// The decision as of `day`: assessed afresh from the evidence known then, with the override in force.
    public func decision(customerId: String, asOf day: Day) async throws -> CreditDecision? {
        guard InputBounds.standard.idProblem(customerId) == nil else { return nil }
        let scoring = self.scoring
        return try await database.read { db in
            guard let assessment = try scoring.assess(db, customerId: customerId, asOf: day) else { return nil }
            let override = try OverrideStore().current(db, customerId: customerId).map { $0.override(on: model) }
            return CreditDecision(assessment: assessment, effective: assessment.effective(override: override, on: day))
        }
    }

    /// Sets a grade and/or limit override, checked by the one override rule (`Override.requested`).
    public func setOverride(
        customerId: String, gradeCode: String?, limit: Money?, reason: String, author: String, setOn: Day, expiresOn: Day
    ) async throws -> Override {
        guard InputBounds.standard.idProblem(customerId) == nil else {
            throw Refusal(.notFound, "no customer \(customerId.truncatedForMessage(40))")
        }
        let override = try Override.requested(
            gradeCode: gradeCode, limit: limit, reason: reason, author: author, setOn: setOn, expiresOn: expiresOn,
            model: model)
        let createdAt = Timestamp.string(now())
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [customerId]) == true
            else { throw Refusal(.notFound, "no customer \(customerId)") }
            try OverrideStore().set(db, customerId: customerId, override: override, createdAt: createdAt)
        }
        return override
    }

    /// Clears the customer's override; returns whether there was one.
    public func clearOverride(customerId: String) async throws -> Bool {
        guard InputBounds.standard.idProblem(customerId) == nil else { return false }
        let at = Timestamp.string(now())
        return try await writer.write { try OverrideStore().revoke($0, customerId: customerId, at: at) }
    }
}
