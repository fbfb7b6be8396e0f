import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Feedback events over HTTP")
struct EventAPITests {
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")

    /// An open invoice of the demo with its customer and balance.
    func openInvoice(_ dependencies: ServiceDependencies) async throws -> (id: String, customer: String, open: Money) {
        try await dependencies.database.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: "SELECT id, customer_id, open_cents FROM invoice WHERE open_cents > 10000 AND issue_date <= '2026-10-31' ORDER BY id LIMIT 1"
                ))
            return (row[0], row[1], Money(cents: row[2]))
        }
    }

    @Test("a payment reduces the open balance, re-scores the customer, and is accepted again unchanged")
    func payment() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await openInvoice(dependencies)
        let body = ByteBuffer(
            string: #"{"paymentId": "EV-1", "invoiceId": "\#(invoice.id)", "paidOn": "2026-10-30", "amount": "\#(invoice.open.decimalText)"}"#)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            for expected in ["inserted", "unchanged"] {
                try await client.execute(uri: "/v1/events/payments", method: .post, headers: Self.collections, body: body) { response in
                    #expect(response.status == .ok)
                    let json = try jsonObject(response)
                    #expect(json["outcome"] as? String == expected)
                    #expect(json["customerId"] as? String == invoice.customer)
                }
            }
            let again = ByteBuffer(string: #"{"paymentId": "EV-2", "invoiceId": "\#(invoice.id)", "paidOn": "2026-10-30", "amount": "1.00"}"#)
            try await client.execute(uri: "/v1/events/payments", method: .post, headers: Self.collections, body: again) { response in
                #expect(response.status == .unprocessableContent)  // nothing left to pay
            }
        }
        try await dependencies.database.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT open_cents FROM invoice WHERE id = ?", arguments: [invoice.id]) == 0)
            let stored = try #require(try AssessmentStore().latest(db, customerId: invoice.customer))
            #expect(stored.asOf == APITests.today)
        }
    }

    @Test("a dispute opens once, resolves once, and unknown invoices are 404")
    func disputes() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await openInvoice(dependencies)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let open = ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(invoice.id)", "kind": "Price"}"#)
            try await client.expectStatus(.ok, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: open)
            try await client.expectStatus(.conflict, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: open)
            let resolve = ByteBuffer(string: #"{"action": "resolve", "invoiceId": "\#(invoice.id)", "on": "2026-10-31"}"#)
            try await client.expectStatus(.ok, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: resolve)
            let unknown = ByteBuffer(string: #"{"action": "resolve", "invoiceId": "NOPE"}"#)
            try await client.expectStatus(.notFound, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: unknown)
        }
        let resolved = try await dependencies.database.read {
            try String.fetchOne($0, sql: "SELECT resolved_on FROM dispute WHERE invoice_id = ? AND kind = 'price'", arguments: [invoice.id])
        }
        #expect(resolved == "2026-10-31")
    }

    @Test("a promise is recorded against an open invoice; sales may not report events")
    func promise() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await openInvoice(dependencies)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"invoiceId": "\#(invoice.id)", "payBy": "2026-11-15"}"#)
            try await client.expectStatus(.ok, uri: "/v1/events/promises", method: .post, headers: Self.collections, body: body)
            try await client.expectStatus(.forbidden, uri: "/v1/events/promises", method: .post, headers: OrderCheckAPITests.sales, body: body)
        }
        #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM payment_promise") } == 1)
    }
}

@Suite("Collections lists over HTTP")
struct CollectionsAPITests {
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")

    struct Worklist: Decodable {
        struct Item: Decodable { var invoiceId: String }
        var listed: Int
        var items: [Item]
    }

    struct Disputes: Decodable {
        struct Item: Decodable {
            var invoiceId: String
            var kind: String
        }
        var disputes: [Item]
    }

    @Test("a dispute moves its invoice from the worklist to the dispute list; a payment takes it off")
    func disputeAndPayment() async throws {
        let dependencies = try APITests.dependencies()
        _ = try await ScoringService(database: dependencies.database, model: dependencies.model).scoreAndStore(asOf: APITests.today)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            func worklist() async throws -> Worklist {
                try await client.execute(
                    uri: "/v1/collections/worklist?limit=10000&view=invoices&status=all", method: .get, headers: Self.collections
                ) {
                    try JSONDecoder().decode(Worklist.self, from: Data(buffer: $0.body))
                }
            }
            let before = try await worklist()
            let first = try #require(before.items.first?.invoiceId)
            #expect(before.listed == before.items.count)
            let open = ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(first)", "kind": "quality"}"#)
            try await client.expectStatus(.ok, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: open)
            let during = try await worklist()
            #expect(!during.items.contains { $0.invoiceId == first })
            #expect(during.listed == before.listed - 1)
            let disputes = try await client.execute(uri: "/v1/collections/disputes", method: .get, headers: Self.collections) {
                try JSONDecoder().decode(Disputes.self, from: Data(buffer: $0.body))
            }
            #expect(disputes.disputes.contains { $0.invoiceId == first && $0.kind == "quality" })
        }
    }
}
