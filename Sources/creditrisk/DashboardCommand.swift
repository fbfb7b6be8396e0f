import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The credit team's dashboard: indicators and their trend, aged balance, grades, late payers, alerts, what waits.",
        discussion: """
            As of a day (default today), for all customers, a group, a sector or a sales rep's accounts (--sales-rep). \
            Grades are each customer's latest assessment, or an override in force (run `creditrisk score` first).
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var listDay: ListDayOption
    @OptionGroup var selection: ReportCommand.Selection
    @Option(help: ArgumentHelp("Only the accounts this sales rep holds.", valueName: "rep"))
    var salesRep: String?
    @OptionGroup var answer: AnswerFormat
    /// For the benchmark: compute the dashboard this many times and write each time on standard error.
    @Option(name: .customLong("repeat"), help: .hidden)
    var repetitions: Int = 1

    func validate() throws {
        try checkRange(repetitions, 1...1_000, option: "repeat")
    }

    func run() async throws {
        let day = try listDay.day()
        let service = try serviceOptions.open()
        var selection = selection.selection
        selection.salesRep = salesRep
        var dashboard: Dashboard?
        for _ in 0..<repetitions {
            let started = ContinuousClock.now
            dashboard = try await service.dashboard(asOf: day, selection: selection)
            if repetitions > 1 {
                let elapsed = ContinuousClock.now - started
                let ms = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
                FileHandle.standardError.write(Data("dashboard_ms=\(String(format: "%.1f", ms))\n".utf8))
            }
        }
        guard let dashboard else { return }
        let currency = try await service.baseCurrency()
        try await answer.print(dashboard) { DashboardText(dashboard: $0, currency: currency).text }
    }
}

/// The dashboard as the credit manager reads it in a terminal.
struct DashboardText {
    let dashboard: Dashboard
    let currency: String

    var text: String {
        let d = dashboard
        let k = d.indicators
        let f = d.freshness
        let w = d.workload
        func dbt(_ value: Double?) -> String { value.map { String(format: "%.1f days", $0) } ?? "-" }
        let stale = f.stale ? " - STALE (over \(f.staleAfterDays) days)" : ""
        let freshness = f.latestEntry.map { "latest entry \($0.iso), \(f.ageDays ?? 0) days old" + stale } ?? "empty"
        var lines = [
            "Dashboard as of \(d.asOf.iso) (\(d.selection.description)): \(grouped(d.customers)) customers",
            "  open receivables     \(k.openReceivables.formatted) \(currency) (after \(d.agedBalance.unappliedCredits.formatted) unapplied credits)",
            "  overdue              \(k.overdue.formatted) \(currency) (\(percent(k.overdueShare)) of receivables before credits)",
            "  DSO, countback       \(dbt(k.dso))" + (k.dsoCoversReceivables ? "" : " (sales history ran out first)"),
            "  days beyond terms    \(dbt(k.averageDaysBeyondTerms)) weighted by amount "
                + "(\(grouped(k.invoicesPaidInWindow)) invoices paid in 365 days)",
            "  ledger               \(freshness)",
            "  waiting              \(grouped(w.heldOrders)) held orders, \(grouped(w.limitRequestsPending)) limit requests, "
                + "\(w.reviewsDue.map(grouped) ?? "-") reviews due, \(grouped(w.disputesOpen)) disputes open "
                + "(\(grouped(w.disputesOverdue)) past their deadline)",
            "",
            "Trend (month-ends)",
        ]
        lines += table(
            [["month-end", "DSO", "overdue share", "DBT", "overdue (\(currency))"]]
                + d.trend.months.map {
                    [$0.monthEnd.iso, days($0.dso), percent($0.overdueShare), days($0.averageDaysBeyondTerms), $0.overdue.formatted]
                }
        ).map { "  " + $0 }
        let aged = d.agedBalance
        lines += ["", "Aged balance"]
        lines += table(
            [
                ["bucket", "amount (\(currency))", "share"],
                ["not due", aged.notDue.formatted, share(aged.notDue, of: aged.receivables)],
                ["1-30 days", aged.days1to30.formatted, share(aged.days1to30, of: aged.receivables)],
                ["31-60 days", aged.days31to60.formatted, share(aged.days31to60, of: aged.receivables)],
                ["61-90 days", aged.days61to90.formatted, share(aged.days61to90, of: aged.receivables)],
                ["over 90 days", aged.over90.formatted, share(aged.over90, of: aged.receivables)],
                ["unapplied credits", aged.unappliedCredits.formatted, ""],
            ]
        ).map { "  " + $0 }
        lines += ["", "Grades (effective: an override in force counts; \(grouped(d.grades.overridden)) overridden)"]
        lines += table(
            [["grade", "customers", "exposure (\(currency))"]]
                + d.grades.lines.map { [$0.label, grouped($0.customers), $0.grade == nil ? "-" : $0.exposure.formatted] }
        ).map { "  " + $0 }
        let late = d.latePayers
        lines += [
            "",
            "Late payers: \(grouped(late.customersOverdue)) customers owe \(late.totalOverdue.formatted) \(currency) overdue; "
                + "the first \(late.latePayers.count)",
        ]
        lines += table(
            [["#", "customer", "name", "grade", "overdue", "dbt", "oldest due"]]
                + late.latePayers.map {
                    [
                        String($0.rank), $0.customerId, String($0.name.prefix(30)), $0.grade ?? "-", $0.overdue.formatted,
                        days($0.daysBeyondTerms), $0.oldestDueDate?.iso ?? "-",
                    ]
                }, rightAligned: [0, 4, 5]
        ).map { "  " + $0 }
        lines += ["", "Open alerts: \(grouped(d.alerts.total))"]
        lines += table(
            [["kind", "open", "acknowledged"]] + d.alerts.byKind.map { [$0.kind.rawValue, grouped($0.open), grouped($0.acknowledged)] }
        ).map { "  " + $0 }
        for alert in d.alerts.newest {
            lines.append("  \(alert.asOf.iso)  \(alert.customerId ?? "portfolio")  \(alert.kind): \(String(alert.detail.prefix(90)))")
        }
        return lines.joined(separator: "\n")
    }

    func share(_ part: Money, of whole: Money) -> String {
        whole.cents > 0 ? percent(Double(part.cents) / Double(whole.cents)) : "-"
    }
}
