import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// Finding customers: search, filters, order and pages over the demo, scored as of its export day.
@Suite("Customer list and customer page")
struct CustomerAccountsTests {
    static let day = Day(parsing: "2026-10-31")!

    func accounts() async throws -> (DatabaseQueue, CustomerAccounts) {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.day)
        return (db, CustomerAccounts(database: db, model: model))
    }

    @Test("a search finds by id prefix, registration number prefix, and part of the name whatever its case or accents")
    func search() async throws {
        let (_, accounts) = try await accounts()
        let byId = try await accounts.list(CustomerListQuery(search: "C000006"), asOf: Self.day)
        // C0000060 to C0000069: ten ids start with it.
        #expect(byId.matching == 10 && byId.customers.allSatisfy { $0.customerId.hasPrefix("C000006") })
        let byRegistration = try await accounts.list(CustomerListQuery(search: "325612"), asOf: Self.day)
        #expect(byRegistration.customers.map(\.customerId) == ["C0000045"])
        let byName = try await accounts.list(CustomerListQuery(search: "BATIMENT"), asOf: Self.day)
        #expect(byName.customers.contains { $0.name == "Bâtiment Bernard SARL" })
    }

    @Test("over limit lists exactly the customers whose exposure is above their effective limit, riskiest first")
    func overLimit() async throws {
        let (db, accounts) = try await accounts()
        let page = try await accounts.list(CustomerListQuery(overLimit: true, sort: .risk, descending: true, limit: 1_000), asOf: Self.day)
        let expected = try await db.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer_standing WHERE exposure_cents > suggested_limit_cents")
        }
        #expect(page.matching == expected && page.matching > 0)
        #expect(page.customers.allSatisfy { ($0.headroom ?? .zero) < .zero })
        let pds = page.customers.compactMap(\.pd)
        #expect(pds == pds.sorted(by: >))
    }

    @Test("an override in force changes the listed grade and limit, and takes the customer off the over-limit list")
    func overrideApplies() async throws {
        let (db, accounts) = try await accounts()
        let model = try Repository.model()
        let over = try #require(try await accounts.list(CustomerListQuery(overLimit: true, limit: 1), asOf: Self.day).customers.first)
        let exposure = try #require(over.exposure)
        _ = try await CreditDecisions(database: db, model: model, now: fixedNow, policies: try Repository.policies(for: model)).setOverride(
            customerId: over.customerId, gradeCode: nil, limit: exposure + Money(cents: 100_000), reason: "secured by a bank guarantee",
            author: "cm", role: "credit_director", setOn: Self.day, expiresOn: Self.day + 90)
        let listed = try #require(try await accounts.list(CustomerListQuery(search: over.customerId), asOf: Self.day).customers.first)
        #expect(listed.overridden && listed.limit == exposure + Money(cents: 100_000) && listed.headroom == Money(cents: 100_000))
        let stillOver = try await accounts.list(CustomerListQuery(overLimit: true, limit: 1_000), asOf: Self.day)
        #expect(!stillOver.customers.contains { $0.customerId == over.customerId })
    }

    @Test("pages follow one another without gap or overlap, in the asked order, until the last has no cursor")
    func pages() async throws {
        let (_, accounts) = try await accounts()
        var seen: [CustomerListEntry] = []
        var cursor: String?
        repeat {
            let page = try await accounts.list(CustomerListQuery(sort: .exposure, descending: true, limit: 37, cursor: cursor), asOf: Self.day)
            seen += page.customers
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 200 && Set(seen.map(\.customerId)).count == 200)
        let exposures = seen.map { $0.exposure?.cents ?? Int64.min }
        #expect(exposures == exposures.sorted(by: >))
        await #expect(throws: Refusal.self) { try await accounts.list(CustomerListQuery(cursor: "abc"), asOf: Self.day) }
        await #expect(throws: Refusal.self) { try await accounts.list(CustomerListQuery(grade: "Z"), asOf: Self.day) }
    }

    @Test("a customer's page nets its credit note against its invoices and lists it after them")
    func customerPage() async throws {
        let (_, accounts) = try await accounts()
        let detail = try await accounts.detail(customerId: "C0000045", asOf: Self.day)
        // C0000045: invoices of 5 117.78, 18 276.79 and 29 013.00 open, a credit note of 27 549.00:
        // 52 407.57 − 27 549.00 = 24 858.57.
        #expect(detail.unappliedCredits == Money(cents: 2_754_900))
        #expect(detail.openBalance == Money(cents: 2_485_857))
        #expect(detail.openItems.last?.invoiceId == "F0000045-036")
        #expect(detail.openItems.first?.daysPastDue == 4)
        #expect(detail.standing.exposure == Money(cents: 2_485_857))
        await #expect(throws: Refusal.self) { try await accounts.detail(customerId: "C9999999", asOf: Self.day) }
        // With the review policy: never reviewed, grade 5 (reviewed every six months), first
        // assessed on 2026-10-31: the first review falls on 2027-04-30.
        let model = try Repository.model()
        let withPolicy = CustomerAccounts(database: accounts.database, model: model, reviewPolicy: try Repository.policies(for: model).reviews)
        let next = try #require(try await withPolicy.detail(customerId: "C0000045", asOf: Self.day).nextReview)
        #expect(next.dueOn == Day(parsing: "2027-04-30") && next.reason == .firstReview)
        #expect(detail.nextReview == nil && detail.lastReview == nil)
    }

    @Test("a customer's page counts the orders reserved since its assessment, as the order check does: the headroom shown is the one sales gets")
    func pageCountsReservations() async throws {
        let (db, accounts) = try await accounts()
        let before = try await accounts.detail(customerId: "C0000045", asOf: Self.day)
        let orders = OrderChecks(database: db, model: try Repository.model(), now: fixedNow)
        let check = try await orders.check(customerId: "C0000045", orderId: "SO-PAGE", amount: Money(cents: 100_000), reserve: true, on: Self.day)
        #expect(check.reserved)
        let after = try await accounts.detail(customerId: "C0000045", asOf: Self.day)
        #expect(after.standing.exposure == before.standing.exposure.map { $0 + Money(cents: 100_000) })
        #expect(after.standing.headroom == before.standing.headroom.map { $0 - Money(cents: 100_000) })
        #expect(after.standing.headroom == check.decision.headroomAfter)
        // The list shows the standing as the assessment found it, until the next run.
        let listed = try await accounts.list(CustomerListQuery(search: "C0000045"), asOf: Self.day).customers.first
        #expect(listed?.exposure == before.standing.exposure)
    }

    @Test("the standing is the latest assessment: a later run replaces it, a run as of an earlier day does not")
    func standingFollowsTheLatestAssessment() async throws {
        let (db, _) = try await accounts()
        let model = try Repository.model()
        func standing() async throws -> Day? {
            try await db.read { try CustomerStore().standing($0, customerId: "C0000045")?.asOf }
        }
        #expect(try await standing() == Self.day)
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.day - 30)
        #expect(try await standing() == Self.day)
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.day + 1)
        #expect(try await standing() == Self.day + 1)
    }

    @Test("customers.csv may name each account's sales rep; the list filters by it")
    func salesRep() async throws {
        let folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: FileManager.default.temporaryDirectory, create: true)
        try "customer_id;name;sector_code;country;terms_days;sales_rep\nC1;Alpha SAS;62.01Z;FR;30;marie\nC2;Beta SAS;62.01Z;FR;30;\n"
            .write(to: folder.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: folder)
        let accounts = CustomerAccounts(database: db, model: try Repository.model())
        let maries = try await accounts.list(CustomerListQuery(salesRep: "marie"), asOf: Self.day)
        #expect(maries.customers.map(\.customerId) == ["C1"] && maries.customers.first?.salesRep == "marie")
        #expect(try await accounts.detail(customerId: "C2", asOf: Self.day).customer.salesRep == nil)
    }

    @Test("a customer renamed by a later import is found by its new name and sorted by it")
    func renamed() async throws {
        let folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: FileManager.default.temporaryDirectory, create: true)
        let file = folder.appendingPathComponent("customers.csv")
        try "customer_id;name;sector_code;country;terms_days\nC1;Alpha SAS;62.01Z;FR;30\nC2;Beta SAS;62.01Z;FR;30\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: folder)
        try "customer_id;name;sector_code;country;terms_days\nC1;Zéphyr Négoce SAS;62.01Z;FR;30\nC2;Beta SAS;62.01Z;FR;30\n"
            .write(to: file, atomically: true, encoding: .utf8)
        _ = try LedgerImporter(database: db).importLedger(directory: folder)
        let accounts = CustomerAccounts(database: db, model: try Repository.model())
        #expect(try await accounts.list(CustomerListQuery(search: "zephyr negoce"), asOf: Self.day).customers.map(\.customerId) == ["C1"])
        #expect(try await accounts.list(CustomerListQuery(search: "alpha"), asOf: Self.day).matching == 0)
        #expect(try await accounts.list(CustomerListQuery(sort: .name), asOf: Self.day).customers.map(\.customerId) == ["C2", "C1"])
    }

    @Test("customers stored before names had a search key get theirs when the database is brought up to date")
    func keysOfCustomersStoredBefore() async throws {
        let db = try DatabaseQueue()
        try CreditDatabase.migrator.migrate(db, upTo: "v15 alert lifecycle")
        try await db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sector (code, label, avg_days_beyond_terms, avg_dso_days, annual_failure_rate, period, source)
                    VALUES ('62.01Z', 'Programming', 10, 50, 0.01, '2024', 'test');
                    INSERT INTO customer (id, name, sector_code, country, terms_days) VALUES ('C1', 'Électricité Dubois', '62.01Z', 'FR', 30);
                    """)
        }
        try CreditDatabase.migrator.migrate(db)
        let accounts = CustomerAccounts(database: db, model: try Repository.model())
        #expect(try await accounts.list(CustomerListQuery(search: "electricite"), asOf: Self.day).customers.map(\.customerId) == ["C1"])
    }
}

@Suite("Late payers per sales rep")
struct LatePayersPerRepTests {
    @Test("the late payers of one sales rep are that rep's accounts only, and among everyone's in the same order")
    func perRep() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: CustomerAccountsTests.day)
        let reports = PortfolioReports(database: db, model: model, forecastPolicy: nil)
        let day = CustomerAccountsTests.day
        let everyone = try await reports.latePayers(asOf: day, limit: 1_000)
        let maries = try await reports.latePayers(asOf: day, limit: 1_000, selection: PortfolioSelection(salesRep: "marie"))
        let reps = try await db.read {
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll($0, sql: "SELECT id, sales_rep FROM customer").map { row -> (String, String?) in
                    (row["id"], row["sales_rep"])
                })
        }
        #expect(!maries.latePayers.isEmpty && maries.salesRep == "marie" && everyone.salesRep == nil)
        #expect(maries.latePayers.allSatisfy { reps[$0.customerId] == "marie" })
        #expect(maries.latePayers.map(\.customerId) == everyone.latePayers.map(\.customerId).filter { reps[$0] == "marie" })
    }
}
