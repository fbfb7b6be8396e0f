import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// Limits set by people under approval authority (Models/approval-authorities-v2.json): a credit
/// manager up to max(2 × the suggested limit, 10 000.00), a credit director without a ceiling;
/// beyond one's authority, a limit request approved by someone else.
@Suite("Limit requests and approval authority")
struct LimitAuthorityTests {
    /// C0000007 (grade 4 under model v2 on 2026-10-31): suggested 4 000.00, so a credit manager
    /// may set at most max(2 × 4 000.00, 10 000.00) = 10 000.00.
    let id = "C0000007"
    let today = Day(parsing: "2026-10-31")!

    struct Service {
        var decisions: CreditDecisions
        var requests: LimitRequests
        var db: DatabaseQueue
    }

    func service() throws -> Service {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let resources = RequestResources(database: db, model: model, now: fixedNow, policies: try Repository.policies(for: model))
        return Service(decisions: CreditDecisions(resources: resources), requests: LimitRequests(resources: resources), db: db)
    }

    @Test("an override beyond the credit manager's authority is refused, says a credit director may approve it, and stores nothing")
    func overrideBeyondAuthority() async throws {
        let service = try service()
        let refusal = try await #require(throws: Refusal.self) {
            try await service.decisions.setOverride(
                customerId: id, gradeCode: nil, limit: Money(cents: 500_000_000), reason: "CEO friend", author: "carl", role: "credit_manager",
                setOn: today, expiresOn: Day(parsing: "2030-12-31")!)
        }
        #expect(refusal.refusalKind == .forbidden)
        #expect(refusal.code == "beyond-authority")
        #expect(refusal.description.contains("a limit of 5 000 000.00 is beyond the authority of the credit_manager role"), "\(refusal)")
        // The ceiling: max(2 × 4 000.00, 10 000.00).
        #expect(refusal.description.contains("10 000.00 here"), "\(refusal)")
        #expect(refusal.description.contains("credit_director may approve it: send a limit request"), "\(refusal)")
        #expect(try await service.db.read { try OverrideStore().history($0, customerId: id) }.isEmpty)
        // At the ceiling itself the credit manager decides alone.
        _ = try await service.decisions.setOverride(
            customerId: id, gradeCode: nil, limit: Money(cents: 1_000_000), reason: "guarantee", author: "carl", role: "credit_manager",
            setOn: today, expiresOn: today + 90)
        let stored = try #require(try await service.db.read { try OverrideStore().current($0, customerId: id) })
        #expect(stored.authorityVersion == "approval-authorities-v2")
    }

    @Test("a credit director may approve a limit beyond the credit manager's authority; it becomes the override until its expiry")
    func directorApproves() async throws {
        let service = try service()
        let expiry = Day(parsing: "2027-06-30")!
        let asked = try await service.requests.request(
            customerId: id, limit: Money(cents: 5_000_000), reason: "framework contract signed", expiresOn: expiry, requester: "sam",
            today: today)
        #expect(asked.request.status == .pending)
        #expect(asked.request.suggestedLimit == Money(cents: 400_000))
        #expect(asked.approvableBy == ["credit_director"])
        let manager = try await #require(throws: Refusal.self) {
            try await service.requests.approve(id: asked.request.id, reason: "ok", approver: "carl", role: "credit_manager", today: today)
        }
        #expect(manager.refusalKind == .forbidden && manager.description.contains("credit_director may approve it"), "\(manager)")

        let approved = try await service.requests.approve(
            id: asked.request.id, reason: "group guarantee checked", approver: "dora", role: "credit_director", today: today)
        #expect(approved.request.status == .approved)
        let decision = try #require(approved.request.decision)
        #expect(decision.by == "dora" && decision.role == "credit_director" && decision.authorityVersion == "approval-authorities-v2")
        let effective = try #require(try await service.decisions.decision(customerId: id, asOf: today)).effective
        #expect(effective.limit == Money(cents: 5_000_000))
        #expect(effective.override?.expiresOn == expiry && effective.override?.author == "dora")
        let stored = try #require(try await service.db.read { try OverrideStore().current($0, customerId: id) })
        #expect(stored.id == decision.overrideId && stored.limitRequestId == asked.request.id)
        // The day after its expiry the suggestion is back.
        let after = try #require(try await service.decisions.decision(customerId: id, asOf: expiry + 1)).effective
        #expect(after.overrideStatus == .expired && after.limit == after.suggestedLimit)
    }

    @Test("a requester cannot approve their own request, even within their authority")
    func ownRequest() async throws {
        let service = try service()
        let asked = try await service.requests.request(
            customerId: id, limit: Money(cents: 800_000), reason: "seasonal peak", expiresOn: today + 60, requester: "carl", today: today)
        let refusal = try await #require(throws: Refusal.self) {
            try await service.requests.approve(id: asked.request.id, reason: "fine", approver: "carl", role: "credit_manager", today: today)
        }
        #expect(refusal.refusalKind == .forbidden && refusal.code == "own-request")
        #expect(refusal.description.contains("someone else"), "\(refusal)")
        #expect(try await service.requests.list(status: "pending", customerId: id, limit: 10).total == 1)
        // Another credit manager may: 8 000.00 is within max(2 × 4 000.00, 10 000.00).
        let approved = try await service.requests.approve(
            id: asked.request.id, reason: "fine", approver: "cathy", role: "credit_manager", today: today)
        #expect(approved.request.status == .approved)
    }

    @Test("a rejected request changes nothing but the request, and is decided once")
    func rejected() async throws {
        let service = try service()
        let before = try #require(try await service.decisions.decision(customerId: id, asOf: today)).effective
        let asked = try await service.requests.request(
            customerId: id, limit: Money(cents: 900_000), reason: "new site", expiresOn: today + 60, requester: "sam", today: today)
        let rejected = try await service.requests.reject(
            id: asked.request.id, reason: "pays late already", decider: "carl", role: "credit_manager", today: today)
        #expect(rejected.request.status == .rejected)
        #expect(rejected.request.decision?.reason == "pays late already" && rejected.request.decision?.overrideId == nil)
        let after = try #require(try await service.decisions.decision(customerId: id, asOf: today)).effective
        #expect(after == before)
        #expect(try await service.db.read { try OverrideStore().history($0, customerId: id) }.isEmpty)
        let again = try await #require(throws: Refusal.self) {
            try await service.requests.approve(id: asked.request.id, reason: "after all", approver: "dora", role: "credit_director", today: today)
        }
        #expect(again.refusalKind == .conflict)
        #expect(again.description.contains("was already rejected on 2026-10-31 by carl"), "\(again)")
    }

    @Test("a customer has one request pending at a time; an unknown customer, a past expiry or a blank reason is refused")
    func requestRules() async throws {
        let service = try service()
        _ = try await service.requests.request(
            customerId: id, limit: Money(cents: 900_000), reason: "new site", expiresOn: today + 60, requester: "sam", today: today)
        let second = try await #require(throws: Refusal.self) {
            try await service.requests.request(
                customerId: id, limit: Money(cents: 950_000), reason: "more", expiresOn: today + 60, requester: "sue", today: today)
        }
        #expect(second.refusalKind == .conflict && second.description.contains("already has limit request 1 pending"), "\(second)")
        for (customer, reason, expiry, kind) in [
            ("C9999999", "r", today + 10, RefusalKind.notFound), ("C0000001", " ", today + 10, .invalid), ("C0000001", "r", today, .invalid),
        ] {
            let refusal = try await #require(throws: Refusal.self) {
                try await service.requests.request(
                    customerId: customer, limit: Money(cents: 100_000), reason: reason, expiresOn: expiry, requester: "sam", today: today)
            }
            #expect(refusal.refusalKind == kind, "\(customer) \(reason) \(expiry): \(refusal)")
        }
        #expect(try await service.requests.list(status: nil, customerId: nil, limit: 100).total == 1)
        await #expect(throws: Refusal.self) { try await service.requests.list(status: "waiting", customerId: nil, limit: 100) }
    }

    @Test("the request, its approval and the override it became show on the customer's timeline")
    func timeline() async throws {
        let service = try service()
        let asked = try await service.requests.request(
            customerId: id, limit: Money(cents: 5_000_000), reason: "framework contract signed", expiresOn: today + 200, requester: "sam",
            today: today)
        _ = try await service.requests.approve(id: asked.request.id, reason: "guarantee", approver: "dora", role: "credit_director", today: today)
        let activities = CollectionsActivities(database: service.db, model: try Repository.model(), now: fixedNow)
        let events = try await activities.timeline(customerId: id, today: today, limit: 5, cursor: nil).events
        // Same day: the override set by the approval, then the approval, then the request.
        #expect(Array(events.prefix(3).map(\.kind)) == [.overrideSet, .limitRequestApproved, .limitRequested])
        #expect(events[1].author == "dora" && events[1].note == "guarantee")
        #expect(events[1].summary.contains("approved by dora (credit_director, approval-authorities-v2)"), "\(events[1].summary)")
        #expect(events[2].author == "sam" && events[2].note == "framework contract signed")
    }

    @Test("without the authorities file a limit is refused as unavailable, never let through unchecked")
    func withoutPolicies() async throws {
        let db = try Repository.demoDatabase()
        let decisions = CreditDecisions(database: db, model: try Repository.model(), now: fixedNow)
        let refusal = try await #require(throws: Refusal.self) {
            try await decisions.setOverride(
                customerId: id, gradeCode: nil, limit: Money(cents: 100_000), reason: "r", author: "carl", role: "credit_manager", setOn: today,
                expiresOn: today + 10)
        }
        #expect(refusal.refusalKind == .unavailable && refusal.code == "policies-unavailable")
    }
}
