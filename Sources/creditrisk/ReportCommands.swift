import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// The credit team's weekly reports, as `GET /v1/reports/...` gives them.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The credit team's reports: late payers, grade changes, the cash-collection forecast and its backtest, the KPI trend.",
        discussion: "Each prints a table; --json prints the API's JSON, --csv the API's CSV (RFC 4180, a header row).",
        subcommands: [LatePayers.self, GradeChanges.self, CashForecastCommand.self, ForecastBacktest.self, KPITrendCommand.self])

    /// How a report is printed: a table for the terminal, the API's JSON or its CSV.
    struct Output: ParsableArguments {
        @Flag(help: "Print the report as JSON (the API's response).")
        var json = false
        @Flag(help: "Print the report's lines as CSV (the API's ?format=csv).")
        var csv = false

        func validate() throws {
            if json, csv { throw ValidationError("--json and --csv cannot be used together") }
        }

        func print<Report: Encodable & CSVReport>(_ report: Report, text: (Report) -> String) throws {
            if csv {
                FileHandle.standardOutput.write(Data(report.csv.text.utf8))
            } else if json {
                try printJSON(report)
            } else {
                Swift.print(text(report))
            }
        }
    }

    /// The customers a report is about.
    struct Selection: ParsableArguments {
        @Option(help: ArgumentHelp("Only the customers of this group.", valueName: "group"))
        var group: String?
        @Option(help: ArgumentHelp("Only the customers of this sector code (NACE/NAF).", valueName: "code"))
        var sector: String?

        var selection: PortfolioSelection { PortfolioSelection(group: group, sector: sector) }
    }

    struct LatePayers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "late-payers",
            abstract: "The customers with the most overdue money (--by overdue) or the longest days beyond terms (--by dbt), today.",
            discussion: """
                Overdue: open balances past their due date as the ledger holds them, days counted to today. Days beyond \
                terms: each overdue invoice's days past due, weighted by its open balance. A customer with only credits \
                is never listed.
                """)

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("Rank by overdue (amount) or dbt (days beyond terms).", valueName: "overdue|dbt"))
        var by = "overdue"
        @Option(help: "How many customers (1 to 1000).")
        var limit = 20
        @OptionGroup var selection: Selection
        @Option(help: ArgumentHelp("Only the accounts this sales rep holds.", valueName: "rep"))
        var salesRep: String?
        @OptionGroup var output: Output

        func validate() throws {
            guard LatePayerOrder(rawValue: by) != nil else { throw ValidationError("--by must be overdue or dbt") }
            try checkRange(limit, 1...1_000, option: "limit")
        }

        func run() async throws {
            let service = try serviceOptions.open()
            var selection = selection.selection
            selection.salesRep = salesRep
            let report = try await service.reports.latePayers(
                asOf: service.today, by: LatePayerOrder(rawValue: by) ?? .overdue, limit: limit, selection: selection)
            let currency = try await service.baseCurrency()
            try output.print(report) { LatePayersText(report: $0, currency: currency).text }
        }
    }

    struct GradeChanges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grade-changes",
            abstract: "The customers whose grade moved over a period: both grades, PDs, limits and the main reason.",
            discussion: """
                The grade at the start is that of the latest assessment before --from, at the end that of the latest on \
                or before --to (run `creditrisk score` at each period's end). Downgrades first.
                """)

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("First day of the period.", valueName: "date"))
        var from: String
        @Option(help: ArgumentHelp("Last day of the period.", valueName: "date"))
        var to: String
        @Option(help: ArgumentHelp("Only downgrades or only upgrades.", valueName: "downgrade|upgrade"))
        var direction: String?
        @Option(help: "How many changes to list (the counts are of all).")
        var limit = 100
        @OptionGroup var selection: Selection
        @OptionGroup var output: Output

        func validate() throws {
            if let direction, !["downgrade", "upgrade"].contains(direction) {
                throw ValidationError("--direction must be downgrade or upgrade")
            }
            try checkRange(limit, 1...100_000, option: "limit")
        }

        func run() async throws {
            let report = try await serviceOptions.open().reports.gradeChanges(
                from: try parseDay(from, option: "from"), to: try parseDay(to, option: "to"), selection: selection.selection,
                direction: direction.flatMap(GradeDirection.init(rawValue:)), limit: limit)
            try output.print(report) { GradeChangesText(report: $0).text }
        }
    }

    struct CashForecastCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cash-forecast",
            abstract: "Expected receipts per week from the open invoices (promises, payment delays, disputes left out).",
            discussion: "The method is printed with the forecast; `forecast-backtest` measures its error on the ledger's past.")

        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var listDay: ListDayOption
        @Option(help: "How many weeks (1 to 52).")
        var weeks = 13
        @OptionGroup var output: Output

        func validate() throws {
            try checkRange(weeks, 1...CashForecast.maximumWeeks, option: "weeks")
        }

        func run() async throws {
            let service = try serviceOptions.open()
            let forecast = try await service.reports.cashForecast(asOf: try listDay.day(), weeks: weeks)
            let currency = try await service.baseCurrency()
            try output.print(forecast) { CashForecastText(forecast: $0, currency: currency).text }
        }
    }

    struct ForecastBacktest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forecast-backtest",
            abstract: "The cash forecast made as of past month-ends, compared with the receipts that came: WAPE, bias, MAPE.",
            discussion: """
                Each month-end's forecast uses only what was known that day; the receipts are the payments that came in \
                each week on the invoices issued by then. The whole ledger is read (a minute for 100k customers).
                """)

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: "How many month-ends (default: the policy's).")
        var months: Int?
        @Option(help: "Weeks of each forecast (1 to 52).")
        var weeks = 13
        @Option(help: ArgumentHelp("Only month-ends whose weeks end by this day (default: the ledger's latest).", valueName: "date"))
        var through: String?
        @OptionGroup var output: Output

        func validate() throws {
            try checkRange(weeks, 1...CashForecast.maximumWeeks, option: "weeks")
            if let months { try checkRange(months, 1...36, option: "months") }
        }

        func run() async throws {
            let backtest = try await serviceOptions.open().reports.cashForecastBacktest(
                months: months, weeks: weeks, through: try through.map { try parseDay($0, option: "through") })
            try output.print(backtest) { BacktestText(backtest: $0).text }
        }
    }

    struct KPITrendCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kpi-trend",
            abstract: "DSO (countback), overdue share and days beyond terms as of each month-end, as `kpis` gives them.")

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: "How many months (1 to 36).")
        var months = 12
        @Option(help: ArgumentHelp("Last month-end on or before this day (default: the ledger's latest).", valueName: "date"))
        var through: String?
        @OptionGroup var selection: Selection
        @OptionGroup var output: Output

        func validate() throws {
            try checkRange(months, 1...36, option: "months")
        }

        func run() async throws {
            let trend = try await serviceOptions.open().reports.kpiTrend(
                months: months, through: try through.map { try parseDay($0, option: "through") }, selection: selection.selection)
            try output.print(trend) { KPITrendText(trend: $0).text }
        }
    }
}

