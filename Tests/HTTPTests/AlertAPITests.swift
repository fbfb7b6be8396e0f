import CreditApp
import CreditCore
import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Alerts over the API: filtered by kind and status, acknowledged by collections or the credit
/// manager, never by sales.
@Suite("Alerts over HTTP")
struct AlertAPITests {
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")

    @Test("alerts filter by kind and status; collections acknowledge one with a note, sales may not, an unknown id is 404")
    func workAnAlert() async throws {
        let dependencies = try APITests.dependencies()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            var id = 0
            try await client.execute(uri: "/v1/alerts?kind=limit_below_exposure&status=open", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let alerts = try #require(
                    (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["alerts"] as? [[String: Any]])
                #expect(!alerts.isEmpty && alerts.allSatisfy { $0["kind"] as? String == "limit_below_exposure" && $0["status"] as? String == "open" })
                id = try #require(alerts.first?["id"] as? Int)
            }
            let note = ByteBuffer(string: #"{"note": "guarantee requested", "author": "claire"}"#)
            try await client.expectStatus(.forbidden, uri: "/v1/alerts/\(id)/acknowledge", method: .post, headers: Self.sales, body: note)
            try await client.execute(uri: "/v1/alerts/\(id)/acknowledge", method: .post, headers: Self.collections, body: note) { response in
                #expect(response.status == .ok)
                let alert = try jsonObject(response)
                #expect(alert["status"] as? String == "acknowledged")
                #expect((alert["acknowledgement"] as? [String: Any])?["note"] as? String == "guarantee requested")
            }
            try await client.execute(uri: "/v1/alerts?status=acknowledged", method: .get, headers: Self.sales) { response in
                #expect(String(buffer: response.body).contains("guarantee requested"))
            }
            for (uri, status) in [
                ("/v1/alerts/99999999/acknowledge", HTTPResponse.Status.notFound), ("/v1/alerts/0/acknowledge", .badRequest),
            ] {
                try await client.execute(uri: uri, method: .post, headers: Self.collections, body: note) { response in
                    #expect(response.status == status)
                }
            }
            for uri in ["/v1/alerts?kind=bogus", "/v1/alerts?status=done", "/v1/alerts?limit=0"] {
                try await client.execute(uri: uri, method: .get, headers: Self.sales) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                }
            }
        }
    }
}
