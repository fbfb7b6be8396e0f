@_spi(Testing) import CreditApp
import CreditStore
import Foundation
import GRDB
import Testing

@testable import CreditCore

@Suite("Credit team reports")
struct ReportsTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }
    static let policy = CashForecastPolicy(version: "test", description: "", lateItemsWeeks: 2, doubtfulPastDueDays: 90, backtestMonths: 1)

    static func reports(_ db: DatabaseQueue, model: ScoringModel? = nil) throws -> PortfolioReports {
        PortfolioReports(database: db, model: try model ?? Repository.model(), forecastPolicy: policy)
    }

    // MARK: KPI trend

    @Test("the trend's last month equals the KPIs as of that month end, for the portfolio and for a group")
    func trendEqualsKPIs() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let reports = try Self.reports(db, model: model)
        let indicators = PortfolioKPIReport(database: db, model: model)
        let group = try #require(
            try await db.read { try String.fetchOne($0, sql: "SELECT customer_group FROM customer WHERE customer_group IS NOT NULL") })
        for selection in [PortfolioSelection.all, PortfolioSelection(group: group)] {
            let trend = try await reports.kpiTrend(months: 12, selection: selection)
            #expect(trend.months.count == 12)
            #expect(trend.months.last?.monthEnd == Self.day("2026-10-31"))  // the demo ledger's last day, a month-end
            for month in [trend.months[0], trend.months[5], trend.months[11]] {
                let kpis = try await indicators.kpis(asOf: month.monthEnd, selection: selection)
                #expect(month.openReceivables == kpis.openReceivables, "\(selection) \(month.monthEnd)")
                #expect(month.receivables == kpis.agedBalance.receivables)
                #expect(month.overdue == kpis.agedBalance.overdue)
                #expect(abs(month.overdueShare - kpis.overdueShare) < 1e-12)
                #expect(abs(month.dso - kpis.dso.days) < 1e-9)
                #expect(month.invoicesPaidInWindow == kpis.invoicesPaidInWindow)
                #expect(abs((month.averageDaysBeyondTerms ?? -1) - (kpis.averageDaysBeyondTerms ?? -1)) < 1e-9)
            }
        }
    }

    /// The daily totals as stored, whole and by scope, for comparison (days whose totals are all
    /// zero left out: a rebuild does not write them).
    static func totals(_ db: DatabaseQueue) throws -> [[String]] {
        let nonZero = """
            NOT (invoices_issued = 0 AND issued_cents = 0 AND debit_issued_cents = 0 AND debit_due_cents = 0
                 AND payments_received = 0 AND received_cents = 0 AND debit_received_cents = 0 AND settled_invoices = 0
                 AND settled_cents = 0 AND settled_delay_days = 0 AND settled_weighted_delay = 0)
            """
        return try db.read { db in
            try [
                "SELECT * FROM ledger_day WHERE \(nonZero) ORDER BY day",
                "SELECT * FROM ledger_receipt_due WHERE cents <> 0 ORDER BY paid_on, due_date",
                "SELECT * FROM ledger_day_scope WHERE \(nonZero) ORDER BY scope, day",
                "SELECT * FROM ledger_receipt_due_scope WHERE cents <> 0 ORDER BY scope, paid_on, due_date",
            ].flatMap { sql in try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map(\.description) } }
        }
    }

    @Test("the daily totals the triggers keep through payments, corrections and deletions equal those rebuilt from the ledger")
    func triggersEqualRebuild() async throws {
        let db = try Repository.demoDatabase()  // a bulk load: totals rebuilt once at its end
        let bulk = try Self.totals(db)
        try await db.write { try LedgerDayTotals().rebuild($0) }
        #expect(try Self.totals(db) == bulk)

        let open = try Repository.largestOpenUndisputedInvoice(db)
        try await db.write { db in
            let invoice = try #require(
                try Row.fetchOne(db, sql: "SELECT amount_cents, open_cents FROM invoice WHERE id = ?", arguments: [open.invoice]))
            let amount: Int64 = invoice["amount_cents"]
            let openCents: Int64 = invoice["open_cents"]
            // A partial payment, then one that settles the invoice, dated before the first.
            try db.execute(
                sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES ('T1', ?, '2026-10-20', ?), ('T2', ?, '2026-10-10', ?)",
                arguments: [open.invoice, openCents / 2, open.invoice, openCents - openCents / 2])
            // Corrections as a newer export brings them: a payment moved, an invoice's due date and amount.
            try db.execute(sql: "UPDATE payment SET paid_on = '2026-10-25' WHERE id = 'T2'")
            try db.execute(
                sql: "UPDATE invoice SET due_date = date(due_date, '+3 days'), amount_cents = ?, open_cents = open_cents + 100 WHERE id = ?",
                arguments: [amount + 100, open.invoice])
            // A paid invoice's payment moved to another invoice, and a payment removed.
            let paid = try #require(try String.fetchOne(db, sql: "SELECT id FROM payment WHERE id NOT IN ('T1', 'T2') ORDER BY id LIMIT 1"))
            try db.execute(sql: "UPDATE payment SET invoice_id = ? WHERE id = ?", arguments: [open.invoice, paid])
            try db.execute(sql: "DELETE FROM payment WHERE id = 'T1'")
            // A refund on a credit note and a new invoice.
            if let credit = try String.fetchOne(db, sql: "SELECT id FROM invoice WHERE amount_cents < 0 ORDER BY id LIMIT 1") {
                try db.execute(
                    sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES ('T3', ?, '2026-10-30', -1000)", arguments: [credit])
            }
            try db.execute(
                sql: """
                    INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents)
                    VALUES ('T-NEW', ?, '2026-10-30', '2026-11-29', 12345, 'EUR', 12345)
                    """, arguments: [open.customer])
            // The corrected invoice, with its payments, filed under another customer of another sector and group.
            try db.execute(
                sql: """
                    UPDATE invoice SET customer_id = (
                        SELECT c.id FROM customer c, customer o WHERE o.id = invoice.customer_id
                          AND c.sector_code <> o.sector_code AND c.customer_group IS NOT o.customer_group ORDER BY c.id LIMIT 1)
                    WHERE id = ?
                    """, arguments: [open.invoice])
        }
        let kept = try Self.totals(db)
        try await db.write { try LedgerDayTotals().rebuild($0) }
        #expect(try Self.totals(db) == kept)
        // Rebuilt in parts of a few totals at a time (as a large ledger is): the same.
        try await db.write { try LedgerDayTotals().rebuild($0, flushingEvery: 7) }
        #expect(try Self.totals(db) == kept)
        #expect(kept != bulk)
    }

    // MARK: Grade changes

    static func assess(_ db: Database, _ customer: String, _ day: String, grade: String, pd: Double, limit: Int64, reasons: [Reason] = []) throws {
        let detail = try JSONEncoder().encode(["reasons": reasons])
        try AssessmentStore().save(
            db,
            StoredAssessment(
                customerId: customer, asOf: Self.day(day), modelVersion: "test", grade: grade, pd: pd, score: 50,
                suggestedLimit: Self.euros(limit), exposure: .zero, detail: detail, createdAt: "2026-10-31T00:00:00Z"))
    }

    @Test("a grade change in the period is listed with both grades, PDs, limits and its main reason")
    func gradeChange() async throws {
        let db = try Repository.demoDatabase()
        try await db.write { db in
            // C0000001 falls from 4 to 6 in October; C0000002 stays at 5; C0000003 rises 6 → 5
            // through a September assessment; C0000004 is first assessed in October.
            try Self.assess(
                db, "C0000001", "2026-09-30", grade: "4", pd: 0.01, limit: 20_000,
                reasons: [Reason(code: .paymentIndex, effect: 0.1, text: "payment index 70")])
            try Self.assess(
                db, "C0000001", "2026-10-31", grade: "6", pd: 0.04, limit: 8_000,
                reasons: [
                    Reason(code: .paymentIndex, effect: 0.2, text: "payment index 60"),
                    Reason(code: .overdueShare, effect: 0.7, text: "55 % of the exposure is past due"),
                ])
            try Self.assess(db, "C0000002", "2026-09-30", grade: "5", pd: 0.02, limit: 10_000)
            try Self.assess(db, "C0000002", "2026-10-31", grade: "5", pd: 0.021, limit: 10_000)
            try Self.assess(db, "C0000003", "2026-08-31", grade: "6", pd: 0.05, limit: 5_000)
            try Self.assess(db, "C0000003", "2026-10-15", grade: "5", pd: 0.02, limit: 9_000)
            try Self.assess(db, "C0000004", "2026-10-31", grade: "7", pd: 0.08, limit: 1_000)
        }
        let report = try await Self.reports(db).gradeChanges(from: Self.day("2026-10-01"), to: Self.day("2026-10-31"))
        #expect(report.assessed == 4)
        #expect(report.downgrades == 1 && report.upgrades == 1 && report.newlyAssessed == 1)
        #expect(report.changes.map(\.customerId) == ["C0000001", "C0000003"])  // the downgrade first
        let down = try #require(report.changes.first)
        #expect((down.from.grade, down.to.grade) == ("4", "6"))
        #expect((down.from.asOf, down.to.asOf) == (Self.day("2026-09-30"), Self.day("2026-10-31")))
        #expect((down.from.pd, down.to.pd) == (0.01, 0.04))
        #expect(down.limitChange == Self.euros(-12_000))  // 8 000 − 20 000
        #expect(down.mainReason?.code == .overdueShare)  // +0.7, against +0.1 for the payment index
        // Before the October assessments, September's grades stand at both ends: no change.
        let september = try await Self.reports(db).gradeChanges(from: Self.day("2026-10-01"), to: Self.day("2026-10-14"))
        #expect(september.changes.isEmpty)
        await #expect(throws: Refusal.self) { try await Self.reports(db).gradeChanges(from: Self.day("2026-10-31"), to: Self.day("2026-10-01")) }
    }

    // MARK: Late payers

    @Test("late payers are read from the open balances: overdue, days beyond terms and the disputed part")
    func latePayers() async throws {
        let db = try Repository.demoDatabase()
        let today = Self.day("2026-10-31")
        let report = try await Self.reports(db).latePayers(asOf: today, limit: 5)
        let expected = try await db.read { db in
            try Int64.fetchOne(db, sql: "SELECT SUM(open_cents) FROM invoice WHERE open_cents > 0 AND due_date < '2026-10-31'") ?? 0
        }
        #expect(report.totalOverdue.cents == expected)
        #expect(report.latePayers.count == 5)
        #expect(report.latePayers.map(\.overdue) == report.latePayers.map(\.overdue).sorted(by: >))
        let first = try #require(report.latePayers.first)
        let (overdue, amountDays) = try await db.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT SUM(open_cents) AS overdue, SUM(open_cents * (julianday('2026-10-31') - julianday(due_date))) AS days
                        FROM invoice WHERE customer_id = ? AND open_cents > 0 AND due_date < '2026-10-31'
                        """, arguments: [first.customerId]))
            return (row["overdue"] as Int64, row["days"] as Double)
        }
        #expect(first.overdue.cents == overdue)
        #expect(abs(first.daysBeyondTerms - amountDays / Double(overdue)) < 1e-9)
    }

    // MARK: Cash forecast

    /// One customer of sector S (7 days beyond terms on average; too little history of its own),
    /// as of 31 March 2026, and what it paid in the four weeks after.
    static func smallLedger() throws -> DatabaseQueue {
        let db = try CreditDatabase.inMemory()
        try db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sector VALUES ('S', 'Sector S', 7, 45, 0.02, '2025', 'test');
                    INSERT INTO customer (id, name, sector_code, country, terms_days) VALUES ('C1', 'Alpha SARL', 'S', 'FR', 30);
                    INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents) VALUES
                        ('I1', 'C1', '2026-03-01', '2026-04-03', 100000, 'EUR', 100000),
                        ('I2', 'C1', '2026-03-10', '2026-04-12', 50000, 'EUR', 50000),
                        ('I3', 'C1', '2026-02-01', '2026-03-03', 40000, 'EUR', 40000),
                        ('I4', 'C1', '2026-03-20', '2026-04-19', 30000, 'EUR', 30000),
                        ('I5', 'C1', '2026-04-05', '2026-05-05', 80000, 'EUR', 80000);
                    INSERT INTO dispute (invoice_id, opened_on, kind, resolved_on) VALUES ('I4', '2026-03-25', 'price', '2026-04-24');
                    INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES
                        ('P1', 'I1', '2026-04-06', 100000),
                        ('P2', 'I2', '2026-04-20', 50000),
                        ('P3', 'I3', '2026-04-25', 40000),
                        ('P4', 'I4', '2026-04-27', 30000),
                        ('P5', 'I5', '2026-04-15', 80000);
                    UPDATE invoice SET open_cents = 0;
                    """)
        }
        return db
    }

    @Test("the forecast's backtest compares with the receipts that came; its error computed by hand on a small ledger")
    func backtestByHand() async throws {
        let backtest = try await Self.reports(try Self.smallLedger()).cashForecastBacktest(months: 1, weeks: 4, through: Self.day("2026-04-30"))
        // The one month-end whose 4 weeks end by 30 April: 31 March. Weeks: 1–7, 8–14, 15–21, 22–28 April.
        // Forecast with the sector's 7 days: I1 due 3 April → 10 April (week 2); I2 due 12 April →
        // 19 April (week 3); I3 28 days late, past its 10 March: 400 in halves over weeks 1 and 2
        // (lateItemsWeeks 2); I4 disputed on 31 March: left out. I5 is issued after 31 March.
        #expect(backtest.origins.map(\.asOf) == [Self.day("2026-03-31")])
        let origin = try #require(backtest.origins.first)
        #expect(origin.forecast == [200, 1200, 500, 0].map(Self.euros))
        #expect(origin.disputedExcluded == Self.euros(300))
        // Receipts on invoices issued by 31 March: I1 6 April, I2 20 April, I3 25 and I4 27 April
        // (I5's 15 April payment is on a later invoice).
        #expect(origin.actual == [1000, 0, 500, 700].map(Self.euros))
        // |200 − 1000| + |1200 − 0| + |500 − 500| + |0 − 700| = 2700 over 2200 received;
        // bias (1900 − 2200) / 2200; MAPE over the weeks with receipts (0.8 + 0 + 1) / 3 = 0.6.
        #expect(abs((backtest.overall.wape ?? 0) - 2700.0 / 2200.0) < 1e-12)
        #expect(abs((backtest.overall.bias ?? 0) + 300.0 / 2200.0) < 1e-12)
        #expect(abs((backtest.overall.mape ?? 0) - 0.6) < 1e-12)
    }

    @Test("the forecast from the stored assessments equals the one rebuilt from the ledger on the day they were made")
    func storedEqualsLedger() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = Self.day("2026-10-31")
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day)
        let reports = try Self.reports(db, model: model)
        let stored = try await reports.cashForecast(asOf: day)
        let rebuilt = try await reports.forecastFromLedger(asOf: day)
        #expect(stored == rebuilt)
        #expect(stored.expectedInHorizon.cents > 0)
        #expect((stored.delaySources["own"] ?? 0) > 0)
    }

    // MARK: CSV

    @Test("CSV escapes a customer name holding a comma, quotes and a line break; amounts are plain decimals")
    func csv() {
        let table = CSVTable(
            header: ["customer_id", "name", "overdue"],
            rows: [
                [.text("C1"), .text("Dupont, \"Fils\"\net Cie"), .money(Money(cents: -123_456))],
                [.text("C2"), .text("=HYPERLINK(\"x\")"), .money(Money(cents: 5))],
            ])
        #expect(
            table.text
                == "customer_id,name,overdue\r\n" + "C1,\"Dupont, \"\"Fils\"\"\net Cie\",-1234.56\r\n" + "C2,\"'=HYPERLINK(\"\"x\"\")\",0.05\r\n")
    }
}
