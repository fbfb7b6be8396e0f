import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// Requests a hostile client sent that once killed the server or wrote data: each is sent, then
/// the server must still answer, and a refused request must have changed nothing.
@Suite("Hostile requests")
struct HostileRequestTests {
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")
    static let creditManager = APITests.creditManager

    /// Row counts of the tables a refused request could write to.
    static func counts(_ db: any DatabaseWriter) async throws -> [String: Int] {
        try await db.read { db in
            var counts: [String: Int] = [:]
            for table in ["payment", "dispute", "payment_promise", "collections_change", "alert", "pending_order", "credit_override", "customer"]
            where try db.tableExists(table) {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return counts
        }
    }

    static func stillAnswers(_ client: some TestClientProtocol) async throws {
        try await client.expectStatus(.ok, uri: "/health", method: .get)
    }

    static func openInvoice(_ db: any DatabaseWriter) async throws -> String {
        try await db.read { db in
            try #require(try String.fetchOne(db, sql: "SELECT id FROM invoice WHERE open_cents > 100000 ORDER BY open_cents DESC LIMIT 1"))
        }
    }

    @Test(
        "an order check of 92233720368547758.07 for a customer over its limit is refused, and the server answers on",
        arguments: [
            "92233720368547758.07", "-92233720368547758.07", "1000000000000.01", "99999999999999999.99",
        ])
    func hugeOrder(amount: String) async throws {
        let dependencies = try APITests.dependencies()
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            // C0000008's exposure is above its limit in the demo portfolio: the check has to add and compare.
            let body = ByteBuffer(string: #"{"orderId": "SO-HUGE", "amount": "\#(amount)", "reserve": true}"#)
            try await client.execute(uri: "/v1/customers/C0000008/order-checks", method: .post, headers: Self.sales, body: body) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await Self.stillAnswers(client)
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test("the largest order accepted is checked without trapping: it is declined, not reserved")
    func largestOrder() async throws {
        try await APITests.app().test(.router) { client in
            let body = ByteBuffer(string: #"{"orderId": "SO-MAX", "amount": "1000000000000.00", "reserve": true}"#)
            try await client.execute(uri: "/v1/customers/C0000008/order-checks", method: .post, headers: Self.sales, body: body) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["reserved"] as? Bool == false)
                #expect((json["decision"] as? [String: Any])?["verdict"] as? String == "decline")
            }
        }
    }

    @Test(
        "a payment of that size, or its negative, on an invoice is refused and the server answers on",
        arguments: [
            "92233720368547758.07", "-92233720368547758.07",
        ])
    func hugePayment(amount: String) async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await Self.openInvoice(dependencies.database)
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(
                string: #"{"paymentId": "PAY-HUGE", "invoiceId": "\#(invoice)", "paidOn": "2026-10-30", "amount": "\#(amount)"}"#)
            try await client.expectStatus(.badRequest, uri: "/v1/events/payments", method: .post, headers: Self.collections, body: body)
            try await Self.stillAnswers(client)
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test("an order check for an unknown customer is a 404 that writes nothing, whatever the id's size")
    func unknownCustomer() async throws {
        let dependencies = try APITests.dependencies()
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            for id in ["NOPE", String(repeating: "X", count: 2000)] {
                let body = ByteBuffer(string: #"{"orderId": "SO-1", "amount": "10.00", "reserve": true}"#)
                try await client.execute(uri: "/v1/customers/\(id)/order-checks", method: .post, headers: Self.sales, body: body) { response in
                    #expect(response.status == .notFound)
                    #expect(response.body.readableBytes < 500, "the refusal does not echo the id whole")
                }
            }
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test(
        "amounts outside the documented form are refused, not read as something else",
        arguments: [
            #""+5.00""#, #""5,00""#, #""1 2 3.00""#, #""5""#, #""05.00""#, #""-0.00""#, "5", "5.00",
        ])
    func amountForms(amount: String) async throws {
        let dependencies = try APITests.dependencies()
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"orderId": "SO-FORM", "amount": \#(amount), "reserve": true}"#)
            try await client.expectStatus(.badRequest, uri: "/v1/customers/C0000007/order-checks", method: .post, headers: Self.sales, body: body)
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test("a promise to pay on 9999-12-31 is refused and the invoice stays on the worklist")
    func farPromise() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await Self.openInvoice(dependencies.database)
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"invoiceId": "\#(invoice)", "payBy": "9999-12-31"}"#)
            try await client.execute(uri: "/v1/events/promises", method: .post, headers: Self.collections, body: body) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("five years") || String(buffer: response.body).contains("5 years"))
            }
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test("a dispute opened in the future is refused; reopening one the day it was resolved is not a 500")
    func disputeDates() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await Self.openInvoice(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let future = ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(invoice)", "kind": "price", "on": "2026-11-01"}"#)
            try await client.expectStatus(.unprocessableContent, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: future)
            let open = ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(invoice)", "kind": "price"}"#)
            let resolve = ByteBuffer(string: #"{"action": "resolve", "invoiceId": "\#(invoice)"}"#)
            for (body, outcome) in [(open, "opened"), (resolve, "resolved"), (open, "reopened")] {
                try await client.execute(uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: body) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""outcome":"\#(outcome)""#))
                }
            }
        }
    }

    @Test(
        "a dispute of a kind not on the list (prix, a typo) is a 422 naming the kinds, and opens nothing",
        arguments: [
            "prix", "pricing", "qualité", "",
        ])
    func unknownDisputeKind(kind: String) async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await Self.openInvoice(dependencies.database)
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(invoice)", "kind": "\#(kind)"}"#)
            try await client.execute(uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: body) { response in
                #expect(response.status == .unprocessableContent)
                #expect(
                    String(buffer: response.body).contains(
                        "price, quantity, quality, technical, delivery, invoicing_error, duplicate_billing, missing_purchase_order, other"))
            }
            try await Self.stillAnswers(client)
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test("a dispute kind is read whatever its case, spaces or dashes: Duplicate billing is duplicate_billing")
    func disputeKindSpellings() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await Self.openInvoice(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let body = ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(invoice)", "kind": " Duplicate billing "}"#)
            try await client.expectStatus(.ok, uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: body)
        }
        let stored = try await dependencies.database.read {
            try String.fetchOne($0, sql: "SELECT kind FROM dispute WHERE invoice_id = ? AND resolved_on IS NULL", arguments: [invoice])
        }
        #expect(stored == "duplicate_billing")
    }

