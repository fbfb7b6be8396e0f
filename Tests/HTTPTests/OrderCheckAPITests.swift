import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Order checks over HTTP")
struct OrderCheckAPITests {
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")

    struct Result: Decodable {
        struct Decision: Decodable {
            var verdict: String
            var headroomAfter: String
            var limit: String
            var exposure: String
        }
        var decision: Decision
        var reserved: Bool
        var rules: String?
    }

    /// A customer with headroom, found from its assessment.
    func customerWithHeadroom(_ dependencies: ServiceDependencies) async throws -> (id: String, headroom: Money) {
        let decisions = CreditDecisions(database: dependencies.database, model: dependencies.model)
        for index in 1...200 {
            let id = String(format: "C%07d", index)
            if let decision = try await decisions.decision(customerId: id, asOf: APITests.today),
                decision.effective.headroom.cents > 500_000, !decision.effective.grade.isDefault
            {
                return (id, decision.effective.headroom)
            }
        }
        throw Problem.notFound("no customer with headroom in the demo")
    }

    @Test("checking the same order id twice answers the same and reserves once")
    func idempotent() async throws {
        let dependencies = try APITests.dependencies()
        let (id, _) = try await customerWithHeadroom(dependencies)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"orderId": "SO-1", "amount": "1000.00", "reserve": true}"#)
            var answers: [String] = []
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: body) { response in
                    #expect(response.status == .ok)
                    answers.append(String(buffer: response.body))
                }
            }
            #expect(answers[0] == answers[1])
            // The answer names the referral rules it was decided under.
            #expect(try JSONDecoder().decode(Result.self, from: Data(answers[0].utf8)).rules == "approval-authorities-v2")
            let other = ByteBuffer(string: #"{"orderId": "SO-1", "amount": "2000.00", "reserve": true}"#)
            try await client.expectStatus(.conflict, uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: other)
        }
        let reserved = try await dependencies.database.read { try OrderStore().openReservations($0, customerId: id) }
        #expect(reserved == Money(cents: 100_000))
    }

    @Test("many concurrent reservations never together exceed the headroom, and a cancel gives it back")
    func concurrentReservations() async throws {
        let dependencies = try APITests.dependencies()
        let (id, headroom) = try await customerWithHeadroom(dependencies)
        // Orders of a fifth of the headroom: at most 5 fit (exposure only grows by approved reservations).
        let amount = Money(cents: headroom.cents / 5)
        let reserved = try await Application(router: buildRouter(dependencies)).test(.router) { client -> Int in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let body = ByteBuffer(string: #"{"orderId": "PO-\#(index)", "amount": "\#(amount.decimalText)", "reserve": true}"#)
                        return try await client.execute(
                            uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: body
                        ) { response in
                            try JSONDecoder().decode(Result.self, from: Data(buffer: response.body)).reserved
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        #expect(reserved == 5)
        let total = try await dependencies.database.read { try OrderStore().openReservations($0, customerId: id) }
        #expect(total.cents <= headroom.cents)
        #expect(total == Money(cents: amount.cents * 5))
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let cancelled = try await dependencies.database.read {
                try String.fetchOne($0, sql: "SELECT id FROM pending_order WHERE status = 'open' LIMIT 1")
            }
            try await client.expectStatus(.noContent, uri: "/v1/orders/\(cancelled ?? "")/cancel", method: .post, headers: Self.sales)
            try await client.expectStatus(.notFound, uri: "/v1/orders/\(cancelled ?? "")/cancel", method: .post, headers: Self.sales)
        }
        let after = try await dependencies.database.read { try OrderStore().openReservations($0, customerId: id) }
        #expect(after == Money(cents: amount.cents * 4))
    }

    @Test("order checks need a positive amount, a known customer and the sales or credit manager role")
    func refusals() async throws {
        try await APITests.app().test(.router) { client in
            let body = ByteBuffer(string: #"{"orderId": "X", "amount": "-5.00"}"#)
            try await client.expectStatus(
                .unprocessableContent, uri: "/v1/customers/C0000007/order-checks", method: .post, headers: Self.sales, body: body)
            let ok = ByteBuffer(string: #"{"orderId": "X", "amount": "5.00"}"#)
            try await client.expectStatus(.notFound, uri: "/v1/customers/NOPE/order-checks", method: .post, headers: Self.sales, body: ok)
            let collections: HTTPFields = .apiKey("demo-collections-key-0001")
            try await client.expectStatus(.forbidden, uri: "/v1/customers/C0000007/order-checks", method: .post, headers: collections, body: ok)
        }
    }
}
