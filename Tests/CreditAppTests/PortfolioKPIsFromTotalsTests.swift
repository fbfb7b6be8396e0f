@_spi(Testing) import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The whole portfolio's indicators are read from the totals the store keeps with every write;
/// they must stay equal to a walk of every customer's ledger, as of any day and after any event.
@Suite("Portfolio indicators from the maintained totals")
struct PortfolioKPIsFromTotalsTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }

    /// The two readings agree: amounts and counts exactly, averages to the last float digits
    /// (sums added in another order).
    static func expectEqual(_ fast: PortfolioKPIs, _ walked: PortfolioKPIs, _ context: String) {
        #expect(fast.asOf == walked.asOf && fast.customers == walked.customers, "\(context)")
        #expect(fast.openReceivables == walked.openReceivables, "\(context)")
        #expect(fast.agedBalance == walked.agedBalance, "\(context)")
        #expect(abs(fast.overdueShare - walked.overdueShare) < 1e-12, "\(context)")
        #expect(abs(fast.dso.days - walked.dso.days) < 1e-9 && fast.dso.receivables == walked.dso.receivables, "\(context)")
        #expect(fast.dso.coversReceivables == walked.dso.coversReceivables && fast.dso.periodDays == walked.dso.periodDays, "\(context)")
        #expect(abs((fast.averageDaysBeyondTerms ?? -1) - (walked.averageDaysBeyondTerms ?? -1)) < 1e-9, "\(context)")
        #expect(
            abs((fast.averageDaysBeyondTermsUnweighted ?? -1) - (walked.averageDaysBeyondTermsUnweighted ?? -1)) < 1e-9, "\(context)")
        #expect(fast.daysBeyondTermsWindow == walked.daysBeyondTermsWindow, "\(context)")
        #expect(fast.invoicesPaidInWindow == walked.invoicesPaidInWindow, "\(context)")
        #expect(fast.disputes == walked.disputes, "\(context)")
        #expect(fast.grades == walked.grades && fast.unscored == walked.unscored, "\(context)")
    }

    @Test(
        "the whole portfolio's, a group's, a sector's and a sales rep's from their totals equal a walk, as of the export day, a past day, a day before any dispute and after the ledger's end",
        arguments: ["2026-10-31", "2026-06-30", "2025-03-31", "2026-12-15"])
    func equalToTheWalk(_ asOf: String) async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.day("2026-09-30"))
        let report = PortfolioKPIReport(database: db, model: model)
        for selection in try [PortfolioSelection.all] + Self.scopes(db) {
            let fast = try await report.kpis(asOf: Self.day(asOf), selection: selection)
            Self.expectEqual(fast, try await report.kpisByWalkingTheLedger(asOf: Self.day(asOf), selection: selection), "\(asOf) \(selection)")
            #expect(selection == .all ? fast.customers == 200 : fast.customers > 0 && fast.customers < 200)
            #expect(fast.group == selection.group && fast.sector == selection.sector)
        }
    }

    @Test("without a day, the indicators are as of the ledger's latest entry, found from the totals as a walk finds it")
    func latestDay() async throws {
        let db = try Repository.demoDatabase()
        let report = PortfolioKPIReport(database: db, model: try Repository.model())
        let walkedLatest = try await db.read { try LedgerQueries().latestLedgerDay($0) }
        #expect(try await report.kpis(asOf: nil).asOf == walkedLatest && walkedLatest != nil)
    }

    @Test(
        "what was paid by a day on invoices due before each ageing cutoff: the complement read through the due-date index equals the sum over every receipt, on every month end and past the ledger's end"
    )
    func paidByTheComplement() throws {
        let db = try Repository.demoDatabase()
        try db.read { db in
            let totals = LedgerDayTotals()
            var checked = 0
            let days = try totals.days(db)
            for monthEnd in KPITrend.monthEnds(count: 39, through: Self.day("2027-03-31")) {
                let cutoffs = AgedBalance.overdueCutoffs(asOf: monthEnd)
                let complement = try totals.paid(db, by: monthEnd, dueBefore: cutoffs, days: days)
                let summed = try totals.paid(db, asOf: cutoffs.map { (paidBy: monthEnd, dueBefore: $0) })
                #expect(complement == summed, "\(monthEnd)")
                if summed.contains(where: { $0 != .zero }) { checked += 1 }
            }
            #expect(checked > 20)
        }
    }

    /// The demo portfolio with its model and KPI report.
    static func demoReport() throws -> (DatabaseQueue, ScoringModel, PortfolioKPIReport) {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        return (db, model, PortfolioKPIReport(database: db, model: model))
    }

    /// The indicators of each selection read both ways, expected equal.
    static func expectEqualToTheWalk(
        _ report: PortfolioKPIReport, asOf day: Day, _ selections: [PortfolioSelection], _ context: String
    ) async throws {
        for selection in selections {
            Self.expectEqual(
                try await report.kpis(asOf: day, selection: selection), try await report.kpisByWalkingTheLedger(asOf: day, selection: selection),
                "\(context) \(selection)")
        }
    }

    @Test("after a partial payment, and a dispute opened then resolved, for the whole portfolio and each scope of the customer")
    func equalAfterEvents() async throws {
        let (db, model, report) = try Self.demoReport()
        let day = Self.day("2026-10-31")
        let selections = try [PortfolioSelection.all] + Self.scopes(db)
        let (invoice, _) = try Repository.largestOpenUndisputedInvoice(db, issuedBy: day - 30)
        let events = FeedbackEvents(database: db, model: model, now: fixedNow)
        _ = try await events.payment(Payment(id: "P-KPI-1", invoiceId: invoice, paidOn: day - 3, amount: Money(cents: 10_000)), today: day)
        let disputes = DisputeWorkflow(database: db, model: model, now: fixedNow)
        _ = try await disputes.open(invoiceId: invoice, kind: "quality", author: "tester", on: day - 2, today: day)
        try await Self.expectEqualToTheWalk(report, asOf: day, selections, "dispute open")
        _ = try await disputes.resolve(invoiceId: invoice, outcome: "rejected", author: "tester", on: day - 1, today: day)
        try await Self.expectEqualToTheWalk(report, asOf: day, selections, "dispute resolved")
        let walked = try await report.kpisByWalkingTheLedger(asOf: day)
        #expect(walked.disputes.resolvedInWindow >= 1)
    }

    @Test(
        "the grade mix as of any day, read from the standings and the grade index, equals a seek per customer, runs confirmed or not",
        arguments: [
            "2026-08-15", "2026-08-31", "2026-09-15", "2026-09-30", "2026-10-31", "2026-11-05", "2026-12-31",
        ])
    func gradesAsOfADay(_ asOf: String) async throws {
        let db = try Repository.demoDatabase()
        let scoring = ScoringService(database: db, model: try Repository.model(), now: fixedNow)
        // Month ends in order, a run over the past, a run that mostly confirms, and a customer re-scored alone.
        for day in ["2026-09-30", "2026-10-31", "2026-08-31", "2026-11-05"] { _ = try await scoring.scoreAndStore(asOf: Self.day(day)) }
        _ = try await scoring.scoreAndStore(asOf: Self.day("2026-11-05"), customerId: "C0000007")
        let sector = try await db.read { try String.fetchOne($0, sql: "SELECT sector_code FROM customer WHERE id = 'C0000007'") }
        for selection in [PortfolioSelection.all, PortfolioSelection(sector: sector)] {
            let (read, sought) = try await db.read { db in
                (
                    try KPIQueries().latestGrades(db, asOf: Self.day(asOf), selection: selection).sorted { $0.customerId < $1.customerId },
                    try KPIQueries().latestGradesBySeeking(db, asOf: Self.day(asOf), selection: selection).sorted { $0.customerId < $1.customerId }
                )
            }
            #expect(read == sought, "\(asOf) \(selection)")
            if selection == .all {
                // Counted by SQLite per grade: the same customers and exposure per grade.
                let order = try Repository.model().grades.map(\.code)
                let counted = try await db.read { try KPIQueries().gradeShares($0, asOf: Self.day(asOf)) }
                let bySeeking = PortfolioKPIs.distribution(
                    shares: sought.map { PortfolioKPIs.GradeShare(grade: $0.grade, customers: 1, exposure: $0.exposure) }, order: order)
                #expect(PortfolioKPIs.distribution(shares: counted, order: order) == bySeeking, "\(asOf)")
            }
            #expect(read.count == (asOf < "2026-08-31" ? 0 : selection == .all ? 200 : sought.count))
        }
    }

    @Test("a database scored before the grade mix was kept by day gets it from the assessments stored, runs over the past included")
    func gradeMixBackfilled() async throws {
        let db = try DatabaseQueue()
        try CreditDatabase.migrator.migrate(db, upTo: "v20 ledger totals by group, sector and sales rep")
        _ = try LedgerImporter(database: db).importLedger(directory: Repository.path("Fixtures/demo"))
        // Today's scoring reads a statement column a v20 database lacks (v24's previous-year
        // length): it is there while the scoring runs, and gone again before the migrations.
        try await db.write { try $0.execute(sql: "ALTER TABLE statement_prior_year ADD COLUMN period_months INTEGER") }
        let scoring = ScoringService(database: db, model: try Repository.model(), now: fixedNow)
        for day in ["2026-09-30", "2026-10-31", "2026-08-31"] { _ = try await scoring.scoreAndStore(asOf: Self.day(day)) }
        _ = try await scoring.scoreAndStore(asOf: Self.day("2026-10-31"), customerId: "C0000007")
        try await db.write { try $0.execute(sql: "ALTER TABLE statement_prior_year DROP COLUMN period_months") }
        try CreditDatabase.migrator.migrate(db)
        let order = try Repository.model().grades.map(\.code)
        for asOf in ["2026-08-15", "2026-08-31", "2026-09-30", "2026-10-31"] {
            let (counted, sought) = try await db.read { db in
                (
                    try KPIQueries().gradeShares(db, asOf: Self.day(asOf)),
                    try KPIQueries().latestGradesBySeeking(db, asOf: Self.day(asOf), selection: .all)
                )
            }
            let bySeeking = PortfolioKPIs.distribution(
                shares: sought.map { PortfolioKPIs.GradeShare(grade: $0.grade, customers: 1, exposure: $0.exposure) }, order: order)
            #expect(PortfolioKPIs.distribution(shares: counted, order: order) == bySeeking, "\(asOf)")
            #expect(counted.reduce(0) { $0 + $1.customers } == (asOf < "2026-08-31" ? 0 : 200))
        }
    }

    /// The demo's largest group, sector and sales rep, each as a selection of one filter.
    static func scopes(_ db: DatabaseQueue) throws -> [PortfolioSelection] {
        try db.read { db in
            let group = try String.fetchOne(
                db, sql: "SELECT customer_group FROM customer WHERE customer_group IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
            let sector = try String.fetchOne(db, sql: "SELECT sector_code FROM customer GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
            let rep = try String.fetchOne(
                db, sql: "SELECT sales_rep FROM customer WHERE sales_rep IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
            return [
                PortfolioSelection(group: try #require(group)), PortfolioSelection(sector: try #require(sector)),
                PortfolioSelection(salesRep: try #require(rep)),
            ]
        }
    }

    @Test("a customer moved to another sector by a newer export: its scopes are walked until the import rebuilds their totals, equal throughout")
    func customerMovesScope() async throws {
        let (db, model, report) = try Self.demoReport()
        let day = Self.day("2026-10-31")
        let scopes = try Self.scopes(db)
        let (_, customer) = try Repository.largestOpenUndisputedInvoice(db, issuedBy: day - 30)
        // The customer joins the largest sector (or another, if it is in it), as a customers.csv edited by hand would say.
        let sector = try #require(scopes[1].sector)
        try await db.write { db in
            let current = try String.fetchOne(db, sql: "SELECT sector_code FROM customer WHERE id = ?", arguments: [customer])
            try db.execute(sql: "UPDATE customer SET sector_code = ? WHERE id = ?", arguments: [current == sector ? "01.11Z" : sector, customer])
            #expect(try LedgerDayTotals().scopesStale(db))
        }
        try await Self.expectEqualToTheWalk(report, asOf: day, scopes, "moved, walked")
        // The next import's end rebuilds them.
        try await db.write { db in
            try LedgerWriter(db: db).finish()
            #expect(try !LedgerDayTotals().scopesStale(db))
        }
        try await Self.expectEqualToTheWalk(report, asOf: day, scopes, "rebuilt")
    }
}
