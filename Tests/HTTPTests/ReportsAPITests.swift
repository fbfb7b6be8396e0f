import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/reports/...` on the demo portfolio, the service's today being 2026-10-31 (the
/// ledger's last day), scored at the end of September and of October.
@Suite("Reports API")
struct ReportsAPITests {
    static let creditManager: HTTPFields = .apiKey("demo-credit-manager-key-0001")
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001")
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001")

    static func dependencies() async throws -> ServiceDependencies {
        var dependencies = try APITests.dependencies()
        dependencies.service.forecastPolicy = try CashForecastPolicyFile.load(
            APITests.repository.appendingPathComponent(CashForecastPolicyFile.defaultPath).path)
        let scoring = ScoringService(database: dependencies.database, model: dependencies.model)
        _ = try await scoring.scoreAndStore(asOf: Day(parsing: "2026-09-30")!)
        _ = try await scoring.scoreAndStore(asOf: APITests.today)
        return dependencies
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test("the credit manager and collections read the late payers, largest overdue first; sales may not")
    func latePayers() async throws {
        try await Application(router: buildRouter(try await Self.dependencies())).test(.router) { client in
            for headers in [Self.creditManager, Self.collections] {
                try await client.execute(uri: "/v1/reports/late-payers?limit=5", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    let json = try jsonObject(response)
                    #expect(json["asOf"] as? String == "2026-10-31")
                    #expect(json["by"] as? String == "overdue")
                    let payers = try #require(json["latePayers"] as? [[String: Any]])
                    #expect(payers.count == 5)
                    let overdue = payers.compactMap { ($0["overdue"] as? String).flatMap { Money(parsing: $0)?.cents } }
                    #expect(overdue == overdue.sorted(by: >) && overdue.allSatisfy { $0 > 0 })
                    #expect(payers.map { $0["rank"] as? Int } == [1, 2, 3, 4, 5])
                }
            }
            try await client.expectStatus(.forbidden, uri: "/v1/reports/late-payers", method: .get, headers: Self.sales)
            try await client.execute(uri: "/v1/reports/late-payers?by=age", method: .get, headers: Self.creditManager) {
                #expect($0.status == .badRequest)
                #expect(Self.text($0).contains("by must be one of overdue, dbt"))
            }
            try await client.execute(uri: "/v1/reports/late-payers?group=Nobody", method: .get, headers: Self.creditManager) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("the late payers as CSV: a header row, plain decimal amounts, and a name with a comma, quotes and a line break escaped")
    func latePayersCSV() async throws {
        let dependencies = try await Self.dependencies()
        let first = try await dependencies.database.write { db in
            let id = try #require(
                try String.fetchOne(
                    db,
                    sql: """
                        SELECT customer_id FROM invoice WHERE open_cents > 0 AND due_date < '2026-10-31'
                        GROUP BY customer_id ORDER BY SUM(open_cents) DESC LIMIT 1
                        """))
            try db.execute(sql: "UPDATE customer SET name = ? WHERE id = ?", arguments: ["Dupont, \"Fils\"\net Cie", id])
            return id
        }
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/reports/late-payers?format=csv&limit=3", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"late-payers-2026-10-31.csv\"")
                let text = Self.text(response)
                #expect(
                    text.hasPrefix(
                        "rank,customer_id,name,group,sector,grade,overdue,overdue_invoices,days_beyond_terms,oldest_due_date,"
                            + "disputed_overdue,open_balance,unapplied_credits\r\n"))
                #expect(text.contains("1,\(first),\"Dupont, \"\"Fils\"\"\net Cie\","))
                // 4 records: the header and 3 customers, each ended by CRLF (the line break inside
                // the name is a bare LF inside quotes).
                #expect(text.components(separatedBy: "\r\n").count == 5)
                let fields = text.components(separatedBy: "\r\n")[2].components(separatedBy: ",")
                #expect(fields[6].range(of: #"^[0-9]+\.[0-9]{2}$"#, options: .regularExpression) != nil, "overdue \(fields[6])")
            }
        }
    }

    @Test("grade changes need both days, in order; the month's changes list both grades")
    func gradeChanges() async throws {
        try await Application(router: buildRouter(try await Self.dependencies())).test(.router) { client in
            try await client.execute(uri: "/v1/reports/grade-changes?from=2026-10-01&to=2026-10-31", method: .get, headers: Self.collections) {
                response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["assessed"] as? Int == 200)
                let changes = try #require(json["changes"] as? [[String: Any]])
                #expect(changes.count == (json["downgrades"] as? Int ?? -1) + (json["upgrades"] as? Int ?? -1) + (json["otherChanges"] as? Int ?? -1))
                for change in changes {
                    #expect(change["fromGrade"] as? String != change["toGrade"] as? String)
                    #expect(change["fromAsOf"] as? String == "2026-09-30" && change["toAsOf"] as? String == "2026-10-31")
                }
            }
            try await client.execute(uri: "/v1/reports/grade-changes?from=2026-10-01", method: .get, headers: Self.creditManager) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v1/reports/grade-changes?from=2026-10-31&to=2026-10-01", method: .get, headers: Self.creditManager) {
                #expect($0.status == .unprocessableContent)
                #expect(Self.text($0).contains("before from"))
            }
        }
    }

    @Test("the cash forecast gives 13 weeks and its method, as JSON or CSV; its backtest its errors")
    func cashForecast() async throws {
        try await Application(router: buildRouter(try await Self.dependencies())).test(.router) { client in
            try await client.execute(uri: "/v1/reports/cash-forecast", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect((json["weeks"] as? [Any])?.count == 13)
                #expect((json["method"] as? String)?.contains("disputed part is excluded") == true)
                #expect(json["policyVersion"] as? String == "cash-forecast-v1")
            }
            try await client.execute(uri: "/v1/reports/cash-forecast?weeks=4&format=csv", method: .get, headers: Self.creditManager) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = Self.text(response).components(separatedBy: "\r\n")
                #expect(lines.first == "week,from,to,expected,promised,by_payment_delay,late")
                #expect(lines.count == 6)  // the header, 4 weeks, and the empty string after the last CRLF
                #expect(lines[1].hasPrefix("1,2026-11-01,2026-11-07,"))
            }
            try await client.execute(uri: "/v1/reports/cash-forecast?weeks=53", method: .get, headers: Self.creditManager) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v1/reports/cash-forecast/backtest?months=2", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                let origins = try #require(json["origins"] as? [[String: Any]])
                // Month-ends whose 13 weeks end by 31 October: 31 July (+91 = 30 October) and 30 June.
                #expect(origins.map { $0["asOf"] as? String } == ["2026-06-30", "2026-07-31"])
                #expect((json["overall"] as? [String: Any])?["wape"] is Double)
            }
        }
    }

    @Test("the KPI trend's last month is the indicators' own as of that month-end")
    func kpiTrend() async throws {
        try await Application(router: buildRouter(try await Self.dependencies())).test(.router) { client in
            let kpis = try await client.execute(uri: "/v1/portfolio/kpis?asOf=2026-10-31", method: .get, headers: Self.creditManager) {
                try jsonObject($0)
            }
            try await client.execute(uri: "/v1/reports/kpi-trend?months=12", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let months = try #require(try jsonObject(response)["months"] as? [[String: Any]])
                #expect(months.count == 12)
                let last = try #require(months.last)
                #expect(last["monthEnd"] as? String == "2026-10-31")
                #expect(last["openReceivables"] as? String == kpis["openReceivables"] as? String)
                #expect(last["overdueShare"] as? Double == kpis["overdueShare"] as? Double)
                #expect(last["dso"] as? Double == (kpis["dso"] as? [String: Any])?["days"] as? Double)
            }
            try await client.execute(uri: "/v1/reports/kpi-trend?group=Groupe%20Henry&format=csv", method: .get, headers: Self.collections) {
                #expect($0.status == .ok)
                #expect(Self.text($0).hasPrefix("month_end,open_receivables,receivables,overdue,overdue_share,dso_days,"))
            }
            try await client.execute(uri: "/v1/reports/kpi-trend?months=0", method: .get, headers: Self.creditManager) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/v1/reports/kpi-trend?format=xls", method: .get, headers: Self.creditManager) {
                #expect($0.status == .badRequest)
            }
        }
    }
}
