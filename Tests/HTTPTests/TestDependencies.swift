@_spi(Testing) import CreditApp
import CreditCore
import CreditHTTP
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// What the tests need beyond the API: the store behind the service, to arrange and check rows.
extension ServiceDependencies {
    var database: any DatabaseWriter { service.database }
    var statementDecoder: StatementDecoding? {
        get { service.statementDecoder }
        set { service.statementDecoder = newValue }
    }
    var maximumWriteWait: Duration {
        get { service.maximumWriteWait }
        set { service.maximumWriteWait = newValue }
    }

    /// Dependencies over `database`, with the service's clock standing at noon UTC of `today` and
    /// the credit policies shipped in `Models/` (a broken file fails `PolicyFileTests`).
    init(
        database: any DatabaseWriter, model: ScoringModel, keys: APIKeys, statementDecoder: StatementDecoding?,
        maximumBodyBytes: Int = 50 << 20, today: Day, maximumWriteWait: Duration = BoundedWriter.defaultMaximumWait
    ) {
        _ = quietServerLogs
        let noon = Date(timeIntervalSince1970: Double(today.daysSinceEpoch) * 86_400 + 43_200)
        var service = CreditService(
            database: database, model: model, statementDecoder: statementDecoder, now: { noon }, maximumWriteWait: maximumWriteWait)
        service.policies = try? CreditPolicies.load(
            directory: APITests.repository.appendingPathComponent("Models").path, model: model, roles: Role.allCases.map(\.rawValue))
        self.init(service: service, keys: keys, maximumBodyBytes: maximumBodyBytes)
    }
}

extension HTTPFields {
    /// The headers of a request made with the API key `key` (the demo keys, `APIKeys.demo`), with
    /// the media type of its body when it has one.
    static func apiKey(_ key: String, contentType: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.init("X-API-Key")!: key]
        if let contentType { fields[.contentType] = contentType }
        return fields
    }
}

extension TestClientProtocol {
    /// Sends a request whose one check is the status it is answered with.
    func expectStatus(
        _ status: HTTPResponse.Status, uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            #expect(response.status == status, sourceLocation: sourceLocation)
        }
    }
}

/// A response's body read as a JSON object.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try jsonObject(response.body)
}

/// A body read as a JSON object.
func jsonObject(_ body: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
}

/// The test run shows test results, not a line per request: applications built without a logger
/// read their level from `LOG_LEVEL` (Hummingbird), set here once before the first is built.
let quietServerLogs: Void = { setenv("LOG_LEVEL", "warning", 0) }()
