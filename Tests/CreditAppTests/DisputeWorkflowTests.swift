import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The dispute workflow through the use cases, on the demo ledger: each step kept with its
/// author, deadlines alerted once, unknown kinds and oversized parts refused.
@Suite("Dispute workflow")
struct DisputeWorkflowTests {
    static let exportDay = Day(year: 2026, month: 10, day: 31)!

    static func workflow(_ db: DatabaseQueue) throws -> DisputeWorkflow {
        DisputeWorkflow(database: db, model: try Repository.model(), now: fixedNow)
    }

    /// The demo's largest open, undisputed invoice issued ten days or more before the export day,
    /// so that a dispute can be dated back to then.
    static func openInvoice(_ db: DatabaseQueue) throws -> (invoice: String, customer: String) {
        try Repository.largestOpenUndisputedInvoice(db, issuedBy: exportDay - 10)
    }

    static func openBalance(_ db: DatabaseQueue, _ invoice: String) throws -> Money {
        try db.read { try #require(try Money.fetchOne($0, sql: "SELECT open_cents FROM invoice WHERE id = ?", arguments: [invoice])) }
    }

    @Test("a credit note owes nothing to dispute: refused, and the portfolio's disputed amount never goes negative")
    func creditNoteNotDisputed() async throws {
        let db = try Repository.demoDatabase()
        let disputes = try Self.workflow(db)
        // F0000045-036 is C0000045's credit note of −27 549.00.
        let refusal = try await #require(throws: Refusal.self) {
            try await disputes.open(invoiceId: "F0000045-036", kind: "price", author: "collector", on: Self.exportDay, today: Self.exportDay)
        }
        #expect(refusal.field == "invoiceId" && refusal.description.contains("credit note"), "\(refusal)")
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispute WHERE invoice_id = 'F0000045-036'") } == 0)
    }

