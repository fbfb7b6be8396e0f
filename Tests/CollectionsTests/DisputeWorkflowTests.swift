import CreditCore
import Foundation
import Testing

/// Disputes handed to an owner with a deadline by kind (model file: price 3 days, quality 7).
@Suite("Disputes as a workflow")
struct DisputeWorkflowTests {
    static let model = CollectionsTests.model
    static func day(_ text: String) -> Day { Day(parsing: text)! }

    @Test("a dispute past its deadline alerts its owner, naming the invoice, kind and deadline")
    func overdueAlert() throws {
        let deadlines = Self.model.disputeDeadlines
        let dispute = Dispute(invoiceId: "F-1", kind: "price", openedOn: Self.day("2026-06-01"), owner: "marie")
        // Price: 3 days, so the deadline is 4 June; the deadline day itself is still in time.
        #expect(deadlines.deadline(for: dispute) == Self.day("2026-06-04"))
        #expect(deadlines.overdueAlert(for: dispute, asOf: Self.day("2026-06-04")) == nil)
        let alert = try #require(deadlines.overdueAlert(for: dispute, asOf: Self.day("2026-06-06")))
        #expect(alert.kind == .disputeOverdue)
        for part in ["F-1", "price", "owner marie", "2026-06-04", "2 days overdue"] {
            #expect(alert.detail.contains(part), "\(alert.detail) names \(part)")
        }
        var resolved = dispute
        resolved.resolvedOn = Self.day("2026-06-05")
        #expect(deadlines.overdueAlert(for: resolved, asOf: Self.day("2026-06-06")) == nil)
    }

    @Test("the dispute list shows owner, disputed part and last comment, and filters by owner and overdue")
    func listFilters() {
        let deadlines = Self.model.disputeDeadlines
        let comment = DisputeEntry.Comment(note: "credit note requested", author: "paul", day: Self.day("2026-06-28"))
        let cases = [
            // price, 3 days: deadline 23 June, 7 days overdue on 30 June
            OpenDisputeCase(
                dispute: Dispute(invoiceId: "P", kind: "price", openedOn: Self.day("2026-06-20"), amount: Money(cents: 40_000), owner: "Marie"),
                customerId: "C1", openAmount: Money(cents: 100_000), lastComment: comment),
            // quality, 7 days: deadline 5 July, 5 days left
            OpenDisputeCase(
                dispute: Dispute(invoiceId: "Q", kind: "quality", openedOn: Self.day("2026-06-28"), owner: "marie"),
                customerId: "C2", openAmount: Money(cents: 5_000)),
            // nobody's yet; price, opened 1 June: 26 days overdue
            OpenDisputeCase(
                dispute: Dispute(invoiceId: "R", kind: "price", openedOn: Self.day("2026-06-01")), customerId: "C3",
                openAmount: Money(cents: 7_000)),
        ]
        let asOf = Self.day("2026-06-30")
        let all = deadlines.worklist(cases, asOf: asOf)
        #expect(all.map(\.invoiceId) == ["R", "P", "Q"])
        #expect(all.map(\.daysOverdue) == [26, 7, -5])
        let p = all[1]
        #expect(p.owner == "Marie")
        #expect(p.disputedAmount == Money(cents: 40_000))
        #expect(p.openAmount == Money(cents: 100_000))
        #expect(p.lastComment == comment)
        #expect(all[2].disputedAmount == Money(cents: 5_000))  // no part named: the whole open balance
        #expect(deadlines.worklist(cases, asOf: asOf, owner: "marie").map(\.invoiceId) == ["P", "Q"])
        #expect(deadlines.worklist(cases, asOf: asOf, overdueOnly: true).map(\.invoiceId) == ["R", "P"])
        #expect(deadlines.worklist(cases, asOf: asOf, owner: "MARIE", overdueOnly: true).map(\.invoiceId) == ["P"])
    }

    @Test("dispute kinds and outcomes are closed lists: prix and refunded are none of them")
    func closedLists() {
        #expect(DisputeKind(parsing: "prix") == nil)
        #expect(DisputeKind(parsing: "Invoicing error") == .invoicingError)
        #expect(DisputeOutcome(parsing: "Credit note") == .creditNote)
        #expect(DisputeOutcome(parsing: "corrected-invoice") == .correctedInvoice)
        #expect(DisputeOutcome(parsing: "refunded") == nil)
        #expect(DisputeOutcome.listed == "credit_note, corrected_invoice, rejected")
    }
}
