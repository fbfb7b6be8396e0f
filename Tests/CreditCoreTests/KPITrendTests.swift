import CreditCore
import Testing

@Suite("KPI trend")
struct KPITrendTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }

    @Test("the trend's months end on the latest month-end on or before the day, oldest first")
    func monthEnds() {
        // 31 October is a month-end and the last of the trend; 6 December is not: November's end is.
        #expect(KPITrend.monthEnds(count: 3, through: Self.day("2026-10-31")) == ["2026-08-31", "2026-09-30", "2026-10-31"].map(Self.day))
        #expect(KPITrend.monthEnds(count: 2, through: Self.day("2026-12-06")) == ["2026-10-31", "2026-11-30"].map(Self.day))
        // Across a year and a leap February.
        #expect(KPITrend.monthEnds(count: 3, through: Self.day("2024-03-15")) == ["2023-12-31", "2024-01-31", "2024-02-29"].map(Self.day))
    }

    @Test("a month is read from the ledger's daily totals as the indicators read the ledger")
    func monthFromDailyTotals() {
        // One invoice of 1000 € issued 1 March, due 31 March, 400 € paid 10 April and the rest
        // 20 May; a credit note of −100 € issued 15 April. As of 30 April: net open 1000 − 400
        // − 100 = 500, receivables before credits 600, overdue 600 (due 31 March, 400 of the
        // 1000 paid), so an overdue share of 1.
        let euros = { (units: Int64) in Money(cents: units * 100) }
        let days = [
            LedgerDay(day: Self.day("2026-03-01"), issued: euros(1000), invoicesIssued: euros(1000)),
            LedgerDay(day: Self.day("2026-03-31"), invoicesDue: euros(1000)),
            LedgerDay(day: Self.day("2026-04-10"), received: euros(400), receivedOnInvoices: euros(400)),
            LedgerDay(day: Self.day("2026-04-15"), issued: euros(-100)),
            LedgerDay(
                day: Self.day("2026-05-20"), received: euros(600), receivedOnInvoices: euros(600), settledInvoices: 1,
                settledAmount: euros(1000), settledDelayDays: 50, settledAmountDays: 100_000 * 50),
        ]
        let april = KPITrend.Month(monthEnd: Self.day("2026-04-30"), days: days, paidOnPastDue: euros(400))
        #expect(april.openReceivables == euros(500))
        #expect(april.receivables == euros(600))
        #expect(april.overdue == euros(600))
        #expect(april.overdueShare == 1)
        #expect(april.averageDaysBeyondTerms == nil)  // fully paid only on 20 May
        let may = KPITrend.Month(monthEnd: Self.day("2026-05-31"), days: days, paidOnPastDue: euros(1000))
        #expect(may.overdue == .zero)
        #expect(may.openReceivables == euros(-100))
        #expect(may.averageDaysBeyondTerms == 50)  // 20 May − 31 March
        #expect(may.invoicesPaidInWindow == 1)
    }
}
