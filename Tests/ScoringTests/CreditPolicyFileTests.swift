import Foundation
import Testing

@testable import CreditCore

/// The credit team's policy files beside the model: approval authorities and review policy.
enum PolicyFiles {
    static var folder: URL { ModelFile.url.deletingLastPathComponent() }
    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
    static func authorities() throws -> ApprovalAuthorities {
        try ApprovalAuthorities.decode(from: data("approval-authorities-v2.json"))
    }
    static func reviews() throws -> ReviewPolicy { try ReviewPolicy.decode(from: data("review-policy-v1.json"), model: ModelFile.shipped()) }

    /// The shipped file with the value at a dotted `path` replaced (removed when nil).
    static func changed(_ name: String, _ path: String, to value: Any?) throws -> Data {
        var tree = try #require(JSONSerialization.jsonObject(with: data(name)) as? [String: Any])
        ModelFileTests.set(&tree, path.split(separator: ".").map(String.init)[...], to: value)
        return try JSONSerialization.data(withJSONObject: tree)
    }
}

@Suite("Approval authorities")
struct ApprovalAuthorityTests {
    @Test(
        "a credit manager may set up to twice the suggested limit and at least 10 000; a credit director any limit",
        arguments: [
            // (suggested, limit, role, allowed)
            (4_000, 10_000, "credit_manager", true),  // max(2 × 4 000, 10 000) = 10 000
            (4_000, 10_001, "credit_manager", false),
            (12_500, 25_000, "credit_manager", true),  // max(2 × 12 500, 10 000) = 25 000
            (12_500, 25_001, "credit_manager", false),
            (0, 10_000, "credit_manager", true),  // nothing suggested: the floor of 10 000
            (150_000, 5_000_000, "credit_manager", false),  // 33 times the grade cap
            (150_000, 5_000_000, "credit_director", true),
            (4_000, 1, "sales", false),  // sales has no authority over limits
        ] as [(Int64, Int64, String, Bool)])
    func ceilings(suggested: Int64, limit: Int64, role: String, allowed: Bool) throws {
        let authorities = try PolicyFiles.authorities()
        #expect(authorities.version == "approval-authorities-v2")
        let outcome = Result { () throws(Refusal) in try authorities.authorize(limit: euros(limit), suggested: euros(suggested), role: role) }
        switch outcome {
        case .success: #expect(allowed)
        case .failure(let refusal):
            #expect(!allowed, "\(refusal)")
            #expect(refusal.refusalKind == .forbidden && refusal.code == "beyond-authority")
        }
    }

    @Test("a refusal names the ceiling, its rule, the file's version and who may approve the limit")
    func refusalSaysWhoMay() throws {
        let authorities = try PolicyFiles.authorities()
        let refusal = try #require(throws: Refusal.self) {
            try authorities.authorize(limit: euros(5_000_000), suggested: euros(150_000), role: "credit_manager")
        }
        #expect(
            refusal.description
                == "a limit of 5 000 000.00 is beyond the authority of the credit_manager role (300 000.00 here: up to 2 × the suggested "
                + "limit, at least 10 000.00, the suggested limit being 150 000.00; approval-authorities-v2); credit_director may approve "
                + "it: send a limit request for their approval")
        #expect(authorities.approvers(of: euros(20_000), suggested: euros(4_000)) == ["credit_director"])
        #expect(authorities.approvers(of: euros(8_000), suggested: euros(4_000)) == ["credit_manager", "credit_director"])
    }

    @Test(
        "a broken authorities file is refused with the field named",
        arguments: [
            ("limitAuthorities.0.timesSuggested", nil, "limitAuthorities[0].timesSuggested is missing"),
            ("limitAuthorities.0.timesSuggested", 0.5, "limitAuthorities[0].timesSuggested must be between 1 and 100"),
            ("limitAuthorities.0.atLeast", -1, "limitAuthorities[0].atLeast must be between 0"),
            ("limitAuthorities.1.timesSuggested", 3, "limitAuthorities[1].unlimited leaves no ceiling"),
            ("limitAuthorities.1.role", "credit_manager", "limitAuthorities[1].role \"credit_manager\" is named twice"),
            ("limitAuthorities.1.role", "ceo", "limitAuthorities[1].role \"ceo\" is not a role"),
            ("version", "", "version must not be empty"),
            ("orderReferral.overLimitShare", 1.5, "orderReferral.overLimitShare must be between 0 and 1"),
            ("orderReferral.pastDueDays", 45, "orderReferral.pastDueDays must be one of the aged balance's edges: 0, 30, 60, 90"),
            ("orderReferral.pastDueDays", nil, "orderReferral.pastDueDays"),
        ] as [(String, (any Sendable)?, String)])
    func brokenAuthorities(path: String, value: (any Sendable)?, message: String) throws {
        let data = try PolicyFiles.changed("approval-authorities-v2.json", path, to: value)
        let error = try #require(throws: ModelError.self) {
            try ApprovalAuthorities.decode(from: data, roles: ["sales", "collections", "credit_manager", "credit_director", "admin"])
        }
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }
}

extension ApprovalAuthorityTests {
    @Test("the shipped referral rules are the ones the order check used to hard-code, and v1 files keep them, saying so")
    func orderReferral() throws {
        let check = try PolicyFiles.authorities().orderCheck
        #expect(check.referTolerance == 0.10 && check.referPastDueDays == 60 && check.rules == "approval-authorities-v2")
        let v1 = try ApprovalAuthorities.decode(from: PolicyFiles.data("approval-authorities-v1.json")).orderCheck
        #expect(v1.referTolerance == 0.10 && v1.referPastDueDays == 60)
        #expect(v1.rules == "built-in (approval-authorities-v1 states none)")
    }

