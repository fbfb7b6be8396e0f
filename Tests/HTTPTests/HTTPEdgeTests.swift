import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CreditHTTP

/// The edge of the API: what a body, a method, a path or a query must look like before any use
/// case sees it. Each refusal is a problem document naming what was wrong.
@Suite("HTTP edge")
struct HTTPEdgeTests {
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")

    static func problem(_ response: TestResponse) throws -> APITests.ProblemBody {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(APITests.ProblemBody.self, from: Data(buffer: response.body))
    }

    /// A body the API refuses, the rule that refuses it, and what the problem must say.
    struct RefusedBody: Sendable, CustomTestStringConvertible {
        var rule: String
        var uri = "/v1/customers/C0000007/order-checks"
        var headers = HostileRequestTests.sales
        var body: String
        var status = HTTPResponse.Status.badRequest
        var detail: String

        var testDescription: String { rule }
    }

    @Test(
        "a body the API document does not allow is refused with a problem saying what is wrong",
        arguments: [
            RefusedBody(
                rule: "a field sent as null is refused, naming the field: an optional field is left out",
                body: #"{"orderId": "SO-1", "amount": "100.00", "reserve": null}"#, detail: "is null"),
            RefusedBody(
                rule: "a required field sent as null is refused too", body: #"{"orderId": null, "amount": "100.00"}"#, detail: "is null"),
            RefusedBody(
                rule: "a key sent twice is refused: two readers could take different values from the same body",
                body: #"{"orderId": "SO-1", "amount": "100.00", "amount": "900000.00"}"#, detail: "field amount appears twice"),
            RefusedBody(
                rule: "a field the request does not take is refused, not dropped: a misspelt amount is said", uri: "/v1/events/promises",
                headers: HTTPEdgeTests.collections, body: #"{"invoiceId": "F0000007-001", "payBy": "2026-11-20", "ammount": "100.00"}"#,
                detail: "field ammount is not one this request takes"),
            RefusedBody(
                rule: "a number an integer field cannot hold is named, not called invalid JSON: 30.5 days of terms",
                uri: "/v1/applications", headers: APITests.creditManager,
                body: #"{"name": "A", "sectorCode": "4711", "country": "FR", "termsDays": 30.5}"#, detail: "termsDays 30.5"),
            RefusedBody(
                rule: "a whole number beyond 64 bits is named the same way", uri: "/v1/applications", headers: APITests.creditManager,
                body: #"{"name": "A", "sectorCode": "4711", "country": "FR", "termsDays": 9223372036854775808}"#,
                detail: "termsDays 9223372036854775808"),
            RefusedBody(
                rule: "a JSON body sent as another media type is answered 415",
                headers: .apiKey("demo-sales-key-0001", contentType: "text/plain"),
                body: #"{"orderId": "SO-1", "amount": "100.00"}"#, status: .unsupportedMediaType, detail: "application/json"),
        ])
    func refusedBody(_ refused: RefusedBody) async throws {
        try await APITests.app().test(.router) { client in
            try await client.execute(
                uri: refused.uri, method: .post, headers: refused.headers, body: ByteBuffer(string: refused.body)
            ) { response in
                #expect(response.status == refused.status)
                let problem = try Self.problem(response)
                #expect(problem.detail.contains(refused.detail))
            }
        }
    }

    @Test("a known path asked with a method it does not take answers 405 with the methods it does")
    func methodNotAllowed() async throws {
        try await APITests.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .init("TRACE")!) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            try await client.execute(
                uri: "/v1/customers/C0000007/override", method: .patch, headers: APITests.creditManager
            ) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "DELETE, POST")
            }
            try await client.expectStatus(.notFound, uri: "/v1/no-such-thing", method: .get, headers: APITests.sales)
        }
    }

    @Test("path parameters are percent-decoded: C000000%37 is C0000007, and C%2F7 is refused as no such customer")
    func percentDecodedPath() async throws {
        try await APITests.app().test(.router) { client in
            try await client.expectStatus(.ok, uri: "/v1/customers/C000000%37/assessment", method: .get, headers: APITests.sales)
            try await client.expectStatus(.notFound, uri: "/v1/customers/C%2F7/assessment", method: .get, headers: APITests.sales)
        }
    }

    @Test(
        "query parameters given empty, in another form or too long are refused, naming them",
        arguments: [
            "/v1/alerts?since=", "/v1/alerts?since=2026-13-01", "/v1/alerts?since=2026-1-1",
            "/v1/customers/C0000007/assessment?asOf=", "/v1/collections/worklist?limit=0",
            "/v1/collections/worklist?group=" + String(repeating: "g", count: 501),
            "/v1/collections/worklist?group=%00", "/v1/collections/worklist?group=", "/v1/portfolio/kpis?group=%20",
            "/v1/portfolio/kpis?sector=" + String(repeating: "1", count: 17),
        ])
    func malformedQuery(uri: String) async throws {
        let headers = APITests.creditManager
        try await APITests.app().test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { response in
                #expect(response.status == .badRequest)
                let name = String(uri.split(separator: "?")[1].split(separator: "=")[0])
                let problem = try Self.problem(response)
                #expect(problem.detail.contains(name))
            }
        }
    }

