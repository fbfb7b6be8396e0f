import CreditCore
import Testing

@Suite("Dashboard rules")
struct DashboardRulesTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }

    /// A small ledger as of 2026-04-30: I1 1 000 due 15 Jan, 300 paid on 1 Feb (700 open, 105
    /// days late); I5 250 due 25 Feb (64 days); I2 500 due 20 Mar (41 days); I3 200 due 10 Apr
    /// (20 days; paid on 5 May, after the day); I4 400 due 20 May (not due); C1 a credit note of
    /// −150 issued 15 Apr.
    static let asOf = day("2026-04-30")
    static let invoices = [
        Invoice(id: "I1", customerId: "A", issueDate: day("2026-01-01"), dueDate: day("2026-01-15"), amount: euros(1_000), currency: "EUR"),
        Invoice(id: "I5", customerId: "A", issueDate: day("2026-02-10"), dueDate: day("2026-02-25"), amount: euros(250), currency: "EUR"),
        Invoice(id: "I2", customerId: "A", issueDate: day("2026-03-01"), dueDate: day("2026-03-20"), amount: euros(500), currency: "EUR"),
        Invoice(id: "I3", customerId: "A", issueDate: day("2026-04-01"), dueDate: day("2026-04-10"), amount: euros(200), currency: "EUR"),
        Invoice(id: "C1", customerId: "A", issueDate: day("2026-04-15"), dueDate: day("2026-04-15"), amount: euros(-150), currency: "EUR"),
        Invoice(id: "I4", customerId: "A", issueDate: day("2026-04-20"), dueDate: day("2026-05-20"), amount: euros(400), currency: "EUR"),
    ]
    static let payments = [
        Payment(id: "P1", invoiceId: "I1", paidOn: day("2026-02-01"), amount: euros(300)),
        Payment(id: "P2", invoiceId: "I3", paidOn: day("2026-05-05"), amount: euros(200)),
    ]

    /// The same ledger as the store's daily totals keep it.
    static let ledgerDays = [
        LedgerDay(day: day("2026-01-01"), issued: euros(1_000), invoicesIssued: euros(1_000)),
        LedgerDay(day: day("2026-01-15"), invoicesDue: euros(1_000)),
        LedgerDay(day: day("2026-02-01"), received: euros(300), receivedOnInvoices: euros(300)),
        LedgerDay(day: day("2026-02-10"), issued: euros(250), invoicesIssued: euros(250)),
        LedgerDay(day: day("2026-02-25"), invoicesDue: euros(250)),
        LedgerDay(day: day("2026-03-01"), issued: euros(500), invoicesIssued: euros(500)),
        LedgerDay(day: day("2026-03-20"), invoicesDue: euros(500)),
        LedgerDay(day: day("2026-04-01"), issued: euros(200), invoicesIssued: euros(200)),
        LedgerDay(day: day("2026-04-10"), invoicesDue: euros(200)),
        LedgerDay(day: day("2026-04-15"), issued: euros(-150)),
        LedgerDay(day: day("2026-04-20"), issued: euros(400), invoicesIssued: euros(400)),
        LedgerDay(day: day("2026-05-05"), received: euros(200), receivedOnInvoices: euros(200)),
        LedgerDay(day: day("2026-05-20"), invoicesDue: euros(400)),
    ]

    @Test("the aged balance from the daily totals puts each open amount in its bucket, as ageing the invoices does")
    func agedBalanceFromTotals() {
        let cutoffs = ["2026-04-30", "2026-03-31", "2026-03-01", "2026-01-30"].map(Self.day)  // 0, 30, 60, 90 days before
        #expect(AgedBalance.overdueCutoffs(asOf: Self.asOf) == cutoffs)
        // Paid by 30 April on invoices due before each cutoff: P1's 300 on I1 (due 15 Jan) before all four.
        let aged = AgedBalance(asOf: Self.asOf, days: Self.ledgerDays, paidOnDueBefore: [300, 300, 300, 300].map(Self.euros))
        #expect(aged.over90 == Self.euros(700))  // I1: 1 000 − 300
        #expect(aged.days61to90 == Self.euros(250))  // I5
        #expect(aged.days31to60 == Self.euros(500))  // I2
        #expect(aged.days1to30 == Self.euros(200))  // I3: its payment of 5 May comes after the day
        #expect(aged.notDue == Self.euros(400))  // I4
        #expect(aged.unappliedCredits == Self.euros(-150))  // C1
        #expect(aged.total == Self.euros(1_900))  // 2 050 owed less the 150 credit
        let kpis = PortfolioKPIs(
            asOf: Self.asOf, customers: 1, invoices: Self.invoices, payments: Self.payments, disputes: [], grades: [], gradeOrder: [])
        #expect(aged == kpis.agedBalance)
    }

    @Test("the grade mix lists the scale, D, older grades, then the customers never assessed; an override moves its customer")
    func gradeMixOrder() {
        var mix = GradeMix.Builder(scale: ["1", "2", "3"])  // D added after the scale
        mix.add(grade: "2", customers: 3, exposure: Self.euros(300))
        mix.add(grade: "X", customers: 1, exposure: Self.euros(10))  // a grade of an older scale
        mix.add(grade: nil, customers: 2, exposure: .zero)
        mix.add(grade: "D", customers: 1, exposure: Self.euros(50))
        mix.decided(assessed: "2", effective: "3", exposure: Self.euros(100))
        mix.decided(assessed: "2", effective: "2", exposure: Self.euros(100))  // an override keeping the grade moves nothing
        let built = mix.build()
        #expect(built.lines.map(\.label) == ["1", "2", "3", "D", "X", "not assessed"])
        #expect(built.lines.map(\.customers) == [0, 2, 1, 1, 1, 2])
        #expect(built.lines.map(\.exposure) == [0, 200, 100, 50, 10, 0].map(Self.euros))  // 300 − 100 moved to 3
        #expect(built.customers == 7 && built.overridden == 1)
    }

    @Test("the ledger is stale when its latest entry is more days old than allowed; an empty ledger is not")
    func freshness() {
        let latest = Self.day("2026-10-31")
        #expect(!LedgerFreshness(latestEntry: latest, asOf: Self.day("2026-11-07"), staleAfterDays: 7).stale)  // 7 days
        let stale = LedgerFreshness(latestEntry: latest, asOf: Self.day("2026-11-08"), staleAfterDays: 7)
        #expect(stale.stale && stale.ageDays == 8)
        let empty = LedgerFreshness(latestEntry: nil, asOf: latest, staleAfterDays: 7)
        #expect(!empty.stale && empty.ageDays == nil)
    }

    @Test("open alerts are counted by kind in the kinds' order, kinds without alerts left out")
    func openAlerts() {
        let alerts = OpenAlerts(
            byKind: [
                .init(kind: .orderHeld, open: 1, acknowledged: 0), .init(kind: .downgrade, open: 4, acknowledged: 2),
                .init(kind: .brokenPromise, open: 0, acknowledged: 0),
            ], newest: [])
        #expect(alerts.byKind.map(\.kind) == [.downgrade, .orderHeld])
        #expect(alerts.total == 7)  // 4 + 2 + 1
    }

    @Test("a selection includes the customers of its group, sector and sales rep, all of them at once")
    func selectionIncludes() {
        let customer = Customer(
            id: "C1", name: "Alpha", sectorCode: "62.01Z", country: "FR", termsDays: 30, group: "G", salesRep: "marie")
        #expect(PortfolioSelection.all.includes(customer))
        #expect(PortfolioSelection(group: "G", salesRep: "marie").includes(customer))
        #expect(!PortfolioSelection(group: "G", salesRep: "julien").includes(customer))
        #expect(!PortfolioSelection(sector: "41.20A").includes(customer))
    }
}
