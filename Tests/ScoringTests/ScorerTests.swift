import Foundation
import Testing

@testable import CreditCore

@Suite("Combination, grades and reasons")
struct ScorerTests {
    /// v1 with every component switched off but the payment index and Altman Z''.
    static func tinyModel() throws -> ScoringModel {
        var model = try ModelFile.shipped()
        let off = ScoringModel.Transform(weight: 0, reference: 0, minEffect: 0, maxEffect: 0)
        model.components = .init(
            paymentIndex: .init(weight: -0.04, reference: 80, minEffect: -5, maxEffect: 5), sectorDelay: off, lateShare: off,
            recentDelay: off, overdueShare: off, disputes: off, brokenPromises: off,
            altmanZ: .init(weight: -0.8, reference: 1.85, minEffect: -5, maxEffect: 5), negativeEquity: off, netLoss: off)
        return model
    }

    @Test("the PD is the sector prior plus the contributions, in log-odds")
    func combination() throws {
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-05-01", due: "2025-05-31", 1000)
        ledger.pay("A", on: "2025-06-15", 1000)  // 15 days beyond terms: index 70
        let assessment = Scorer(model: try Self.tinyModel()).assess(ledger.evidence(asOf: "2025-06-30", statement: statement()))
        // Prior: logit(0.02) = ln(0.02 / 0.98) = −3.891820.
        // Payment index: −0.04 · (70 − 80) = +0.4.
        // Altman: −0.8 · (3.336 − 1.85) = −1.1888 (statement 6 months old: full weight).
        // Log-odds −3.891820 + 0.4 − 1.1888 = −4.680620; PD = 1 / (1 + e^4.680620) = 0.0091881.
        #expect(assessment.priorPD == 0.02)
        let index = try #require(assessment.contributions.first { $0.component == .paymentIndex })
        #expect(index.effect.isClose(to: 0.4))
        let altman = try #require(assessment.contributions.first { $0.component == .altmanZ })
        #expect(altman.effect.isClose(to: -1.1888))
        #expect(assessment.logOdds.isClose(to: -4.680620, within: 1e-6))
        #expect(assessment.pd.isClose(to: 0.0091881, within: 1e-7))
        // 0.006 < 0.0091881 ≤ 0.01: grade 4; one invoice is a thin file, but 4 is the cap anyway.
        #expect(assessment.grade.code == "4")
        // Score: 100 · (0 − logit(0.0091881)) / (0 − logit(0.0005)) = 100 · 4.68062 / 7.60040 = 61.58 → 62.
        #expect(assessment.score == 62)
    }

    @Test("a missing component contributes nothing and is named in the reasons")
    func missingComponents() throws {
        let assessment = Scorer(model: try ModelFile.shipped()).assess(LedgerBuilder().evidence(asOf: "2025-06-30"))
        for component in [
            ScoreComponent.paymentIndex, .sectorDelay, .lateShare, .recentDelay, .overdueShare, .altmanZ, .negativeEquity, .netLoss,
        ] {
            let contribution = try #require(assessment.contributions.first { $0.component == component })
            #expect(contribution.missing && contribution.effect == 0, "\(component)")
        }
        let codes = assessment.reasons.map(\.code)
        #expect(codes.contains(.noPaymentHistory))
        #expect(codes.contains(.noStatement))
        #expect(codes.contains(.thinFile))
        // Nothing known, not even an invoice: the PD is the sector prior, 0.02, grade 5. A
        // customer never invoiced has no clean record to be credited for (an overdue share of 0
        // would have taken 0.2 off the log-odds).
        #expect(assessment.pd.isClose(to: 0.02, within: 1e-9))
        #expect(assessment.grade.code == "5")
        // No statement and no history: nothing to size a limit from.
        #expect(assessment.suggestedLimit == .zero)
        #expect(assessment.limitStep.basis == .noEvidence)
        #expect(assessment.recommendation == .refer)
    }

    @Test("an unknown sector falls back to the portfolio average, and the reasons say so")
    func unknownSector() throws {
        let assessment = Scorer(model: try ModelFile.shipped()).assess(PaymentProfileTests.ledger().evidence(asOf: "2025-06-30", sector: nil))
        #expect(assessment.priorPD == 0.025)
        #expect(assessment.sectorBenchmark.usedPortfolioAverage)
        #expect(assessment.reasons.contains { $0.code == .sectorUnknown && $0.text.contains("43.21A is not in the sector table") })
    }

    @Test("reasons state the numbers and come sorted by the size of their effect")
    func reasons() throws {
        let assessment = Scorer(model: try ModelFile.shipped()).assess(PaymentProfileTests.ledger().evidence(asOf: "2025-06-30"))
        let delay = try #require(assessment.reasons.first { $0.code == .sectorDelay })
        // Floored average 96000 / 4500 = 21.33 days; sector 10; effect 0.015 · 11.33 = 0.17.
        #expect(delay.text == "pays 21.3 days beyond terms on average; its sector 43.21A 10")
        #expect(delay.effect.isClose(to: 0.015 * (96_000.0 / 4500 - 10)))
        let effects = assessment.reasons.filter { $0.effect != 0 }.map { abs($0.effect) }
        #expect(effects == effects.sorted(by: >))
        // Information (effect 0) comes after every scored reason.
        let firstInformation = try #require(assessment.reasons.firstIndex { $0.effect == 0 })
        #expect(assessment.reasons[firstInformation...].allSatisfy { $0.effect == 0 })
    }

