import CreditCore
import Testing

/// How disputes weigh on a customer's payment profile and default, under the shipped model's
/// default rule (scoring-model-v4: more than 90 days past due, material from 500 and 1 % of
/// exposure). A dispute must never be a way to game the grade.
@Suite("Disputes in scoring")
struct DisputeScoringTests {
    static func model() throws -> ScoringModel { try ShippedModels.load("scoring-model-v4.json") }

    /// One invoice of 10 000, issued 1 January 2025, due 31 January, unpaid.
    static func ledger(disputes: [Dispute] = []) -> LedgerBuilder {
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-01-01", due: "2025-01-31", 10_000)
        ledger.disputes = disputes
        return ledger
    }

    @Test("the shipped model counts toward default what is more than 90 days past due")
    func shippedRule() throws {
        #expect(try Self.model().defaultRule.pastDueDays == 90)
    }

    @Test("a dispute opened on an invoice already 120 days past due leaves the customer in default")
    func lateDisputeKeepsDefault() throws {
        let model = try Self.model()
        // 31 January + 120 days = 31 May (28 + 31 + 30 + 31): past the 90 days when opened.
        let ledger = Self.ledger(disputes: [Dispute(invoiceId: "A", kind: "price", openedOn: day("2025-05-31"))])
        let evidence = ledger.evidence(asOf: "2025-06-30")
        let profile = PaymentProfile(evidence: evidence, model: model)
        #expect(profile.openDisputes == 1)
        #expect(profile.disputedAmount == euros(10_000))  // what is contested...
        #expect(profile.seriouslyPastDue == euros(10_000))  // ...still counts toward default
        #expect(profile.isPastDueDefault)
        #expect(Scorer(model: model).assess(evidence).grade.isDefault)
    }

    @Test("opening a dispute never lifts a customer out of default: the grade is the same with or without it")
    func disputeIsNoWayOut() throws {
        let model = try Self.model()
        let scorer = Scorer(model: model)
        let without = scorer.assess(Self.ledger().evidence(asOf: "2025-06-30"))
        let with = scorer.assess(
            Self.ledger(disputes: [Dispute(invoiceId: "A", kind: "quality", openedOn: day("2025-06-29"))]).evidence(asOf: "2025-06-30"))
        #expect(without.grade.isDefault)
        #expect(with.grade.isDefault)
    }

    @Test("a dispute opened before the invoice counted toward default takes the disputed invoice out of the default count")
    func timelyDispute() throws {
        // Opened 15 days past due: the customer contested it in time.
        let ledger = Self.ledger(disputes: [Dispute(invoiceId: "A", kind: "price", openedOn: day("2025-02-15"))])
        let profile = PaymentProfile(evidence: ledger.evidence(asOf: "2025-06-30"), model: try Self.model())
        #expect(profile.seriouslyPastDue == .zero)
        #expect(!profile.isPastDueDefault)
        #expect(profile.events == 0)  // nothing left in the past-due measures
    }

    @Test("only the disputed part of an invoice leaves the past-due count")
    func partialDispute() throws {
        // 4 000 of the 10 000 contested in time: 10 000 − 4 000 = 6 000 still counts, and 6 000 is
        // material (≥ 500 and ≥ 1 % of the 10 000 exposure).
        let ledger = Self.ledger(disputes: [Dispute(invoiceId: "A", kind: "quantity", openedOn: day("2025-02-15"), amount: euros(4_000))])
        let profile = PaymentProfile(evidence: ledger.evidence(asOf: "2025-06-30"), model: try Self.model())
        #expect(profile.disputedAmount == euros(4_000))
        #expect(profile.seriouslyPastDue == euros(6_000))
        #expect(profile.isPastDueDefault)
        #expect(profile.weightedAmount == euros(6_000))  // the delay averages weigh the undisputed 6 000
        #expect(profile.worstDaysBeyondTerms == 150)  // 31 January to 30 June
        #expect(profile.agedBalance.over90 == euros(10_000))  // the ageing still shows what is owed
    }

    @Test("a disputed part larger than what is still open contests only what is open")
    func partBeyondBalance() throws {
        var ledger = Self.ledger(disputes: [Dispute(invoiceId: "A", kind: "price", openedOn: day("2025-02-15"), amount: euros(4_000))])
        ledger.pay("A", on: "2025-03-01", 8_000)
        // 10 000 − 8 000 = 2 000 open; min(4 000, 2 000) = 2 000 disputed, nothing left counting.
        let profile = PaymentProfile(evidence: ledger.evidence(asOf: "2025-06-30"), model: try Self.model())
        #expect(profile.disputedAmount == euros(2_000))
        #expect(profile.seriouslyPastDue == .zero)
    }

    @Test("a dispute counts only from the day it was opened")
    func pointInTime() throws {
        let model = try Self.model()
        let ledger = Self.ledger(disputes: [Dispute(invoiceId: "A", kind: "price", openedOn: day("2025-02-15"))])
        let before = PaymentProfile(evidence: ledger.evidence(asOf: "2025-02-14"), model: model)
        #expect(before.openDisputes == 0)
        #expect(before.disputedAmount == .zero)
        #expect(before.events == 1)  // the 14 days past due count as usual
        let after = PaymentProfile(evidence: ledger.evidence(asOf: "2025-02-15"), model: model)
        #expect(after.openDisputes == 1)
        #expect(after.events == 0)
    }

    @Test("a resolved dispute puts the whole balance back in the past-due count")
    func resolved() throws {
        let ledger = Self.ledger(disputes: [
            Dispute(invoiceId: "A", kind: "price", openedOn: day("2025-02-15"), resolvedOn: day("2025-03-01"), outcome: .rejected)
        ])
        let profile = PaymentProfile(evidence: ledger.evidence(asOf: "2025-06-30"), model: try Self.model())
        #expect(profile.seriouslyPastDue == euros(10_000))
        #expect(profile.isPastDueDefault)
    }
}