    @Test("a caller without a key is refused before its body is read")
    func unauthenticatedBody() async throws {
        try await APITests.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/events/payments", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: String(repeating: " ", count: 4000) + "{}")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=") == true)
            }
        }
    }

    @Test("one CSV sent without ?file= is named by its header, and a header of no ledger file is refused")
    func csvRecognisedByHeader() async throws {
        let admin: HTTPFields = .apiKey("demo-admin-key-0001", contentType: "text/csv")
        try await APITests.app().test(.router) { client in
            let disputes = "invoice_id,kind,opened_on\n"
            try await client.expectStatus(.ok, uri: "/v1/imports/ledger", method: .post, headers: admin, body: ByteBuffer(string: disputes))
            try await client.execute(
                uri: "/v1/imports/ledger", method: .post, headers: admin, body: ByteBuffer(string: "a,b,c\n1,2,3\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try Self.problem(response)
                #expect(problem.detail.contains("?file="))
            }
        }
    }
}

/// The strict JSON rules by themselves.
@Suite("Strict JSON")
struct StrictJSONTests {
    static func failure(_ text: String) -> String? {
        do {
            try StrictJSON.check(Array(text.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "well-formed bodies pass",
        arguments: [
            #"{}"#, #"{"a": "x", "b": [1, 2.5, -3e2, true, false], "c": {"d": "\u00e9\n"}}"#, #"  {"a":"\ud83d\ude00"}  "#,
        ])
    func accepted(text: String) {
        #expect(Self.failure(text) == nil)
    }

    @Test("a key spelled with an escape is the same key")
    func escapedDuplicate() {
        #expect(Self.failure(#"{"a": "1", "\u0061": "2"}"#)?.contains("appears twice") == true)
    }

    @Test("nulls are refused at any depth, naming the field")
    func nestedNull() {
        #expect(Self.failure(#"{"a": {"b": [1, null]}}"#)?.contains("field a.b.1 is null") == true)
    }

    @Test(
        "broken JSON says at which byte",
        arguments: [
            (#"{"a": 01}"#, "byte 8"), (#"{"a": "x"} {}"#, "more after"), (#"{"a": "x"#, "never closed"),
            (#"{"a" "x"}"#, "expected ':'"), ("", "empty"), (#"{"a": "\ud800"}"#, "lone surrogate"),
            ("{\"a\": \"\u{01}\"}", "control character"), (#"{"a": tru}"#, "byte 7"),
        ])
    func located(text: String, expected: String) {
        let failure = Self.failure(text)
        #expect(failure?.contains(expected) == true, "\(failure ?? "accepted")")
    }

    @Test("a string that is not UTF-8 is refused, not repaired into U+FFFD")
    func notUTF8() throws {
        // "Café" in Latin-1: the é is the lone byte 0xE9.
        let body = Array(#"{"name": "Caf"#.utf8) + [0xE9] + Array(#""}"#.utf8)
        #expect(throws: StrictJSON.Failure.self) { try StrictJSON.check(body) }
        do {
            try StrictJSON.check(body)
        } catch {
            #expect("\(error)".contains("not UTF-8"))
        }
        #expect(Self.failure(#"{"name": "Café"}"#) == nil)
    }

    @Test("field names with escapes, text and non-ASCII letters in any mix read as Foundation reads them")
    func namesReadAsFoundationReadsThem() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = [#"\n"#, #"\""#, #"\\"#, #"\u00e9"#, #"\ud83d\ude00"#, "é", "ab", "日本", #"\/"#, #"\t"#]
        for _ in 0..<200 {
            let names = (0..<3).map { index in
                "\(index)" + (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let body = "{" + names.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
            let checked = try StrictJSON.check(Array(body.utf8))
            let decoded = try JSONDecoder().decode([String: Int].self, from: Data(body.utf8))
            #expect(Set(checked.fields) == Set(decoded.keys), "\(body)")
            #expect(checked.fields.count == 3)
        }
    }

    @Test("a string of 200 000 escapes between letters is read whole (its time once grew with the square of the escapes)")
    func manyEscapes() throws {
        let body = "{\"z\": \"" + String(repeating: #"a\n"#, count: 200_000) + #"", "a\u00e9": 1}"#
        #expect(try StrictJSON.check(Array(body.utf8)).fields == ["z", "aé"])
    }

    @Test("nesting is bounded, so a body of ten thousand brackets cannot exhaust the stack")
    func depth() {
        #expect(Self.failure(String(repeating: "[", count: 10_000))?.contains("nests deeper") == true)
    }
}
