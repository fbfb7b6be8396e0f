import Foundation
import Testing

@testable import CreditCore

@Suite("Component rules, the v3 scorecard, point-in-time evidence and the fit")
struct ModelFitTests {
    static func modelV3() throws -> ScoringModel {
        try ScoringModel.decode(from: Data(contentsOf: ModelFile.url.deletingLastPathComponent().appendingPathComponent("scoring-model-v3.json")))
    }

    @Test("bins: a value on an edge belongs to the lower bin, above the last edge to the last bin")
    func binsByHand() {
        let bins = ScoringModel.Bins(edges: [0.2, 0.5], effects: [-1, 0, 1])
        #expect(bins.effect(of: -3) == -1)
        #expect(bins.effect(of: 0.2) == -1)
        #expect(bins.effect(of: 0.2000001) == 0)
        #expect(bins.effect(of: 0.5) == 0)
        #expect(bins.effect(of: 9) == 1)
        #expect(ComponentRule.bins(bins).scaled(by: 0.5) == .bins(.init(edges: [0.2, 0.5], effects: [-0.5, 0, 0.5])))
    }

    @Test("a model file whose rule lets a component move the risk the wrong way is refused, naming the field")
    func directionIsEnforced() throws {
        var tree = try ModelFile.tree()
        var components = try #require(tree["components"] as? [String: Any])
        components["leverage"] = ["edges": [0.5], "effects": [0.3, -0.3]]  // more debt, less risk: refused
        tree["components"] = components
        #expect(try ModelFile.refusedField(tree) == "components.leverage.effects[1]", "a leverage that lowers the risk was accepted")
        components["leverage"] = ["edges": [0.5], "effects": [-0.3, 0.3]]
        components["paymentIndex"] = ["weight": 0.04, "reference": 80, "minEffect": -1, "maxEffect": 1]  // paying later helps: refused
        tree["components"] = components
        #expect(try ModelFile.refusedField(tree) == "components.paymentIndex.weight", "a positive payment-index weight was accepted")
        components["paymentIndex"] = ["weight": -0.04, "reference": 80, "minEffect": -1, "maxEffect": 1]
        components["grit"] = ["weight": 1, "reference": 0, "minEffect": 0, "maxEffect": 1]
        tree["components"] = components
        #expect(throws: ModelError.self) { try ScoringModel.decode(from: JSONSerialization.data(withJSONObject: tree)) }
    }

    @Test("a day window beyond ten years is refused, so that no date arithmetic can overflow")
    func dayWindowsAreBounded() throws {
        var tree = try ModelFile.tree()
        var rule = try #require(tree["defaultRule"] as? [String: Any])
        rule["pastDueDays"] = Int.max
        tree["defaultRule"] = rule
        #expect(try ModelFile.refusedField(tree) == "defaultRule.pastDueDays", "a past-due threshold of Int.max days was accepted")
    }

