import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// Periodic reviews by risk class (Models/review-policy-v1.json: grades 1-4 yearly, 5-7 every six
/// months, 8-10 and D quarterly, within 30 days of a downgrade) and overrides about to expire.
@Suite("Periodic reviews")
struct ReviewTests {
    let today = Day(parsing: "2026-10-31")!

    struct Service {
        var reviews: CreditReviews
        var decisions: CreditDecisions
        var db: DatabaseQueue
    }

    /// The demo scored as of 2026-10-31 with model v2: C0000007 grade 4 (low risk, suggested
    /// 4 000.00), C0000001 grade 5 (medium, 1 500.00), C0000009 grade 8 (high, 2 500.00).
    func service() async throws -> Service {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: today)
        let resources = RequestResources(database: db, model: model, now: fixedNow, policies: try Repository.policies(for: model))
        return Service(reviews: CreditReviews(resources: resources), decisions: CreditDecisions(resources: resources), db: db)
    }

    @Test(
        "a review sets the next review date by the customer's risk class",
        arguments: [
            ("C0000007", "low", "2027-10-31"),  // grade 4: 2026-10-31 + 12 months
            ("C0000001", "medium", "2027-04-30"),  // grade 5: + 6 months, April having 30 days
            ("C0000009", "high", "2027-01-31"),  // grade 8: + 3 months
        ])
    func nextReviewByRiskClass(customer: String, riskClass: String, next: String) async throws {
        let service = try await service()
        let review = try await service.reviews.record(
            customerId: customer, decision: "keep", note: "pays on time", limit: nil, author: "carl", role: "credit_manager", today: today)
        #expect(review.riskClass == riskClass)
        #expect(review.nextReviewOn == Day(parsing: next))
        #expect(review.policyVersion == "review-policy-v1" && review.limit == nil && review.authorityVersion == nil)
        // On the list of that day, due as the review set it.
        let dueThen = try await service.reviews.due(before: Day(parsing: next)!, today: today, limit: 1000)
        let entry = try #require(dueThen.reviews.first { $0.customerId == customer })
        #expect(entry.dueOn == Day(parsing: next) && entry.dueReason == .scheduled)
        #expect(entry.lastReview?.author == "carl" && entry.lastReview?.decision == .keep && entry.lastReview?.note == "pays on time")
    }

    @Test("a customer never reviewed is due one interval after its first assessment; a downgrade brings the review within 30 days")
    func downgradeBringsItForward() async throws {
        let service = try await service()
        // Never reviewed, first assessed 2026-10-31, grade 4: due 2027-10-31.
        let before = try await service.reviews.due(before: Day(parsing: "2027-10-31")!, today: today, limit: 1000)
        let first = try #require(before.reviews.first { $0.customerId == "C0000007" })
        #expect(first.dueOn == Day(parsing: "2027-10-31") && first.dueReason == .firstReview)
        // A downgrade on 2026-11-10 makes it due by 2026-11-10 + 30 days = 2026-12-10.
        let downgradeDay = Day(parsing: "2026-11-10")!
        try await service.db.write { db in
            try AssessmentStore().add(
                db, Alert(customerId: "C0000007", kind: .downgrade, detail: "grade 4 → 6", asOf: downgradeDay, createdAt: "2026-11-10T06:00:00Z"))
        }
        let after = try await service.reviews.due(before: Day(parsing: "2026-12-10")!, today: today, limit: 1000)
        let brought = try #require(after.reviews.first { $0.customerId == "C0000007" })
        #expect(brought.dueOn == Day(parsing: "2026-12-10") && brought.dueReason == .downgrade && brought.downgradeOn == downgradeDay)
        #expect(brought.daysOverdue == -40)  // 2026-10-31 is 40 days before 2026-12-10
        // Reviewed after the downgrade, the next date follows the class of the grade then: assessed
        // as of 2026-11-20, C0000007 is grade 5 (its invoices aged), medium risk: six months on.
        let review = try await service.reviews.record(
            customerId: "C0000007", decision: "keep", note: nil, limit: nil, author: "carl", role: "credit_manager",
            today: Day(parsing: "2026-11-20")!)
        #expect(review.grade == "5" && review.riskClass == "medium" && review.nextReviewOn == Day(parsing: "2027-05-20"))
        let later = try await service.reviews.due(before: Day(parsing: "2027-05-19")!, today: today, limit: 1000)
        #expect(!later.reviews.contains { $0.customerId == "C0000007" })
    }

    @Test("the reviews due come most urgent first: the earliest due, then the worse grade, then the larger exposure")
    func urgency() async throws {
        let service = try await service()
        let list = try await service.reviews.due(before: Day(parsing: "2027-10-31")!, today: today, limit: 1000)
        // Every scored customer is due by then (the longest interval is 12 months).
        #expect(list.total == 200 && list.reviews.count == 200)
        let model = try Repository.model()
        for (a, b) in zip(list.reviews, list.reviews.dropFirst()) {
            let ra = try #require(model.grade(code: a.grade)).rank
            let rb = try #require(model.grade(code: b.grade)).rank
            let ordered = a.dueOn < b.dueOn || (a.dueOn == b.dueOn && (ra > rb || (ra == rb && a.exposure >= b.exposure)))
            #expect(ordered, "\(a.customerId) before \(b.customerId)")
        }
        // The first are the quarterly ones, due 2027-01-31.
        #expect(list.reviews.first?.dueOn == Day(parsing: "2027-01-31") && list.reviews.first?.riskClass == "high")
        let limited = try await service.reviews.due(before: Day(parsing: "2027-10-31")!, today: today, limit: 5)
        #expect(limited.total == 200 && limited.reviews.map(\.customerId) == list.reviews.prefix(5).map(\.customerId))
    }

    @Test("a review raises the limit within the reviewer's authority until the next review; beyond it, it is refused and names who may")
    func raiseWithinAuthority() async throws {
        let service = try await service()
        let beyond = try await #require(throws: Refusal.self) {
            try await service.reviews.record(
                customerId: "C0000007", decision: "raise", note: nil, limit: Money(cents: 1_000_001), author: "carl", role: "credit_manager",
                today: today)
        }
        #expect(beyond.refusalKind == .forbidden && beyond.description.contains("credit_director may approve it"), "\(beyond)")
        #expect(try await service.reviews.reviews(customerId: "C0000007").isEmpty)
        let raised = try await service.reviews.record(
            customerId: "C0000007", decision: "raise", note: "two years without delay", limit: Money(cents: 1_000_000), author: "carl",
            role: "credit_manager", today: today)
        #expect(raised.limitBefore == Money(cents: 400_000) && raised.limit == Money(cents: 1_000_000))
        #expect(raised.authorityVersion == "approval-authorities-v2" && raised.overrideId != nil)
        let effective = try #require(try await service.decisions.decision(customerId: "C0000007", asOf: today)).effective
        #expect(effective.limit == Money(cents: 1_000_000) && effective.override?.expiresOn == Day(parsing: "2027-10-31"))
        // Stop: a limit of zero until the next review.
        let stopped = try await service.reviews.record(
            customerId: "C0000007", decision: "stop", note: "insolvency filing", limit: nil, author: "dora", role: "credit_director",
            today: today)
        #expect(stopped.limitBefore == Money(cents: 1_000_000) && stopped.limit == .zero)
        #expect(try await service.decisions.decision(customerId: "C0000007", asOf: today)?.effective.limit == .zero)
    }

    @Test(
        "a review decision is one of keep, raise, lower, stop, with a limit only where it moves the limit the right way",
        arguments: [
            ("hold", nil, "is not a review decision; use one of keep, raise, lower, stop"),
            ("keep", 500_000, "is not taken with keep"),
            ("raise", nil, "is required to raise"),
            ("raise", 300_000, "does not raise the limit in force, 4 000.00"),
            ("lower", 500_000, "does not lower the limit in force, 4 000.00"),
            ("stop", 100, "is not taken with stop"),
        ] as [(String, Int64?, String)])
    func decisionRules(decision: String, cents: Int64?, message: String) async throws {
        let service = try await service()
        let refusal = try await #require(throws: Refusal.self) {
            try await service.reviews.record(
                customerId: "C0000007", decision: decision, note: nil, limit: cents.map { Money(cents: $0) }, author: "carl",
                role: "credit_manager", today: today)
        }
        #expect(refusal.refusalKind == .invalid && refusal.description.contains(message), "\(refusal)")
        #expect(try await service.reviews.reviews(customerId: "C0000007").isEmpty)
    }

    @Test("an override expiring within 30 days is listed and alerted once; one expiring later is not")
    func expiringOverride() async throws {
        let service = try await service()
        _ = try await service.decisions.setOverride(
            customerId: "C0000007", gradeCode: nil, limit: Money(cents: 900_000), reason: "guarantee until year end", author: "carl",
            role: "credit_manager", setOn: today, expiresOn: today + 20)
        _ = try await service.decisions.setOverride(
            customerId: "C0000001", gradeCode: "4", limit: nil, reason: "parent company", author: "carl", role: "credit_manager",
            setOn: today, expiresOn: today + 31)
        let listed = try await service.reviews.expiringOverrides(asOf: today)
        #expect(listed.withinDays == 30)
        #expect(listed.overrides.map(\.customerId) == ["C0000007"])
        #expect(listed.overrides.first?.daysLeft == 20 && listed.overrides.first?.limit == Money(cents: 900_000))

        let first = try await service.reviews.raiseAlerts(asOf: today)
        #expect(first.overridesExpiring == 1)
        let second = try await service.reviews.raiseAlerts(asOf: today)
        #expect(second.overridesExpiring == 0)
        let alerts = try await service.db.read { try AlertStore().alerts($0, AlertFilter()) }.filter { $0.kind == .overrideExpiring }
        #expect(alerts.count == 1 && alerts.first?.customerId == "C0000007")
        #expect(alerts.first?.detail.contains("expires on 2026-11-20, in 20 days") == true, "\(alerts)")
        // The next day the other one comes within 30 days: alerted in its turn.
        #expect(try await service.reviews.raiseAlerts(asOf: today + 1).overridesExpiring == 1)
    }

    @Test("an override's expiry alert ends when the override is renewed, cleared, or has run out")
    func expiringOverrideAlertEnds() async throws {
        let service = try await service()
        func open() async throws -> [String] {
            try await service.db.read { try AlertStore().alerts($0, AlertFilter(status: .open)) }
                .filter { $0.kind == .overrideExpiring }.compactMap(\.customerId).sorted()
        }
        for customer in ["C0000007", "C0000001", "C0000002"] {
            _ = try await service.decisions.setOverride(
                customerId: customer, gradeCode: "4", limit: nil, reason: "parent company", author: "carl", role: "credit_manager",
                setOn: today, expiresOn: today + 10)
        }
        try await service.reviews.raiseAlerts(asOf: today)
        #expect(try await open() == ["C0000001", "C0000002", "C0000007"])
        // Renewed for a year: no longer expiring.
        _ = try await service.decisions.setOverride(
            customerId: "C0000007", gradeCode: "4", limit: nil, reason: "renewed after review", author: "carl", role: "credit_manager",
            setOn: today + 2, expiresOn: today + 365)
        #expect(try await service.decisions.clearOverride(customerId: "C0000001"))
        #expect(try await open() == ["C0000002"])
        // The last one expires after its last day (today + 10): its alert ends the day after.
        try await service.reviews.raiseAlerts(asOf: today + 10)
        #expect(try await open() == ["C0000002"])
        try await service.reviews.raiseAlerts(asOf: today + 11)
        #expect(try await open().isEmpty)
    }

    @Test("a review that fell due is alerted once per cycle; a new review starts a new cycle")
    func reviewDueAlerts() async throws {
        let service = try await service()
        // On 2027-01-31 the quarterly customers (grades 8, 9, 10, D) are due: 15 + 5 + 6 + 9 in the demo under model v2.
        let quarter = Day(parsing: "2027-01-31")!
        #expect(try await service.reviews.raiseAlerts(asOf: quarter - 1).reviewsDue == 0)
        #expect(try await service.reviews.raiseAlerts(asOf: quarter).reviewsDue == 35)
        #expect(try await service.reviews.raiseAlerts(asOf: quarter + 1).reviewsDue == 0)
        let alerts = try await service.db.read { try AlertStore().alerts($0, AlertFilter()) }.filter { $0.kind == .reviewDue }
        let c9 = try #require(alerts.first { $0.customerId == "C0000009" })
        #expect(c9.detail == "review due on 2027-01-31 (grade 8, high risk class, first review)")
        // Reviewed, C0000009 is due again three months later and alerted then, once.
        _ = try await service.reviews.record(
            customerId: "C0000009", decision: "keep", note: nil, limit: nil, author: "carl", role: "credit_manager", today: quarter)
        func c9Alerts() async throws -> Int {
            try await service.db.read { try AlertStore().alerts($0, AlertFilter()) }
                .filter { $0.kind == .reviewDue && $0.customerId == "C0000009" }.count
        }
        _ = try await service.reviews.raiseAlerts(asOf: Day(parsing: "2027-04-29")!)
        #expect(try await c9Alerts() == 1)
        _ = try await service.reviews.raiseAlerts(asOf: Day(parsing: "2027-04-30")!)  // 2027-01-31 + 3 months
        #expect(try await c9Alerts() == 2)
        _ = try await service.reviews.raiseAlerts(asOf: Day(parsing: "2027-05-01")!)
        #expect(try await c9Alerts() == 2)
    }
}
