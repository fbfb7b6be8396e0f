import CreditCore
import Testing

@Suite("Portfolio indicators")
struct PortfolioKPIsTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }

    static func invoice(_ id: String, issued: String, due: String, _ units: Int64) -> Invoice {
        Invoice(id: id, customerId: "C1", issueDate: day(issued), dueDate: day(due), amount: euros(units), currency: "EUR")
    }

    static func payment(_ invoiceId: String, on paid: String, _ units: Int64) -> Payment {
        Payment(id: "\(invoiceId)-\(paid)", invoiceId: invoiceId, paidOn: day(paid), amount: euros(units))
    }

    /// A small ledger as of 2026-03-31, a month end, so the countback walks whole calendar months.
    ///
    /// Net sales per month (issue date on or before asOf): Jan 2025 5000 (H), Oct 2000 (L),
    /// Nov 3000 (K), Dec 1000 (A), Jan 2026 4000 (G), Feb 2000 (E 2500 − credit note F 500),
    /// Mar 3000 (D; M is issued after asOf and does not count).
    /// Open on 2026-03-31: D 3000 not due (its payment of 5 April is later), E 2500 19 days late,
    /// G 4000 − 3000 = 1000 65 days late, F −500 unapplied credit: receivables 6500, net 6000.
    static let asOf = day("2026-03-31")
    static let invoices = [
        invoice("H", issued: "2025-01-10", due: "2025-02-09", 5000),
        invoice("L", issued: "2025-10-01", due: "2025-10-31", 2000),
        invoice("K", issued: "2025-11-05", due: "2025-12-05", 3000),
        invoice("A", issued: "2025-12-01", due: "2025-12-31", 1000),
        invoice("G", issued: "2026-01-10", due: "2026-01-25", 4000),
        invoice("E", issued: "2026-02-10", due: "2026-03-12", 2500),
        invoice("F", issued: "2026-02-20", due: "2026-02-20", -500),
        invoice("D", issued: "2026-03-15", due: "2026-04-14", 3000),
        invoice("M", issued: "2026-04-02", due: "2026-05-02", 1000),
    ]
    static let payments = [
        payment("H", on: "2025-03-01", 5000),  // paid 20 days late, but before the 365-day window
        payment("L", on: "2025-10-21", 2000),  // 10 days early: 0 days beyond terms
        payment("K", on: "2025-12-01", 1000),  // partial...
        payment("K", on: "2025-12-15", 2000),  // ...fully paid on 15 Dec: 10 days beyond terms
        payment("A", on: "2026-01-20", 1000),  // 20 days beyond terms
        payment("G", on: "2026-02-24", 3000),  // partial: G is not fully paid, not in the delay averages
        payment("D", on: "2026-04-05", 3000),  // after asOf: ignored
    ]
    static let disputes = [
        Dispute(invoiceId: "E", kind: "price", openedOn: day("2026-03-15")),
        Dispute(invoiceId: "D", kind: "quality", openedOn: day("2026-03-20"), resolvedOn: day("2026-04-10")),  // open on asOf
        Dispute(invoiceId: "G", kind: "quality", openedOn: day("2026-02-01"), resolvedOn: day("2026-02-21")),  // 20 days
        Dispute(invoiceId: "A", kind: "price", openedOn: day("2026-01-05"), resolvedOn: day("2026-01-15")),  // 10 days
        Dispute(invoiceId: "H", kind: "price", openedOn: day("2025-02-15"), resolvedOn: day("2025-03-01")),  // before the window
        Dispute(invoiceId: "E", kind: "delivery", openedOn: day("2026-04-03")),  // after asOf: ignored
    ]

    static func kpis(
        asOf: Day = asOf, invoices: [Invoice] = invoices, payments: [Payment] = payments, grades: [CustomerGrade] = []
    ) -> PortfolioKPIs {
        PortfolioKPIs(
            asOf: asOf, customers: 5, invoices: invoices, payments: payments, disputes: disputes, grades: grades,
            gradeOrder: ["1", "2", "3", "D"])
    }

    @Test("receivables and ageing are the ledger as of the day, not as of today")
    func receivablesAsOf() {
        let k = Self.kpis()
        #expect(k.agedBalance.notDue == Self.euros(3000))  // D: its payment of 5 April is after asOf
        #expect(k.agedBalance.days1to30 == Self.euros(2500))  // E, 31 Mar − 12 Mar = 19 days
        #expect(k.agedBalance.days61to90 == Self.euros(1000))  // G, 6 + 28 + 31 = 65 days
        #expect(k.agedBalance.unappliedCredits == Self.euros(-500))  // F
        #expect(k.openReceivables == Self.euros(6000))  // 3000 + 2500 + 1000 − 500
    }

    @Test("overdue share is overdue over receivables before credits")
    func overdueShare() {
        // (2500 + 1000) / (3000 + 2500 + 1000) = 3500 / 6500 = 7/13
        #expect(abs(Self.kpis().overdueShare - 7.0 / 13.0) < 1e-12)
    }

    @Test("countback DSO exhausts receivables against monthly sales, latest month first")
    func countback() {
        let dso = Self.kpis().dso
        // 6000 − March 3000 = 3000 left: 31 days; − February 2000 (2500 − credit 500) = 1000 left:
        // 28 days; January's 4000 absorbs the rest: 1000 / 4000 × 31 = 7.75 days. 31 + 28 + 7.75 = 66.75.
        #expect(dso.method == "countback")
        #expect(abs(dso.days - 66.75) < 1e-9)
        #expect(dso.periodDays == 90)  // 31 + 28 + 31
        #expect(dso.months.map(\.sales) == [Self.euros(3000), Self.euros(2000), Self.euros(4000)])
        #expect(dso.months.map(\.daysCounted) == [31, 28, 7.75])
        #expect(dso.months.first?.from == Self.day("2026-03-01"))
        #expect(dso.months.last?.from == Self.day("2026-01-01"))
        #expect(dso.coversReceivables)
    }

    @Test("simple DSO is receivables over the last 90 days' sales times 90")
    func simpleDSO() {
        let dso = Self.kpis().dso
        // 90 days ending 31 March start on 1 January: sales 4000 + 2000 + 3000 = 9000; 6000 / 9000 × 90 = 60.
        #expect(dso.simplePeriodSales == Self.euros(9000))
        #expect(abs((dso.simpleDays ?? 0) - 60) < 1e-9)
        #expect(dso.description.contains("countback") && dso.description.contains("90 days"))
    }

    @Test("countback months off a month's middle run from the same day of the month")
    func countbackMidMonth() {
        // asOf 15 March: months 16 Feb–15 Mar (28 days) and 16 Jan–15 Feb (31 days).
        let invoices = [
            Self.invoice("X", issued: "2026-03-01", due: "2026-03-31", 1000),
            Self.invoice("Y", issued: "2026-02-01", due: "2026-03-03", 2000),
        ]
        let payments = [Self.payment("Y", on: "2026-02-20", 1500)]
        let dso = Self.kpis(asOf: Self.day("2026-03-15"), invoices: invoices, payments: payments).dso
        // receivables 1000 + 500 = 1500; − 1000 (X) = 500 left: 28 days; 500 / 2000 × 31 = 7.75. 35.75.
        #expect(abs(dso.days - 35.75) < 1e-9)
        #expect(dso.months.map(\.from) == [Self.day("2026-02-16"), Self.day("2026-01-16")])
    }

    @Test("from a month end the countback walks calendar months, through months without sales")
    func countbackMonthEnds() {
        // asOf 28 Feb: February (28 days, no sales) then January (31 days) whose 3100 exactly
        // match the 3100 owed: 28 + 3100 / 3100 × 31 = 59 days.
        let invoices = [Self.invoice("Z", issued: "2026-01-20", due: "2026-03-20", 3100)]
        let dso = Self.kpis(asOf: Self.day("2026-02-28"), invoices: invoices, payments: []).dso
        #expect(abs(dso.days - 59) < 1e-9)
        #expect(dso.months.map(\.from) == [Self.day("2026-02-01"), Self.day("2026-01-01")])
        #expect(dso.months.map(\.to) == [Self.day("2026-02-28"), Self.day("2026-01-31")])
    }

    @Test("nothing owed means a DSO of zero by both methods")
    func nothingOwed() {
        let invoices = [Self.invoice("P", issued: "2026-01-05", due: "2026-02-04", 800)]
        let dso = Self.kpis(invoices: invoices, payments: [Self.payment("P", on: "2026-02-01", 800)]).dso
        #expect(dso.days == 0)
        #expect(dso.simpleDays == 0)
        #expect(dso.months.isEmpty)
    }

    @Test("days beyond terms weigh invoices fully paid in the trailing 365 days by amount")
    func daysBeyondTerms() {
        let k = Self.kpis()
        // Paid in full from 2025-04-01 to 2026-03-31: L 0 days (early, floored) on 2000, K 10 days on
        // 3000, A 20 days on 1000. Weighted: (0 × 2000 + 10 × 3000 + 20 × 1000) / 6000 = 50000 / 6000.
        // Unweighted: (0 + 10 + 20) / 3 = 10. H (paid 2025-03-01) is before the window; G is partly paid.
        #expect(k.daysBeyondTermsWindow.from == Self.day("2025-04-01"))
        #expect(k.daysBeyondTermsWindow.days == 365)
        #expect(k.invoicesPaidInWindow == 3)
        #expect(abs((k.averageDaysBeyondTerms ?? 0) - 50000.0 / 6000.0) < 1e-9)
        #expect(abs((k.averageDaysBeyondTermsUnweighted ?? 0) - 10) < 1e-9)
    }

    @Test("disputes: open on the day with their invoices' balances, mean resolution in the window")
    func disputes() {
        let d = Self.kpis().disputes
        // Open on 31 March: E (price) and D (quality, resolved only on 10 April): 2500 + 3000.
        #expect(d.open == 2)
        #expect(d.openAmount == Self.euros(5500))
        // Resolved from 2025-04-01: G 20 days and A 10 days: (20 + 10) / 2 = 15. H is older; E's
        // delivery dispute opens after asOf and does not exist yet.
        #expect(d.resolvedInWindow == 2)
        #expect(d.meanResolutionDays == 15)
        #expect(d.byKind.map(\.kind) == ["price", "quality"])
        #expect(d.byKind.map(\.open) == [1, 1])
        #expect(d.byKind.map(\.meanResolutionDays) == [10, 20])
    }

    @Test("grades follow the scale's order with empty grades kept, unknown codes last, the rest unscored")
    func grades() {
        let k = Self.kpis(grades: [
            CustomerGrade(customerId: "C1", grade: "2", exposure: Self.euros(6000)),
            CustomerGrade(customerId: "C2", grade: "2", exposure: Self.euros(1000)),
            CustomerGrade(customerId: "C3", grade: "D", exposure: Self.euros(500)),
            CustomerGrade(customerId: "C4", grade: "X", exposure: Self.euros(10)),
        ])
        #expect(k.grades.map(\.grade) == ["1", "2", "3", "D", "X"])
        #expect(k.grades.map(\.customers) == [0, 2, 0, 1, 1])
        #expect(k.grades.map(\.exposure) == [.zero, Self.euros(7000), .zero, Self.euros(500), Self.euros(10)])  // 6000 + 1000
        #expect(k.unscored == 1)  // 5 customers, 4 assessed
    }
}
