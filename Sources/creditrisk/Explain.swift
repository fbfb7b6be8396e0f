import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a customer's grade, PD and limit: every contribution and the limit step.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("Assess as of this day (YYYY-MM-DD); default: the ledger's latest date.", valueName: "date"))
    var asOf: String?
    @OptionGroup var answer: AnswerFormat
    @OptionGroup var customer: CustomerArgument

    func run() async throws {
        let service = try serviceOptions.open()
        let day = try asOf.map { try parseDay($0, option: "as-of") } ?? service.portfolio.latestDay(notAfter: service.today)
        guard let decision = try await service.decisions.decision(customerId: customer.id, asOf: day) else {
            throw Refusal(.notFound, "no customer \(customer.id)")
        }
        try await answer.print(decision) { AssessmentText(assessment: $0.assessment, effective: $0.effective).text }
    }
}

/// A readable account of one assessment, for the credit manager.
struct AssessmentText {
    let assessment: Assessment
    let effective: EffectiveDecision

    var text: String {
        let a = assessment
        let p = a.paymentProfile
        var lines: [String] = [
            "Customer \(a.customerId) as of \(a.asOf.iso) (model \(a.modelVersion))",
            "  grade            \(a.grade.code)\(a.uncappedGrade != a.grade ? " (PD alone gives \(a.uncappedGrade.code))" : "")",
            "  PD (12 months)   \(percent(a.pd))   score \(a.score)/100",
            "  suggested limit  \(a.suggestedLimit.formatted)   recommendation: \(a.recommendation.rawValue.replacingOccurrences(of: "_", with: " "))",
            "  exposure         \(a.exposure.formatted)   overdue \(p.agedBalance.overdue.formatted)",
            "  limit step       \(a.limitStep.explanation)",
            "",
            "Effective decision",
            "  grade            \(effective.grade.code)\(effective.gradeOverridden ? " (overridden; suggested \(effective.suggestedGrade.code))" : "")",
            "  limit            \(effective.limit.formatted)\(effective.limitOverridden ? " (overridden; suggested \(effective.suggestedLimit.formatted))" : "")",
            "  headroom         \(effective.headroom.formatted)",
        ]
        if let override = effective.override {
            lines.append(
                "  override         \(effective.overrideStatus.rawValue.replacingOccurrences(of: "_", with: " ")): "
                    + "\(override.author), \(override.setOn.iso) to \(override.expiresOn.iso): \(override.reason)")
        }
        lines += [
            "",
            "Reasons",
        ]
        lines += a.reasons.map { reason in
            let effect = reason.effect == 0 ? "    " : (reason.effect > 0 ? "+" : "") + String(format: "%.2f", reason.effect)
            return "  \(effect.padding(toLength: 6, withPad: " ", startingAt: 0)) \(reason.code.rawValue): \(reason.text)"
        }
        lines += ["", "Contributions (log-odds, added to the sector prior \(percent(a.priorPD)))"]
        lines += table(
            [["component", "value", "effect", ""]]
                + a.contributions.map { c in
                    [
                        c.component.rawValue, c.value.map { String(format: "%.2f", $0) } ?? "-",
                        String(format: "%+.3f", c.effect), c.missing ? "missing" : (c.capped ? "capped" : ""),
                    ]
                }
        ).map { "  " + $0 }
        lines += ["", "Limit candidates"]
        lines += a.limitStep.candidates.map { "  \($0.basis.rawValue): \($0.amount.formatted)  \($0.detail)" }
        let e = a.evidence
        lines += [
            "",
            "Evidence: \(e.invoices) invoices (\(e.firstInvoice?.iso ?? "-") to \(e.lastInvoice?.iso ?? "-")), "
                + "\(e.payments) payments (last \(e.lastPayment?.iso ?? "-")), \(e.disputes) disputes, "
                + "statement \(e.statementPeriodEnd?.iso ?? "none"), sector \(e.sectorCode)",
        ]
        return lines.joined(separator: "\n")
    }
}
