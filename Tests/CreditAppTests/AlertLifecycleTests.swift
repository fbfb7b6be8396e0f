import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// Alerts people can work: one per condition while it lasts, closed when it ends, acknowledged
/// by someone; stale data said plainly.
@Suite("Alert lifecycle")
struct AlertLifecycleTests {
    static let day = Day(parsing: "2026-10-31")!

    func scored() async throws -> (DatabaseQueue, ScoringService, AlertDesk) {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        // The clock stands after the latest day the tests score as of (Self.day + 41).
        let scoring = ScoringService(database: db, model: model, now: noon(of: Self.day + 60))
        _ = try await scoring.scoreAndStore(asOf: Self.day)
        return (db, scoring, AlertDesk(database: db, model: model, now: fixedNow))
    }

    @Test("a limit below exposure is alerted once however often the portfolio is scored, and closes when the customer pays")
    func raisedOnceClosedWhenItEnds() async throws {
        let (db, scoring, desk) = try await scored()
        let first = try await desk.list(AlertFilter(kind: .limitBelowExposure, status: .open))
        let alert = try #require(first.first)
        let customer = try #require(alert.customerId)
        _ = try await scoring.scoreAndStore(asOf: Self.day + 1)
        _ = try await scoring.scoreAndStore(asOf: Self.day + 2)
        let again = try await desk.list(AlertFilter(kind: .limitBelowExposure, customerId: customer))
        #expect(again.count == 1 && again.first?.status == .open)
        // Across the portfolio, no customer has two alerts of the kind that are not closed.
        let unclosed = try await desk.list(AlertFilter(kind: .limitBelowExposure)).filter { $0.status != .closed }
        #expect(Set(unclosed.compactMap(\.customerId)).count == unclosed.count)
        // The customer pays everything it owes: its exposure falls to nothing, the condition ends.
        let open = try await db.read {
            try Row.fetchAll($0, sql: "SELECT id, open_cents FROM invoice WHERE customer_id = ? AND open_cents > 0", arguments: [customer])
        }
        let events = FeedbackEvents(database: db, model: try Repository.model(), now: fixedNow)
        for (index, row) in open.enumerated() {
            _ = try await events.payment(
                Payment(id: "PAY-ALL-\(index)", invoiceId: row["id"], paidOn: Self.day + 3, amount: Money(cents: row["open_cents"])),
                today: Self.day + 3)
        }
        let closed = try #require(try await desk.list(AlertFilter(kind: .limitBelowExposure, customerId: customer)).first)
        #expect(closed.id == alert.id && closed.status == .closed && closed.closedOn == Self.day + 3)
    }

    @Test("scoring a ledger whose latest entry is 40 days old raises one stale-data alert and says so on downgrades; fresh data closes it")
    func staleData() async throws {
        let (_, scoring, desk) = try await scored()
        _ = try await scoring.scoreAndStore(asOf: Self.day + 40)
        _ = try await scoring.scoreAndStore(asOf: Self.day + 41)
        let stale = try await desk.list(AlertFilter(kind: .dataFreshness))
        #expect(stale.count == 1)
        let alert = try #require(stale.first)
        #expect(alert.customerId == nil && alert.status == .open && alert.detail.contains("2026-10-31, 40 days before 2026-12-10"))
        let downgrades = try await desk.list(AlertFilter(since: Self.day + 40, kind: .downgrade))
        #expect(!downgrades.isEmpty, "the calendar alone downgrades some customers")
        #expect(downgrades.allSatisfy { $0.detail.contains("the calendar alone may explain it") })
        // Scored again as of a day within a week of the ledger's latest entry: the data is fresh.
        _ = try await scoring.scoreAndStore(asOf: Self.day + 7)
        #expect(try await desk.list(AlertFilter(kind: .dataFreshness)).first?.status == .closed)
    }

    @Test("an acknowledged alert keeps who saw it and their note; an unknown alert is not found")
    func acknowledge() async throws {
        let (_, _, desk) = try await scored()
        let alert = try #require(try await desk.list(AlertFilter(status: .open, limit: 1)).first)
        let seen = try await desk.acknowledge(id: try #require(alert.id), author: "claire", note: "called the customer")
        #expect(seen.status == .acknowledged && seen.acknowledgement?.by == "claire" && seen.acknowledgement?.note == "called the customer")
        #expect(try await desk.list(AlertFilter(status: .acknowledged)).map(\.id) == [alert.id])
        await #expect(throws: Refusal.self) { try await desk.acknowledge(id: 999_999, author: "claire", note: nil) }
        await #expect(throws: Refusal.self) { try await desk.acknowledge(id: try #require(alert.id), author: " ", note: nil) }
    }
}
