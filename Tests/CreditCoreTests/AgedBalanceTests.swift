import CreditCore
import Testing

@Suite("Aged balance")
struct AgedBalanceTests {
    @Test("open items fall into buckets by days past due on the as-of day")
    func buckets() throws {
        let asOf = try #require(Day(parsing: "2026-06-30"))
        func item(_ due: String, _ cents: Int64) -> OpenItem {
            OpenItem(invoiceId: due, customerId: "C", dueDate: Day(parsing: due)!, openAmount: Money(cents: cents))
        }
        let items = [
            item("2026-07-15", 100),  // due in 15 days: not due
            item("2026-06-30", 200),  // due today: 0 days past due, not due
            item("2026-06-29", 300),  // 1 day: 1-30
            item("2026-05-31", 400),  // 30 days: 1-30
            item("2026-05-30", 500),  // 31 days: 31-60
            item("2026-04-01", 600),  // 90 days: 61-90
            item("2026-03-31", 700),  // 91 days: over 90
            item("2026-01-01", 0),  // fully paid: ignored
            item("2026-02-01", -150),  // an old credit note: unapplied credit, not "over 90"
        ]
        let aged = AgedBalance(openItems: items, asOf: asOf)
        #expect(aged.notDue.cents == 300)  // 100 + 200
        #expect(aged.days1to30.cents == 700)  // 300 + 400
        #expect(aged.days31to60.cents == 500)
        #expect(aged.days61to90.cents == 600)
        #expect(aged.over90.cents == 700)
        #expect(aged.unappliedCredits.cents == -150)
        #expect(aged.receivables.cents == 2800)  // 300 + 700 + 500 + 600 + 700
        #expect(aged.total.cents == 2650)  // 2800 - 150
        #expect(aged.overdue.cents == 2500)  // 700 + 500 + 600 + 700
    }
}
