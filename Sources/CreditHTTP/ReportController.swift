import CreditApp
import CreditCore
import Hummingbird

/// The credit team's weekly reports, as JSON or (`?format=csv`) as CSV: late payers, grade
/// changes, the cash-collection forecast and its backtest, the KPI trend. Read by the roles
/// that read the portfolio indicators.
struct ReportController {
    let dependencies: ServiceDependencies

    func add(to group: RouterGroup<CreditRequestContext>) {
        let reports = group.requiring(.readPortfolio)
        reports.get("reports/late-payers", use: latePayers)
        reports.get("reports/grade-changes", use: gradeChanges)
        reports.get("reports/cash-forecast", use: cashForecast)
        reports.get("reports/cash-forecast/backtest", use: cashForecastBacktest)
        reports.get("reports/kpi-trend", use: kpiTrend)
    }

    @Sendable func latePayers(_ request: Request, context: CreditRequestContext) async throws -> ReportAnswer<LatePayersReport> {
        let query = QueryParameters(request: request)
        let format = try ReportFormat(query)
        let order = try query.choice("by", LatePayerOrder.self) ?? .overdue
        var selection = try selection(query)
        selection.salesRep = try query.text("salesRep")
        let report = try await dependencies.service.reports.latePayers(
            asOf: dependencies.today(), by: order, limit: try query.integer("limit", in: 1...1_000) ?? 20, selection: selection)
        return ReportAnswer(report: report, format: format)
    }

    @Sendable func gradeChanges(_ request: Request, context: CreditRequestContext) async throws -> ReportAnswer<GradeChangesReport> {
        let query = QueryParameters(request: request)
        let format = try ReportFormat(query)
        guard let from = try query.day("from") else { throw Problem.malformed("from is required: the period's first day (YYYY-MM-DD)") }
        guard let to = try query.day("to") else { throw Problem.malformed("to is required: the period's last day (YYYY-MM-DD)") }
        let report = try await dependencies.service.reports.gradeChanges(
            from: from, to: to, selection: try selection(query), direction: try query.choice("direction", GradeDirection.self, except: [.changed]),
            limit: try query.integer("limit", in: 1...100_000) ?? 100)
        return ReportAnswer(report: report, format: format)
    }

    @Sendable func cashForecast(_ request: Request, context: CreditRequestContext) async throws -> ReportAnswer<CashForecast> {
        let query = QueryParameters(request: request)
        let format = try ReportFormat(query)
        let forecast = try await dependencies.service.reports.cashForecast(
            asOf: try query.day("asOf") ?? dependencies.today(), weeks: try query.integer("weeks", in: 1...CashForecast.maximumWeeks) ?? 13)
        return ReportAnswer(report: forecast, format: format)
    }

    @Sendable func cashForecastBacktest(_ request: Request, context: CreditRequestContext) async throws -> ReportAnswer<CashForecastBacktest> {
        let query = QueryParameters(request: request)
        let format = try ReportFormat(query)
        let backtest = try await dependencies.service.reports.cashForecastBacktest(
            months: try query.integer("months", in: 1...36), weeks: try query.integer("weeks", in: 1...CashForecast.maximumWeeks) ?? 13,
            through: try query.day("through"))
        return ReportAnswer(report: backtest, format: format)
    }

    @Sendable func kpiTrend(_ request: Request, context: CreditRequestContext) async throws -> ReportAnswer<KPITrend> {
        let query = QueryParameters(request: request)
        let format = try ReportFormat(query)
        let trend = try await dependencies.service.reports.kpiTrend(
            months: try query.integer("months", in: 1...36) ?? 12, through: try query.day("through"), selection: try selection(query))
        return ReportAnswer(report: trend, format: format)
    }

    /// `group` and `sector`, read as the portfolio indicators read them.
    func selection(_ query: QueryParameters) throws -> PortfolioSelection {
        PortfolioSelection(group: try query.text("group"), sector: try query.text("sector", maximumLength: 16))
    }
}

/// `?format=json` (the default) or `?format=csv`.
enum ReportFormat {
    case json, csv

    init(_ query: QueryParameters) throws {
        switch try query.text("format") {
        case nil, "json": self = .json
        case "csv": self = .csv
        default: throw Problem.malformed("format must be json or csv")
        }
    }
}

/// A report sent as its JSON, or as its lines in CSV (RFC 4180, `text/csv; charset=utf-8`,
/// offered as a file named after the report and its day).
struct ReportAnswer<Report: Encodable & CSVReport>: ResponseGenerator {
    let report: Report
    let format: ReportFormat

    func response(from request: Request, context: some RequestContext) throws -> Response {
        switch format {
        case .json:
            return try UseCaseAnswer(report).response(from: request, context: context)
        case .csv:
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(report.csvFileName)\""],
                body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv.text)))
        }
    }
}