    @Test("a refund beyond what was paid on an invoice is refused as such, not as more than what is open")
    func refundBeyondWhatWasPaid() async throws {
        let db = try Repository.demoDatabase()
        let events = FeedbackEvents(database: db, model: try Repository.model(), now: fixedNow)
        let (invoice, _) = try Self.openInvoice(db)
        let refusal = try await #require(throws: Refusal.self) {
            try await events.payment(
                Payment(id: "REFUND-1", invoiceId: invoice, paidOn: Self.exportDay, amount: Money(cents: -10_000_000_000)), today: Self.exportDay)
        }
        #expect(refusal.description.contains("a refund of 100 000 000.00 is more than"), "\(refusal)")
        #expect(refusal.description.contains("paid so far"), "\(refusal)")
    }

    @Test("a dispute past its deadline alerts its owner, once")
    func deadlineAlertOnce() async throws {
        let db = try Repository.demoDatabase()
        let disputes = try Self.workflow(db)
        let (invoice, customer) = try Self.openInvoice(db)
        // The demo's own open disputes are alerted first, so that only ours is left to count.
        _ = try await disputes.raiseDisputeDeadlineAlerts(asOf: Self.exportDay)
        // A price dispute has 3 days (model file): opened 10 days ago, it is 7 days overdue.
        _ = try await disputes.open(
            invoiceId: invoice, kind: "price", owner: "marie", author: "collector", on: Self.exportDay - 10, today: Self.exportDay)
        #expect(try await disputes.raiseDisputeDeadlineAlerts(asOf: Self.exportDay - 8) == 0)  // 2 days after opening: in time
        #expect(try await disputes.raiseDisputeDeadlineAlerts(asOf: Self.exportDay) == 1)
        #expect(try await disputes.raiseDisputeDeadlineAlerts(asOf: Self.exportDay) == 0)  // never twice
        #expect(try await disputes.raiseDisputeDeadlineAlerts(asOf: Self.exportDay + 1) == 0)
        let alerts = try await db.read { try AlertStore().alerts($0, AlertFilter()) }.filter {
            $0.customerId == customer && $0.kind == .disputeOverdue
        }
        #expect(alerts.count == 1)
        let detail = try #require(alerts.first?.detail)
        #expect(detail.contains(invoice) && detail.contains("owner marie") && detail.contains("price") && detail.contains("7 days overdue"))
        // The overdue list is the owner's to-do.
        let overdue = try await disputes.list(asOf: Self.exportDay, owner: "marie", overdueOnly: true)
        #expect(overdue.map(\.invoiceId) == [invoice])
    }

    @Test("every step of a dispute is kept with its author, and the resolution with its outcome")
    func history() async throws {
        let db = try Repository.demoDatabase()
        let disputes = try Self.workflow(db)
        let (invoice, customer) = try Self.openInvoice(db)
        let day = Self.exportDay
        let opened = try await disputes.open(
            invoiceId: invoice, kind: "Invoicing error", amount: Money(cents: 10_000), note: "wrong VAT rate", author: "anne", on: day - 3,
            today: day)
        #expect(opened.outcome == "opened")
        #expect(try await disputes.assign(invoiceId: invoice, owner: "marie", author: "anne", on: day - 2, today: day).outcome == "assigned")
        #expect(
            try await disputes.comment(invoiceId: invoice, note: "corrected invoice on its way", author: "marie", on: day - 1, today: day)
                .outcome == "commented")
        let listed = try #require(try await disputes.list(asOf: day).first { $0.invoiceId == invoice })
        #expect(listed.kind == "invoicing_error")
        #expect(listed.owner == "marie")
        #expect(listed.disputedAmount == Money(cents: 10_000))
        #expect(listed.lastComment?.note == "corrected invoice on its way")
        #expect(listed.lastComment?.author == "marie")
        #expect(
            try await disputes.resolve(invoiceId: invoice, outcome: "corrected invoice", author: "marie", on: day, today: day).outcome
                == "resolved")

        let steps = try await disputes.events(customerId: customer).filter { $0.invoiceId == invoice }
        #expect(steps.map(\.action) == [.opened, .assigned, .commented, .resolved])
        #expect(steps.map(\.author) == ["anne", "anne", "marie", "marie"])
        #expect(steps.map(\.day) == [day - 3, day - 2, day - 1, day])
        #expect(steps[0].note == "wrong VAT rate")
        #expect(steps[3].note == "outcome corrected_invoice")
        let stored = try db.read {
            try Row.fetchOne(
                $0, sql: "SELECT owner, amount_cents, outcome, resolved_on FROM dispute WHERE invoice_id = ? AND opened_on = ?",
                arguments: [invoice, day - 3])
        }
        let row = try #require(stored)
        #expect(row["owner"] as String? == "marie")
        #expect(row["amount_cents"] as Int64? == 10_000)
        #expect(row["outcome"] as String? == "corrected_invoice")
        #expect(try await db.read { try DisputeStore().disputeEvents($0, customerId: customer) }.count == steps.count)
    }

    @Test("an unknown kind (prix) is refused with the list of kinds, and nothing is stored")
    func unknownKind() async throws {
        let db = try Repository.demoDatabase()
        let (invoice, _) = try Self.openInvoice(db)
        let before = try HostileInputTests.snapshot(db)
        do {
            _ = try await Self.workflow(db).open(invoiceId: invoice, kind: "prix", author: "anne", on: Self.exportDay, today: Self.exportDay)
            Issue.record("prix must be refused")
        } catch let refusal as Refusal {
            #expect(refusal.field == "kind")
            #expect(refusal.description.contains(DisputeKind.listed))
        }
        #expect(try HostileInputTests.snapshot(db) == before)
    }

    @Test("a disputed part above the open balance, an unknown outcome, or a step on no open dispute is refused")
    func refusals() async throws {
        let db = try Repository.demoDatabase()
        let disputes = try Self.workflow(db)
        let (invoice, _) = try Self.openInvoice(db)
        let open = try Self.openBalance(db, invoice)
        let day = Self.exportDay
        let tooMuch = await HostileInputTests.refusal {
            _ = try await disputes.open(invoiceId: invoice, kind: "price", amount: open + Money(cents: 1), author: "a", on: day, today: day)
        }
        #expect((tooMuch as? Refusal)?.field == "amount")
        let noDispute = await HostileInputTests.refusal {
            _ = try await disputes.assign(invoiceId: invoice, owner: "marie", author: "a", on: day, today: day)
        }
        #expect((noDispute as? Refusal)?.refusalKind == .notFound)
        _ = try await disputes.open(invoiceId: invoice, kind: "price", amount: open, author: "a", on: day, today: day)
        let outcome = await HostileInputTests.refusal {
            _ = try await disputes.resolve(invoiceId: invoice, outcome: "refunded", author: "a", on: day, today: day)
        }
        #expect((outcome as? Refusal)?.field == "outcome")
        #expect((outcome as? Refusal)?.description.contains(DisputeOutcome.listed) == true)
        let blank = await HostileInputTests.refusal {
            _ = try await disputes.comment(invoiceId: invoice, note: "  ", author: "a", on: day, today: day)
        }
        #expect((blank as? Refusal)?.field == "note")
    }
}
