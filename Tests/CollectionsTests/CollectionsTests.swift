import CreditCore
import Foundation
import Testing

@Suite("Collections worklist")
struct CollectionsTests {
    static let model: ScoringModel = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/scoring-model-v2.json")
        do {
            return try ScoringModel.decode(from: Data(contentsOf: url))
        } catch {
            preconditionFailure("the shipped model must load: \(error)")  // ScoringTests check its errors
        }
    }()
    static let day = Day(parsing: "2026-06-30")!

    func candidate(
        _ id: String, grade: String, pd: Double, cents: Int64, due: String, disputed: Bool = false, promised: String? = nil
    )
        -> CollectionCandidate
    {
        CollectionCandidate(
            invoiceId: id, customerId: "C-\(id)", customerName: "n", group: nil, dueDate: Day(parsing: due)!,
            openAmount: Money(cents: cents), grade: Self.model.grade(code: grade)!, pd: pd, disputed: disputed,
            promisedBy: promised.flatMap { Day(parsing: $0) })
    }

    @Test("priority is expected loss weighted by lateness")
    func priority() {
        // PD 10 % × 1 000.00 = 100 expected loss; 30 days late → × (1 + 30/30) = 200.
        let policy = Self.model.collectionsPolicy
        #expect(policy.priority(pd: 0.10, openAmount: Money(cents: 100_000), daysPastDue: 30) == 200)
        // Not yet due: a tenth of the expected loss, 10.
        #expect(policy.priority(pd: 0.10, openAmount: Money(cents: 100_000), daysPastDue: -3) == 10)
        // A model with a 60-day lateness period doubles more slowly: 30 days late → × 1.5 = 150.
        var slower = policy
        slower.latenessPeriodDays = 60
        #expect(slower.priority(pd: 0.10, openAmount: Money(cents: 100_000), daysPastDue: 30) == 150)
    }

    @Test("the step due follows the risk class's scenario: a low-risk customer is reminded later than a risky one")
    func steps() throws {
        let list = CollectionsWorklist(model: Self.model)
        // 12 days past due (due 2026-06-18): low class (grades 1-4) has its reminder at +10; medium (5-7) its reminder at +5.
        let low = try #require(list.entry(for: candidate("A", grade: "3", pd: 0.005, cents: 10_000, due: "2026-06-18"), asOf: Self.day))
        #expect(low.step == .reminder && low.riskClass == "low")
        // 3 days past due: low has nothing due yet but the item is overdue, so it is listed without a step.
        let early = try #require(list.entry(for: candidate("B", grade: "3", pd: 0.005, cents: 10_000, due: "2026-06-27"), asOf: Self.day))
        #expect(early.step == nil)
        // Due in 3 days: a medium-risk customer gets its pre-due notice (−5), a low-risk one is not listed.
        #expect(list.entry(for: candidate("C", grade: "6", pd: 0.03, cents: 10_000, due: "2026-07-03"), asOf: Self.day)?.step == .preDueNotice)
        #expect(list.entry(for: candidate("D", grade: "3", pd: 0.005, cents: 10_000, due: "2026-07-03"), asOf: Self.day) == nil)
    }

    @Test("disputed items leave the list; promised ones wait until the promised day plus grace")
    func heldItems() {
        let list = CollectionsWorklist(model: Self.model)
        #expect(list.entry(for: candidate("E", grade: "6", pd: 0.03, cents: 10_000, due: "2026-05-01", disputed: true), asOf: Self.day) == nil)
        // Promised for 2026-06-28: held until 2026-07-01 (28 + 3), so still held on 06-30, listed on 07-02.
        let promised = candidate("F", grade: "6", pd: 0.03, cents: 10_000, due: "2026-05-01", promised: "2026-06-28")
        #expect(list.entry(for: promised, asOf: Self.day) == nil)
        #expect(list.entry(for: promised, asOf: Day(parsing: "2026-07-02")!) != nil)
    }

    @Test("the top N equals the first N of the whole list sorted by priority")
    func topN() {
        let list = CollectionsWorklist(model: Self.model)
        var candidates: [CollectionCandidate] = []
        for index in 0..<500 {
            let grade = ["2", "5", "8"][index % 3]
            let pd = Double(index % 17 + 1) / 100
            let cents = Int64(index * 37 % 9_000 + 100) * 100
            let due = (Self.day - index * 7 % 121).iso
            candidates.append(candidate("I\(index)", grade: grade, pd: pd, cents: cents, due: due))
        }
        let all = list.top(candidates, asOf: Self.day, limit: 10_000).entries
        let top = list.top(candidates, asOf: Self.day, limit: 25)
        #expect(top.entries == Array(all.prefix(25)))
        #expect(top.listed == all.count)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.priority >= $1.priority })
    }

    @Test("ranking accounts, whole or in merged parts, gives the list the candidates give")
    func accountsAndParts() {
        let list = CollectionsWorklist(model: Self.model)
        var accounts: [CollectionsAccount] = []
        for index in 0..<300 {
            let grade = ["2", "5", "8"][index % 3]
            var account = CollectionsAccount(
                customerId: "C\(index)", customerName: "n", group: index % 4 == 0 ? "G" : nil,
                grade: Self.model.grade(code: grade)!, pd: Double(index % 17 + 1) / 100, items: [])
            for item in 0..<(index % 5) {
                account.items.append(
                    .init(
                        invoiceId: "I\(index)-\(item)", dueDate: Self.day - (index * 7 + item * 13) % 131 + 10,
                        openAmount: Money(cents: Int64((index * 37 + item) % 9_000 + 100) * 100), disputed: item == 3,
                        promisedBy: item == 2 ? Self.day - 1 : nil))
            }
            accounts.append(account)
        }
        let candidates = accounts.flatMap { account in account.items.map(account.candidate) }
        for (step, group) in [(nil, nil), (ReminderStep.preDueNotice, nil), (.reminder, "G")] as [(ReminderStep?, String?)] {
            let expected = list.top(candidates, asOf: Self.day, limit: 40, step: step, group: group)
            let whole = list.top(accounts: accounts, asOf: Self.day, limit: 40, step: step, group: group)
            #expect(whole.entries == expected.entries)
            #expect(whole.listed == expected.listed)
            let parts = [accounts[0..<100], accounts[100..<170], accounts[170..<300]].map {
                list.top(accounts: $0, asOf: Self.day, limit: 40, step: step, group: group)
            }
            let merged = list.merge(parts, limit: 40)
            #expect(merged.entries == expected.entries)
            #expect(merged.listed == expected.listed)
        }
    }

    @Test("open disputes are listed most overdue first with the deadline for their kind")
    func disputes() {
        // price: 3 days, quality: 7 days in the model.
        let disputes: [(Dispute, customerId: String, openAmount: Money)] = [
            (Dispute(invoiceId: "P", kind: "price", openedOn: Day(parsing: "2026-06-20")!), "C1", Money(cents: 100)),
            (Dispute(invoiceId: "Q", kind: "quality", openedOn: Day(parsing: "2026-06-15")!), "C2", Money(cents: 100)),
            (Dispute(invoiceId: "R", kind: "quality", openedOn: Day(parsing: "2026-06-29")!), "C3", Money(cents: 100)),
            (
                Dispute(invoiceId: "S", kind: "price", openedOn: Day(parsing: "2026-06-01")!, resolvedOn: Day(parsing: "2026-06-02")!), "C4",
                Money(cents: 100)
            ),
        ]
        let list = Self.model.disputeDeadlines.worklist(disputes, asOf: Self.day)
        // Q: deadline 06-22, 8 days over; P: deadline 06-23, 7 over; R: deadline 07-06, −6; S resolved.
        #expect(list.map(\.invoiceId) == ["Q", "P", "R"])
        #expect(list.map(\.daysOverdue) == [8, 7, -6])
    }
}