    @Test("v3 weighs six statement ratios in bins and shows Altman Z'' for reference only")
    func v3Scorecard() throws {
        let model = try Self.modelV3()
        #expect(model.components[.altmanZ] == nil)
        #expect(
            Set(model.components.weighed.filter(\.isFinancial))
                == [.leverage, .returnOnAssets, .quickRatio, .debtService, .revenueGrowth, .returnOnAssetsChange])
        #expect(model.provenance?.financialScorecard?.testAUC == 0.852)
        // Liabilities 0.9 of assets (above 0.8546): the riskiest leverage bin, 0.5646 × 1.036 = +0.5849.
        var accounts = statement(
            periodEnd: "2024-12-31", revenue: 1_000_000, operatingIncome: 50_000, netIncome: 20_000, currentAssets: 400_000,
            currentLiabilities: 300_000, equity: 100_000, retainedEarnings: 50_000)
        accounts.amounts.totalLiabilities = euros(900_000)
        let assessment = Scorer(model: model).assess(LedgerBuilder().evidence(asOf: "2025-06-30", statement: accounts))
        let leverage = try #require(assessment.contributions.first { $0.component == .leverage })
        #expect(leverage.value == 0.9)
        #expect(leverage.effect.isClose(to: 0.5849, within: 1e-4))
        #expect(assessment.reasons.contains { $0.code == .altmanZ && $0.effect == 0 && $0.text.contains("for reference") })
        // Growth and its change need the previous year: missing, counted for nothing and said so.
        let growth = try #require(assessment.contributions.first { $0.component == .revenueGrowth })
        #expect(growth.missing && growth.effect == 0)
    }

    @Test("growth and the change in return on assets come from the previous year's figures in the same filing")
    func priorYearRatios() throws {
        var accounts = statement(periodEnd: "2024-12-31", revenue: 1_100_000, netIncome: 30_000, equity: 100_000)
        accounts.priorYear = FinancialStatement.Amounts(revenue: euros(1_000_000), netIncome: euros(50_000), totalAssets: euros(1_000_000))
        let ratios = FinancialProfile.ratios(of: accounts, liabilities: accounts.amounts.totalLiabilities)
        #expect(try #require(ratios[.revenueGrowth]).isClose(to: 0.1))
        // 30 000 / 1 000 000 this year against 50 000 / 1 000 000 the year before: −2 points.
        #expect(try #require(ratios[.returnOnAssetsChange]).isClose(to: -0.02))
    }

    @Test("a year of 18 months against a previous one of 12 is compared a year with a year: no fall in sales from the lengths alone")
    func priorYearOfAnotherLength() throws {
        var accounts = statement(periodEnd: "2017-06-30", months: 18, revenue: 90_380, netIncome: -15_714, equity: 100_000)
        accounts.priorYear = FinancialStatement.Amounts(revenue: euros(98_553), netIncome: euros(-13_787), totalAssets: euros(200_000))
        accounts.priorYearMonths = 12
        let ratios = FinancialProfile.ratios(of: accounts, liabilities: accounts.amounts.totalLiabilities)
        // 90 380 over 18 months is 60 253 a year against 98 553: −38.9 %, not the −8.3 % of the raw figures.
        #expect(try #require(ratios[.revenueGrowth]).isClose(to: 90_380.0 * 12 / 18 / 98_553 - 1))
        let assets = try #require(accounts.amounts.totalAssets).cents
        // Each year's result to a year before it is set against its assets.
        let expected = -15_714.0 * 100 * 12 / 18 / Double(assets) - (-13_787.0 / 200_000)
        #expect(try #require(ratios[.returnOnAssetsChange]).isClose(to: expected))

        // Unstated, the previous year is taken as long as this one: the raw figures compare.
        accounts.priorYearMonths = nil
        let unstated = FinancialProfile.ratios(of: accounts, liabilities: accounts.amounts.totalLiabilities)
        #expect(try #require(unstated[.revenueGrowth]).isClose(to: 90_380.0 / 98_553 - 1))
    }

    @Test("evidence cut at a month end scores as evidence that never held the later entries")
    func pointInTime() throws {
        let model = try Self.modelV3()
        var full = LedgerBuilder()
        full.invoice("A", issued: "2025-01-10", due: "2025-02-09", 4_000)
        full.pay("A", on: "2025-03-20", 4_000)
        full.invoice("B", issued: "2025-03-01", due: "2025-03-31", 2_500)
        full.invoice("C", issued: "2025-04-15", due: "2025-05-15", 1_200)  // after the cut
        full.pay("B", on: "2025-04-20", 2_500)  // after the cut
        full.disputes.append(Dispute(invoiceId: "B", kind: "price", openedOn: day("2025-03-25"), resolvedOn: day("2025-04-10")))
        let cut = day("2025-03-31")
        var known = LedgerBuilder()
        known.invoices = full.invoices.filter { $0.issueDate <= cut }
        known.payments = full.payments.filter { $0.paidOn <= cut }
        known.disputes = [Dispute(invoiceId: "B", kind: "price", openedOn: day("2025-03-25"), resolvedOn: day("2025-04-10"))]
        let scorer = Scorer(model: model)
        let fromFull = scorer.assess(full.evidence(asOf: "2025-06-30").asOf(cut, statement: nil))
        let fromKnown = scorer.assess(known.evidence(asOf: "2025-03-31"))
        #expect(fromFull == fromKnown)
        #expect(fromFull.paymentProfile.openDisputes == 1)  // resolved after the cut: open on the day
    }

    @Test("the statement known on a day: published after the lag, or received; own accounts before the group's")
    func statementKnownOnADay() throws {
        let rule = try Self.modelV3().financial  // 210 days' publication lag
        let own2023 = DatedStatement(statement: statement(periodEnd: "2023-12-31"), receivedOn: nil)
        var group2024 = statement(periodEnd: "2024-12-31")
        group2024.consolidated = true
        let own2024 = DatedStatement(statement: statement(periodEnd: "2024-12-31"), receivedOn: day("2025-03-15"))
        let all = [own2023, DatedStatement(statement: group2024, receivedOn: nil), own2024]
        #expect(rule.latestKnown(all, on: day("2025-03-14")) == own2023.statement)
        #expect(rule.latestKnown(all, on: day("2025-03-15")) == own2024.statement)
        #expect(rule.latestKnown([own2023, DatedStatement(statement: group2024, receivedOn: nil)], on: day("2025-07-29")) == group2024)
        #expect(rule.latestKnown([own2023, DatedStatement(statement: group2024, receivedOn: nil)], on: day("2025-07-28")) == own2023.statement)
        #expect(rule.latestKnown(all, on: day("2023-06-30")) == nil)
    }

    @Test("a default by the ledger: the day after an unpaid invoice passes 90 days, when material")
    func pastDueDefaultDays() throws {
        let model = try Self.modelV3()
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-01-01", due: "2025-01-31", 10_000)
        ledger.invoice("B", issued: "2025-01-05", due: "2025-02-04", 300)  // never paid, but under 500: not material alone
        ledger.invoice("C", issued: "2025-02-01", due: "2025-03-03", 5_000)
        ledger.pay("A", on: "2025-04-15", 10_000)  // 74 days late: never past 90
        ledger.pay("C", on: "2025-07-01", 5_000)  // open 91 days on 2025-06-02
        let days = PastDueDefaults.days(in: ledger.evidence(asOf: "2025-12-31"), model: model)
        // 2025-05-06 (B passes 90 days) is not a default: 300 < 500. C passes on 2025-06-02: 5 300 ≥ 500 and ≥ 1 %.
        #expect(days == [day("2025-06-02")])
    }

    @Test("the default days answered on demand are those of checking every candidate, on random ledgers with partial payments, refunds and disputes")
    func defaultDaysOnDemandEqualTheReference() throws {
        let model = try Self.modelV3()
        var generator = SplitMix64(state: 20_261_207)
        let start = day("2023-01-01")
        var withDefaults = 0
        for _ in 0..<60 {
            var ledger = LedgerBuilder()
            for index in 0..<Int.random(in: 1...25, using: &generator) {
                let issued = start + Int.random(in: 0...700, using: &generator)
                let id = "I\(index)"
                let amount = Int64.random(in: 50...3_000, using: &generator)
                ledger.invoices.append(
                    Invoice(
                        id: id, customerId: "C1", issueDate: issued, dueDate: issued + Int.random(in: 0...60, using: &generator),
                        amount: euros(amount), currency: "EUR"))
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    let paid = Int64.random(in: -200...amount, using: &generator)
                    ledger.payments.append(
                        Payment(
                            id: "P\(ledger.payments.count)", invoiceId: id, paidOn: issued + Int.random(in: 0...300, using: &generator),
                            amount: euros(paid == 0 ? 1 : paid)))
                }
                if Bool.random(using: &generator) {
                    let opened = issued + Int.random(in: 0...200, using: &generator)
                    ledger.disputes.append(
                        Dispute(
                            invoiceId: id, kind: "price", openedOn: opened,
                            resolvedOn: Bool.random(using: &generator) ? opened + Int.random(in: 1...120, using: &generator) : nil))
                }
            }
            let evidence = ledger.evidence(asOf: "2025-06-30")
            let reference = PastDueDefaults.days(in: evidence, model: model)
            if !reference.isEmpty { withDefaults += 1 }
            var onDemand = DefaultDays(evidence: evidence, model: model)
            for month in stride(from: 0, through: 900, by: 30) {
                let cut = start + month
                #expect(onDemand.contains(after: nil, through: cut) == reference.contains { $0 <= cut })
                #expect(onDemand.contains(after: cut, through: nil) == reference.contains { $0 > cut })
                #expect(onDemand.contains(after: cut, through: cut + 365) == reference.contains { $0 > cut && $0 <= cut + 365 })
            }
            var all = DefaultDays(evidence: evidence, model: model)
            #expect(all.all() == reference)
        }
        #expect(withDefaults >= 10, "only \(withDefaults) of 60 ledgers default: the comparison says little")
    }

    @Test(
        "six hundred one-day disputes on one unpaid invoice and an unpaid invoice a day: a panel's questions need a few profiles, not one a candidate"
    )
    func manyCandidatesFewProfiles() throws {
        let model = try Self.modelV3()
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2010-01-01", due: "2010-01-31", 50_000)
        let first = day("2010-06-01")
        for index in 0..<600 {
            ledger.disputes.append(Dispute(invoiceId: "A", kind: "price", openedOn: first + 2 * index, resolvedOn: first + 2 * index + 1))
        }
        // And an unpaid invoice of 10.00 a day for 600 days: crossings below the material amount at first.
        for index in 0..<600 {
            let issued = first + index
            ledger.invoices.append(
                Invoice(id: "S\(index)", customerId: "C1", issueDate: issued, dueDate: issued + 30, amount: euros(10), currency: "EUR"))
        }
        let evidence = ledger.evidence(asOf: "2019-12-31")
        var defaults = DefaultDays(evidence: evidence, model: model)
        let monthEnds = (0..<24).map { first + 30 * $0 }
        let rows = SnapshotPanel.rows(
            evidence: evidence, statements: [], monthEnds: monthEnds, defaults: &defaults, horizonDays: 365, scorer: Scorer(model: model))
        #expect(defaults.profilesBuilt < 60, "\(defaults.profilesBuilt) profiles for 1 200 candidates")
        // The same rows as from the full list of default days.
        let reference = SnapshotPanel.rows(
            evidence: evidence, statements: [], monthEnds: monthEnds, defaultDays: PastDueDefaults.days(in: evidence, model: model),
            horizonDays: 365, scorer: Scorer(model: model))
        #expect(rows.map(\.defaulted) == reference.map(\.defaulted) && rows.map(\.month) == reference.map(\.month))
    }

    /// Twelve month ends of 1 500 customers each, whose days beyond terms are the only evidence,
    /// failing with `pd(month, delay)`; and a base model that weighs no payment component.
    static func delayPanel(_ pd: (Int, Double) -> Double) throws -> (ScoringModel, SnapshotPanel) {
        var model = try Self.modelV3()
        // The base model knows nothing of delays: every payment component weighs zero.
        for component in model.components.weighed where !component.isFinancial {
            model.components[component] = .linear(.init(weight: 0, reference: 0, minEffect: 0, maxEffect: 0))
        }
        let months = (1...12).compactMap { Day(year: 2024, month: $0, day: Day.daysIn(month: $0, year: 2024)) }
        var panel = SnapshotPanel(components: model.components.weighed, monthEnds: months, baselineMonth: 5)
        var random = SplitMix64(state: 99)
        for month in 0..<12 {
            for _ in 0..<1_500 {
                let delay = Double(random.int(-10...90))
                let defaulted = Double(random.next() >> 11) / Double(1 << 53) < pd(month, delay)
                let contributions = model.components.weighed.map { component in
                    Contribution(
                        component: component, value: component == .sectorDelay ? delay : nil, effect: 0, missing: component != .sectorDelay,
                        capped: false)
                }
                panel.append(
                    .init(month: month, priorLogOdds: Scorer.logit(0.02), contributions: contributions, thinFile: false, defaulted: defaulted))
            }
        }
        return (model, panel)
    }

    @Test("a fit on a panel where late payers fail more learns the direction and beats a model that ignores it")
    func fitLearnsFromOutcomes() throws {
        let (model, panel) = try Self.delayPanel { _, delay in Scorer.logistic(-4.5 + 0.04 * delay) }
        let outcome = try ModelFitter(base: model).fit(panel, version: "fitted", labels: "test", horizonDays: 365)
        #expect(outcome.record.paymentPartAdopted)
        #expect((outcome.fittedReport.auc ?? 0) > 0.65)
        #expect(outcome.baseReport.auc == 0.5)
        #expect(outcome.record.training.rows == 9_000 && outcome.record.calibration.rows == 4_500 && outcome.record.test.rows == 4_500)
        guard case .bins(let bins) = outcome.model.components[.sectorDelay] else {
            Issue.record("sectorDelay is not binned")
            return
        }
        // Paying later never helps: the effects only rise, and the fitted model passes validation.
        #expect(zip(bins.effects, bins.effects.dropFirst()).allSatisfy { $0 <= $1 })
        #expect((bins.effects.last ?? 0) > (bins.effects.first ?? 0))
        let written = try JSONEncoder().encode(outcome.model)
        #expect(try ScoringModel.decode(from: written) == outcome.model)
        #expect(outcome.model.monitoring?.components[.sectorDelay] != nil)
        // One sector and no statements: the prior and the financial block keep their weights.
        #expect(outcome.model.provenance?.fit?.coefficients.map(\.name) == ["sectorDelay"])
    }

    @Test("whether the fitted weights are kept is decided on the calibration months, never on the test months that report them")
    func adoptionDecidedBeforeTheTestMonths() throws {
        // Months 0-5 train, 6-8 calibrate, 9-11 test. In the test months the relation turns
        // round: late payers fail less. The fit still separates on the calibration months and
        // is kept; the test months then report, honestly, that it separates worse there.
        let (model, panel) = try Self.delayPanel { month, delay in
            Scorer.logistic(-4.5 + 0.04 * (month >= 9 ? 80 - delay : delay))
        }
        let outcome = try ModelFitter(base: model).fit(panel, version: "fitted", labels: "test", horizonDays: 365)
        #expect(outcome.record.paymentPartAdopted)
        #expect((outcome.fittedReport.auc ?? 1) < 0.5)
        #expect(outcome.model.summary.contains("calibration months' AUC"))
    }

    @Test(
        "a statement ratio no public data set weighs (interest cover), given as a candidate, is binned and weighed on the ledger; one without values is left out"
    )
    func candidateRatioWeighedOnTheLedger() throws {
        let v3 = try Self.modelV3()
        let model = try ModelFitter.withCandidates([.interestCover, .cashRatio], added: v3)
        #expect(model.components[.interestCover] == .neutral && model.components[.cashRatio] == .neutral)
        // Only a statement ratio the model does not weigh yet can be a candidate.
        #expect(throws: Refusal.self) { try ModelFitter.withCandidates([.sectorDelay], added: v3) }
        #expect(throws: Refusal.self) { try ModelFitter.withCandidates([.leverage], added: v3) }
        let months = (1...12).compactMap { Day(year: 2024, month: $0, day: Day.daysIn(month: $0, year: 2024)) }
        var panel = SnapshotPanel(components: model.components.weighed, monthEnds: months, baselineMonth: 5)
        var random = SplitMix64(state: 7)
        for month in 0..<12 {
            for _ in 0..<1_500 {
                // Two customers in three have accounts; the weaker their interest cover, the likelier they fail.
                let cover: Double? = random.int(0...2) == 0 ? nil : Double(random.int(-4...16))
                let pd = Scorer.logistic(-3.2 - 0.12 * (cover ?? 4))
                let defaulted = Double(random.next() >> 11) / Double(1 << 53) < pd
                let contributions = model.components.weighed.map { component in
                    let value = component == .interestCover ? cover : nil
                    return Contribution(component: component, value: value, effect: 0, missing: value == nil, capped: false)
                }
                panel.append(
                    .init(month: month, priorLogOdds: Scorer.logit(0.02), contributions: contributions, thinFile: false, defaulted: defaulted))
            }
        }
        let outcome = try ModelFitter(base: model).fit(panel, version: "fitted", labels: "test", horizonDays: 365)
        #expect(outcome.record.coefficients.map(\.name).contains("interestCover"))
        guard case .bins(let bins) = outcome.model.components[.interestCover] else {
            Issue.record("interestCover is not weighed by the fitted model")
            return
        }
        // More cover never raises the risk, and the weakest cover is the riskiest.
        #expect(zip(bins.effects, bins.effects.dropFirst()).allSatisfy { $0 >= $1 })
        #expect((bins.effects.first ?? 0) > (bins.effects.last ?? 0))
        #expect((outcome.fittedReport.auc ?? 0) > 0.6)
        // No customer has a cash ratio: nothing to weigh, so it is not in the new model; the scorecard keeps its bins.
        #expect(outcome.model.components[.cashRatio] == nil)
        #expect(outcome.model.components[.leverage] == v3.components[.leverage])
        #expect(try ScoringModel.decode(from: JSONEncoder().encode(outcome.model)) == outcome.model)
    }

    @Test("population stability against a baseline kept as counts, by hand")
    func stabilityFromCounts() throws {
        // Baseline: 50 % at or below 1, 50 % above, none missing. Today: 80 % / 10 % / 10 % missing.
        let psi = try #require(
            PopulationStability(expectedCounts: [50, 50, 0], actual: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2, nil], edges: [1]))
        let expected = (0.8 - 0.5) * log(0.8 / 0.5) + (0.1 - 0.5) * log(0.1 / 0.5) + (0.1 - 1e-4) * log(0.1 / 1e-4)
        #expect(psi.index.isClose(to: expected, within: 1e-9))
        var model = try Self.modelV3()
        model.monitoring = MonitoringBaseline(
            asOf: day("2025-01-31"), score: .init(edges: [50], counts: [50, 50, 0]),
            components: [.leverage: .init(edges: [1], counts: [50, 50, 0])])
        let report = try #require(
            MonitoringReport(
                model: model, asOf: day("2025-06-30"), scores: [10, 90],
                values: [.leverage: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2, nil]]))
        #expect(report.score?.status == "stable")
        #expect(report.components.first?.status == "review")
        #expect(report.components.first?.missingRate == 0.1)
        #expect(report.alerts.count == 1 && report.alerts[0].hasPrefix("leverage"))
    }
}

