import Foundation
import Testing

@testable import CreditCore

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

    static func day(_ text: String) -> Day { Day(parsing: text)! }

    /// One customer of `grade` with the given invoices.
    func account(
        _ id: String, grade: String, pd: Double = 0.05, credits: Int64 = 0, _ items: [CollectionsAccount.Item]
    ) -> CollectionsAccount {
        CollectionsAccount(
            customerId: id, customerName: "n", group: nil, grade: Self.model.grade(code: grade)!, pd: pd,
            credits: Money(cents: credits), items: items)
    }

    func item(
        _ id: String, cents: Int64 = 10_000, due: String, disputed: Int64 = 0, promise: HeldPromise? = nil,
        done: (ReminderStep, String)? = nil
    ) -> CollectionsAccount.Item {
        CollectionsAccount.Item(
            invoiceId: id, dueDate: Self.day(due), openAmount: Money(cents: cents), disputedAmount: Money(cents: disputed),
            promise: promise, progress: done.map { DunningProgress(step: $0.0, on: Self.day($0.1)) })
    }

    @Test("reminder steps escalate in the order they are listed, the pre-due notice first")
    func escalationOrder() {
        #expect(ReminderStep.allCases.map(\.escalation) == Array(0..<ReminderStep.allCases.count))
        #expect(ReminderStep.preDueNotice.escalation < ReminderStep.litigationHandover.escalation)
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

    @Test("the first step is due at its offset: a low-risk customer is reminded later than a risky one")
    func firstSteps() throws {
        let list = CollectionsWorklist(model: Self.model)
        // 12 days past due (due 2026-06-18): the low class (grades 1-4) reminds at +10, so since 06-28.
        let low = try #require(list.entry(for: account("A", grade: "3", [item("A1", due: "2026-06-18")]), asOf: Self.day))
        #expect(low.step == .reminder && low.riskClass == "low" && low.dueSince == Self.day("2026-06-28") && low.waitingDays == 2)
        // 3 days past due: nothing due yet for the low class; listed only when asking for everything.
        let early = account("B", grade: "3", [item("B1", due: "2026-06-27")])
        #expect(list.entry(for: early, asOf: Self.day) == nil)
        let waiting = try #require(list.entry(for: early, asOf: Self.day, filter: .init(dueOnly: false)))
        #expect(waiting.step == nil && waiting.nextStep == .reminder && waiting.nextStepFrom == Self.day("2026-07-07"))
        // Due in 3 days: a medium-risk customer gets its pre-due notice (−5), a low-risk one is not listed.
        #expect(list.entry(for: account("C", grade: "6", [item("C1", due: "2026-07-03")]), asOf: Self.day)?.step == .preDueNotice)
        #expect(list.entry(for: account("D", grade: "3", [item("D1", due: "2026-07-03")]), asOf: Self.day, filter: .init(dueOnly: false)) == nil)
    }

    @Test("a firm reminder is not due until the first reminder was recorded and its gap has passed")
    func firmReminderWaitsForTheReminder() throws {
        let list = CollectionsWorklist(model: Self.model)
        // Low class: reminder +10, firm reminder and call +25; the model sets no gap, so the
        // scenario's spacing, 25 − 10 = 15 days, is the gap.
        // 40 days past due and never reminded: the step due is the first reminder, not the firm one.
        let never = try #require(list.entry(for: account("E", grade: "3", [item("E1", due: "2026-05-21")]), asOf: Self.day))
        #expect(never.step == .reminder)
        // Reminded on 06-25: the firm reminder waits until 06-25 + 15 = 07-10, though its offset (+25) has passed.
        let reminded = account("E", grade: "3", [item("E1", due: "2026-05-21", done: (.reminder, "2026-06-25"))])
        #expect(list.entry(for: reminded, asOf: Self.day) == nil)
        let later = try #require(list.entry(for: reminded, asOf: Self.day, filter: .init(dueOnly: false)))
        #expect(later.nextStep == .firmReminderAndCall && later.nextStepFrom == Self.day("2026-07-10"))
        let due = try #require(list.entry(for: reminded, asOf: Self.day("2026-07-12")))
        #expect(due.step == .firmReminderAndCall && due.channel == "phone" && due.waitingDays == 2 && due.automatic == false)
        // A model gap of 3 days makes it due from 06-28.
        var model = Self.model
        model.reminders.riskClasses[0].steps[1].minimumGapDays = 3
        #expect(CollectionsWorklist(model: model).entry(for: reminded, asOf: Self.day)?.step == .firmReminderAndCall)
    }

    @Test("what a contact carries out: the step due; a note or an unanswered call nothing; a hand-over the last step")
    func stepsCarriedOut() throws {
        let low = try #require(Self.model.reminders.riskClasses.first { $0.name == "low" })
        let due = Self.day("2026-05-21")
        func carried(_ kind: ActivityKind, _ outcome: ActivityOutcome? = nil, progress: DunningProgress? = nil) throws -> ReminderStep? {
            try low.stepCarriedOut(kind: kind, outcome: outcome, requested: nil, dueDate: due, on: Self.day, progress: progress)
        }
        #expect(try carried(.email) == .reminder)
        #expect(try carried(.call, .reached, progress: DunningProgress(step: .reminder, on: Self.day("2026-06-01"))) == .firmReminderAndCall)
        #expect(try carried(.call, .noAnswer) == nil)
        #expect(try carried(.note) == nil)
        #expect(try carried(.agencyHandover) == .litigationHandover)
        // Before the first offset (due + 10) a call reminds nobody of an invoice not yet late enough.
        #expect(try low.stepCarriedOut(kind: .call, outcome: .reached, requested: nil, dueDate: Self.day, on: Self.day, progress: nil) == nil)
        // A step named explicitly must come after the last one done.
        #expect(throws: Refusal.self) {
            try low.stepCarriedOut(
                kind: .letter, outcome: nil, requested: .reminder, dueDate: due, on: Self.day,
                progress: DunningProgress(step: .formalNotice, on: Self.day("2026-06-20")))
        }
    }

    @Test("a customer with a credit note gets one netted entry for all its overdue invoices")
    func creditsNetted() throws {
        let list = CollectionsWorklist(model: Self.model)
        // Three overdue invoices of 300.00, 200.00 and 100.00 and a credit note of 150.00 open:
        // one entry, 600.00 overdue, 450.00 to collect.
        let customer = account(
            "F", grade: "6", credits: 15_000,
            [
                item("F1", cents: 30_000, due: "2026-05-01"), item("F2", cents: 20_000, due: "2026-06-01"),
                item("F3", cents: 10_000, due: "2026-06-20"),
            ])
        let entry = try #require(list.entry(for: customer, asOf: Self.day))
        #expect(entry.overdueAmount == Money(cents: 60_000) && entry.credits == Money(cents: 15_000) && entry.netAmount == Money(cents: 45_000))
        #expect(entry.invoices.map(\.invoiceId) == ["F1", "F2", "F3"] && entry.overdueInvoices == 3)
        // Never reminded, so every invoice is at its first reminder; the entry's step is the most advanced due.
        #expect(entry.step == .reminder)
        // A credit covering everything overdue leaves nothing to chase.
        #expect(list.entry(for: account("G", grade: "6", credits: 60_000, customer.items), asOf: Self.day) == nil)
        // The most advanced step due among the invoices: F1 had its reminder and firm reminder long ago.
        var advanced = customer
        advanced.items[0].progress = DunningProgress(step: .firmReminderAndCall, on: Self.day("2026-06-01"))
        #expect(list.entry(for: advanced, asOf: Self.day)?.step == .formalNotice)
    }

    @Test("a partial promise keeps the rest on the list; a disputed part leaves it")
    func heldParts() throws {
        let list = CollectionsWorklist(model: Self.model)
        // 23 672.72 open, 10 000.00 promised by 07-05: 13 672.72 still claimed.
        let promised = account(
            "H", grade: "6",
            [item("H1", cents: 2_367_272, due: "2026-05-01", promise: HeldPromise(payBy: Self.day("2026-07-05"), amount: Money(cents: 1_000_000)))])
        let entry = try #require(list.entry(for: promised, asOf: Self.day))
        #expect(entry.netAmount == Money(cents: 1_367_272) && entry.promisedAmount == Money(cents: 1_000_000))
        // A promise of the whole balance holds the invoice until the promised day plus grace (07-08).
        let whole = account("I", grade: "6", [item("I1", due: "2026-05-01", promise: HeldPromise(payBy: Self.day("2026-07-05"), amount: nil))])
        #expect(list.entry(for: whole, asOf: Self.day, filter: .init(dueOnly: false)) == nil)
        #expect(list.entry(for: whole, asOf: Self.day("2026-07-09")) != nil)
        // 4 000.00 of 10 000.00 disputed: 6 000.00 claimed; all disputed: off the list.
        let disputed = account("J", grade: "6", [item("J1", cents: 1_000_000, due: "2026-05-01", disputed: 400_000)])
        #expect(list.entry(for: disputed, asOf: Self.day)?.netAmount == Money(cents: 600_000))
        #expect(
            list.entry(
                for: account("K", grade: "6", [item("K1", due: "2026-05-01", disputed: 10_000)]), asOf: Self.day, filter: .init(dueOnly: false))
                == nil)
    }

    @Test("the top N equals the first N of the whole list, ranked whole or in merged parts")
    func topN() {
        let list = CollectionsWorklist(model: Self.model)
        var accounts: [CollectionsAccount] = []
        for index in 0..<300 {
            let grade = ["2", "5", "8"][index % 3]
            var customer = account("C\(index)", grade: grade, pd: Double(index % 17 + 1) / 100, credits: index % 7 == 0 ? 50_000 : 0, [])
            customer.group = index % 4 == 0 ? "G" : nil
            for number in 0..<(index % 5) {
                customer.items.append(
                    .init(
                        invoiceId: "I\(index)-\(number)", dueDate: Self.day - (index * 7 + number * 13) % 131 + 10,
                        openAmount: Money(cents: Int64((index * 37 + number) % 9_000 + 100) * 100),
                        disputedAmount: number == 3 ? Money(cents: 5_000) : .zero,
                        progress: number == 1 ? DunningProgress(step: .reminder, on: Self.day - index % 20) : nil))
            }
            accounts.append(customer)
        }
        for filter in [WorklistFilter(), WorklistFilter(dueOnly: false), WorklistFilter(step: .reminder, group: "G")] {
            let all = accounts.compactMap { list.entry(for: $0, asOf: Self.day, filter: filter) }.sorted(by: CollectionsWorklist.ranksBefore)
            let top = list.topCustomers(accounts[...], asOf: Self.day, limit: 25, filter: filter)
            #expect(top.entries == Array(all.prefix(25)))
            #expect(top.listed == all.count)
            let parts = [accounts[0..<100], accounts[100..<170], accounts[170..<300]].map {
                list.topCustomers($0, asOf: Self.day, limit: 25, filter: filter)
            }
            let merged = CollectionsWorklist.merge(parts, limit: 25, ranksBefore: CollectionsWorklist.ranksBefore)
            #expect(merged.entries == top.entries && merged.listed == top.listed)
            let invoices = accounts.flatMap { list.invoiceEntries(for: $0, asOf: Self.day, filter: filter) }
                .sorted(by: CollectionsWorklist.ranksBefore)
            let topInvoices = list.topInvoices(accounts[...], asOf: Self.day, limit: 40, filter: filter)
            #expect(topInvoices.entries == Array(invoices.prefix(40)) && topInvoices.listed == invoices.count)
        }
        #expect(!list.topCustomers(accounts[...], asOf: Self.day, limit: 25).entries.isEmpty)
    }

    @Test("a run plans one document for the automatic steps and leaves calls to collectors")
    func runPlan() throws {
        let list = CollectionsWorklist(model: Self.model)
        // Medium class: reminder +5 by e-mail, firm reminder +15 by phone. M1 was reminded on
        // 06-01 (firm reminder due from 06-11), M2 is at its first reminder, M3 is not yet due.
        let customer = account(
            "M", grade: "6",
            [
                item("M1", due: "2026-05-20", done: (.reminder, "2026-06-01")), item("M2", due: "2026-06-20"),
                item("M3", due: "2026-07-20"),
            ])
        let plan = list.plan(customer, asOf: Self.day)
        let reminder = try #require(plan.reminder)
        #expect(reminder.rule.step == .reminder && reminder.rule.channel == "email")
        #expect(reminder.invoices == [.init(invoiceId: "M1", step: nil), .init(invoiceId: "M2", step: .reminder)])
        #expect(plan.tasks == [CollectorTask(customerId: "M", step: .firmReminderAndCall, channel: "phone", invoiceIds: ["M1"])])
    }

    @Test("a French letter states the 40 € indemnity per invoice and three times the legal rate")
    func latePaymentMentions() throws {
        let planned = PlannedReminder(
            customerId: "N", rule: .init(step: .formalNotice, offsetDays: 30, channel: "registered_letter"),
            invoices: [.init(invoiceId: "N1", step: .formalNotice), .init(invoiceId: "N2", step: .reminder)])
        let invoices = [
            Invoice(
                id: "N1", customerId: "N", issueDate: Self.day("2026-03-01"), dueDate: Self.day("2026-04-01"), amount: Money(cents: 5_240_700),
                currency: "EUR"),
            Invoice(
                id: "N2", customerId: "N", issueDate: Self.day("2026-05-01"), dueDate: Self.day("2026-05-31"), amount: Money(cents: 100_000),
                currency: "EUR"),
        ]
        let credit = Invoice(
            id: "AV1", customerId: "N", issueDate: Self.day("2026-05-10"), dueDate: Self.day("2026-05-10"), amount: Money(cents: -2_754_900),
            currency: "EUR")
        let document = ReminderDocument(
            planned: planned, customerName: "Nord", contact: .empty, language: .fr, issuedOn: Self.day("2026-06-01"), invoices: invoices,
            claimed: ["N1": Money(cents: 5_240_700), "N2": Money(cents: 100_000), "AV1": Money(cents: -2_754_900)], credits: [credit],
            terms: .france2026)
        // 2.62 % in the first half of 2026, times 3 = 7.86 %.
        #expect(abs(document.latePayment.interestRatePercent - 7.86) < 1e-9 && !document.latePayment.contractual)
        // Two invoices past due on 06-01 (N1 by 61 days, N2 by 1): 2 × 40.00 = 80.00.
        #expect(document.latePayment.indemnityPerInvoice == Money(cents: 4_000) && document.latePayment.indemnityTotal == Money(cents: 8_000))
        // 52 407.00 + 1 000.00 claimed, 27 549.00 credited: 25 858.00 due within eight days.
        #expect(document.totalClaimed == Money(cents: 5_340_700) && document.totalCredits == Money(cents: 2_754_900))
        #expect(document.balanceDue == Money(cents: 2_585_800) && document.payBy == Self.day("2026-06-09"))
        // In the second half of 2025 the legal rate was 2.76 %: 8.28 %.
        #expect(abs(LatePaymentTerms.france2026.ratePercent(on: Self.day("2025-09-01")) - 8.28) < 1e-9)
        // The table's days are the half-years' first days.
        #expect(LatePaymentTerms.france2026.legalRates.map(\.from.iso) == ["2025-07-01", "2026-01-01"])
        // A contractual rate below the floor is not lawful: the floor is stated.
        var low = LatePaymentTerms.france2026
        low.contractualRatePercent = 5
        #expect(abs(low.ratePercent(on: Self.day("2026-06-01")) - 7.86) < 1e-9)
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
