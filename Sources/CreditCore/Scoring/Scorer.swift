import Foundation

/// Turns a customer's evidence into an assessment under one model. Pure: no clock, no I/O, the
/// same evidence and model always give the same assessment.
///
/// The PD is built in log-odds, as a logistic scorecard is: the sector's failure rate is the
/// prior, each component adds `clamp(weight × (value − reference))` from the model file, and
/// financial components are scaled by the statement's age weight. A missing component adds
/// nothing and says so. A thin file caps the best reachable grade; a customer in default is `D`.
public struct Scorer: Sendable {
    public let model: ScoringModel

    public init(model: ScoringModel) {
        self.model = model
    }

    /// What the evidence measures, before any weight: the profiles and each component's value
    /// (nil when missing). Scoring and the fit's snapshots both start here, so a model is fitted
    /// on exactly the values it will later weigh.
    public struct Measurements: Sendable {
        public var profile: PaymentProfile
        public var benchmark: SectorBenchmark
        /// The latest statement known, and the same when its age still gives it weight.
        public var financial: FinancialProfile?
        public var usableFinancial: FinancialProfile?
        public var values: [ScoreComponent: Double]
        /// In default by the model's past-due rule or the credit manager's flag: nothing to predict.
        public var inDefault: Bool
    }

    public func measure(_ evidence: CustomerEvidence) -> Measurements {
        let profile = PaymentProfile(evidence: evidence, model: model)
        let benchmark = SectorBenchmark(evidence: evidence, profile: profile, model: model)
        let financial = evidence.statement.flatMap { FinancialProfile(statement: $0, asOf: evidence.asOf, model: model) }
        let usableFinancial = financial.flatMap { $0.ageWeight > 0 ? $0 : nil }

        var values = [ScoreComponent: Double]()
        values[.paymentIndex] = profile.paymentIndex
        values[.sectorDelay] = benchmark.excessDays
        values[.lateShare] = profile.lateShare
        values[.recentDelay] = profile.recentDaysBeyondTerms
        // A customer never invoiced owes nothing past due, but has no record to be credited for.
        values[.overdueShare] = profile.firstInvoice == nil ? nil : profile.overdueShare
        values[.disputes] = Double(profile.disputesScored)
        values[.brokenPromises] = Double(profile.brokenPromises)
        if let usableFinancial {
            values[.altmanZ] = usableFinancial.zScore
            values[.negativeEquity] = usableFinancial.hasNegativeEquity.map { $0 ? 1 : 0 }
            values[.netLoss] = usableFinancial.hasLoss.map { $0 ? 1 : 0 }
            values.merge(usableFinancial.ratios) { first, _ in first }
        }
        return Measurements(
            profile: profile, benchmark: benchmark, financial: financial, usableFinancial: usableFinancial, values: values,
            inDefault: evidence.defaultFlag || profile.isPastDueDefault)
    }

    /// Each weighed component's effect on the log-odds; financial effects fade with the statement's age.
    public func contributions(_ measured: Measurements) -> [Contribution] {
        model.components.weighed.map { component in
            guard let value = measured.values[component], let rule = model.components[component] else {
                return Contribution(component: component, value: nil, effect: 0, missing: true, capped: false)
            }
            var (effect, capped) = rule.effect(of: value)
            if component.isFinancial, let weight = measured.usableFinancial?.ageWeight { effect *= weight }
            return Contribution(component: component, value: value, effect: effect, missing: false, capped: capped)
        }
    }

    /// The log-odds of default: the sector prior (times its weight) plus the effects, then the model's calibration.
    public func logOdds(priorPD: Double, contributions: [Contribution]) -> Double {
        logOdds(priorLogOdds: Scorer.logit(priorPD), effects: contributions.reduce(0) { $0 + $1.effect })
    }

    /// The same from the prior's log-odds and the sum of the effects: what a snapshot panel keeps.
    public func logOdds(priorLogOdds: Double, effects: Double) -> Double {
        calibrated((model.combination.priorWeight ?? 1) * priorLogOdds + effects)
    }

