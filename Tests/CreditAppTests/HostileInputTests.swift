import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The use cases refuse implausible input before reading or writing anything, and no stored
/// rows, however large, can make a query, a score or a start trap.
@Suite("Hostile input to the use cases")
struct HostileInputTests {
    static let exportDay = Day(year: 2026, month: 10, day: 31)!

    /// Every row of the tables a refused request could touch, as one comparable value.
    static func snapshot(_ db: DatabaseQueue) throws -> [String: Int] {
        try db.read { db in
            var counts: [String: Int] = [:]
            for table in [
                "payment", "dispute", "payment_promise", "collections_change", "alert", "assessment", "credit_override",
                "pending_order", "customer", "application",
            ]
            where try db.tableExists(table) {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1
            }
            return counts
        }
    }

    static func refusal(_ body: () async throws -> Void) async -> (any Error)? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test("a payment beyond the amount bound, in the future or with an id holding NUL is refused and writes nothing")
    func refusedPayments() async throws {
        let db = try Repository.demoDatabase()
        let events = FeedbackEvents(database: db, model: try Repository.model(), now: fixedNow)
        let (invoice, _) = try BrokenPromiseTests.openInvoice(db)
        let before = try Self.snapshot(db)
        let cases: [Payment] = [
            Payment(id: "PAY-HUGE", invoiceId: invoice, paidOn: Self.exportDay, amount: Money(cents: 9_223_372_036_854_775_807)),
            Payment(id: "PAY-NEG", invoiceId: invoice, paidOn: Self.exportDay, amount: Money(cents: -9_223_372_036_854_775_807)),
            Payment(id: "PAY-FUTURE", invoiceId: invoice, paidOn: Self.exportDay + 1, amount: Money(cents: 100)),
            Payment(id: "PAY-OLD", invoiceId: invoice, paidOn: Day(year: 1, month: 1, day: 1)!, amount: Money(cents: 100)),
            Payment(id: "A\u{0000}B", invoiceId: invoice, paidOn: Self.exportDay, amount: Money(cents: 100)),
            Payment(id: "PAY-1", invoiceId: "../../etc", paidOn: Self.exportDay, amount: Money(cents: 100)),
        ]
        for payment in cases {
            let error = await Self.refusal { _ = try await events.payment(payment, today: Self.exportDay) }
            let refusal = try #require(error as? any RefusedRequest, "\(payment.id) must be refused, not \(String(describing: error))")
            #expect(refusal.refusalKind == .invalid)
        }
        #expect(try Self.snapshot(db) == before)
    }

    @Test("a promise to pay in 9999 or a dispute opened tomorrow is refused and changes nothing")
    func refusedDates() async throws {
        let db = try Repository.demoDatabase()
        let events = FeedbackEvents(database: db, model: try Repository.model(), now: fixedNow)
        let (invoice, _) = try BrokenPromiseTests.openInvoice(db)
        let before = try Self.snapshot(db)
        let promise = await Self.refusal {
            _ = try await events.promise(
                invoiceId: invoice, payBy: Day(year: 9999, month: 12, day: 31)!, amount: nil, author: "collector", today: Self.exportDay)
        }
        #expect((promise as? Refusal)?.field == "payBy")
        let dispute = await Self.refusal {
            _ = try await events.openDispute(invoiceId: invoice, kind: "price", on: Self.exportDay + 1, today: Self.exportDay)
        }
        #expect((dispute as? Refusal)?.field == "on")
        let partial = await Self.refusal {
            _ = try await events.promise(invoiceId: invoice, payBy: Self.exportDay + 5, amount: Money(cents: 0), author: "c", today: Self.exportDay)
        }
        #expect((partial as? Refusal)?.field == "amount")
        #expect(try Self.snapshot(db) == before)
    }

