import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// The API driven through its router, without a port.
@Suite("HTTP API")
struct APITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let today = Day(parsing: "2026-10-31")!

    static func dependencies() throws -> ServiceDependencies {
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: repository.appendingPathComponent("Fixtures/demo"))
        let model = try ScoringModel.decode(from: Data(contentsOf: repository.appendingPathComponent("Models/scoring-model-v2.json")))
        return ServiceDependencies(
            database: db, model: model, keys: .demo, statementDecoder: nil, maximumBodyBytes: 4096, today: today)
    }

    static func app() throws -> some ApplicationProtocol {
        Application(router: buildRouter(try dependencies()))
    }

    static let sales: HTTPFields = .apiKey("demo-sales-key-0001")
    static let creditManager: HTTPFields = .apiKey("demo-credit-manager-key-0001", contentType: "application/json")

    struct ProblemBody: Decodable {
        var type: String
        var status: Int
        var detail: String
    }

    @Test("health answers without a key")
    func health() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"database\":\"ok\""))
            }
        }
    }

    @Test("an assessment needs a key, a known key, and a role that may read it")
    func authentication() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/customers/C0000007/assessment", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.expectStatus(.unauthorized, uri: "/v1/customers/C0000007/assessment", method: .get, headers: .apiKey("not-a-key"))
            try await client.expectStatus(.ok, uri: "/v1/customers/C0000007/assessment", method: .get, headers: .apiKey("demo-admin-key-0001"))
            try await client.execute(uri: "/v1/customers/C0000007/override", method: .delete, headers: Self.sales) { response in
                #expect(response.status == .forbidden)
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: response.body))
                #expect(problem.type == "/problems/forbidden")
            }
        }
    }

    @Test("the assessment shows grade, PD, limit, exposure, headroom, reasons and the model version")
    func assessment() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/customers/C0000007/assessment?asOf=2026-06-30", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["asOf"] as? String == "2026-06-30")
                #expect(json["modelVersion"] as? String == "scoring-model-v2")
                for field in [
                    "grade", "suggestedGrade", "pd", "score", "limit", "suggestedLimit", "exposure", "headroom", "reasons", "limitStep",
                    "agedBalance", "evidence",
                ] {
                    #expect(json[field] != nil, "missing \(field)")
                }
            }
            try await client.expectStatus(.notFound, uri: "/v1/customers/NOPE/assessment", method: .get, headers: Self.sales)
            try await client.expectStatus(.badRequest, uri: "/v1/customers/C0000007/assessment?asOf=31-06-2026", method: .get, headers: Self.sales)
        }
    }

    @Test("a credit manager's override changes the effective limit until cleared")
    func override() async throws {
        try await Self.app().test(.router) { client in
            // Within the credit manager's authority: max(2 × the suggested 4 000.00, 10 000.00).
            let body = #"{"limit": "10000.00", "reason": "parent guarantee", "expiresOn": "2027-05-31"}"#
            try await client.execute(
                uri: "/v1/customers/C0000007/override", method: .post, headers: Self.creditManager, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect(json["limit"] as? String == "10000.00")
                #expect(json["overrideStatus"] as? String == "active")
            }
            try await client.expectStatus(.noContent, uri: "/v1/customers/C0000007/override", method: .delete, headers: Self.creditManager)
            try await client.expectStatus(.notFound, uri: "/v1/customers/C0000007/override", method: .delete, headers: Self.creditManager)
        }
    }

    @Test(
        "bad override bodies are 400 or 422 problems, never 500",
        arguments: [
            (#"{"limit": 1000"#, 400), (#"{"reason": "x"}"#, 400), (#"{"reason": "x", "expiresOn": "2027-01-01"}"#, 422),
            (#"{"grade": "42", "reason": "x", "expiresOn": "2027-01-01"}"#, 422),
            (#"{"limit": "5.00", "reason": "x", "expiresOn": "2020-01-01"}"#, 422),
            (#"{"limit": 5, "reason": "x", "expiresOn": "2027-01-01"}"#, 400),
        ] as [(String, Int)])
    func badOverride(body: String, status: Int) async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/customers/C0000007/override", method: .post, headers: Self.creditManager, body: ByteBuffer(string: body)
            ) { response in
                #expect(Int(response.status.code) == status)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("a body over the configured limit is refused with 413")
    func bodyLimit() async throws {
        try await Self.app().test(.router) { client in
            let big = ByteBuffer(string: String(repeating: "x", count: 5000))
            try await client.expectStatus(
                .contentTooLarge, uri: "/v1/customers/C0000007/override", method: .post, headers: Self.creditManager, body: big)
        }
    }

    @Test("metrics count requests by route and status in Prometheus text")
    func metrics() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/customers/C0000007/assessment", method: .get, headers: Self.sales) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"creditrisk_http_requests_total{method="GET",route="/v1/customers/{id}/assessment",status="200"} 1"#))
                #expect(text.contains("creditrisk_assessments_served_total 1"))
            }
        }
    }
}
