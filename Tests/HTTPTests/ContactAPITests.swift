import CreditApp
import CreditCore
import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Customer contacts over HTTP")
struct ContactAPITests {
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")

    @Test("PUT replaces the contact and GET reads it back; a field left out is cleared")
    func putThenGet() async throws {
        try await APITests.app().test(.router) { client in
            let body = #"""
                {"name": "Élodie Martin", "email": "compta@hexapro.example", "phone": "+33 1 23 45 67 89", "language": "en",
                 "postalAddress": "12 rue des Lilas | 69003 Lyon"}
                """#
            try await client.execute(
                uri: "/v1/customers/C0000001/contact", method: .put, headers: Self.collections, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .ok)
                let contact = try jsonObject(response)
                #expect(contact["customerId"] as? String == "C0000001")
                #expect(contact["postalAddress"] as? String == "12 rue des Lilas\n69003 Lyon")
                #expect(contact["documentLanguage"] as? String == "en")
            }
            try await client.execute(uri: "/v1/customers/C0000001/contact", method: .get, headers: Self.collections) { response in
                #expect(response.status == .ok)
                let contact = try jsonObject(response)
                #expect(contact["name"] as? String == "Élodie Martin")
                #expect(contact["email"] as? String == "compta@hexapro.example")
                #expect(contact["phone"] as? String == "+33 1 23 45 67 89")
                #expect(contact["language"] as? String == "en")
                #expect(contact["updatedAt"] is String)
            }
            try await client.execute(
                uri: "/v1/customers/C0000001/contact", method: .put, headers: Self.collections,
                body: ByteBuffer(string: #"{"email": "ap@hexapro.example"}"#)
            ) { response in
                #expect(response.status == .ok)
                let contact = try jsonObject(response)
                #expect(contact["email"] as? String == "ap@hexapro.example")
                #expect(contact["name"] == nil && contact["language"] == nil && contact["postalAddress"] == nil)
                // C0000001 is in FR: without a language of its own, its documents are in French.
                #expect(contact["documentLanguage"] as? String == "fr")
            }
        }
    }

    @Test("a bad e-mail is refused naming the field, an unknown field or language is malformed, an unknown customer is 404")
    func refusals() async throws {
        try await APITests.app().test(.router) { client in
            let cases: [(String, String, HTTPResponse.Status, String)] = [
                ("C0000001", #"{"email": "compta at hexapro.example"}"#, .unprocessableContent, "email"),
                ("C0000001", #"{"email": "a@b.fr\r\nBcc: x@y.fr"}"#, .unprocessableContent, "email"),
                ("C0000001", #"{"name": "A\nB"}"#, .unprocessableContent, "name"),
                ("C0000001", #"{"language": "de"}"#, .badRequest, "language"),
                ("C0000001", #"{"mail": "a@b.fr"}"#, .badRequest, "mail"),
                ("NOPE", #"{"email": "a@b.fr"}"#, .notFound, "NOPE"),
            ]
            for (customer, body, status, mention) in cases {
                try await client.execute(
                    uri: "/v1/customers/\(customer)/contact", method: .put, headers: Self.collections, body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == status, "\(body)")
                    #expect(String(buffer: response.body).contains(mention), "\(body): \(String(buffer: response.body))")
                }
            }
            try await client.expectStatus(.notFound, uri: "/v1/customers/NOPE/contact", method: .get, headers: Self.collections)
            // Sales may not read or change contacts; the credit manager may.
            try await client.expectStatus(.forbidden, uri: "/v1/customers/C0000001/contact", method: .get, headers: Self.sales)
            try await client.expectStatus(.ok, uri: "/v1/customers/C0000001/contact", method: .get, headers: APITests.creditManager)
        }
    }

    @Test("the statuses the contact routes return are documented")
    func statusesDocumented() async throws {
        let documented = try OpenAPITests.documented()
        #expect(documented["/v1/customers/{id}/contact"]?.keys.sorted() == ["get", "put"])
        try await APITests.app().test(.router) { client in
            let samples: [(HTTPRequest.Method, String, String?, HTTPFields)] = [
                (.get, "/v1/customers/C0000001/contact", nil, Self.collections),
                (.get, "/v1/customers/C0000001/contact", nil, [:]),
                (.put, "/v1/customers/C0000001/contact", #"{"email": "a@b.fr"}"#, Self.collections),
                (.put, "/v1/customers/C0000001/contact", #"{"email": "a@"}"#, Self.collections),
                (.put, "/v1/customers/C0000001/contact", "{", Self.collections),
                (.put, "/v1/customers/C0000001/contact", #"{"email": "a@b.fr"}"#, Self.sales),
            ]
            for (method, uri, body, headers) in samples {
                let status = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
                    Int($0.status.code)
                }
                let allowed = documented["/v1/customers/{id}/contact"]?[method.rawValue.lowercased()] ?? []
                #expect(allowed.contains(status), "\(method) \(uri) \(body ?? "") returned \(status)")
            }
        }
    }
}
