import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("Broken promises in scoring and alerts")
struct BrokenPromiseTests {
    /// The demo customer with the largest open, undisputed balance on one invoice at the export date.
    static func openInvoice(_ db: DatabaseQueue) throws -> (invoice: String, customer: String) {
        try Repository.largestOpenUndisputedInvoice(db)
    }

    @Test("a promise not kept by the promised day plus grace counts against the customer and raises one alert")
    func brokenPromiseCounts() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let service = ScoringService(database: db, model: model, now: fixedNow)
        let exportDay = try #require(Day(parsing: "2026-10-31"))
        let (invoice, customer) = try Self.openInvoice(db)
        _ = try await service.scoreAndStore(asOf: exportDay, customerId: customer)
        _ = try await FeedbackEvents(database: db, model: model, now: fixedNow).promise(
            invoiceId: invoice, payBy: exportDay + 5, amount: nil, author: "test", today: exportDay)

        // Promised for 11-05, grace 3 days: the deadline is 11-08. Nothing paid.
        let onDeadline = try #require(try service.assess(customerId: customer, asOf: exportDay + 8))
        #expect(onDeadline.paymentProfile.brokenPromises == 0)
        let after = try #require(try service.assess(customerId: customer, asOf: exportDay + 9))
        #expect(after.paymentProfile.brokenPromises == 1)
        #expect(after.paymentProfile.brokenPromiseDetails.first?.invoiceId == invoice)
        #expect(after.reasons.contains { $0.text.contains("1 payment promise(s) broken") })
        #expect(after.pd > onDeadline.pd)

        _ = try await service.scoreAndStore(asOf: exportDay + 9, customerId: customer)
        _ = try await service.scoreAndStore(asOf: exportDay + 10, customerId: customer)
        let alerts = try await db.read { try AlertStore().alerts($0, AlertFilter()) }
            .filter { $0.customerId == customer && $0.kind == .brokenPromise }
        #expect(alerts.count == 1, "one alert on the run that saw it break, none on the next")
        #expect(alerts.first?.detail.contains(invoice) == true)
    }

    @Test("paying the balance within the grace keeps the promise: nothing is counted")
    func keptPromise() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let exportDay = try #require(Day(parsing: "2026-10-31"))
        let (invoice, customer) = try Self.openInvoice(db)
        let events = FeedbackEvents(database: db, model: model, now: fixedNow)
        _ = try await events.promise(invoiceId: invoice, payBy: exportDay + 5, amount: nil, author: "test", today: exportDay)
        let open = try #require(
            try await db.read { try Int64.fetchOne($0, sql: "SELECT open_cents FROM invoice WHERE id = ?", arguments: [invoice]) })
        _ = try await events.payment(
            Payment(id: "PAY-KEPT", invoiceId: invoice, paidOn: exportDay + 7, amount: Money(cents: open)), today: exportDay + 7)
        let later = try #require(try ScoringService(database: db, model: model).assess(customerId: customer, asOf: exportDay + 20))
        #expect(later.paymentProfile.brokenPromises == 0)
    }
}