    @Test("a thin file caps the best reachable grade")
    func thinFileCap() throws {
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-04-01", due: "2025-05-31", 100_000)
        ledger.pay("A", on: "2025-05-16", 100_000)  // 15 days early: index 100
        let assessment = Scorer(model: try ModelFile.shipped()).assess(ledger.evidence(asOf: "2025-06-30", statement: statement()))
        // logit(0.02) − 0.8 (index 100, floor) − 0.15 (0 days against the sector's 10) − 0.2 (nothing overdue)
        // − 1.1888 (Z'' 3.336) = −6.23062: PD 0.001964, grade 2 — capped at 4 for a single invoice.
        #expect(assessment.pd.isClose(to: 0.001964, within: 1e-6))
        #expect(assessment.uncappedGrade.code == "2")
        #expect(assessment.grade.code == "4")
        #expect(assessment.reasons.contains { $0.code == .thinFile && $0.text.contains("capped at 4") })
    }

    @Test("a customer in default is D with PD 1, score 0, no limit and cash in advance")
    func defaultGrade() throws {
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-01-30", due: "2025-03-01", 1000)
        let assessment = Scorer(model: try ModelFile.shipped()).assess(ledger.evidence(asOf: "2025-06-30"))
        #expect(assessment.grade.code == "D" && assessment.grade.rank == 11)
        #expect(assessment.pd == 1 && assessment.score == 0)
        #expect(assessment.suggestedLimit == .zero && assessment.limitStep.basis == .inDefault)
        #expect(assessment.recommendation == .depositOrCashInAdvance)
        #expect(assessment.reasons.first?.code == .pastDueDefault)

        var flagged = PaymentProfileTests.ledger().evidence(asOf: "2025-06-30")
        flagged.defaultFlag = true
        let byFlag = Scorer(model: try ModelFile.shipped()).assess(flagged)
        #expect(byFlag.grade.isDefault && byFlag.reasons.first?.code == .defaultFlag)
    }

    @Test(
        "grade lookup: a PD on a band's upper bound stays in that band",
        arguments: [
            (0.0001, "1"), (0.0015, "1"), (0.0015001, "2"), (0.006, "3"), (0.0061, "4"), (0.02, "5"), (0.020001, "6"),
            (0.15, "8"), (0.3, "9"), (0.30001, "10"), (0.95, "10"),
        ])
    func gradeBoundaries(pd: Double, code: String) throws {
        #expect(try ModelFile.shipped().grade(forPD: pd).code == code)
    }

    @Test("score: 100 at 0.05 %, 0 at 50 %, halfway in log-odds at 2.19 %")
    func scoreScale() throws {
        let scale = try ModelFile.shipped().score
        #expect(Scorer.score(pd: 0.0001, scale: scale) == 100)
        #expect(Scorer.score(pd: 0.0005, scale: scale) == 100)
        #expect(Scorer.score(pd: 0.5, scale: scale) == 0)
        #expect(Scorer.score(pd: 0.9, scale: scale) == 0)
        // Halfway: logit = logit(0.0005) / 2 = −7.60040 / 2 = −3.80020; PD = 1 / (1 + e^3.80020) = 0.021882.
        #expect(Scorer.score(pd: 0.021882, scale: scale) == 50)
    }

    @Test("a 60-day payer in a sector at 10 days lands several grades below a prompt payer")
    func calibration() throws {
        func payer(daysLate: Int) -> CustomerEvidence {
            var ledger = LedgerBuilder()
            // One 1 000 invoice a month, due at the end of each month from 2024-07 to 2025-03, all paid.
            for month in 0..<9 {
                let due = Day(year: 2024 + (month + 6) / 12, month: (month + 6) % 12 + 1, day: 28)!
                ledger.invoice("I\(month)", issued: (due - 30).iso, due: due.iso, 1000)
                ledger.pay("I\(month)", on: (due + daysLate).iso, 1000)
            }
            return ledger.evidence(asOf: "2025-06-30")
        }
        let scorer = Scorer(model: try ModelFile.shipped())
        let prompt = scorer.assess(payer(daysLate: 0))
        let late = scorer.assess(payer(daysLate: 60))
        // Prompt: index 80 (0), sector −0.15, overdue −0.2: logit −4.24182, PD 1.42 %, grade 5.
        #expect(prompt.grade.code == "5")
        // 60 days: index 40 (+1.6), sector 0.015·50 = +0.75, late share 1 (+0.8), overdue −0.2
        // (no invoice fell due in the last 3 months): logit −0.94182, PD 28.1 %, grade 9.
        #expect(late.pd.isClose(to: 1 / (1 + exp(0.94182)), within: 1e-5))
        #expect(late.grade.code == "9")
        #expect(late.grade.rank - prompt.grade.rank >= 3)
    }
}