    @Test(
        "a stricter referral file refers what the shipped one approves, and declines what it refers",
        arguments: [
            // (over-limit share, past-due days, exposure, order, 1-30 days, 31-60 days, verdict)
            (0.10, 60, 2_000, 900, 0, 500, OrderVerdict.approve),  // 31-60 days past due does not count at 60
            (0.10, 30, 2_000, 900, 0, 500, .refer),  // it does at 30
            (0.10, 0, 2_000, 900, 100, 0, .refer),  // at 0, anything past due refers
            (0.10, 60, 2_000, 1_050, 0, 0, .refer),  // over 3 000 by 50, within 10 %
            (0.00, 60, 2_000, 1_050, 0, 0, .decline),  // no tolerance
            (0.25, 60, 2_000, 1_700, 0, 0, .refer),  // over by 700, within 25 %
        ] as [(Double, Int, Int64, Int64, Int64, Int64, OrderVerdict)])
    func referralRules(
        share: Double, days: Int, exposure: Int64, order: Int64, days1to30: Int64, days31to60: Int64, verdict: OrderVerdict
    )
        throws
    {
        let data = try PolicyFiles.changed(
            "approval-authorities-v2.json", "orderReferral", to: ["overLimitShare": share, "pastDueDays": days])
        let check = try ApprovalAuthorities.decode(from: data).orderCheck
        var aged = AgedBalance()
        aged.days1to30 = euros(days1to30)
        aged.days31to60 = euros(days31to60)
        aged.notDue = euros(exposure) - aged.overdue
        let decision = EffectiveDecision.current(
            suggestedGrade: Grade(code: "5", rank: 5), suggestedLimit: euros(3_000), exposure: euros(exposure), override: nil,
            on: Day(parsing: "2026-10-31")!)
        #expect(check.decide(amount: euros(order), decision: decision, exposure: euros(exposure), agedBalance: aged).verdict == verdict)
    }
}

@Suite("Review policy")
struct ReviewPolicyTests {
    @Test(
        "the review falls due by risk class, and within 30 days of a downgrade when that is sooner",
        arguments: [
            // (grade, last review (on, next), downgrades, due, reason)
            ("3", nil, [], "2027-10-31", ReviewDue.Reason.firstReview),  // first assessed 2026-10-31, low: + 12 months
            ("6", nil, [], "2027-04-30", .firstReview),  // medium: + 6 months
            ("D", nil, [], "2027-01-31", .firstReview),  // high: + 3 months
            ("3", ("2027-01-15", "2028-01-15"), [], "2028-01-15", .scheduled),
            ("3", ("2027-01-15", "2028-01-15"), ["2027-03-01"], "2027-03-31", .downgrade),  // 2027-03-01 + 30 days
            ("3", ("2027-01-15", "2028-01-15"), ["2027-01-10"], "2028-01-15", .scheduled),  // before the review: seen by it
            ("D", nil, ["2026-12-20", "2027-01-05"], "2027-01-19", .downgrade),  // the first downgrade: 2026-12-20 + 30
            ("D", nil, ["2027-01-05"], "2027-01-31", .firstReview),  // 2027-02-04 would come later
        ] as [(String, (String, String)?, [String], String, ReviewDue.Reason)])
    func dueDates(grade: String, last: (String, String)?, downgrades: [String], due: String, reason: ReviewDue.Reason) throws {
        let policy = try PolicyFiles.reviews()
        let result = try #require(
            policy.due(
                grade: grade, lastReview: last.map { (day($0.0), day($0.1)) }, firstAssessedOn: day("2026-10-31"),
                downgrades: downgrades.map(day)))
        #expect(result.dueOn == day(due))
        #expect(result.reason == reason)
    }

    @Test("an override is announced from 30 days before its expiry to its last day")
    func expiryNotice() throws {
        let policy = try PolicyFiles.reviews()
        #expect(policy.overrideExpiryNoticeDays == 30)
        #expect(policy.announcesExpiry(of: day("2026-11-30"), on: day("2026-10-31")))  // 30 days ahead
        #expect(!policy.announcesExpiry(of: day("2026-12-01"), on: day("2026-10-31")))  // 31
        #expect(policy.announcesExpiry(of: day("2026-10-31"), on: day("2026-10-31")))
        #expect(!policy.announcesExpiry(of: day("2026-10-30"), on: day("2026-10-31")))  // already over
    }

    @Test(
        "a broken review policy is refused with the field named",
        arguments: [
            ("riskClasses.0.intervalMonths", 0, "riskClasses[0].intervalMonths must be between 1 and 36"),
            ("riskClasses.2.grades", ["8", "9", "10"], "riskClasses: grade D of model scoring-model-v2 is in no class"),
            ("riskClasses.1.grades", ["4", "5", "6", "7"], "riskClasses[1].grades: grade 4 is already in class low"),
            ("riskClasses.1.grades", ["5", "6", "7", "11"], "riskClasses[1].grades: \"11\" is not a grade of model scoring-model-v2"),
            ("afterDowngradeDays", 0, "afterDowngradeDays must be between 1 and 365"),
            ("overrideExpiryNoticeDays", nil, "overrideExpiryNoticeDays is missing"),
        ] as [(String, (any Sendable)?, String)])
    func brokenPolicy(path: String, value: (any Sendable)?, message: String) throws {
        let data = try PolicyFiles.changed("review-policy-v1.json", path, to: value)
        let error = try #require(throws: ModelError.self) { try ReviewPolicy.decode(from: data, model: ModelFile.shipped()) }
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }
}
