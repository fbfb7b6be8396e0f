import CreditCore

// Each report's lines as a CSV table: one row per line the report lists, the figures that
// describe the whole report (method, totals) staying in its JSON.

extension LatePayersReport: CSVReport {
    public var csvFileName: String { "late-payers-\(asOf.iso).csv" }

    public var csv: CSVTable {
        CSVTable(
            header: [
                "rank", "customer_id", "name", "group", "sector", "grade", "overdue", "overdue_invoices", "days_beyond_terms",
                "oldest_due_date", "disputed_overdue", "open_balance", "unapplied_credits",
            ],
            rows: latePayers.map { payer in
                [
                    .integer(payer.rank), .text(payer.customerId), .text(payer.name), payer.group.map(CSVTable.Cell.text) ?? .empty,
                    .text(payer.sectorCode), payer.grade.map(CSVTable.Cell.text) ?? .empty, .money(payer.overdue),
                    .integer(payer.overdueInvoices), .number(payer.daysBeyondTerms, places: 1),
                    payer.oldestDueDate.map(CSVTable.Cell.day) ?? .empty, .money(payer.disputedOverdue), .money(payer.openBalance),
                    .money(payer.unappliedCredits),
                ]
            })
    }
}

extension GradeChangesReport: CSVReport {
    public var csvFileName: String { "grade-changes-\(from.iso)-\(to.iso).csv" }

    public var csv: CSVTable {
        CSVTable(
            header: [
                "customer_id", "name", "group", "direction", "steps", "from_grade", "to_grade", "from_as_of", "to_as_of", "from_pd", "to_pd",
                "from_limit", "to_limit", "limit_change", "main_reason_code", "main_reason",
            ],
            rows: changes.map { change in
                [
                    .text(change.customerId), .text(change.name), change.group.map(CSVTable.Cell.text) ?? .empty,
                    .text(change.direction.rawValue), .integer(change.steps), .text(change.from.grade), .text(change.to.grade),
                    .day(change.from.asOf), .day(change.to.asOf), .number(change.from.pd, places: 6), .number(change.to.pd, places: 6),
                    .money(change.from.suggestedLimit), .money(change.to.suggestedLimit), .money(change.limitChange),
                    change.mainReason.map { .text($0.code.rawValue) } ?? .empty, change.mainReason.map { .text($0.text) } ?? .empty,
                ]
            })
    }
}

extension CashForecast: CSVReport {
    public var csvFileName: String { "cash-forecast-\(asOf.iso).csv" }

    public var csv: CSVTable {
        CSVTable(
            header: ["week", "from", "to", "expected", "promised", "by_payment_delay", "late"],
            rows: weeks.map { week in
                [
                    .integer(week.week), .day(week.from), .day(week.to), .money(week.expected), .money(week.promised),
                    .money(week.byPaymentDelay), .money(week.late),
                ]
            })
    }
}

extension CashForecastBacktest: CSVReport {
    public var csvFileName: String { "cash-forecast-backtest.csv" }

    public var csv: CSVTable {
        CSVTable(
            header: ["as_of", "week", "from", "to", "forecast", "actual", "error"],
            rows: origins.flatMap { origin in
                let weeks = ForecastWeeks(asOf: origin.asOf, count: origin.forecast.count)
                return zip(origin.forecast, origin.actual).enumerated().map { index, pair -> [CSVTable.Cell] in
                    [
                        .day(origin.asOf), .integer(index + 1), .day(weeks.from(index)), .day(weeks.to(index)), .money(pair.0),
                        .money(pair.1), .money(pair.0 - pair.1),
                    ]
                }
            })
    }
}

extension KPITrend: CSVReport {
    public var csvFileName: String { "kpi-trend-\(months.last?.monthEnd.iso ?? "empty").csv" }

    public var csv: CSVTable {
        CSVTable(
            header: [
                "month_end", "open_receivables", "receivables", "overdue", "overdue_share", "dso_days", "dso_covers_receivables",
                "days_beyond_terms", "days_beyond_terms_per_invoice", "invoices_paid_in_window",
            ],
            rows: months.map { month in
                [
                    .day(month.monthEnd), .money(month.openReceivables), .money(month.receivables), .money(month.overdue),
                    .number(month.overdueShare, places: 4), .number(month.dso, places: 1), .text(month.dsoCoversReceivables ? "true" : "false"),
                    month.averageDaysBeyondTerms.map { .number($0, places: 1) } ?? .empty,
                    month.averageDaysBeyondTermsUnweighted.map { .number($0, places: 1) } ?? .empty, .integer(month.invoicesPaidInWindow),
                ]
            })
    }
}
