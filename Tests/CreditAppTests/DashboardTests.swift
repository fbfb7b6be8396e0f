@_spi(Testing) import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("The credit team's dashboard")
struct DashboardTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }

    static func service(_ db: DatabaseQueue, model: ScoringModel? = nil) throws -> CreditService {
        let model = try model ?? Repository.model()
        var service = CreditService(database: db, model: model, now: fixedNow)
        service.policies = try Repository.policies(for: model)
        return service
    }

    /// The demo portfolio, scored as of its last day.
    static func scoredDemo() async throws -> (DatabaseQueue, CreditService) {
        let db = try Repository.demoDatabase()
        let service = try Self.service(db)
        _ = try await service.scoring.scoreAndStore(asOf: Self.day("2026-10-31"))
        return (db, service)
    }

    @Test(
        "the dashboard's indicators, aged balance, trend and late payers are those of the KPI report and the late payers report",
        arguments: ["2026-10-31", "2026-10-15", "2026-06-07"])
    func agreesWithReports(_ asOf: String) async throws {
        let db = try Repository.demoDatabase()
        let service = try Self.service(db)
        let day = Self.day(asOf)
        let group = try #require(
            try await db.read { try String.fetchOne($0, sql: "SELECT customer_group FROM customer WHERE customer_group IS NOT NULL") })
        for selection in [PortfolioSelection.all, PortfolioSelection(group: group), PortfolioSelection(salesRep: "marie")] {
            let dashboard = try await service.dashboard(asOf: day, selection: selection)
            let kpis = try await service.indicators.kpis(asOf: day, selection: selection)
            let k = dashboard.indicators
            #expect(dashboard.customers == kpis.customers, "\(selection)")
            #expect(k.monthEnd == day)
            #expect(k.openReceivables == kpis.openReceivables, "\(selection) \(asOf)")
            #expect(k.overdue == kpis.agedBalance.overdue, "\(selection) \(asOf)")
            #expect(abs(k.overdueShare - kpis.overdueShare) < 1e-12)
            #expect(abs(k.dso - kpis.dso.days) < 1e-9, "\(selection) \(asOf)")
            #expect(abs((k.averageDaysBeyondTerms ?? -1) - (kpis.averageDaysBeyondTerms ?? -1)) < 1e-9)
            #expect(dashboard.agedBalance == kpis.agedBalance, "\(selection) \(asOf)")
            let trend = try await service.reports.kpiTrend(months: 12, through: day, selection: selection)
            #expect(dashboard.trend == trend)
            #expect(dashboard.trend.months.count == 12 && dashboard.trend.months.last.map { $0.monthEnd <= day } == true)
            let late = try await service.reports.latePayers(asOf: day, limit: 20, selection: selection)
            #expect(dashboard.latePayers == late)
        }
    }

    @Test("the whole portfolio's aged balance from the daily totals follows payments and corrections as the ledger does")
    func agedBalanceAfterWrites() async throws {
        let db = try Repository.demoDatabase()
        let service = try Self.service(db)
        let open = try Repository.largestOpenUndisputedInvoice(db)
        try await db.write { db in
            let openCents = try #require(try Int64.fetchOne(db, sql: "SELECT open_cents FROM invoice WHERE id = ?", arguments: [open.invoice]))
            try db.execute(
                sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES ('T1', ?, '2026-10-20', ?)",
                arguments: [open.invoice, openCents / 2])
            try db.execute(sql: "UPDATE invoice SET due_date = date(due_date, '-45 days') WHERE id = ?", arguments: [open.invoice])
            try db.execute(
                sql: """
                    INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents)
                    VALUES ('T-NEW', ?, '2026-07-01', '2026-07-31', 12345, 'EUR', 12345)
                    """, arguments: [open.customer])
        }
        for asOf in ["2026-10-31", "2026-10-19", "2026-09-03"] {
            let dashboard = try await service.dashboard(asOf: Self.day(asOf))
            let kpis = try await service.indicators.kpis(asOf: Self.day(asOf))
            #expect(dashboard.agedBalance == kpis.agedBalance, "\(asOf)")
        }
    }

    @Test("a sales rep's dashboard covers only the accounts they hold")
    func salesRepsAccounts() async throws {
        let (db, service) = try await Self.scoredDemo()
        let day = Self.day("2026-10-31")
        let marie = PortfolioSelection(salesRep: "marie")
        let dashboard = try await service.dashboard(asOf: day, selection: marie)
        let whole = try await service.dashboard(asOf: day)
        let (maries, openCents, alerts) = try await db.read { db in
            (
                try Set(String.fetchAll(db, sql: "SELECT id FROM customer WHERE sales_rep = 'marie'")),
                try Int64.fetchOne(
                    db, sql: "SELECT SUM(i.open_cents) FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.sales_rep = 'marie'") ?? 0,
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM alert a LEFT JOIN customer c ON c.id = a.customer_id
                        WHERE a.status <> 'closed' AND (a.customer_id IS NULL OR c.sales_rep = 'marie')
                        """) ?? 0
            )
        }
        #expect(!maries.isEmpty && maries.count < 200)
        #expect(dashboard.customers == maries.count && dashboard.grades.customers == maries.count)
        #expect(dashboard.salesRep == "marie" && dashboard.latePayers.salesRep == "marie")
        // The demo's ledger ends on the day: the open balances stored are those of the day.
        #expect(dashboard.indicators.openReceivables.cents == openCents)
        #expect(dashboard.indicators.openReceivables < whole.indicators.openReceivables)
        #expect(!dashboard.latePayers.latePayers.isEmpty && dashboard.latePayers.latePayers.allSatisfy { maries.contains($0.customerId) })
        #expect(dashboard.alerts.total == alerts && alerts < whole.alerts.total)
        #expect(dashboard.alerts.newest.allSatisfy { $0.customerId.map(maries.contains) ?? true })
        // Whole-portfolio figures split by rep add up: marie's share of the grade mix is within the whole.
        for (line, all) in zip(dashboard.grades.lines, whole.grades.lines) {
            #expect(line.grade == all.grade && line.customers <= all.customers)
        }
        // An unknown rep has no accounts: an empty dashboard, not the portfolio's.
        let nobody = try await service.dashboard(asOf: day, selection: PortfolioSelection(salesRep: "nobody"))
        #expect(nobody.customers == 0 && nobody.indicators.openReceivables == .zero && nobody.latePayers.latePayers.isEmpty)
        #expect(nobody.grades.customers == 0)
    }

    @Test("the workload counts held orders, limit requests, reviews and disputes of the selected customers only")
    func workload() async throws {
        let (db, service) = try await Self.scoredDemo()
        let day = Self.day("2026-10-31")
        let whole = try await service.dashboard(asOf: day)
        let reviews = try await service.reviews.due(before: day, today: day, limit: 1)
        #expect(whole.workload.reviewsDue == reviews.total)
        let disputes = try await service.disputes.list(asOf: day)
        #expect(whole.workload.disputesOpen == disputes.count)
        #expect(whole.workload.disputesOverdue == disputes.filter { $0.daysOverdue > 0 }.count)
        let marie = try await service.dashboard(asOf: day, selection: PortfolioSelection(salesRep: "marie"))
        let maries = try await db.read { try Set(String.fetchAll($0, sql: "SELECT id FROM customer WHERE sales_rep = 'marie'")) }
        #expect(marie.workload.disputesOpen == disputes.filter { maries.contains($0.customerId) }.count)
        #expect(marie.workload.reviewsDue == reviews.total - (try await Self.reviewsDueOutside(service, maries, day)))
        // A limit request pending on one of marie's accounts counts for her and for the portfolio.
        let customer = try #require(maries.sorted().first)
        try await db.write { db in
            _ = try LimitRequestStore().add(
                db,
                LimitRequest(
                    id: 0, customerId: customer, limit: Self.euros(50_000), reason: "seasonal order", expiresOn: Self.day("2027-03-31"),
                    requestedBy: "marie", requestedOn: day, suggestedLimit: Self.euros(10_000), limitInForce: Self.euros(10_000)),
                createdAt: "2026-10-31T09:00:00Z")
        }
        #expect(try await service.dashboard(asOf: day, selection: PortfolioSelection(salesRep: "marie")).workload.limitRequestsPending == 1)
        #expect(try await service.dashboard(asOf: day, selection: PortfolioSelection(salesRep: "julien")).workload.limitRequestsPending == 0)
        #expect(try await service.dashboard(asOf: day).workload.limitRequestsPending == 1)
    }

    /// The reviews due of the customers not in `selected`.
    static func reviewsDueOutside(_ service: CreditService, _ selected: Set<String>, _ day: Day) async throws -> Int {
        let all = try await service.reviews.due(before: day, today: day, limit: 1_000)
        return all.reviews.filter { !selected.contains($0.customerId) }.count
    }

    @Test("the grade mix counts every customer once, under the override's grade while it is in force")
    func gradeMix() async throws {
        let db = try CreditDatabase.inMemory()
        let model = try Repository.model()
        try await db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO customer (id, name, sector_code, country, terms_days) VALUES
                        ('C1', 'Alpha', '62.01Z', 'FR', 30), ('C2', 'Beta', '62.01Z', 'FR', 30), ('C3', 'Gamma', '62.01Z', 'FR', 30),
                        ('C4', 'Delta', '62.01Z', 'FR', 30), ('C5', 'Epsilon', '62.01Z', 'FR', 30)
                    """)
            // C1 graded 4 then 5 (the later assessment counts), C2 and C3 graded 6, C5 graded 5; C4 never assessed.
            for (customer, asOf, grade, exposure) in [
                ("C1", "2026-09-30", "4", 1_000), ("C1", "2026-10-31", "5", 2_000), ("C2", "2026-10-31", "6", 3_000),
                ("C3", "2026-10-31", "6", 4_000), ("C5", "2026-10-31", "5", 5_000),
            ] as [(String, String, String, Int64)] {
                try AssessmentStore().save(
                    db,
                    StoredAssessment(
                        customerId: customer, asOf: Self.day(asOf), modelVersion: "test", grade: grade, pd: 0.02, score: 50,
                        suggestedLimit: Self.euros(10_000), exposure: Self.euros(exposure), detail: Data("{}".utf8),
                        createdAt: "2026-10-31T00:00:00Z"))
            }
            // C3 overridden to 8 until the end of the year; C5's override to 3 ended in September.
            try OverrideStore().set(
                db, customerId: "C3",
                override: Override(
                    grade: model.grade(code: "8"), reason: "parent in difficulty", author: "cm", setOn: Self.day("2026-10-01"),
                    expiresOn: Self.day("2026-12-31")), createdAt: "2026-10-01T09:00:00Z")
            try OverrideStore().set(
                db, customerId: "C5",
                override: Override(
                    grade: model.grade(code: "3"), reason: "guarantee", author: "cm", setOn: Self.day("2026-06-01"),
                    expiresOn: Self.day("2026-09-30")), createdAt: "2026-06-01T09:00:00Z")
        }
        let mix = try await Self.service(db, model: model).dashboard(asOf: Self.day("2026-10-31")).grades
        let counts = Dictionary(uniqueKeysWithValues: mix.lines.map { ($0.label, $0.customers) })
        #expect(mix.customers == 5)  // every customer once
        #expect(counts["5"] == 2)  // C1 (its latest grade) and C5 (its override expired)
        #expect(counts["6"] == 1 && counts["8"] == 1 && counts["3"] == 0 && counts["4"] == 0)
        #expect(counts[GradeMix.notAssessedLabel] == 1)  // C4
        #expect(mix.overridden == 1)
        let exposure = Dictionary(uniqueKeysWithValues: mix.lines.map { ($0.label, $0.exposure) })
        #expect(exposure["5"] == Self.euros(7_000))  // C1's 2 000 + C5's 5 000
        #expect(exposure["8"] == Self.euros(4_000) && exposure["6"] == Self.euros(3_000))
        // The scale's order, then D, then the customers never assessed.
        #expect(mix.lines.map(\.label) == model.grades.map(\.code) + [GradeMix.notAssessedLabel])
        // On 15 September C3's override is not set yet (C3 under its assessment's 6) and C5's is still in force (C5 under 3).
        let before = try await Self.service(db, model: model).dashboard(asOf: Self.day("2026-09-15")).grades
        let earlier = Dictionary(uniqueKeysWithValues: before.lines.map { ($0.label, $0.customers) })
        #expect(earlier["6"] == 2 && earlier["3"] == 1 && earlier["5"] == 1 && earlier["8"] == 0 && before.overridden == 1)
        #expect(before.customers == 5)
    }

    /// Standings whose kept first assessment day differs from the customer's earliest assessment.
    static func firstDaysOff(_ db: some DatabaseReader) throws -> Int {
        try db.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM customer_standing s
                    WHERE s.first_as_of IS NOT (SELECT MIN(a.as_of) FROM assessment a WHERE a.customer_id = s.customer_id)
                    """) ?? -1
        }
    }

    @Test("each standing keeps its customer's first assessment day, equal to a recount, whatever order the runs come in")
    func firstAssessmentKept() async throws {
        let (db, service) = try await Self.scoredDemo()  // scored as of 31 October
        #expect(try Self.firstDaysOff(db) == 0)
        _ = try await service.scoring.scoreAndStore(asOf: Self.day("2026-08-31"))  // a run over the past
        _ = try await service.scoring.scoreAndStore(asOf: Self.day("2026-09-30"))
        #expect(try Self.firstDaysOff(db) == 0)
        let days = try await db.read { try String.fetchAll($0, sql: "SELECT DISTINCT first_as_of FROM customer_standing") }
        #expect(days == ["2026-08-31"])
        // The latest assessment still stands: the runs over the past did not replace it.
        #expect(try await db.read { try String.fetchAll($0, sql: "SELECT DISTINCT as_of FROM customer_standing") } == ["2026-10-31"])

        // A database brought up to date from before the column gets it from the assessments stored.
        let old = try DatabaseQueue()
        try CreditDatabase.migrator.migrate(old, upTo: "v16 customer name key and order steps by customer")
        try await old.write { db in
            try db.execute(sql: "INSERT INTO customer (id, name, sector_code, country, terms_days) VALUES ('C1', 'Alpha', '62.01Z', 'FR', 30)")
            // Rows as that version stored them (today's store writes columns it did not have).
            for asOf in ["2026-09-30", "2026-06-30"] {
                try db.execute(
                    sql: """
                        INSERT INTO assessment (customer_id, as_of, model_version, grade, pd, score, suggested_limit_cents,
                                                exposure_cents, overdue_cents, detail, created_at)
                        VALUES ('C1', ?, 'test', '5', 0.02, 50, 100000, 0, 0, '{}', '2026-10-31T00:00:00Z')
                        """, arguments: [asOf])
            }
        }
        try CreditDatabase.migrator.migrate(old)
        #expect(try await old.read { try String.fetchOne($0, sql: "SELECT first_as_of FROM customer_standing") } == "2026-06-30")
        #expect(try Self.firstDaysOff(old) == 0)
    }

    @Test("data older than the service allows is flagged stale, by the scoring runs' rule")
    func staleData() async throws {
        let db = try Repository.demoDatabase()
        var service = try Self.service(db)
        let latest = try await db.read { try LedgerQueries().latestLedgerDay($0) }
        #expect(latest == Self.day("2026-10-31"))
        let fresh = try await service.dashboard(asOf: Self.day("2026-11-07")).freshness
        #expect(fresh.latestEntry == latest && fresh.ageDays == 7 && fresh.staleAfterDays == 7 && !fresh.stale)  // 7 days: still fresh
        let stale = try await service.dashboard(asOf: Self.day("2026-11-08")).freshness
        #expect(stale.ageDays == 8 && stale.stale)
        service.ledgerStaleAfterDays = 30
        #expect(!(try await service.dashboard(asOf: Self.day("2026-11-08")).freshness.stale))
    }

    @Test("an unknown group is refused, not answered with an empty portfolio")
    func unknownGroup() async throws {
        let service = try Self.service(try Repository.demoDatabase())
        await #expect(throws: Refusal.self) {
            try await service.dashboard(asOf: Self.day("2026-10-31"), selection: PortfolioSelection(group: "no such group"))
        }
    }
}