    /// The model's calibration applied to the weighted prior plus the effects (unchanged without one).
    public func calibrated(_ raw: Double) -> Double {
        model.combination.calibration?.apply(raw) ?? raw
    }

    /// The PD the log-odds give, within the model's floor and ceiling.
    public func pd(logOdds: Double) -> Double {
        min(model.combination.pdCeiling, max(model.combination.pdFloor, Scorer.logistic(logOdds)))
    }

    public func assess(_ evidence: CustomerEvidence) -> Assessment {
        let asOf = evidence.asOf
        let measured = measure(evidence)
        let profile = measured.profile
        let benchmark = measured.benchmark
        let financial = measured.financial
        let usableFinancial = measured.usableFinancial
        let contributions = contributions(measured)

        let logOdds = logOdds(priorPD: benchmark.priorPD, contributions: contributions)
        let pdFromEvidence = pd(logOdds: logOdds)
        let uncapped = model.grade(forPD: pdFromEvidence)
        var grade = model.grade(forPD: pdFromEvidence, thinFile: profile.isThinFile)
        let inDefault = measured.inDefault
        if inDefault { grade = model.defaultGrade }
        let pd = inDefault ? 1 : pdFromEvidence
        let score = inDefault ? 0 : Scorer.score(pd: pd, scale: model.score)

        let (limit, step) = model.limitPolicy.suggest(
            grade: grade, financial: usableFinancial, profile: profile, model: model,
            foreignAccounts: evidence.foreignAccounts)
        var recommendation: Recommendation
        if inDefault {
            recommendation = .depositOrCashInAdvance
        } else {
            recommendation = model.limitPolicy.grades[grade.rank - 1].recommendation
            if recommendation == .approve && limit == .zero { recommendation = .refer }
        }

        let reasons = explain(
            contributions: contributions, profile: profile, benchmark: benchmark, financial: financial,
            usableFinancial: usableFinancial, grade: grade, uncapped: uncapped, evidence: evidence)

        let invoicesUsed = evidence.invoices.filter { $0.issueDate <= asOf }
        let invoiceIds = Set(invoicesUsed.map(\.id))
        let summary = EvidenceSummary(
            invoices: invoicesUsed.count,
            payments: evidence.payments.filter { $0.paidOn <= asOf && invoiceIds.contains($0.invoiceId) }.count,
            disputes: evidence.disputes.filter { $0.openedOn <= asOf && invoiceIds.contains($0.invoiceId) }.count,
            firstInvoice: profile.firstInvoice, lastInvoice: profile.lastInvoice, lastPayment: profile.lastPayment,
            statementPeriodEnd: usableFinancial?.periodEnd, sectorCode: benchmark.sectorCode)

        return Assessment(
            customerId: evidence.customer.id, asOf: asOf, modelVersion: model.version, pd: pd, score: score,
            grade: grade, uncappedGrade: uncapped, inDefault: inDefault, suggestedLimit: limit, limitStep: step,
            recommendation: recommendation, reasons: reasons, contributions: contributions, priorPD: benchmark.priorPD,
            logOdds: logOdds, paymentProfile: profile, sectorBenchmark: benchmark, financialProfile: financial,
            exposure: profile.exposure, evidence: summary)
    }

    /// ln(p / (1 − p)).
    public static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    /// 1 / (1 + e^−x), the inverse of `logit`.
    public static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// 100 at `pdAtScore100` or below, 0 at `pdAtScore0` or above, linear in log-odds between,
    /// rounded: so the score never rises when the PD does.
    public static func score(pd: Double, scale: ScoringModel.ScoreScale) -> Int {
        let top = logit(scale.pdAtScore100)
        let bottom = logit(scale.pdAtScore0)
        let position = (bottom - logit(min(max(pd, 1e-12), 1 - 1e-12))) / (bottom - top)
        return Int((min(1, max(0, position)) * 100).rounded())
    }

