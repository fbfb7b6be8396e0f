import CreditCore
import Testing

/// Dispute indicators by reason and by owner, computed by hand. Resolution times are over the
/// disputes resolved in the dashboard's trailing year.
@Suite("Dispute indicators")
struct DisputeIndicatorsTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }
    static let asOf = day("2026-03-31")

    static func invoice(_ id: String, _ units: Int64) -> Invoice {
        Invoice(id: id, customerId: "C1", issueDate: day("2026-01-01"), dueDate: day("2026-01-31"), amount: euros(units), currency: "EUR")
    }

    /// Open on 31 March: A (price, marie, 400 of 1 000), B (price, no owner, whole 2 000),
    /// C (quality, marie, whole 3 000 less 1 000 paid = 2 000). Resolved in the window:
    /// D (price, marie, 10 days), E (quality, paul, 30 days), F (quality, marie, 5 days).
    /// G (price, paul) was resolved before the window; H opens after asOf.
    static func indicators() -> DisputeIndicators {
        let invoices = [
            invoice("A", 1_000), invoice("B", 2_000), invoice("C", 3_000), invoice("D", 500), invoice("E", 600), invoice("F", 700),
            invoice("G", 800), invoice("H", 900),
        ]
        let payments = [Payment(id: "P1", invoiceId: "C", paidOn: day("2026-02-15"), amount: euros(1_000))]
        let disputes = [
            Dispute(invoiceId: "A", kind: "price", openedOn: day("2026-03-01"), amount: euros(400), owner: "marie"),
            Dispute(invoiceId: "B", kind: "price", openedOn: day("2026-03-10")),
            Dispute(invoiceId: "C", kind: "quality", openedOn: day("2026-02-01"), owner: "marie"),
            Dispute(invoiceId: "D", kind: "price", openedOn: day("2026-02-01"), resolvedOn: day("2026-02-11"), owner: "marie", outcome: .creditNote),
            Dispute(invoiceId: "E", kind: "quality", openedOn: day("2026-01-01"), resolvedOn: day("2026-01-31"), owner: "paul", outcome: .rejected),
            Dispute(invoiceId: "F", kind: "quality", openedOn: day("2026-03-20"), resolvedOn: day("2026-03-25"), owner: "marie"),
            Dispute(invoiceId: "G", kind: "price", openedOn: day("2025-01-02"), resolvedOn: day("2025-01-20"), owner: "paul"),
            Dispute(invoiceId: "H", kind: "delivery", openedOn: day("2026-04-02"), owner: "paul"),
        ]
        return PortfolioKPIs(
            asOf: asOf, customers: 1, invoices: invoices, payments: payments, disputes: disputes, grades: [], gradeOrder: ["D"]
        ).disputes
    }

    @Test("in total: open count, open and disputed amounts, resolved count, mean and longest days")
    func totals() {
        let d = Self.indicators()
        #expect(d.open == 3)  // A, B, C
        #expect(d.openAmount == Self.euros(5_000))  // 1 000 + 2 000 + 2 000
        #expect(d.disputedAmount == Self.euros(4_400))  // 400 + 2 000 + 2 000
        #expect(d.resolvedInWindow == 3)  // D, E, F
        #expect(d.meanResolutionDays == 15)  // (10 + 30 + 5) / 3
        #expect(d.longestResolutionDays == 30)  // E
    }

    @Test("by reason: each kind's open count, disputed amount and resolution days")
    func byReason() {
        let d = Self.indicators()
        #expect(d.byKind.map(\.kind) == ["price", "quality"])
        let price = d.byKind[0]
        #expect(price.open == 2)
        #expect(price.disputedAmount == Self.euros(2_400))  // A 400 + B 2 000
        #expect(price.resolvedInWindow == 1)  // D; G is before the window
        #expect(price.meanResolutionDays == 10)
        #expect(price.longestResolutionDays == 10)
        let quality = d.byKind[1]
        #expect(quality.open == 1)
        #expect(quality.disputedAmount == Self.euros(2_000))  // C: 3 000 − 1 000 paid
        #expect(quality.resolvedInWindow == 2)  // E 30, F 5
        #expect(quality.meanResolutionDays == 17.5)  // (30 + 5) / 2
        #expect(quality.longestResolutionDays == 30)
    }

    @Test("by owner: each owner's figures, disputes without an owner last")
    func byOwner() {
        let d = Self.indicators()
        #expect(d.byOwner.map(\.owner) == ["marie", "paul", nil])
        let marie = d.byOwner[0]
        #expect(marie.open == 2)  // A, C
        #expect(marie.disputedAmount == Self.euros(2_400))  // 400 + 2 000
        #expect(marie.resolvedInWindow == 2)  // D 10, F 5
        #expect(marie.meanResolutionDays == 7.5)
        #expect(marie.longestResolutionDays == 10)
        let paul = d.byOwner[1]
        #expect(paul.open == 0)
        #expect(paul.resolvedInWindow == 1)  // E 30; G before the window, H not opened yet
        #expect(paul.longestResolutionDays == 30)
        let nobody = d.byOwner[2]
        #expect(nobody.open == 1)  // B
        #expect(nobody.disputedAmount == Self.euros(2_000))
        #expect(nobody.meanResolutionDays == nil)
    }
}