@Suite("PD calibration arithmetic")
struct PDCalibrationTests {
    @Test("the line, then the knots: straight between two, shifted like the nearest beyond the ends")
    func knotsByHand() {
        let calibration = ScoringModel.PDCalibration(
            intercept: 0.5, slope: 2, knots: [.init(logOdds: -5, calibrated: -4.5), .init(logOdds: -3, calibrated: -3.5)])
        // raw −2.75: line 0.5 + 2 × −2.75 = −5.0, on the first knot: −4.5.
        #expect(calibration.apply(-2.75).isClose(to: -4.5))
        // raw −2.25: line −4.0, half way between the knots: −4.0.
        #expect(calibration.apply(-2.25).isClose(to: -4.0))
        // raw −3.25: line −6.0, below the first knot: shifted by its +0.5, −5.5.
        #expect(calibration.apply(-3.25).isClose(to: -5.5))
        // raw 0: line 0.5, above the last knot: shifted by its −0.5, 0.0.
        #expect(calibration.apply(0).isClose(to: 0))
        // Without knots, the line alone.
        #expect(ScoringModel.PDCalibration(intercept: 0.5, slope: 2).apply(-1).isClose(to: -1.5))
    }

    @Test("knots that fall anywhere make the model file refused, naming the knot")
    func knotsMustRise() throws {
        var tree = try ModelFile.tree()
        var combination = try #require(tree["combination"] as? [String: Any])
        combination["calibration"] = [
            "intercept": 0, "slope": 1, "knots": [["logOdds": -4, "calibrated": -4], ["logOdds": -3, "calibrated": -4.2]],
        ]
        tree["combination"] = combination
        #expect(try ModelFile.refusedField(tree) == "combination.calibration.knots[1]", "falling knots were accepted")
    }
}