    @Test("a dispute opened again on the day it was opened and resolved is reopened, not a storage error")
    func reopenSameDay() async throws {
        let db = try Repository.demoDatabase()
        let events = FeedbackEvents(database: db, model: try Repository.model(), now: fixedNow)
        let (invoice, _) = try BrokenPromiseTests.openInvoice(db)
        let day = Self.exportDay
        #expect(try await events.openDispute(invoiceId: invoice, kind: "price", on: day, today: day).outcome == "opened")
        #expect(try await events.resolveDispute(invoiceId: invoice, on: day, today: day).outcome == "resolved")
        #expect(try await events.openDispute(invoiceId: invoice, kind: "price", on: day, today: day).outcome == "reopened")
        let open = try await db.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispute WHERE invoice_id = ? AND resolved_on IS NULL", arguments: [invoice])
        }
        #expect(open == 1)
        // Another kind on the same day contradicts the record: a conflict, not a 500.
        _ = try await events.resolveDispute(invoiceId: invoice, on: day, today: day)
        do {
            _ = try await events.openDispute(invoiceId: invoice, kind: "quality", on: day, today: day)
            Issue.record("a second kind the same day must be refused")
        } catch let error as Refusal {
            #expect(error.refusalKind == .conflict)
        }
    }

    @Test("an order check for an unknown customer answers not found and leaves no trace in the change log")
    func unknownCustomerWritesNothing() async throws {
        let db = try Repository.demoDatabase()
        let orders = OrderChecks(database: db, model: try Repository.model(), now: fixedNow)
        let before = try Self.snapshot(db)
        for id in ["NOPE", String(repeating: "X", count: 10_000), "A\u{0000}B"] {
            let error = await Self.refusal {
                _ = try await orders.check(customerId: id, orderId: "SO-1", amount: Money(cents: 500), reserve: true, on: Self.exportDay)
            }
            #expect((error as? any RefusedRequest)?.refusalKind == .notFound)
            #expect(("\(error.map { "\($0)" } ?? "")").count < 200, "the refusal does not echo a 10 kB id")
        }
        #expect(try Self.snapshot(db) == before)
    }

    @Test("a stored order answer cut short is a damaged row naming the order, when the same check is asked again")
    func truncatedOrderAnswer() async throws {
        let db = try Repository.demoDatabase()
        let orders = OrderChecks(database: db, model: try Repository.model(), now: fixedNow)
        let first = try await orders.check(customerId: "C0000005", orderId: "SO-CUT", amount: Money(cents: 100), reserve: true, on: Self.exportDay)
        #expect(first.reserved)
        try await db.write { try $0.execute(sql: "UPDATE order_check SET detail = substr(detail, 1, 40) WHERE order_id = 'SO-CUT'") }
        let error = await Self.refusal {
            _ = try await orders.check(customerId: "C0000005", orderId: "SO-CUT", amount: Money(cents: 100), reserve: true, on: Self.exportDay)
        }
        let refusal = try #require(error as? Refusal)
        #expect(refusal.code == "damaged-row")
        #expect(refusal.description.contains("the stored answer of order SO-CUT does not decode (it is not valid JSON)"), "\(refusal)")
    }

    @Test("an order of the largest amount plus one cent is refused; the largest is decided without trapping")
    func orderAmountBound() async throws {
        let db = try Repository.demoDatabase()
        let orders = OrderChecks(database: db, model: try Repository.model(), now: fixedNow)
        let error = await Self.refusal {
            _ = try await orders.check(
                customerId: "C0000007", orderId: "SO-BIG", amount: Money(cents: 100_000_000_000_001), reserve: true, on: Self.exportDay)
        }
        #expect((error as? Refusal)?.field == "amount")
        let largest = try await orders.check(
            customerId: "C0000007", orderId: "SO-MAX", amount: Money(cents: 100_000_000_000_000), reserve: true, on: Self.exportDay)
        #expect(largest.decision.verdict == .decline)
        #expect(!largest.reserved)
    }

    @Test("an override beyond the amount bound, expiring in 9999 or with a control character in its reason is refused")
    func refusedOverrides() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let decisions = CreditDecisions(database: db, model: model, now: fixedNow, policies: try Repository.policies(for: model))
        let before = try Self.snapshot(db)
        let day = Self.exportDay
        let attempts: [(Money?, String, Day)] = [
            (Money(cents: 100_000_000_000_001), "guarantee", day + 30),
            (Money(cents: 1_000_000), "guarantee", Day(year: 9999, month: 12, day: 31)!),
            (Money(cents: 1_000_000), "guar\u{0000}antee", day + 30),
            (Money(cents: 1_000_000), String(repeating: "r", count: 501), day + 30),
        ]
        for (limit, reason, expiry) in attempts {
            await #expect(throws: (any Error).self) {
                _ = try await decisions.setOverride(
                    customerId: "C0000007", gradeCode: nil, limit: limit, reason: reason, author: "cm", role: "credit_director", setOn: day,
                    expiresOn: expiry)
            }
        }
        #expect(try Self.snapshot(db) == before)
    }

    @Test("an application approved under a customer id such as ../../etc is refused; the application stays pending")
    func approvalIds() async throws {
        let db = try Repository.demoDatabase()
        let applications = AccountApplications(database: db, model: try Repository.model(), decode: nil, now: fixedNow)
        let received = try await applications.receive(
            AccountApplicationRequest(applicationId: "APP-HOSTILE", name: "Prospect SARL", sectorCode: "46.69B", country: "FR", termsDays: 30),
            on: Self.exportDay)
        #expect(received.created)
        for id in ["../../etc", "A\u{0000}B", "C 0001", String(repeating: "C", count: 65)] {
            let error = await Self.refusal {
                _ = try await applications.decide(
                    applicationId: "APP-HOSTILE", verdict: .approve, customerId: id, limit: nil, author: "cm", role: "credit_manager",
                    reason: nil, on: Self.exportDay)
            }
            #expect(error != nil, "customer id \(id.truncatedForMessage(20)) must be refused")
        }
        #expect(try await applications.application(id: "APP-HOSTILE")?.status == .pending)
    }

    @Test("a statement sent with an application beyond the 20 MB of any statement document is refused by its size, before it is read")
    func oversizedStatementXML() async throws {
        let db = try Repository.demoDatabase()
        let applications = AccountApplications(database: db, model: try Repository.model(), decode: nil, now: fixedNow)
        let xml = String(repeating: "<a/>", count: (21 << 20) / 4)
        let error = await Self.refusal {
            _ = try await applications.receive(
                AccountApplicationRequest(
                    applicationId: "APP-BIG", name: "Prospect SARL", sectorCode: "46.69B", country: "FR", termsDays: 30, statementXML: xml),
                on: Self.exportDay)
        }
        let refusal = try #require(error as? Refusal)
        #expect(refusal.field == "statementXML" && refusal.description.contains("over the 20971520-byte limit"), "\(refusal)")
        #expect(try await applications.application(id: "APP-BIG") == nil)
    }

    /// Rows as a database written before the bounds existed could hold them: two invoices of
    /// 50 000 000 000 000 000.00 whose sum does not fit in cents.
    @Test("stored amounts whose sums overflow do not crash scoring, the summary, the KPIs, the late payers, the dashboard or the worklist")
    func poisonedRowsDoNotTrap() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        try await db.write { db in
            for suffix in ["1", "2"] {
                try db.execute(
                    sql: """
                        INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents)
                        VALUES (?, 'C0000007', '2026-01-05', '2026-02-04', ?, 'EUR', ?)
                        """,
                    arguments: ["POISON-\(suffix)", 5_000_000_000_000_000_000 as Int64, 5_000_000_000_000_000_000 as Int64])
            }
        }
        let run = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.exportDay)
        #expect(run.customers == 200)
        _ = try PortfolioReport(database: db).summary(asOf: Self.exportDay)
        // From the daily totals, whose sums of these rows overflowed to floats in SQLite: read on the rail, never refused.
        let kpis = try await PortfolioKPIReport(database: db, model: model).kpis(asOf: Self.exportDay)
        #expect(kpis.agedBalance.overdue.cents > 1_000_000_000_000_000_000)
        let late = try await PortfolioReports(database: db, model: model, forecastPolicy: nil).latePayers(asOf: Self.exportDay, limit: 5)
        #expect(late.latePayers.first?.customerId == "C0000007" && late.latePayers.first?.overdue.isOnRail == true)
        _ = try await PortfolioDashboard(database: db, model: model, reviewPolicy: nil, staleAfterDays: 7).dashboard(asOf: Self.exportDay)
        _ = try await CollectionsLists(database: db, model: model).worklist(asOf: Self.exportDay, limit: 10, view: .customers, filter: .init())
        let decision = try #require(try await CreditDecisions(database: db, model: model).decision(customerId: "C0000007", asOf: Self.exportDay))
        #expect(decision.effective.exposure.isOnRail)
    }

    /// Rows as a database edited by hand could hold them, written with raw SQL past the
    /// importer's checks (the schema's CHECKs compare dates as text, so they let these pass),
    /// and the use cases that read the malformed column.
    static let invoiceInsert = "INSERT INTO invoice (id, customer_id, issue_date, due_date, amount_cents, currency, open_cents) VALUES "
    static let malformedRows: [(column: String, sql: String, readers: Set<String>)] = [
        (
            "due_date", invoiceInsert + "('BAD-1', 'C0000007', '2026-01-05', '2026-13-45', 100000, 'EUR', 100000)",
            ["scoring", "summary", "worklist"]
        ),
        (
            "due_date", invoiceInsert + "('BAD-1', 'C0000007', '2026-01-05', 'garbage', 100000, 'EUR', 100000)",
            ["scoring", "summary", "worklist"]
        ),
        ("issue_date", invoiceInsert + "('BAD-1', 'C0000007', '2026-02-30', '2026-03-30', 100000, 'EUR', 100000)", ["scoring"]),
        ("amount_cents", invoiceInsert + "('BAD-1', 'C0000007', '2026-01-05', '2026-02-04', 'a lot', 'EUR', 0)", ["scoring"]),
        ("open_cents", invoiceInsert + "('BAD-1', 'C0000007', '2026-01-05', '2026-02-04', 100000, 'EUR', 'a lot')", ["worklist"]),
        ("paid_on", "INSERT INTO payment VALUES ('BAD-PAY', (SELECT id FROM invoice ORDER BY id LIMIT 1), '2026-02-30', 100)", ["scoring"]),
    ]

    @Test(
        "a stored date that is no day or an amount stored as text makes scoring, the summary or the worklist throw, naming the column",
        arguments: malformedRows.indices)
    func malformedLedgerRowsThrow(_ index: Int) async throws {
        let (column, sql, readers) = Self.malformedRows[index]
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        try await db.write { try $0.execute(sql: sql) }
        let uses: [(String, () async throws -> Void)] = [
            ("scoring", { _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.exportDay) }),
            ("summary", { _ = try PortfolioReport(database: db).summary(asOf: Self.exportDay) }),
            (
                "worklist",
                {
                    _ = try await CollectionsLists(database: db, model: model).worklist(
                        asOf: Self.exportDay, limit: 10, view: .customers, filter: .init())
                }
            ),
        ]
        for (use, body) in uses where readers.contains(use) {
            let error = await Self.refusal(body)
            #expect(error != nil, "\(use) must throw on \(sql)")
            if let error { #expect("\(error)".contains("column: \"\(column)\""), "\(use): \(error)") }
        }
    }

    @Test(
        "counts of the kept totals edited to 2^62 and a payment of the smallest cents skew figures but trap nothing: indicators, trend, dashboard, backtest"
    )
    func damagedTotalsDoNotTrap() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.exportDay)
        try await db.write { db in
            // A grade-mix row whose count, added to the real ones, passes Int.max.
            try db.execute(sql: "INSERT INTO grade_mix_change VALUES ('2026-01-01', 'Z', 9223372036854775807, 0)")
            // Two days whose settled delays add up past Int.max.
            try db.execute(
                sql: """
                    UPDATE ledger_day SET settled_delay_days = 4611686018427387904, settled_invoices = 4611686018427387904
                    WHERE day IN (SELECT day FROM ledger_day WHERE settled_invoices > 0 ORDER BY day DESC LIMIT 2)
                    """)
            try db.execute(sql: "UPDATE payment SET amount_cents = -9223372036854775808 WHERE id = (SELECT id FROM payment ORDER BY id LIMIT 1)")
        }
        let service = CreditService(database: db, model: model, now: fixedNow)
        _ = try await service.indicators.kpis(asOf: Self.exportDay)
        _ = try await service.reports.kpiTrend(months: 12, through: Self.exportDay)
        _ = try await PortfolioDashboard(database: db, model: model, reviewPolicy: nil, staleAfterDays: 7).dashboard(asOf: Self.exportDay)
        let work = service.modelWork
        let plan = try await work.comparisonPlan(of: [model], snapshots: 6, through: Self.exportDay, horizonDays: 365, outcomes: nil)
        _ = try await work.compare([model], plan: plan)
    }

    @Test("a payment dated 9999-12-31 by a damaged row does not make the default as-of day the future: scoring runs as of today")
    func futureRowIsNoDefaultDay() async throws {
        let db = try Repository.demoDatabase()
        let service = CreditService(database: db, model: try Repository.model(), now: fixedNow)
        try await db.write {
            try $0.execute(sql: "UPDATE payment SET paid_on = '9999-12-31' WHERE id = (SELECT id FROM payment ORDER BY id LIMIT 1)")
        }
        #expect(try service.portfolio.latestDay() == Day(year: 9999, month: 12, day: 31))
        let day = try service.portfolio.latestDay(notAfter: service.today)
        #expect(day == service.today)
        let run = try await service.scoring.scoreAndStore(asOf: day)
        #expect(run.customers > 0)
    }

    @Test("a damaged stored row reaches the adapters as a refusal that says so, with its column and row but not the query")
    func damagedRowIsSaidPlainly() async throws {
        let db = try Repository.demoDatabase()
        try await db.write { try $0.execute(sql: Self.malformedRows[1].sql) }  // due_date 'garbage'
        let error = try #require(
            await Self.refusal {
                _ = try await CollectionsLists(database: db, model: try Repository.model()).worklist(
                    asOf: Self.exportDay, limit: 10, view: .customers, filter: .init())
            })
        let refusal = try #require(Refusal(error, operation: "the worklist"))
        #expect(refusal.code == "damaged-row")
        #expect(refusal.description.hasPrefix("the worklist failed: a stored row is damaged: could not decode"), "\(refusal)")
        #expect(refusal.description.contains("column \"due_date\""), "\(refusal)")
        #expect(refusal.description.contains(#"row [id:"BAD-1" customer_id:"C0000007""#), "\(refusal)")
        #expect(!refusal.description.contains("SELECT"), "\(refusal)")
        // SQLite's own overflow in a sum of damaged amounts is said the same way.
        try await db.write { try $0.execute(sql: "UPDATE invoice SET open_cents = 9223372036854775807 WHERE id IN (SELECT id FROM invoice LIMIT 2)") }
        let overflow = await Self.refusal {
            try await db.read { db in _ = try Int64.fetchOne(db, sql: "SELECT SUM(open_cents) FROM invoice") }
        }
        #expect(overflow.flatMap { Refusal($0) }?.code == "damaged-row")
    }

    @Test("a stored PD of infinity is a damaged row named as such, not a JSON encoder's error at whatever page lists it")
    func infinitePDIsDamaged() async throws {
        let db = try Repository.demoDatabase()
        let service = CreditService(database: db, model: try Repository.model(), now: fixedNow)
        _ = try await service.scoring.scoreAndStore(asOf: Self.exportDay)
        try await db.write { try $0.execute(sql: "UPDATE customer_standing SET pd = 9e999 WHERE customer_id = 'C0000007'") }
        let error = try #require(await Self.refusal { _ = try await service.customers.list(CustomerListQuery(), asOf: Self.exportDay) })
        let refusal = try #require(Refusal(error))
        #expect(refusal.code == "damaged-row")
        #expect(refusal.description.contains(#"inf is not a probability from 0 to 1, column "pd", row [id:"C0000007""#), "\(refusal)")
    }

    @Test("an alert stored with an unknown kind or without a date makes reading the alerts throw, naming the column")
    func malformedAlertsThrow() async throws {
        let db = try Repository.demoDatabase()
        let service = CreditService(database: db, model: try Repository.model(), now: fixedNow)
        try await db.write { db in
            try db.execute(
                sql:
                    "INSERT INTO alert (customer_id, kind, detail, as_of, created_at, condition) VALUES ('C0000007', 'bogus', 'x', '2026-10-31', '', '')"
            )
        }
        let unknownKind = await Self.refusal { _ = try await service.alerts.list(AlertFilter()) }
        #expect("\(unknownKind.map { "\($0)" } ?? "no error")".contains("kind"))
        // A table rebuilt by hand without its NOT NULL constraints lets a NULL in where none may be.
        try await db.write { db in
            try db.execute(
                sql: """
                    DELETE FROM alert;
                    CREATE TABLE loose_alert (
                        id INTEGER PRIMARY KEY, customer_id TEXT, kind TEXT, detail TEXT, as_of TEXT, created_at TEXT, condition TEXT,
                        status TEXT, closed_on TEXT, acknowledged_by TEXT, acknowledged_at TEXT, acknowledgement_note TEXT);
                    INSERT INTO loose_alert (customer_id, kind, detail, as_of, created_at, condition, status)
                        VALUES ('C0000007', 'downgrade', 'x', NULL, '', 'x', 'open');
                    DROP TABLE alert;
                    ALTER TABLE loose_alert RENAME TO alert;
                    """)
        }
        let missingDay = await Self.refusal { _ = try await service.alerts.list(AlertFilter()) }
        #expect("\(missingDay.map { "\($0)" } ?? "no error")".contains("as_of"))
    }

    @Test("an application stored with a received date that is no day is an error when read, not a trap")
    func malformedApplicationThrows() async throws {
        let db = try Repository.demoDatabase()
        let applications = AccountApplications(database: db, model: try Repository.model(), decode: nil, now: fixedNow)
        _ = try await applications.receive(
            AccountApplicationRequest(applicationId: "APP-BAD", name: "Prospect SARL", sectorCode: "46.69B", country: "FR", termsDays: 30),
            on: Self.exportDay)
        try await db.write { try $0.execute(sql: "UPDATE credit_application SET received_on = '2026-02-30' WHERE id = 'APP-BAD'") }
        let error = await Self.refusal { _ = try await applications.application(id: "APP-BAD") }
        #expect("\(error.map { "\($0)" } ?? "no error")".contains("received_on"))
    }
}
