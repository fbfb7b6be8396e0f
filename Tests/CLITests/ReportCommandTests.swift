import Foundation
import Testing

/// `creditrisk report late-payers|grade-changes|cash-forecast|forecast-backtest|kpi-trend` on the
/// French fixture ledger: C001 has paid everything, C002 holds only a credit note (−250.00), C003
/// owes 4 000.00 due 16 May 2026, under a dispute since 20 May.
@Suite("Report commands")
struct ReportCommandTests {
    static func json(_ run: CLITests.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    }

    @Test("late payers as CSV: the header row, the one customer late, never the customer with only a credit")
    func latePayersCSV() throws {
        let db = try CLITests.ledger()
        let run = try CLITests.run(["report", "late-payers", "--db", db, "--csv"])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.components(separatedBy: "\r\n")
        #expect(lines.first?.hasPrefix("rank,customer_id,name,group,sector,grade,overdue,") == true, "\(run.output)")
        #expect(lines.count == 3)  // the header, C003, and the empty string after the last CRLF
        #expect(lines[1].hasPrefix("1,C003,"), "\(run.output)")
        #expect(lines[1].contains(",4000.00,1,"), "\(run.output)")  // 4 000.00 overdue on one invoice
        #expect(!run.output.contains("C002"))
        let both = try CLITests.run(["report", "late-payers", "--db", db, "--csv", "--json"])
        #expect(both.status != 0)
        #expect(both.errors.contains("--json and --csv cannot be used together"), "\(both.errors)")
    }

    @Test("the KPI trend's last month equals kpis as of that month-end")
    func kpiTrend() throws {
        let db = try CLITests.ledger()
        let trend = try Self.json(try CLITests.run(["report", "kpi-trend", "--db", db, "--months", "3", "--through", "2026-06-30", "--json"]))
        let months = try #require(trend["months"] as? [[String: Any]])
        #expect(months.map { $0["monthEnd"] as? String } == ["2026-04-30", "2026-05-31", "2026-06-30"])
        let kpis = try Self.json(try CLITests.run(["kpis", "--db", db, "--as-of", "2026-06-30", "--json"]))
        #expect(months.last?["openReceivables"] as? String == "3750.00")  // C003's 4 000.00 less C002's credit of 250.00
        #expect(months.last?["openReceivables"] as? String == kpis["openReceivables"] as? String)
    }

    @Test("the forecast backtest forecasts from the month-end whose weeks the ledger covers; the disputed balance is left out")
    func backtest() throws {
        let db = try CLITests.ledger()
        let run = try CLITests.run([
            "report", "forecast-backtest", "--db", db, "--months", "1", "--weeks", "4", "--through", "2026-06-30", "--json",
        ])
        #expect(run.status == 0, "\(run.errors)")
        let origins = try #require(try Self.json(run)["origins"] as? [[String: Any]])
        // 31 May + 4 weeks = 28 June, by 30 June; 30 June + 4 weeks is not.
        #expect(origins.map { $0["asOf"] as? String } == ["2026-05-31"])
        #expect(origins.first?["disputedExcluded"] as? String == "4000.00")
    }

    @Test("grade changes over a period that ends before it starts exit 65; the forecast prints its weeks")
    func gradeChangesAndForecast() throws {
        let db = try CLITests.ledger()
        let backwards = try CLITests.run(["report", "grade-changes", "--db", db, "--from", "2026-07-01", "--to", "2026-06-01"])
        #expect(backwards.status == 65)
        #expect(backwards.errors.contains("is before from"), "\(backwards.errors)")
        let changes = try CLITests.run(["report", "grade-changes", "--db", db, "--from", "2026-06-01", "--to", "2026-06-30"])
        #expect(changes.status == 0, "\(changes.errors)")
        #expect(changes.output.contains("3 first assessed in the period"), "\(changes.output)")
        let forecast = try CLITests.run(["report", "cash-forecast", "--db", db, "--as-of", "2026-06-30", "--weeks", "2"])
        #expect(forecast.status == 0, "\(forecast.errors)")
        #expect(forecast.output.contains("disputed, left out     4 000.00"), "\(forecast.output)")
        #expect(forecast.output.contains("2026-07-01  2026-07-07"), "\(forecast.output)")
    }
}

/// `creditrisk dashboard` on the same French fixture ledger.
@Suite("Dashboard command")
struct DashboardCommandTests {
    @Test("the dashboard as JSON: C003's 4 000.00, 45 days late on 30 June, less C002's credit; its dispute open")
    func json() throws {
        let db = try CLITests.ledger()
        let run = try CLITests.run(["dashboard", "--db", db, "--as-of", "2026-06-30", "--json"])
        #expect(run.status == 0, "\(run.errors)")
        let dashboard = try ReportCommandTests.json(run)
        #expect(dashboard["customers"] as? Int == 3)
        let indicators = try #require(dashboard["indicators"] as? [String: Any])
        #expect(indicators["openReceivables"] as? String == "3750.00")  // 4 000.00 − 250.00
        let aged = try #require(dashboard["agedBalance"] as? [String: Any])
        #expect(aged["days31to60"] as? String == "4000.00")  // due 16 May: 45 days on 30 June
        #expect(aged["unappliedCredits"] as? String == "-250.00")
        let workload = try #require(dashboard["workload"] as? [String: Any])
        #expect(workload["disputesOpen"] as? Int == 1)
        let trend = try #require((dashboard["trend"] as? [String: Any])?["months"] as? [[String: Any]])
        #expect(trend.count == 12 && trend.last?["monthEnd"] as? String == "2026-06-30")
    }

    @Test("the dashboard as text names the day, the selection and each section")
    func text() throws {
        let db = try CLITests.ledger()
        let run = try CLITests.run(["dashboard", "--db", db, "--as-of", "2026-06-30"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("Dashboard as of 2026-06-30 (all customers): 3 customers"), "\(run.output)")
        for section in ["Trend (month-ends)", "Aged balance", "Grades (effective", "Late payers: 1 customers owe 4 000.00", "Open alerts"] {
            #expect(run.output.contains(section), "\(section)\n\(run.output)")
        }
        let rep = try CLITests.run(["dashboard", "--db", db, "--as-of", "2026-06-30", "--sales-rep", "nobody"])
        #expect(rep.output.hasPrefix("Dashboard as of 2026-06-30 (sales rep nobody): 0 customers"), "\(rep.output)")
    }
}
