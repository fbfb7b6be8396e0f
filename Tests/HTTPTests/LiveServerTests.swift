import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The application as `creditrisk serve` builds it, on a real loopback port.
@Suite("Live server")
struct LiveServerTests {
    /// Warnings and errors only: the test run shows results, not request lines.
    static let logger: Logger = {
        var logger = Logger(label: "live-test")
        logger.logLevel = .warning
        return logger
    }()

    @Test("the served application answers health, refuses a missing key and serves an assessment over TCP")
    func liveRoundTrip() async throws {
        let app = buildApplication(
            try APITests.dependencies(), host: "127.0.0.1", port: 0, logger: Self.logger)
        try await app.test(.live) { client in
            try await client.expectStatus(.ok, uri: "/health", method: .get)
            try await client.execute(uri: "/v1/customers/C0000007/assessment", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/v1/customers/C0000007/assessment", method: .get, headers: APITests.sales) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["customerId"] as? String == "C0000007")
                #expect(response.headers[.init("X-Request-Id")!] != nil)
            }
        }
    }
}
