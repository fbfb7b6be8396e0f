import CreditCore
import Testing

@Suite("Limit policy")
struct LimitPolicyTests {
    @Test(
        "limits are rounded down to two significant figures, in steps of at least 500",
        arguments: [
            (12_345_678 as Int64, 12_000_000 as Int64),  // 123 456.78: 6 digits, step 10 000 → 120 000.00
            (123_400, 100_000),  // 1 234: step 100, raised to 500 → 1 000
            (74_000, 50_000),  // 740: step 500 → 500
            (42_000, 0),  // 420: below the smallest step
            (999_900, 950_000),  // 9 999: step 500 → 9 500
            (1_567_800, 1_500_000),  // 15 678: step 1 000 → 15 000
            (50_000_000, 50_000_000),  // 500 000: already round
            (-100, 0),
        ])
    func rounding(cents: Int64, expected: Int64) throws {
        #expect(try ModelFile.shipped().limitPolicy.rounded(Money(cents: cents)) == Money(cents: expected))
    }

    func suggest(grade code: String, accounts: FinancialStatement?, ledger: LedgerBuilder = LedgerBuilder()) throws -> (limit: Money, step: LimitStep)
    {
        let model = try ModelFile.shipped()
        let evidence = ledger.evidence(asOf: "2025-06-30", statement: accounts)
        let financial = accounts.flatMap { FinancialProfile(statement: $0, asOf: evidence.asOf, model: model) }
        return model.limitPolicy.suggest(
            grade: try #require(model.grade(code: code)), financial: financial, profile: PaymentProfile(evidence: evidence, model: model),
            model: model)
    }

    @Test("grade 5 with a statement: the smallest of 10 % of equity, 3 % of revenue and the cap")
    func equityBinds() throws {
        let (limit, step) = try suggest(grade: "5", accounts: statement())
        // 10 % of 400 000 = 40 000; 3 % of 2 000 000 = 60 000; cap 150 000 → equity binds.
        #expect(step.basis == .equityShare)
        #expect(step.unrounded == euros(40_000))
        #expect(limit == euros(40_000))
        #expect(step.candidates.map(\.basis) == [.equityShare, .revenueShare, .gradeCap])
        #expect(step.explanation.hasPrefix("10.0 % of equity 400 000.00 = 40 000.00, rounded down to 40 000.00"))
    }

    @Test("accounts in another currency than the ledger's still score, but their equity and revenue do not size the limit, and the step says so")
    func foreignAccountsDoNotSizeTheLimit() throws {
        let model = try ModelFile.shipped()
        var ledger = LedgerBuilder()
        ledger.invoice("X", issued: "2025-01-01", due: "2025-01-31", 4000)
        ledger.pay("X", on: "2025-02-05", 4000)
        var accounts = statement()
        accounts.currency = "USD"
        var evidence = ledger.evidence(asOf: "2025-09-30", statement: accounts)
        let inEuros = Scorer(model: model).assess(evidence)
        evidence.ledgerCurrency = "EUR"
        let inDollars = Scorer(model: model).assess(evidence)
        // 400 000 USD of equity is no 400 000 EUR: the limit comes from the payment history.
        #expect(inEuros.limitStep.candidates.contains { $0.basis == .equityShare })
        #expect(!inDollars.limitStep.candidates.contains { $0.basis == .equityShare || $0.basis == .revenueShare })
        #expect(inDollars.limitStep.basis == .paymentHistory)
        #expect(inDollars.limitStep.explanation.hasSuffix("the accounts are in USD, not the ledger's EUR: their amounts do not size the limit"))
        // The ratios, which have no currency, score as before.
        #expect(inDollars.contributions == inEuros.contributions && inDollars.pd == inEuros.pd)
        evidence.ledgerCurrency = "USD"
        #expect(Scorer(model: model).assess(evidence).limitStep == inEuros.limitStep)
    }

    @Test("revenue binds when equity is large, the cap when both are")
    func revenueAndCapBind() throws {
        let (limit, step) = try suggest(grade: "5", accounts: statement(revenue: 1_234_567, equity: 4_000_000))
        // 10 % of 4 000 000 = 400 000; 3 % of 1 234 567 = 37 037.01 → rounded down to 37 000.
        #expect(step.basis == .revenueShare)
        #expect(step.unrounded == Money(cents: 3_703_701))
        #expect(limit == euros(37_000))
        let (capped, capStep) = try suggest(grade: "5", accounts: statement(revenue: 20_000_000, equity: 4_000_000))
        // 400 000 and 600 000 against the cap of 150 000.
        #expect(capStep.basis == .gradeCap && capped == euros(150_000))
    }

