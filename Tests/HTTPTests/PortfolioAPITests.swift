import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /v1/portfolio/kpis` on the demo portfolio, scored as of the service's today (2026-10-31,
/// also the ledger's latest day) so that the grade distribution has something to count.
@Suite("Portfolio KPIs API")
struct PortfolioAPITests {
    static let creditManager: HTTPFields = .apiKey("demo-credit-manager-key-0001")

    static func dependencies() async throws -> ServiceDependencies {
        let dependencies = try APITests.dependencies()
        _ = try await ScoringService(database: dependencies.database, model: dependencies.model).scoreAndStore(asOf: APITests.today)
        return dependencies
    }

    static func money(_ value: Any?) -> Int64? { (value as? String).flatMap { Money(parsing: $0)?.cents } }

    @Test("the credit manager gets the whole portfolio's indicators, agreeing with the ledger summary")
    func wholePortfolio() async throws {
        let dependencies = try await Self.dependencies()
        let (summary, openCents) = try await dependencies.database.read { db in
            (
                try LedgerQueries().summary(db, asOf: APITests.today),
                try Int64.fetchOne(db, sql: "SELECT SUM(open_cents) FROM invoice") ?? 0
            )
        }
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/portfolio/kpis", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["asOf"] as? String == "2026-10-31")
                #expect(json["customers"] as? Int == 200)
                // On the ledger's latest day the as-of balances are the stored open balances.
                #expect(Self.money(json["openReceivables"]) == summary.openReceivables.cents)
                #expect(Self.money(json["openReceivables"]) == openCents)
                let aged = try #require(json["agedBalance"] as? [String: Any])
                #expect(Self.money(aged["over90"]) == summary.agedBalance.over90.cents)
                let share = try #require(json["overdueShare"] as? Double)
                #expect(abs(share - summary.overdueShare) < 1e-9)

                let dso = try #require(json["dso"] as? [String: Any])
                #expect(dso["method"] as? String == "countback")
                #expect((dso["description"] as? String)?.contains("simpleDays") == true)
                let days = try #require(dso["days"] as? Double)
                let simple = try #require(dso["simpleDays"] as? Double)
                #expect(days > 5 && days < 365, "countback DSO \(days)")
                #expect(simple > 5 && simple < 365, "simple DSO \(simple)")
                #expect(dso["coversReceivables"] as? Bool == true)

                let weighted = try #require(json["averageDaysBeyondTerms"] as? Double)
                let unweighted = try #require(json["averageDaysBeyondTermsUnweighted"] as? Double)
                #expect(weighted >= 0 && weighted < 180 && unweighted >= 0 && unweighted < 180)
                #expect((json["invoicesPaidInWindow"] as? Int ?? 0) > 100)
                let window = try #require(json["daysBeyondTermsWindow"] as? [String: Any])
                #expect(window["from"] as? String == "2025-11-01")  // 365 days ending 2026-10-31

                let disputes = try #require(json["disputes"] as? [String: Any])
                #expect(disputes["open"] as? Int == summary.openDisputes)
                #expect((disputes["resolvedInWindow"] as? Int ?? 0) > 0)

                let grades = try #require(json["grades"] as? [[String: Any]])
                #expect(grades.map { $0["grade"] as? String } == dependencies.model.grades.map(\.code))
                let graded = grades.reduce(0) { $0 + ($1["customers"] as? Int ?? 0) }
                #expect(graded + (json["unscored"] as? Int ?? -1) == 200)
                #expect(graded == 200)  // every customer was scored as of today
            }
        }
    }

    @Test("a past day reads the ledger as it was then, not the stored open balances")
    func pastDay() async throws {
        let dependencies = try await Self.dependencies()
        let asOf = Day(parsing: "2026-06-30")!
        let summary = try await dependencies.database.read { try LedgerQueries().summary($0, asOf: asOf) }
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/portfolio/kpis?asOf=2026-06-30", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["asOf"] as? String == "2026-06-30")
                #expect(Self.money(json["openReceivables"]) == summary.openReceivables.cents)
                // The only assessments were made as of 2026-10-31: none existed on 30 June.
                #expect(json["unscored"] as? Int == 200)
            }
        }
    }

    @Test("a group filter keeps the group's customers only, and may combine with a sector")
    func groupFilter() async throws {
        let dependencies = try await Self.dependencies()
        let members = try await dependencies.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer WHERE customer_group = ?", arguments: ["Groupe Henry"]) ?? 0
        }
        try #require(members == 6)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let all = try await client.execute(uri: "/v1/portfolio/kpis", method: .get, headers: Self.creditManager) {
                try jsonObject($0)
            }
            try await client.execute(uri: "/v1/portfolio/kpis?group=Groupe%20Henry", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["group"] as? String == "Groupe Henry")
                #expect(json["customers"] as? Int == 6)
                let grades = try #require(json["grades"] as? [[String: Any]])
                #expect(grades.reduce(0) { $0 + ($1["customers"] as? Int ?? 0) } == 6)
                #expect((Self.money(json["openReceivables"]) ?? .max) < (Self.money(all["openReceivables"]) ?? 0))
                // Read customer by customer, the group owes what its customers' open invoices say.
                let owed = try await dependencies.database.read { db in
                    try Int64.fetchOne(
                        db,
                        sql: "SELECT SUM(i.open_cents) FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.customer_group = ?",
                        arguments: ["Groupe Henry"]) ?? 0
                }
                #expect(Self.money(json["openReceivables"]) == owed)
            }
            // Two of Groupe Henry's six customers are in sector 62.01Z.
            try await client.execute(
                uri: "/v1/portfolio/kpis?group=Groupe%20Henry&sector=62.01Z", method: .get, headers: Self.creditManager
            ) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["customers"] as? Int == 2)
            }
        }
    }

    @Test(
        "unknown filters are 404, a bad day 400, sales 403, collections allowed",
        arguments: [
            ("/v1/portfolio/kpis?sector=99.99Z", "demo-credit-manager-key-0001", 404),
            ("/v1/portfolio/kpis?group=Nobody", "demo-credit-manager-key-0001", 404),
            ("/v1/portfolio/kpis?asOf=31-10-2026", "demo-credit-manager-key-0001", 400),
            ("/v1/portfolio/kpis", "demo-sales-key-0001", 403),
            ("/v1/portfolio/kpis?sector=62.01Z", "demo-collections-key-0001", 200),
            ("/v1/portfolio/kpis", "demo-admin-key-0001", 200),
        ])
    func refusals(uri: String, key: String, status: Int) async throws {
        try await APITests.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: .apiKey(key)) { response in
                #expect(Int(response.status.code) == status)
                if status >= 400 {
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }
}
