import Foundation
import Testing

@testable import CreditCore

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

    @Test("a declined order states the largest amount approvable now, the overdue to collect and whom to ask")
    func declinedOrderSaysWhatToDo() {
        var aged = AgedBalance()
        aged.add(Money(cents: 400_000), daysPastDue: 0)
        aged.add(Money(cents: 200_000), daysPastDue: 20)
        // Limit 10 000, exposure 6 000: an order of 6 000 leaves −2 000, beyond 1 000 (10 %).
        let result = OrderCheck().decide(
            amount: Money(cents: 600_000), decision: decision(limit: 1_000_000), exposure: Money(cents: 600_000), agedBalance: aged)
        #expect(result.verdict == .decline)
        #expect(result.largestApprovable == Money(cents: 400_000))  // 10 000 − 6 000
        #expect(result.overdue == Money(cents: 200_000))
        #expect(
            result.guidance == [
                "the most that can be approved now is 4 000.00",
                "collect the 2 000.00 overdue first: its payment makes as much room",
                "ask the credit manager for a higher limit",
            ])
    }

    @Test("over its limit already, a customer has nothing approvable: the largest amount is zero, never negative")
    func nothingApprovableOverTheLimit() {
        let result = OrderCheck().decide(
            amount: Money(cents: 10_000), decision: decision(limit: 1_000_000), exposure: Money(cents: 1_050_000), agedBalance: AgedBalance())
        #expect(result.largestApprovable == .zero)
        #expect(result.guidance.first == "nothing can be approved now: the headroom is used up")
    }

    @Test("amounts more than 60 days past due leave nothing approvable until they are paid")
    func lateAmountsBlockApprovals() {
        var aged = AgedBalance()
        aged.add(Money(cents: 50_000), daysPastDue: 75)
        let result = OrderCheck().decide(
            amount: Money(cents: 10_000), decision: decision(limit: 1_000_000), exposure: Money(cents: 50_000), agedBalance: aged)
        #expect(result.verdict == .refer)
        #expect(result.largestApprovable == .zero)
        #expect(result.overdue == Money(cents: 50_000))
        #expect(result.guidance.first == "nothing can be approved until the 500.00 more than 60 days past due is paid")
        #expect(result.guidance.last == "or check it with reserve: the order is then held until the credit manager releases or rejects it")
    }

    @Test("a group limit blocks an order that the customer's own headroom allows, and its reason names the group")
    func groupLimitBlocks() {
        // Customer: 10 000 − 1 000 − 2 000 = 7 000 left. Group: 9 000 − 8 000 − 2 000 = −1 000, beyond 900 (10 % of 9 000).
        let group = GroupExposure(group: "Groupe Test", limit: Money(cents: 900_000), exposure: Money(cents: 800_000))
        let result = OrderCheck().decide(
            amount: Money(cents: 200_000), decision: decision(limit: 1_000_000), exposure: Money(cents: 100_000), agedBalance: AgedBalance(),
            group: group)
        #expect(result.verdict == .decline)
        #expect(result.headroomAfter == Money(cents: 700_000))
        #expect(result.group?.headroomAfter == Money(cents: -100_000))
        #expect(result.reasons.last == "over the limit 9 000.00 of group Groupe Test by 1 000.00: group exposure 8 000.00 + order 2 000.00")
        #expect(result.largestApprovable == Money(cents: 100_000))
        #expect(result.guidance.contains("ask the credit manager for a higher limit for group Groupe Test"))
    }

    @Test(
        "the group's verdict is applied like the customer's and the stricter one answers",
        arguments: [
            (800_000, OrderVerdict.approve),  // 9 000 − 0 − 8 000 = 1 000 left for the group
            (950_000, .refer),  // 500 over 9 000: within 900
            (1_000_000, .decline),  // 1 000 over: beyond 900 (the customer alone would only refer: 10 000 − 0 − 10 000 = 0 left)
        ] as [(Int64, OrderVerdict)])
    func groupVerdicts(amount: Int64, verdict: OrderVerdict) {
        let group = GroupExposure(group: "G", limit: Money(cents: 900_000), exposure: .zero)
        let result = OrderCheck().decide(
            amount: Money(cents: amount), decision: decision(limit: 1_000_000), exposure: .zero, agedBalance: AgedBalance(), group: group)
        #expect(result.verdict == verdict)
    }

    @Test("decisions kept before guidance existed still read, with nothing approvable and no guidance")
    func olderDecisionsRead() throws {
        let json = #"{"verdict":"approve","orderAmount":"10.00","limit":"100.00","exposure":"0.00","headroomAfter":"90.00","reasons":[]}"#
        let decoded = try JSONDecoder().decode(OrderDecision.self, from: Data(json.utf8))
        #expect(decoded.largestApprovable == .zero && decoded.guidance.isEmpty && decoded.group == nil)
    }
}

@Suite("Order lifecycle")
struct OrderLifecycleRuleTests {
    @Test(
        "invoices end a reservation once they bill its whole amount; a held order billed in full is over; cancelled stays cancelled",
        arguments: [
            (OrderStatus.open, 100_000, 40_000, OrderStatus.open),  // 600 still reserved
            (.open, 100_000, 100_000, .invoiced),
            (.open, 100_000, 120_000, .invoiced),  // billed more than ordered
            (.invoiced, 100_000, 60_000, .open),  // a correction bills less: the rest is reserved again
            (.held, 100_000, 40_000, .held),
            (.held, 100_000, 100_000, .invoiced),
            (.cancelled, 100_000, 100_000, .cancelled),
            (.rejected, 100_000, 0, .rejected),
        ] as [(OrderStatus, Int64, Int64, OrderStatus)])
    func afterInvoicing(status: OrderStatus, amount: Int64, invoiced: Int64, expected: OrderStatus) {
        #expect(status.afterInvoicing(amount: Money(cents: amount), invoiced: Money(cents: invoiced)) == expected)
    }

    @Test("a kept order reserves its amount not yet invoiced, and only while open")
    func reservedPart() throws {
        let day = try #require(Day(year: 2026, month: 1, day: 1))
        func kept(_ status: OrderStatus, invoiced: Int64) -> KeptOrder {
            KeptOrder(
                orderId: "O", customerId: "C", customerName: "C", amount: Money(cents: 400_000), status: status,
                invoiced: Money(cents: invoiced), requestedOn: day, requestedBy: "s", decision: nil, steps: [])
        }
        #expect(kept(.open, invoiced: 150_000).reserved == Money(cents: 250_000))  // 4 000 − 1 500
        #expect(kept(.held, invoiced: 0).reserved == .zero)
        #expect(kept(.cancelled, invoiced: 0).reserved == .zero)
    }
}
