import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("Credit manager overrides")
struct OverrideTests {
    let id = "C0000007"

    func decisions() throws -> (CreditDecisions, DatabaseQueue) {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        return (CreditDecisions(database: db, model: model, now: fixedNow, policies: try Repository.policies(for: model)), db)
    }

    @Test("while valid the override sets the effective limit and the suggestion is still shown")
    func validOverride() async throws {
        let (decisions, _) = try decisions()
        let day = try #require(Day(parsing: "2026-10-31"))
        let suggested = try #require(try await decisions.decision(customerId: id, asOf: day))
        // 10 000.00: the most a credit manager may set here, max(2 × the suggested 4 000.00, 10 000.00).
        _ = try await decisions.setOverride(
            customerId: id, gradeCode: nil, limit: Money(cents: 1_000_000), reason: "guarantee", author: "md", role: "credit_manager",
            setOn: day - 10, expiresOn: day + 30)
        let decision = try #require(try await decisions.decision(customerId: id, asOf: day))
        #expect(decision.effective.limit == Money(cents: 1_000_000))
        #expect(decision.effective.suggestedLimit == suggested.assessment.suggestedLimit)
        #expect(decision.effective.grade == suggested.assessment.grade)
        // Headroom follows the effective limit: 10 000.00 − exposure.
        #expect(decision.effective.headroom == Money(cents: 1_000_000) - decision.assessment.exposure)
    }

    @Test("after its expiry, or once cleared, the suggestion applies again")
    func expiredOrCleared() async throws {
        let (decisions, db) = try decisions()
        let day = try #require(Day(parsing: "2026-10-31"))
        _ = try await decisions.setOverride(
            customerId: id, gradeCode: "2", limit: nil, reason: "r", author: "a", role: "credit_manager", setOn: day - 60, expiresOn: day - 1)
        let expired = try #require(try await decisions.decision(customerId: id, asOf: day))
        #expect(expired.effective.overrideStatus == .expired)
        #expect(expired.effective.grade == expired.assessment.grade)
        _ = try await decisions.setOverride(
            customerId: id, gradeCode: "2", limit: nil, reason: "r", author: "a", role: "credit_manager", setOn: day - 1, expiresOn: day + 1)
        #expect(try await decisions.decision(customerId: id, asOf: day)?.effective.grade.code == "2")
        #expect(try await decisions.clearOverride(customerId: id))
        #expect(try await decisions.decision(customerId: id, asOf: day)?.effective.gradeOverridden == false)
        // Both overrides are kept in the history, the first superseded, the second revoked.
        let history = try await db.read { try OverrideStore().history($0, customerId: id) }
        #expect(history.count == 2 && history.allSatisfy { $0.revokedAt != nil })
    }

    @Test(
        "an override needs a reason, an author, a later expiry, a known grade and a known customer",
        arguments: [
            (nil, "r", "a", 5, "give a grade, a limit or both"), ("2", " ", "a", 5, "a reason is required"),
            ("2", "r", "", 5, "an author is required"), ("2", "r", "a", 0, "must be after"),
            ("11", "r", "a", 5, "grade 11 is not on the scale"),
        ] as [(String?, String, String, Int, String)])
    func refused(grade: String?, reason: String, author: String, days: Int, message: String) async throws {
        let (decisions, _) = try decisions()
        let day = try #require(Day(parsing: "2026-10-31"))
        let error = try await #require(throws: Refusal.self) {
            try await decisions.setOverride(
                customerId: id, gradeCode: grade, limit: nil, reason: reason, author: author, role: "credit_manager", setOn: day,
                expiresOn: day + days)
        }
        #expect(error.description.contains(message))
    }

    @Test("an override for an unknown customer is refused")
    func unknownCustomer() async throws {
        let (decisions, _) = try decisions()
        let day = try #require(Day(parsing: "2026-10-31"))
        await #expect(throws: Refusal.self) {
            try await decisions.setOverride(
                customerId: "NOPE", gradeCode: "3", limit: nil, reason: "r", author: "a", role: "credit_manager", setOn: day, expiresOn: day + 1)
        }
    }
}