    private func explain(
        contributions: [Contribution], profile: PaymentProfile, benchmark: SectorBenchmark, financial: FinancialProfile?,
        usableFinancial: FinancialProfile?, grade: Grade, uncapped: Grade, evidence: CustomerEvidence
    ) -> [Reason] {
        typealias T = ScoringText
        let windowMonths = T.months(model.paymentBehaviour.trailingDays)
        let recentMonths = T.months(model.paymentBehaviour.recentDays)
        let earlierMonths = T.months(model.paymentBehaviour.trailingDays - model.paymentBehaviour.recentDays)
        var scored: [Reason] = []
        var information: [Reason] = []
        for contribution in contributions where !contribution.missing {
            guard let value = contribution.value else { continue }
            let text: String
            switch contribution.component {
            case .paymentIndex:
                let signed = profile.signedAverageDaysBeyondTerms ?? 0
                let habit = signed < 0 ? "pays \(T.days(-signed)) days before the due date" : "pays \(T.days(signed)) days beyond terms"
                text = "payment index \(T.number(value, decimals: 0)): \(habit) on average (amount-weighted, \(windowMonths) months)"
            case .sectorDelay:
                let own = benchmark.customerDaysBeyondTerms ?? 0
                let whose = benchmark.usedPortfolioAverage ? "the portfolio average" : "its sector \(benchmark.sectorCode)"
                text = "pays \(T.days(own)) days beyond terms on average; \(whose) \(T.days(benchmark.sectorDaysBeyondTerms))"
            case .lateShare:
                text = "\(T.percent(value)) of the amount paid or due more than \(model.paymentBehaviour.lateThresholdDays) days beyond terms"
            case .recentDelay:
                let earlier = profile.earlierDaysBeyondTerms.map { ", against \(T.days($0)) in the \(earlierMonths) months before" } ?? ""
                text = "invoices due in the last \(recentMonths) months: \(T.days(value)) days beyond terms\(earlier)"
            case .overdueShare:
                text = "\(T.percent(value)) of the exposure is past due (\(profile.agedBalance.overdue.formatted) of \(profile.exposure.formatted))"
            case .disputes:
                guard value > 0 else { continue }
                text =
                    "\(profile.openDisputes) dispute(s) open, \(profile.recentDisputes) opened in the last \(T.months(model.paymentBehaviour.recentDisputeDays)) months"
            case .brokenPromises:
                guard value > 0 else { continue }
                text = "\(Int(value)) payment promise(s) broken"
            case .altmanZ:
                let zone = usableFinancial?.zone?.rawValue ?? "unknown"
                let period = usableFinancial?.periodEnd.iso ?? "?"
                text = "Altman Z'' \(T.number(value, decimals: 2)) (\(zone) zone) on accounts to \(period)"
            case .negativeEquity:
                guard value > 0 else { continue }
                text = "negative equity: \(usableFinancial?.equity?.formatted ?? "?")"
            case .netLoss:
                guard value > 0 else { continue }
                text = "net loss, margin \(usableFinancial?.netMargin.map { T.percent($0) } ?? "?")"
            default:
                text = "\(T.ratio(contribution.component, value)) on accounts to \(usableFinancial?.periodEnd.iso ?? "?")"
            }
            let reason = Reason(code: ReasonCode(contribution.component), effect: contribution.effect, text: text)
            if contribution.effect == 0 { information.append(reason) } else { scored.append(reason) }
        }

        if model.components[.altmanZ] == nil, let usableFinancial, let z = usableFinancial.zScore {
            information.append(
                Reason(
                    code: .altmanZ, effect: 0,
                    text:
                        "Altman Z'' \(T.number(z, decimals: 2)) (\(usableFinancial.zone?.rawValue ?? "unknown") zone) on accounts to \(usableFinancial.periodEnd.iso), for reference: this model weighs the ratios instead"
                ))
        }
        let financialNames = model.components.weighed.filter(\.isFinancial).map(\.rawValue).joined(separator: ", ")
        let missing = Set(contributions.filter(\.missing).map(\.component))
        if missing.contains(.paymentIndex) {
            information.append(
                Reason(
                    code: .noPaymentHistory, effect: 0,
                    text:
                        "no payment nor past-due amount on invoices due in the last \(windowMonths) months: payment index, sector delay, late share and recent delay count for nothing"
                ))
        } else if missing.contains(.recentDelay) {
            information.append(
                Reason(
                    code: .noRecentPayments, effect: 0,
                    text: "no invoice fell due in the last \(recentMonths) months: recent delay counts for nothing"))
        }
        if let financial {
            if financial.ageWeight == 0 {
                information.append(
                    Reason(
                        code: .noStatement, effect: 0,
                        text:
                            "latest accounts, to \(financial.periodEnd.iso), are \(T.number(financial.ageMonths, decimals: 0)) months old: too old to count; \(financialNames) count for nothing"
                    ))
            } else {
                if financial.ageWeight < 1 {
                    information.append(
                        Reason(
                            code: .agingStatement, effect: 0,
                            text:
                                "accounts to \(financial.periodEnd.iso) are \(T.number(financial.ageMonths, decimals: 0)) months old: they count at \(T.percent(financial.ageWeight, decimals: 0))"
                        ))
                }
                let lacking = model.components.weighed.filter { $0.isFinancial && missing.contains($0) }
                if !lacking.isEmpty {
                    let figures = financial.missingFigures.isEmpty ? "" : " (missing: \(financial.missingFigures.joined(separator: ", ")))"
                    information.append(
                        Reason(
                            code: .incompleteStatement, effect: 0,
                            text:
                                "accounts to \(financial.periodEnd.iso) lack figures\(figures): \(lacking.map(\.rawValue).joined(separator: ", ")) count for nothing"
                        ))
                }
            }
        } else {
            information.append(
                Reason(
                    code: .noStatement, effect: 0,
                    text: "no financial statement known at \(evidence.asOf.iso): \(financialNames) count for nothing"))
        }

        if let calibration = model.combination.calibration {
            let weight = model.combination.priorWeight ?? 1
            let raw = weight * Scorer.logit(benchmark.priorPD) + contributions.reduce(0) { $0 + $1.effect }
            let calibrated = calibration.apply(raw)
            let weighted = weight == 1 ? "" : " (the sector's log-odds weighted \(T.number(weight, decimals: 3)))"
            information.append(
                Reason(
                    code: .calibration, effect: 0,
                    text:
                        "prior and effects sum to log-odds \(T.number(raw, decimals: 2))\(weighted), PD \(T.percent(Scorer.logistic(raw), decimals: 2)); the model's calibration, fitted on observed defaults, makes it \(T.number(calibrated, decimals: 2)), PD \(T.percent(Scorer.logistic(calibrated), decimals: 2))"
                ))
        }
        let prior = "starting PD \(T.percent(benchmark.priorPD, decimals: 2))"
        if benchmark.usedPortfolioAverage {
            information.append(
                Reason(
                    code: .sectorUnknown, effect: 0,
                    text:
                        "sector \(evidence.customer.sectorCode) is not in the sector table: the portfolio average stands in (\(prior), \(T.days(benchmark.sectorDaysBeyondTerms)) days beyond terms)"
                ))
        } else {
            information.append(
                Reason(
                    code: .sectorPrior, effect: 0,
                    text:
                        "sector \(benchmark.sectorCode) (\(benchmark.sectorLabel)) fails at \(T.percent(benchmark.sectorFailureRate, decimals: 2)) a year: \(prior)"
                ))
        }
        if profile.isThinFile {
            let capped =
                grade.isDefault
                ? ""
                : (grade != uncapped
                    ? ": grade capped at \(grade.code) (the PD alone gives \(uncapped.code))"
                    : ": the grade cannot be better than \(model.thinFile.bestGrade)")
            information.append(
                Reason(
                    code: .thinFile, effect: 0,
                    text:
                        "thin file: \(profile.invoicesInWindow) invoice(s) in \(windowMonths) months, first on \(profile.firstInvoice?.iso ?? "none")\(capped)"
                ))
        }
        // Default comes first: it decides the grade whatever the components say.
        var verdict: [Reason] = []
        if profile.isPastDueDefault {
            verdict.append(
                Reason(
                    code: .pastDueDefault, effect: 0,
                    text:
                        "in default: \(profile.seriouslyPastDue.formatted) more than \(model.defaultRule.pastDueDays) days past due "
                        + "and not under a dispute opened before then"))
        }
        if evidence.defaultFlag {
            verdict.append(Reason(code: .defaultFlag, effect: 0, text: "flagged in default by a credit manager"))
        }
        scored.sort { abs($0.effect) != abs($1.effect) ? abs($0.effect) > abs($1.effect) : $0.code.rawValue < $1.code.rawValue }
        return verdict + scored + information
    }
}