    @Test("without a statement: the highest balance carried and paid well times the grade factor")
    func paymentHistory() throws {
        var ledger = LedgerBuilder()
        ledger.invoice("X", issued: "2025-01-01", due: "2025-01-31", 4000)
        ledger.invoice("Y", issued: "2025-01-15", due: "2025-02-14", 6000)
        ledger.pay("X", on: "2025-02-05", 4000)
        ledger.pay("Y", on: "2025-02-20", 6000)
        let (limit, step) = try suggest(grade: "5", accounts: nil, ledger: ledger)
        // 10 000 carried together, × 1.3 = 13 000.
        #expect(step.basis == .paymentHistory)
        #expect(limit == euros(13_000))
    }

    @Test("negative equity leaves nothing to lend against")
    func negativeEquity() throws {
        let (limit, step) = try suggest(grade: "6", accounts: statement(equity: -50_000))
        #expect(step.basis == .equityShare && limit == .zero)
    }

    @Test("the worst grades get no open credit")
    func excludedGrades() throws {
        for code in ["9", "10"] {
            let (limit, step) = try suggest(grade: code, accounts: statement())
            #expect(limit == .zero && step.basis == .gradeExcluded)
        }
        let (limit, step) = try suggest(grade: "D", accounts: statement())
        #expect(limit == .zero && step.basis == .inDefault)
    }
}

@Suite("Overrides")
struct OverrideTests {
    static func assessment() throws -> Assessment {
        Scorer(model: try ModelFile.shipped()).assess(PaymentProfileTests.ledger().evidence(asOf: "2025-06-30", statement: statement()))
    }

    @Test("a valid override replaces grade and limit; the suggestion stays visible")
    func valid() throws {
        let assessment = try Self.assessment()
        let override = Override(
            grade: try ModelFile.shipped().grade(code: "3"), limit: euros(80_000), reason: "parent guarantee", author: "cm1",
            setOn: day("2025-06-01"), expiresOn: day("2025-12-31"))
        let decision = assessment.effective(override: override, on: day("2025-06-30"))
        #expect(decision.overrideStatus == .active)
        #expect(decision.grade.code == "3" && decision.limit == euros(80_000))
        #expect(decision.suggestedGrade == assessment.grade && decision.suggestedLimit == assessment.suggestedLimit)
        // Exposure 3 500 (C 500 + E 3 000): headroom 80 000 − 3 500 = 76 500.
        #expect(decision.headroom == euros(76_500))
        // The last day still counts.
        #expect(assessment.effective(override: override, on: day("2025-12-31")).overrideStatus == .active)
    }

    @Test("an expired or not yet valid override changes nothing but is reported")
    func expired() throws {
        let assessment = try Self.assessment()
        let override = Override(limit: euros(1), reason: "r", author: "a", setOn: day("2025-01-01"), expiresOn: day("2025-06-29"))
        let decision = assessment.effective(override: override, on: day("2025-06-30"))
        #expect(decision.overrideStatus == .expired)
        #expect(decision.limit == assessment.suggestedLimit && decision.grade == assessment.grade)
        let future = Override(limit: euros(1), reason: "r", author: "a", setOn: day("2025-07-01"), expiresOn: day("2025-09-30"))
        #expect(assessment.effective(override: future, on: day("2025-06-30")).overrideStatus == .notYetValid)
        #expect(assessment.effective(override: nil, on: day("2025-06-30")).overrideStatus == .none)
    }

    @Test("a grade-only override keeps the suggested limit, a limit-only one the suggested grade")
    func partial() throws {
        let assessment = try Self.assessment()
        let gradeOnly = Override(
            grade: try ModelFile.shipped().grade(code: "8"), reason: "r", author: "a", setOn: day("2025-06-01"), expiresOn: day("2025-07-01"))
        let byGrade = assessment.effective(override: gradeOnly, on: day("2025-06-30"))
        #expect(byGrade.grade.code == "8" && byGrade.limit == assessment.suggestedLimit)
        #expect(byGrade.gradeOverridden && !byGrade.limitOverridden)
        let limitOnly = Override(limit: euros(5_000), reason: "r", author: "a", setOn: day("2025-06-01"), expiresOn: day("2025-07-01"))
        let byLimit = assessment.effective(override: limitOnly, on: day("2025-06-30"))
        #expect(byLimit.grade == assessment.grade && byLimit.limit == euros(5_000))
    }
}

