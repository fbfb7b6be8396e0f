import CreditApp
import CreditCore
import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Customers looked up over the API: by anyone who reads assessments, with refusals that name
/// what was wrong.
@Suite("Customers over HTTP")
struct CustomerAPITests {
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001")

    @Test("sales find a customer by name and open its page; an unknown id is 404, a bad sort or grade 400")
    func lookUp() async throws {
        let dependencies = try APITests.dependencies()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/customers?search=roussel", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let page = try jsonObject(response.body)
                let customers = try #require(page["customers"] as? [[String: Any]])
                #expect(customers.map { $0["customerId"] as? String } == ["C0000062"])
                #expect(customers.first?["grade"] as? String == "D" && customers.first?["overdue"] as? String == "37687.66")
            }
            try await client.execute(uri: "/v1/customers?overdue=true&sort=overdue&order=desc&limit=3", method: .get, headers: Self.sales) {
                response in
                let page = try jsonObject(response.body)
                let overdue = (page["customers"] as? [[String: Any]] ?? []).compactMap { ($0["overdue"] as? String).flatMap(Double.init) }
                #expect(overdue.count == 3 && overdue == overdue.sorted(by: >) && overdue.allSatisfy { $0 > 0 })
                #expect(page["nextCursor"] as? String == "3")
            }
            try await client.execute(uri: "/v1/customers/C0000045", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let detail = try jsonObject(response.body)
                #expect(detail["unappliedCredits"] as? String == "27549.00")
                #expect((detail["openItems"] as? [Any])?.count == 4)
            }
            for (uri, status) in [
                ("/v1/customers/C9999999", HTTPResponse.Status.notFound), ("/v1/customers?sort=size", .badRequest),
                ("/v1/customers?grade=Z", .unprocessableContent), ("/v1/customers?overLimit=yes", .badRequest),
                ("/v1/customers?cursor=-1", .unprocessableContent), ("/v1/customers?limit=0", .badRequest),
                ("/v1/customers?search=", .badRequest),
            ] {
                try await client.execute(uri: uri, method: .get, headers: Self.sales) { response in
                    #expect(response.status == status, "\(uri): \(String(buffer: response.body))")
                }
            }
            try await client.expectStatus(.unauthorized, uri: "/v1/customers", method: .get, headers: [:])
        }
    }
}

@Suite("A sales rep's own accounts")
struct SalesRepKeyTests {
    @Test("a sales key that belongs to a rep lists that rep's accounts only, and may not ask for another's")
    func ownAccounts() async throws {
        let dependencies = try APITests.dependencies()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        let marie: HTTPFields = .apiKey("demo-sales-marie-key-0001")
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(uri: "/v1/customers?limit=1000", method: .get, headers: marie) { response in
                #expect(response.status == .ok)
                let page = try jsonObject(response.body)
                let customers = try #require(page["customers"] as? [[String: Any]])
                // The demo gives marie C0000001, C0000008, ... (every seventh customer from the first): 29 of 200.
                #expect(customers.count == 29 && customers.allSatisfy { $0["salesRep"] as? String == "marie" })
            }
            try await client.expectStatus(.forbidden, uri: "/v1/customers?salesRep=julien", method: .get, headers: marie)
            try await client.execute(uri: "/v1/customers?salesRep=julien&limit=1000", method: .get, headers: CustomerAPITests.sales) {
                response in
                let customers = try #require(try jsonObject(response.body)["customers"] as? [[String: Any]])
                #expect(customers.count == 29)
            }
        }
    }
}
