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

/// Why an override was refused.
public struct OverrideError: RefusedRequest, Sendable {
    public var description: String
    public var refusalKind: RefusalKind = .invalid
}

/// The credit manager's use cases: read a decision, set or clear an override.
public struct CreditDecisions: Sendable {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    public let now: @Sendable () -> Date

    /// Overrides are requests: they wait for the writer only so long.
    let writer: BoundedWriter

    public init(
        database: any DatabaseWriter, model: ScoringModel, now: @escaping @Sendable () -> Date = Date.init,
        maximumWait: Duration = BoundedWriter.defaultMaximumWait
    ) {
        self.writer = BoundedWriter(database, maximumWait: maximumWait)
        self.database = database
        self.model = model
        self.now = now
    }

    /// The decision as of `day`: assessed afresh from the evidence known then, with the override in force.
    public func decision(customerId: String, asOf day: Day) async throws -> CreditDecision? {
        guard InputBounds.standard.idProblem(customerId) == nil else { return nil }
        let scoring = ScoringService(database: database, model: model)
        return try await database.read { db in
            guard let assessment = try scoring.assess(db, customerId: customerId, asOf: day) else { return nil }
            let override = try OverrideStore().current(db, customerId: customerId).map(resolve)
            return CreditDecision(assessment: assessment, effective: assessment.effective(override: override, on: day))
        }
    }

    /// Sets a grade and/or limit override. The reason and author are required, the expiry must
    /// follow the day it is set, and the grade must exist in the model.
    public func setOverride(
        customerId: String, gradeCode: String?, limit: Money?, reason: String, author: String, setOn: Day, expiresOn: Day
    ) async throws -> Override {
        guard InputBounds.standard.idProblem(customerId) == nil else {
            throw OverrideError(description: "no customer \(customerId.truncatedForMessage(40))", refusalKind: .notFound)
        }
        guard gradeCode != nil || limit != nil else { throw OverrideError(description: "give a grade, a limit or both") }
        let checks = InputChecks()
        guard let reason = try checks.text(reason, "reason", required: false) else {
            throw OverrideError(description: "a reason is required: it is what explains the decision later")
        }
        guard let author = try checks.text(author, "author", required: false) else {
            throw OverrideError(description: "an author is required")
        }
        if let limit { try checks.amount(limit, "limit") }
        try checks.plausibleDay(expiresOn, "expiresOn", today: setOn)
        guard expiresOn > setOn else {
            throw OverrideError(description: "the expiry \(expiresOn.iso) must be after the day it is set, \(setOn.iso)")
        }
        var grade: Grade?
        if let gradeCode {
            guard let found = model.grade(code: gradeCode) else {
                throw OverrideError(
                    description: "grade \(gradeCode) is not on the scale of model \(model.version) ("
                        + model.grades.map(\.code).joined(separator: ", ") + ")")
            }
            grade = found
        }
        if let limit, limit.cents < 0 { throw OverrideError(description: "a limit cannot be negative") }
        let override = Override(grade: grade, limit: limit, reason: reason, author: author, setOn: setOn, expiresOn: expiresOn)
        let createdAt = Timestamp.string(now())
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [customerId]) == true
            else { throw OverrideError(description: "no customer \(customerId)", refusalKind: .notFound) }
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

    func resolve(_ stored: OverrideStore.Stored) -> Override {
        Override(
            grade: stored.gradeCode.flatMap(model.grade(code:)), limit: stored.limit, reason: stored.reason,
            author: stored.author, setOn: stored.setOn, expiresOn: stored.expiresOn)
    }
}
