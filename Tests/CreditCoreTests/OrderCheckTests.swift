import CreditCore
import Testing

@Suite("Order checks")
struct OrderCheckTests {
    func decision(limit: Int64, grade: String = "5", rank: Int = 5) -> EffectiveDecision {
        let g = Grade(code: grade, rank: rank)
        return EffectiveDecision(
            suggestedGrade: g, suggestedLimit: Money(cents: limit), grade: g, limit: Money(cents: limit),
            exposure: .zero, headroom: Money(cents: limit), overrideStatus: .none, override: nil)
    }

    @Test(
        "limit 10 000, exposure 6 000: the verdict follows the order amount",
        arguments: [
            (300_000, OrderVerdict.approve, 100_000),  // 10 000 − 6 000 − 3 000 = 1 000 left
            (400_000, .approve, 0),  // exactly at the limit
            (500_000, .refer, -100_000),  // 1 000 over: within 10 % of 10 000
            (500_001, .decline, -100_001),  // more than 1 000 over
        ] as [(Int64, OrderVerdict, Int64)])
    func verdicts(amount: Int64, verdict: OrderVerdict, headroomAfter: Int64) {
        let result = OrderCheck().decide(
            amount: Money(cents: amount), decision: decision(limit: 1_000_000), exposure: Money(cents: 600_000),
            agedBalance: AgedBalance())
        #expect(result.verdict == verdict)
        #expect(result.headroomAfter.cents == headroomAfter)
    }

    @Test("amounts more than 60 days past due turn an approval into a referral")
    func latePayerIsReferred() {
        var aged = AgedBalance()
        aged.add(Money(cents: 50_000), daysPastDue: 75)
        let result = OrderCheck().decide(
            amount: Money(cents: 10_000), decision: decision(limit: 1_000_000), exposure: Money(cents: 50_000), agedBalance: aged)
        #expect(result.verdict == .refer)
    }

    @Test("no limit or a customer in default is declined whatever the amount")
    func noCredit() {
        let none = OrderCheck().decide(amount: Money(cents: 1), decision: decision(limit: 0), exposure: .zero, agedBalance: AgedBalance())
        #expect(none.verdict == .decline)
        let inDefault = OrderCheck().decide(
            amount: Money(cents: 1), decision: decision(limit: 1_000_000, grade: "D", rank: 11), exposure: .zero,
            agedBalance: AgedBalance())
        #expect(inDefault.verdict == .decline)
    }
}
