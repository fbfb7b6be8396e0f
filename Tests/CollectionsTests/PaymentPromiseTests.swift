import CreditCore
import Testing

private func day(_ text: String) -> Day { Day(parsing: text)! }

@Suite("Payment promises")
struct PaymentPromiseTests {
    // Invoice of 1 000.00, 200.00 paid before any promise: 800.00 open.
    static let invoice = Invoice(
        id: "F1", customerId: "C1", issueDate: day("2026-04-01"), dueDate: day("2026-05-01"), amount: Money(cents: 100_000),
        currency: "EUR")
    static let early = Payment(id: "P0", invoiceId: "F1", paidOn: day("2026-05-10"), amount: Money(cents: 20_000))

    func judge(_ promises: [PaymentPromise], payments: [Payment], asOf: String) -> [PaymentPromise.Status] {
        PaymentPromise.judge(promises, invoices: [Self.invoice], payments: [Self.early] + payments, asOf: day(asOf), graceDays: 3)
            .map(\.status)
    }

    let promise = PaymentPromise(invoiceId: "F1", promisedOn: day("2026-06-01"), payBy: day("2026-06-10"))

    @Test("a promise is pending until the promised day plus grace, then broken if the balance did not come")
    func brokenAfterGrace() {
        // Deadline 2026-06-13 (10 + 3 days of grace).
        #expect(judge([promise], payments: [], asOf: "2026-06-13") == [.pending])
        #expect(judge([promise], payments: [], asOf: "2026-06-14") == [.broken])
        // Half of the 800.00 open is not the promise kept.
        let half = Payment(id: "P1", invoiceId: "F1", paidOn: day("2026-06-09"), amount: Money(cents: 40_000))
        let judged = PaymentPromise.judge(
            [promise], invoices: [Self.invoice], payments: [Self.early, half], asOf: day("2026-06-20"), graceDays: 3)
        #expect(judged.first?.broken?.promised == Money(cents: 80_000))
        #expect(judged.first?.broken?.paid == Money(cents: 40_000))
    }

    @Test("paying the balance within the grace keeps the promise; paying after the deadline does not")
    func keptWithinGrace() {
        let inGrace = Payment(id: "P1", invoiceId: "F1", paidOn: day("2026-06-13"), amount: Money(cents: 80_000))
        #expect(judge([promise], payments: [inGrace], asOf: "2026-07-01") == [.kept])
        let late = Payment(id: "P1", invoiceId: "F1", paidOn: day("2026-06-14"), amount: Money(cents: 80_000))
        #expect(judge([promise], payments: [late], asOf: "2026-07-01") == [.broken])
    }

    @Test("a promise of part of the balance is kept by paying that part")
    func partialPromise() {
        var part = promise
        part.amount = Money(cents: 30_000)
        let paid = Payment(id: "P1", invoiceId: "F1", paidOn: day("2026-06-05"), amount: Money(cents: 30_000))
        #expect(judge([part], payments: [paid], asOf: "2026-07-01") == [.kept])
    }

    @Test("a new promise taken before the first one's deadline supersedes it; one taken after does not")
    func superseded() {
        let renewed = PaymentPromise(invoiceId: "F1", promisedOn: day("2026-06-12"), payBy: day("2026-06-30"))
        #expect(judge([promise, renewed], payments: [], asOf: "2026-06-20") == [.superseded, .pending])
        #expect(judge([promise, renewed], payments: [], asOf: "2026-07-04") == [.superseded, .broken])
        let afterBreaking = PaymentPromise(invoiceId: "F1", promisedOn: day("2026-06-20"), payBy: day("2026-06-30"))
        #expect(judge([promise, afterBreaking], payments: [], asOf: "2026-06-25") == [.broken, .pending])
    }
}