// MARK: Text

func days(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }

struct LatePayersText {
    let report: LatePayersReport
    let currency: String

    var text: String {
        let selection = PortfolioSelection(group: report.group, sector: report.sector, salesRep: report.salesRep)
        var lines = [
            "Late payers as of \(report.asOf.iso) (\(selection.description)), by \(report.by == .overdue ? "overdue amount" : "days beyond terms"): "
                + "\(grouped(report.customersOverdue)) customers owe \(report.totalOverdue.formatted) \(currency) overdue"
        ]
        lines += table(
            [["#", "customer", "name", "grade", "overdue", "invoices", "dbt", "oldest due", "disputed"]]
                + report.latePayers.map {
                    [
                        String($0.rank), $0.customerId, String($0.name.prefix(30)), $0.grade ?? "-", $0.overdue.formatted,
                        String($0.overdueInvoices), days($0.daysBeyondTerms), $0.oldestDueDate?.iso ?? "-", $0.disputedOverdue.formatted,
                    ]
                }, rightAligned: [0, 4, 5, 6, 8]
        ).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

struct GradeChangesText {
    let report: GradeChangesReport

    var text: String {
        let selection = PortfolioSelection(group: report.group, sector: report.sector)
        var lines = [
            "Grade changes from \(report.from.iso) to \(report.to.iso) (\(selection.description)): \(grouped(report.downgrades)) downgrades, "
                + "\(grouped(report.upgrades)) upgrades of \(grouped(report.assessed)) customers assessed; "
                + "\(grouped(report.newlyAssessed)) first assessed in the period; \(grouped(report.listed)) listed"
        ]
        lines += table(
            [["customer", "name", "grade", "PD", "limit", "main reason"]]
                + report.changes.map {
                    [
                        $0.customerId, String($0.name.prefix(28)), "\($0.from.grade) → \($0.to.grade)",
                        "\(percent($0.from.pd)) → \(percent($0.to.pd))",
                        "\($0.from.suggestedLimit.formatted) → \($0.to.suggestedLimit.formatted)",
                        $0.mainReason.map { $0.text.truncatedForMessage(72) } ?? "-",
                    ]
                }, rightAligned: []
        ).map { "  " + $0.trimmingWhitespace() }
        return lines.joined(separator: "\n")
    }
}

struct CashForecastText {
    let forecast: CashForecast
    let currency: String

    var text: String {
        let f = forecast
        let sources = PaymentDelay.Source.allCases.map { "\(f.delaySources[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        var lines = [
            "Cash-collection forecast as of \(f.asOf.iso) (\(f.policyVersion)), \(currency)",
            "  open receivables       \(f.openReceivables.formatted) of \(grouped(f.customers)) customers (payment delay: \(sources))",
            "  expected in \(f.weeks.count) weeks    \(f.expectedInHorizon.formatted)",
            "  expected later         \(f.expectedAfterHorizon.formatted)",
            "  disputed, left out     \(f.disputedExcluded.formatted)",
            "  doubtful, left out     \(f.doubtfulExcluded.formatted)",
            "  unapplied credits      \(f.unappliedCredits.formatted) (not deducted)",
            "",
        ]
        lines += table(
            [["week", "from", "to", "expected", "promised", "by payment delay", "late"]]
                + f.weeks.map {
                    [
                        String($0.week), $0.from.iso, $0.to.iso, $0.expected.formatted, $0.promised.formatted, $0.byPaymentDelay.formatted,
                        $0.late.formatted,
                    ]
                }, rightAligned: [0, 3, 4, 5, 6]
        ).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

struct BacktestText {
    let backtest: CashForecastBacktest

    var text: String {
        let b = backtest
        func share(_ value: Double?) -> String { value.map { percent($0) } ?? "-" }
        var lines = [
            "Cash forecast backtest (\(b.policyVersion)): \(b.origins.count) month-ends, \(b.weeks) weeks each",
            "  overall     WAPE \(share(b.overall.wape)), bias \(share(b.overall.bias)), weekly MAPE \(share(b.overall.mape)) "
                + "(forecast \(b.overall.forecast.formatted), received \(b.overall.actual.formatted))",
            "",
            "By week of horizon",
        ]
        lines += table(
            [["week", "forecast", "received", "WAPE", "bias", "MAPE"]]
                + b.byWeek.map {
                    [
                        String($0.week), $0.errors.forecast.formatted, $0.errors.actual.formatted, share($0.errors.wape), share($0.errors.bias),
                        share($0.errors.mape),
                    ]
                }
        ).map { "  " + $0 }
        lines += ["", "By month-end"]
        lines += table(
            [["as of", "forecast", "received", "WAPE", "bias"]]
                + b.origins.map {
                    [$0.asOf.iso, $0.errors.forecast.formatted, $0.errors.actual.formatted, share($0.errors.wape), share($0.errors.bias)]
                }
        ).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

struct KPITrendText {
    let trend: KPITrend

    var text: String {
        let selection = PortfolioSelection(group: trend.group, sector: trend.sector)
        var lines = ["Indicators by month-end (\(selection.description))"]
        lines += table(
            [["month end", "open receivables", "overdue", "overdue share", "DSO", "days beyond terms"]]
                + trend.months.map {
                    [
                        $0.monthEnd.iso, $0.openReceivables.formatted, $0.overdue.formatted, percent($0.overdueShare),
                        days($0.dso) + ($0.dsoCoversReceivables ? "" : "*"), days($0.averageDaysBeyondTerms),
                    ]
                }
        ).map { "  " + $0 }
        if trend.months.contains(where: { !$0.dsoCoversReceivables }) { lines.append("  * the sales history ran out before the receivables") }
        return lines.joined(separator: "\n")
    }
}
