import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct KPIs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpis",
        abstract: "Print the portfolio indicators: DSO (countback and simple), ageing, days beyond terms, disputes, grades.",
        discussion: """
            For all customers, one customer group (--group) and/or one sector code (--sector), as of a day. \
            Grades are each customer's latest stored assessment made on or before that day (run `creditrisk score` first).
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var ledgerDay: LedgerDayOption
    @OptionGroup var selection: ReportCommand.Selection
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let day = try ledgerDay.day()
        let service = try serviceOptions.open()
        let kpis = try await service.indicators.kpis(asOf: day, selection: selection.selection)
        try await answer.print(kpis) { KPIText(kpis: $0, currency: try await service.baseCurrency()).text }
    }
}

/// The indicators as the credit manager reads them in a terminal.
struct KPIText {
    let kpis: PortfolioKPIs
    let currency: String

    var text: String {
        let k = kpis
        let selection = PortfolioSelection(group: k.group, sector: k.sector)
        let dso = k.dso
        let d = k.disputes
        func days(_ value: Double?) -> String { value.map { String(format: "%.1f days", $0) } ?? "-" }
        var lines = [
            "Portfolio indicators as of \(k.asOf.iso) (\(selection.description))",
            "  customers              \(grouped(k.customers))",
            "  open receivables       \(k.openReceivables.formatted) \(currency) (after \(k.agedBalance.unappliedCredits.formatted) unapplied credits)",
            "  overdue                \(k.agedBalance.overdue.formatted) \(currency) (\(percent(k.overdueShare)) of receivables before credits)",
            "  DSO, countback         \(days(dso.days)) (\(dso.months.count) months walked back, \(dso.periodDays) days"
                + (dso.coversReceivables ? ")" : "; sales history ran out first)"),
            "  DSO, simple            \(days(dso.simpleDays)) (receivables / sales of the last \(dso.simplePeriodDays) days: "
                + "\(dso.simplePeriodSales.formatted) \(currency))",
            "  days beyond terms      \(days(k.averageDaysBeyondTerms)) weighted by amount, \(days(k.averageDaysBeyondTermsUnweighted)) per invoice "
                + "(\(grouped(k.invoicesPaidInWindow)) invoices paid \(k.daysBeyondTermsWindow.from.iso) to \(k.daysBeyondTermsWindow.to.iso))",
            "  disputes               \(grouped(d.open)) open on \(d.openAmount.formatted) \(currency) (\(d.disputedAmount.formatted) disputed); "
                + "\(grouped(d.resolvedInWindow)) resolved from \(d.window.from.iso), in \(days(d.meanResolutionDays)) on average, "
                + "longest \(d.longestResolutionDays.map { "\($0) days" } ?? "-")",
            "",
            "Aged balance",
        ]
        let aged = k.agedBalance
        lines += table(
            [
                ["bucket", "amount (\(currency))"],
                ["not due", aged.notDue.formatted], ["1-30 days", aged.days1to30.formatted],
                ["31-60 days", aged.days31to60.formatted], ["61-90 days", aged.days61to90.formatted],
                ["over 90 days", aged.over90.formatted], ["unapplied credits", aged.unappliedCredits.formatted],
            ]
        ).map { "  " + $0 }
        func mean(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        func longest(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        if !d.byKind.isEmpty {
            lines += ["", "Disputes by reason (resolution days over those resolved from \(d.window.from.iso))"]
            lines += table(
                [["kind", "open", "disputed (\(currency))", "resolved", "mean days", "longest"]]
                    + d.byKind.map {
                        [
                            $0.kind, grouped($0.open), $0.disputedAmount.formatted, grouped($0.resolvedInWindow), mean($0.meanResolutionDays),
                            longest($0.longestResolutionDays),
                        ]
                    }
            ).map { "  " + $0 }
        }
        if !d.byOwner.isEmpty {
            lines += ["", "Disputes by owner"]
            lines += table(
                [["owner", "open", "disputed (\(currency))", "resolved", "mean days", "longest"]]
                    + d.byOwner.map {
                        [
                            $0.owner ?? "(none)", grouped($0.open), $0.disputedAmount.formatted, grouped($0.resolvedInWindow),
                            mean($0.meanResolutionDays), longest($0.longestResolutionDays),
                        ]
                    }
            ).map { "  " + $0 }
        }
        lines += ["", "Grades (latest assessment on or before \(k.asOf.iso); \(grouped(k.unscored)) customers unscored)"]
        lines += table(
            [["grade", "customers", "exposure (\(currency))"]] + k.grades.map { [$0.grade, grouped($0.customers), $0.exposure.formatted] }
        ).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}