@Suite("Backtest")
struct BacktestTests {
    @Test("AUC, Gini, KS and Brier on five customers computed by hand")
    func tinySet() throws {
        let model = try ModelFile.shipped()
        let three = try #require(model.grade(code: "3"))
        let seven = try #require(model.grade(code: "7"))
        let ten = try #require(model.grade(code: "10"))
        let report = Backtest.evaluate(predictions: [
            .init(pd: 0.8, defaulted: true, grade: ten),
            .init(pd: 0.4, defaulted: true, grade: seven),
            .init(pd: 0.1, defaulted: false, grade: three),
            .init(pd: 0.4, defaulted: false, grade: seven),
            .init(pd: 0.2, defaulted: false, grade: three),
        ])
        // Pairs defaulter × survivor: 0.8 beats 0.1, 0.4, 0.2 (3); 0.4 beats 0.1 and 0.2, ties 0.4 (2.5).
        // AUC = 5.5 / 6 = 0.91667; Gini = 2 · 0.91667 − 1 = 0.83333.
        #expect(try #require(report.auc).isClose(to: 5.5 / 6))
        #expect(try #require(report.gini).isClose(to: 2 * 5.5 / 6 - 1))
        // Share at or below t — defaulters: 0.1→0, 0.2→0, 0.4→1/2, 0.8→1; survivors: 1/3, 2/3, 1, 1.
        // Gaps 1/3, 2/3, 1/2, 0: KS = 2/3.
        #expect(try #require(report.ks).isClose(to: 2.0 / 3))
        // Brier: (0.2² + 0.6² + 0.1² + 0.4² + 0.2²) / 5 = (0.04 + 0.36 + 0.01 + 0.16 + 0.04) / 5 = 0.122.
        #expect(try #require(report.brier).isClose(to: 0.122))
        #expect(report.grades.map(\.grade.code) == ["3", "7", "10"])
        #expect(report.grades.map(\.customers) == [2, 2, 1])
        #expect(report.grades[0].meanPD.isClose(to: 0.15) && report.grades[0].observedDefaultRate == 0)
        #expect(report.grades[1].meanPD.isClose(to: 0.4) && report.grades[1].observedDefaultRate == 0.5)
        #expect(report.grades[2].observedDefaultRate == 1)
    }

    @Test("with one outcome only, AUC and KS are undefined")
    func oneClass() throws {
        let grade = try #require(try ModelFile.shipped().grade(code: "5"))
        let report = Backtest.evaluate(predictions: [.init(pd: 0.02, defaulted: false, grade: grade)])
        #expect(report.auc == nil && report.ks == nil && report.gini == nil)
        #expect(try #require(report.brier).isClose(to: 0.0004))  // 0.02²
    }
}

@Suite("Reminder policy and dispute deadlines")
struct ReminderPolicyTests {
    @Test(
        "the step due by days past due, per risk class",
        arguments: [
            ("5", -6, nil as ReminderStep?), ("5", -5, .preDueNotice), ("5", 0, .preDueNotice), ("5", 5, .reminder),
            ("5", 14, .reminder), ("5", 15, .firmReminderAndCall), ("5", 30, .formalNotice), ("5", 60, .litigationHandover),
            ("5", 400, .litigationHandover), ("2", -3, nil), ("2", 9, nil), ("2", 10, .reminder), ("2", 75, .litigationHandover),
            ("9", -7, .preDueNotice), ("D", 1, .reminder), ("D", 45, .litigationHandover),
        ])
    func steps(grade code: String, daysPastDue: Int, expected: ReminderStep?) throws {
        let model = try ModelFile.shipped()
        let grade = try #require(model.grade(code: code))
        #expect(model.reminders.step(for: daysPastDue, grade: grade)?.step == expected)
    }

    @Test("dispute deadlines by kind, other kinds get the default")
    func deadlines() throws {
        let deadlines = try ModelFile.shipped().disputeDeadlines
        #expect(deadlines.days(forKind: "price") == 3)
        #expect(deadlines.days(forKind: "Quality") == 7)
        #expect(deadlines.days(forKind: "duplicate_billing") == 3)
        #expect(deadlines.days(forKind: "warranty") == 7)
        let dispute = Dispute(invoiceId: "A", kind: "quantity", openedOn: day("2025-06-28"))
        #expect(deadlines.deadline(for: dispute) == day("2025-07-03"))  // 28 June + 5 days
    }
}
