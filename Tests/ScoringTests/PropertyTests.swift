import CreditCore
import Testing

/// Properties over many generated customers: a deterministic PRNG draws 300 ledgers, each scored
/// twice with one thing changed and everything else equal.
@Suite("Scoring properties")
struct PropertyTests {
    static let asOf = day("2025-06-30")

    /// A customer with 2 to 24 invoices issued over 15 months, all due before the as-of date,
    /// paid from 10 days early to 120 days late (some in two parts, some not at all), and a
    /// statement two times out of three.
    static func customer(_ random: inout SplitMix64) -> CustomerEvidence {
        var invoices: [Invoice] = []
        var payments: [Payment] = []
        let habit = random.int(-10...90)
        for number in 0..<random.int(2...24) {
            let issue = asOf - random.int(35...450)
            let due = issue + 30
            let cents = Int64(random.int(100...50_000)) * 100
            let id = "I\(number)"
            invoices.append(Invoice(id: id, customerId: "C1", issueDate: issue, dueDate: due, amount: Money(cents: cents), currency: "EUR"))
            guard !random.chance(0.1) else { continue }  // never paid
            let paid = due + max(-10, habit + random.int(-15...30))
            if random.chance(0.2) {
                payments.append(Payment(id: "\(id)a", invoiceId: id, paidOn: paid - random.int(5...20), amount: Money(cents: cents / 2)))
                payments.append(Payment(id: "\(id)b", invoiceId: id, paidOn: paid, amount: Money(cents: cents - cents / 2)))
            } else {
                payments.append(Payment(id: "\(id)a", invoiceId: id, paidOn: paid, amount: Money(cents: cents)))
            }
        }
        payments.removeAll { $0.paidOn > asOf }
        let accounts: FinancialStatement? =
            random.chance(0.67)
            ? statement(
                periodEnd: "2024-12-31", revenue: Int64(random.int(100_000...20_000_000)), operatingIncome: Int64(random.int(-100_000...300_000)),
                netIncome: Int64(random.int(-100_000...200_000)), currentAssets: Int64(random.int(200_000...800_000)),
                currentLiabilities: Int64(random.int(100_000...700_000)), equity: Int64(random.int(-200_000...900_000)),
                retainedEarnings: Int64(random.int(-300_000...500_000)))
            : nil
        let sector = Sector(
            code: "S", label: "generated", averageDaysBeyondTerms: Double(random.int(5...30)), averageDSODays: 60,
            annualFailureRate: Double(random.int(4...40)) / 1000, period: "2024", source: "test")
        return CustomerEvidence(
            customer: CreditCoreTestsCustomer.make(), asOf: asOf, invoices: invoices, payments: payments, disputes: [],
            sector: sector, portfolioSector: portfolioAverage, statement: accounts)
    }

    /// Every model shipped: the expert ones, v3's scorecard and the fitted default.
    static let modelFiles = ShippedModels.files

    static func customers() -> [CustomerEvidence] {
        var random = SplitMix64(state: 20_250_630)
        return (0..<300).map { _ in customer(&random) }
    }

    @Test("paying later never improves the grade (nor lowers the PD)", arguments: modelFiles)
    func payingLater(file: String) throws {
        let scorer = Scorer(model: try ShippedModels.load(file))
        var random = SplitMix64(state: 7)
        for evidence in Self.customers() {
            let before = scorer.assess(evidence)
            var later = evidence
            let shift = random.int(1...60)
            // Every payment k days later; one pushed past the as-of date has not arrived yet.
            later.payments = evidence.payments.map {
                Payment(id: $0.id, invoiceId: $0.invoiceId, paidOn: $0.paidOn + shift, amount: $0.amount)
            }.filter { $0.paidOn <= Self.asOf }
            let after = scorer.assess(later)
            #expect(after.grade.rank >= before.grade.rank, "\(shift) days later: \(before.grade) → \(after.grade)")
            #expect(after.pd >= before.pd - 1e-12, "\(shift) days later: PD \(before.pd) → \(after.pd)")
        }
    }

    @Test("more equity never lowers the limit", arguments: modelFiles)
    func moreEquity(file: String) throws {
        let scorer = Scorer(model: try ShippedModels.load(file))
        var random = SplitMix64(state: 11)
        for evidence in Self.customers() where evidence.statement != nil {
            var richer = evidence
            let extra = Money(cents: Int64(random.int(1...500_000)) * 100)
            richer.statement?.amounts.equity = (evidence.statement?.amounts.equity ?? .zero) + extra
            let before = scorer.assess(evidence)
            let after = scorer.assess(richer)
            #expect(after.suggestedLimit >= before.suggestedLimit, "+\(extra.formatted): \(before.suggestedLimit) → \(after.suggestedLimit)")
            #expect(after.grade.rank <= before.grade.rank)
        }
    }

    @Test("no look-ahead: an invoice, payment, dispute or statement dated after the as-of date changes nothing", arguments: modelFiles)
    func noLookAhead(file: String) throws {
        let scorer = Scorer(model: try ShippedModels.load(file))
        var random = SplitMix64(state: 13)
        for evidence in Self.customers() {
            let before = scorer.assess(evidence)
            var noisy = evidence
            let future = Self.asOf + random.int(1...90)
            noisy.invoices.append(
                Invoice(id: "LATE", customerId: "C1", issueDate: future, dueDate: future + 30, amount: euros(9_999), currency: "EUR"))
            noisy.payments.append(Payment(id: "LATE-P", invoiceId: "LATE", paidOn: future + 1, amount: euros(9_999)))
            if let open = evidence.invoices.first(where: { invoice in !evidence.payments.contains { $0.invoiceId == invoice.id } }) {
                noisy.payments.append(Payment(id: "FUTURE", invoiceId: open.id, paidOn: future, amount: open.amount))
                noisy.disputes.append(Dispute(invoiceId: open.id, kind: "price", openedOn: future))
            }
            if noisy.statement == nil {
                noisy.statement = statement(periodEnd: future.iso)
            }
            #expect(scorer.assess(noisy) == before)
        }
    }

    @Test("scoring is deterministic and the score never rises with the PD", arguments: modelFiles)
    func scoreMonotone(file: String) throws {
        let scorer = Scorer(model: try ShippedModels.load(file))
        let assessments = Self.customers().map(scorer.assess).sorted { $0.pd < $1.pd }
        for (lower, higher) in zip(assessments, assessments.dropFirst()) {
            #expect(higher.score <= lower.score)
            #expect(higher.grade.rank >= lower.grade.rank || lower.paymentProfile.isThinFile)
        }
        #expect(Self.customers().map(scorer.assess) == Self.customers().map(scorer.assess))
    }
}

/// The generated customers' account record.
enum CreditCoreTestsCustomer {
    static func make() -> Customer { customer("C1") }
}