    @Test("an override until 9999 or of more than the largest amount is refused")
    func implausibleOverrides() async throws {
        let dependencies = try APITests.dependencies()
        let before = try await Self.counts(dependencies.database)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let bodies = [
                #"{"limit": "5000000.00", "reason": "CEO friend", "expiresOn": "9999-12-31"}"#,
                #"{"limit": "1000000000000.01", "reason": "CEO friend", "expiresOn": "2027-01-31"}"#,
            ]
            for body in bodies {
                try await client.execute(
                    uri: "/v1/customers/C0000007/override", method: .post, headers: Self.creditManager, body: ByteBuffer(string: body)
                ) { response in
                    #expect([400, 422].contains(Int(response.status.code)))
                }
            }
        }
        #expect(try await Self.counts(dependencies.database) == before)
    }

    @Test("an application cannot be approved into a customer id such as ../../etc or one holding NUL")
    func approvalIds() async throws {
        try await APITests.app().test(.router) { client in
            let application = ByteBuffer(
                string: #"{"applicationId": "APP-IDS", "name": "Prospect SARL", "sectorCode": "46.69B", "country": "FR", "termsDays": 30}"#)
            try await client.expectStatus(.created, uri: "/v1/applications", method: .post, headers: Self.creditManager, body: application)
            for id in [#"../../etc"#, #"A\u0000B"#, "C 0001"] {
                let decision = ByteBuffer(string: #"{"decision": "approve", "customerId": "\#(id)"}"#)
                try await client.expectStatus(
                    .unprocessableContent, uri: "/v1/applications/APP-IDS/decision", method: .post, headers: Self.creditManager, body: decision)
            }
            try await client.execute(uri: "/v1/applications/APP-IDS", method: .get, headers: Self.creditManager) { response in
                #expect(String(buffer: response.body).contains(#""status":"pending""#))
            }
        }
    }
}