extension LimitPolicy {
    /// The suggested limit for `grade` and the step that bound it.
    ///
    /// `foreignAccounts`, the statement's and the ledger's currencies when they differ: the
    /// statement's ratios still score, but its equity and revenue cannot size a limit stated in
    /// the ledger's currency (100 000 USD of equity is no 100 000 EUR), and the step says so.
    public func suggest(
        grade: Grade, financial: FinancialProfile?, profile: PaymentProfile, model: ScoringModel,
        foreignAccounts: (statement: String, ledger: String)? = nil
    ) -> (limit: Money, step: LimitStep) {
        typealias T = ScoringText
        if grade.isDefault {
            return (.zero, LimitStep(basis: .inDefault, unrounded: .zero, explanation: "no open credit for a customer in default", candidates: []))
        }
        let rule = grades[grade.rank - 1]
        if rule.maxLimit == 0 || (rule.equityShare == 0 && rule.revenueShare == 0 && rule.historyFactor == 0) {
            return (
                .zero,
                LimitStep(
                    basis: .gradeExcluded, unrounded: .zero,
                    explanation: "grade \(grade.code) gets no open credit: \(rule.recommendation.rawValue.replacingOccurrences(of: "_", with: " "))",
                    candidates: [])
            )
        }
        func share(_ amount: Money, _ fraction: Double) -> Money {
            max(.zero, amount).scaled(by: fraction)
        }
        var candidates: [LimitCandidate] = []
        let foreignNote = foreignAccounts.map {
            "; the accounts are in \($0.statement), not the ledger's \($0.ledger): their amounts do not size the limit"
        }
        if let financial, foreignAccounts == nil {
            if let equity = financial.equity {
                candidates.append(
                    LimitCandidate(
                        basis: .equityShare, amount: share(equity, rule.equityShare),
                        detail: "\(T.percent(rule.equityShare, decimals: 1)) of equity \(equity.formatted)"))
            }
            if let revenue = financial.annualRevenue {
                candidates.append(
                    LimitCandidate(
                        basis: .revenueShare, amount: share(revenue, rule.revenueShare),
                        detail: "\(T.percent(rule.revenueShare, decimals: 1)) of yearly revenue \(revenue.formatted)"))
            }
        }
        if candidates.isEmpty {
            let carried = profile.highestExposurePaidWell
            guard carried.cents > 0 else {
                return (
                    .zero,
                    LimitStep(
                        basis: .noEvidence, unrounded: .zero,
                        explanation:
                            "no usable statement and no invoice paid within \(paidWellMaxDays) days beyond terms in the last \(T.months(historyDays)) months: nothing to size a limit from"
                            + (foreignNote ?? ""),
                        candidates: [])
                )
            }
            candidates.append(
                LimitCandidate(
                    basis: .paymentHistory, amount: share(carried, rule.historyFactor),
                    detail: "\(T.number(rule.historyFactor, decimals: 2)) × the highest balance carried and paid well, \(carried.formatted)"))
        }
        candidates.append(LimitCandidate(basis: .gradeCap, amount: rule.maxLimitMoney, detail: "grade \(grade.code) cap"))
        let binding = candidates.min { $0.amount < $1.amount } ?? candidates[candidates.count - 1]
        let limit = rounded(binding.amount)
        let others = candidates.filter { $0 != binding }.map { "\($0.detail) = \($0.amount.formatted)" }
        let explanation =
            "\(binding.detail) = \(binding.amount.formatted), rounded down to \(limit.formatted)"
            + (others.isEmpty ? "" : " (also considered: \(others.joined(separator: "; ")))") + (foreignNote ?? "")
        return (limit, LimitStep(basis: binding.basis, unrounded: binding.amount, explanation: explanation, candidates: candidates))
    }
}
