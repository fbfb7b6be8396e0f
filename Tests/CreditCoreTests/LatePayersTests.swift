import CreditCore
import Testing

@Suite("Late payers")
struct LatePayersTests {
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }

    /// What the store sums for one customer: `overdue` euros, `amountDays` euro-cents × days.
    static func balance(_ id: String, overdue units: Int64, amountDays: Double = 0) -> OverdueBalance {
        OverdueBalance(customerId: id, overdue: euros(units), overdueAmountDays: amountDays)
    }

    @Test("the late payers are ordered by overdue amount and a customer with only credits never appears")
    func byOverdue() {
        let ranked = LatePayerRanking.rank(
            [
                Self.balance("C1", overdue: 500), Self.balance("C2", overdue: 0),
                Self.balance("C3", overdue: 7_000), Self.balance("C4", overdue: 500), Self.balance("C5", overdue: 2_000),
            ], by: .overdue, limit: 20)
        // 7000, 2000, then the two 500s by id; C2 owes nothing overdue (say it holds only a credit note).
        #expect(ranked.map(\.customerId) == ["C3", "C5", "C1", "C4"])
    }

    @Test("the list stops at the limit")
    func limit() {
        let balances = (1...30).map { Self.balance("C\($0)", overdue: Int64($0)) }
        #expect(LatePayerRanking.rank(balances, by: .overdue, limit: 20).count == 20)
        #expect(LatePayerRanking.rank(balances, by: .overdue, limit: 20).first?.customerId == "C30")
    }

    @Test("days beyond terms weigh each overdue invoice by its open balance")
    func weightedDelay() {
        // 1000 € 10 days late and 3000 € 30 days late: (1000 × 10 + 3000 × 30) / 4000 = 25 days.
        let balance = Self.balance("C1", overdue: 4_000, amountDays: 100_000 * 10 + 300_000 * 30)
        #expect(balance.daysBeyondTerms == 25)
        #expect(Self.balance("C2", overdue: 0).daysBeyondTerms == nil)
    }

    @Test("by days beyond terms the longest delay ranks first, ties going to the larger overdue amount")
    func byDelay() {
        let ranked = LatePayerRanking.rank(
            [
                Self.balance("C1", overdue: 10_000, amountDays: 1_000_000 * 5),  // 5 days
                Self.balance("C2", overdue: 100, amountDays: 10_000 * 120),  // 120 days
                Self.balance("C3", overdue: 300, amountDays: 30_000 * 40),  // 40 days
                Self.balance("C4", overdue: 600, amountDays: 60_000 * 40),  // 40 days, more overdue than C3
            ], by: .dbt, limit: 3)
        #expect(ranked.map(\.customerId) == ["C2", "C4", "C3"])
    }
}
