import CreditApp
import CreditCore
import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Held orders and group limits through the router: who may do what, and what each answer holds.
@Suite("Held orders and group limits over HTTP")
struct HeldOrderAPITests {
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")
    static let creditManager = APITests.creditManager
    static let creditDirector: HTTPFields = .apiKey("demo-credit-director-key-0001", contentType: "application/json")

    struct Check: Decodable {
        struct Decision: Decodable {
            var verdict: String
            var exposure: String
            var largestApprovable: String
            var overdue: String
            var guidance: [String]
        }
        var decision: Decision
        var reserved: Bool
        var held: Bool
    }

    struct Kept: Decodable {
        struct Step: Decodable {
            var action: String
            var author: String
            var reason: String?
        }
        var orderId: String
        var status: String
        var reserved: String
        var requestedBy: String
        var steps: [Step]
    }

    struct HeldList: Decodable { var orders: [Kept] }

    /// C0000007 given grade 3 and a limit of its exposure + 10 000.00 by the credit manager, so
    /// that an order of 10 500.00 overshoots by 500.00, within the 1 000.00 (10 %) that refers it.
    func referringCustomer(_ client: some TestClientProtocol) async throws -> String {
        let id = "C0000007"
        var exposure = Money.zero
        let probe = ByteBuffer(string: #"{"orderId": "PROBE", "amount": "1.00"}"#)
        try await client.execute(uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: probe) { response in
            #expect(response.status == .ok)
            exposure = try #require(Money(exactText: try JSONDecoder().decode(Check.self, from: Data(buffer: response.body)).decision.exposure))
        }
        let limit = exposure + Money(cents: 1_000_000)
        let override = ByteBuffer(
            string: #"{"grade": "3", "limit": "\#(limit.decimalText)", "reason": "test", "expiresOn": "2026-12-31"}"#)
        // Beyond a credit manager's authority (2 × the suggested 4 000.00): the credit director sets it.
        try await client.execute(uri: "/v1/customers/\(id)/override", method: .post, headers: Self.creditDirector, body: override) {
            #expect($0.status == .created)
        }
        return id
    }

    @Test("a referred order reserved by sales is held; sales cannot release it, the credit manager lists and releases it")
    func heldAndReleased() async throws {
        let dependencies = try APITests.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let id = try await referringCustomer(client)
            let order = ByteBuffer(string: #"{"orderId": "SO-HELD-1", "amount": "10500.00", "reserve": true}"#)
            try await client.execute(uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: order) { response in
                #expect(response.status == .ok)
                let check = try JSONDecoder().decode(Check.self, from: Data(buffer: response.body))
                #expect(check.decision.verdict == "refer" && check.held && !check.reserved)
                #expect(check.decision.guidance.contains("ask the credit manager for a higher limit"))
            }
            let reason = ByteBuffer(string: #"{"reason": "parent company guarantee"}"#)
            try await client.expectStatus(.forbidden, uri: "/v1/orders/held", method: .get, headers: Self.sales)
            try await client.execute(uri: "/v1/orders/SO-HELD-1/release", method: .post, headers: Self.sales, body: reason) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/v1/orders/held", method: .get, headers: Self.creditManager) { response in
                #expect(response.status == .ok)
                let list = try JSONDecoder().decode(HeldList.self, from: Data(buffer: response.body))
                #expect(list.orders.map(\.orderId) == ["SO-HELD-1"])
                #expect(list.orders.first?.requestedBy == "demo-sales")
            }
            try await client.execute(uri: "/v1/orders/SO-HELD-1/release", method: .post, headers: Self.creditManager, body: reason) { response in
                #expect(response.status == .ok)
                let kept = try JSONDecoder().decode(Kept.self, from: Data(buffer: response.body))
                #expect(kept.status == "open" && kept.reserved == "10500.00")
                #expect(kept.steps.map(\.action) == ["held", "released"])
                #expect(kept.steps.last?.author == "demo-credit-manager" && kept.steps.last?.reason == "parent company guarantee")
            }
            // Sales follows the order: now a reservation, with who released it and why.
            try await client.execute(uri: "/v1/orders/SO-HELD-1/history", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let kept = try JSONDecoder().decode(Kept.self, from: Data(buffer: response.body))
                #expect(kept.status == "open" && kept.steps.map(\.author) == ["demo-sales", "demo-credit-manager"])
            }
            try await client.expectStatus(.notFound, uri: "/v1/orders/NEVER-CHECKED/history", method: .get, headers: Self.sales)
            // Released once; a second release has nothing held to release.
            try await client.execute(uri: "/v1/orders/SO-HELD-1/release", method: .post, headers: Self.creditManager, body: reason) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/v1/orders/NO-SUCH-ORDER/reject", method: .post, headers: Self.creditManager, body: reason) {
                #expect($0.status == .notFound)
            }
            try await client.execute(
                uri: "/v1/orders/SO-HELD-1/reject", method: .post, headers: Self.creditManager, body: ByteBuffer(string: #"{"author": "md"}"#)
            ) { #expect($0.status == .badRequest) }
        }
    }

    @Test("a held order rejected by the credit manager leaves the list; the alert named it")
    func heldAndRejected() async throws {
        let dependencies = try APITests.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let id = try await referringCustomer(client)
            let order = ByteBuffer(string: #"{"orderId": "SO-HELD-2", "amount": "10500.00", "reserve": true}"#)
            try await client.execute(uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: order) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/alerts", method: .get, headers: Self.creditManager) { response in
                #expect(String(buffer: response.body).contains(#""kind":"order_held""#))
                #expect(String(buffer: response.body).contains("order SO-HELD-2 of 10 500.00 held"))
            }
            let reason = ByteBuffer(string: #"{"reason": "too much outstanding", "author": "m.durand"}"#)
            try await client.execute(uri: "/v1/orders/SO-HELD-2/reject", method: .post, headers: Self.creditManager, body: reason) { response in
                #expect(response.status == .ok)
                let kept = try JSONDecoder().decode(Kept.self, from: Data(buffer: response.body))
                #expect(kept.status == "rejected" && kept.steps.last?.author == "m.durand")
            }
            try await client.execute(uri: "/v1/orders/held", method: .get, headers: Self.creditManager) { response in
                let list = try JSONDecoder().decode(HeldList.self, from: Data(buffer: response.body))
                #expect(list.orders.isEmpty)
            }
        }
    }

    @Test("the credit manager sets a group's limit; sales reads it but may not set it; an unknown group is a 404")
    func groupLimit() async throws {
        struct Standing: Decodable {
            struct Limit: Decodable {
                var limit: String
                var setBy: String
                var reason: String?
            }
            var group: String
            var members: Int
            var limit: Limit?
        }
        let dependencies = try APITests.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"limit": "50000.00", "reason": "group accounts reviewed"}"#)
            try await client.execute(uri: "/v1/groups/Groupe%20Henry/limit", method: .put, headers: Self.sales, body: body) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/v1/groups/Groupe%20Henry/limit", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let standing = try JSONDecoder().decode(Standing.self, from: Data(buffer: response.body))
                #expect(standing.group == "Groupe Henry" && standing.members > 0 && standing.limit == nil)
            }
            try await client.execute(uri: "/v1/groups/Groupe%20Henry/limit", method: .put, headers: Self.creditManager, body: body) { response in
                #expect(response.status == .ok)
                let standing = try JSONDecoder().decode(Standing.self, from: Data(buffer: response.body))
                #expect(standing.limit?.limit == "50000.00" && standing.limit?.setBy == "demo-credit-manager")
                #expect(standing.limit?.reason == "group accounts reviewed")
            }
            try await client.execute(uri: "/v1/groups/Groupe%20Nulle/limit", method: .put, headers: Self.creditManager, body: body) {
                #expect($0.status == .notFound)
            }
            // A member's order check now states the group's figures.
            let order = ByteBuffer(string: #"{"orderId": "SO-G", "amount": "10.00"}"#)
            try await client.execute(uri: "/v1/customers/C0000002/order-checks", method: .post, headers: Self.sales, body: order) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""group":{"exposure":"#))
                #expect(String(buffer: response.body).contains("of group Groupe Henry"))
            }
        }
    }
}
