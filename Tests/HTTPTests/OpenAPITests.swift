import CreditApp
import CreditCore
import CreditHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CreditHTTP

/// The OpenAPI document in the repository stays true: every route the router serves is
/// documented with its method, every documented operation is served, and the statuses the API
/// returns for typical good and bad requests are among those documented.
@Suite("OpenAPI document")
struct OpenAPITests {
    /// `path → method → statuses`, read from the document's layout (two-space YAML indentation).
    static func documented() throws -> [String: [String: Set<Int>]] {
        let text = try String(
            contentsOf: APITests.repository.appendingPathComponent("Sources/CreditHTTP/Resources/openapi.yaml"), encoding: .utf8)
        var operations: [String: [String: Set<Int>]] = [:]
        var path: String?
        var method: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
                method = nil
            } else if line.hasPrefix("    "), !line.hasPrefix("     "),
                let name = ["get", "post", "put", "delete"].first(where: { line == "    \($0):" })
            {
                method = name
                operations[path!, default: [:]][name] = []
            } else if let path, let method, line.hasPrefix("        '"), let code = Int(line.dropFirst(9).prefix(3)) {
                operations[path]![method]!.insert(code)
            }
        }
        return operations
    }

    @Test("every served route is documented and every documented operation is served")
    func routesMatch() async throws {
        let router = buildRouter(try APITests.dependencies())
        let served = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
        let documented = Set(try Self.documented().flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
        #expect(served == documented, "served only: \(served.subtracting(documented)); documented only: \(documented.subtracting(served))")
    }

    struct Sample: Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var path: String
        var key: String?
        var body: String?
        var contentType: String = "application/json"
    }

    static let samples: [Sample] = [
        Sample(method: .get, uri: "/health", path: "/health"),
        Sample(method: .get, uri: "/metrics", path: "/metrics"),
        Sample(method: .get, uri: "/openapi.yaml", path: "/openapi.yaml"),
        Sample(method: .get, uri: "/v1/customers/C0000007/assessment", path: "/v1/customers/{id}/assessment", key: "demo-sales-key-0001"),
        Sample(method: .get, uri: "/v1/customers/C0000007/assessment", path: "/v1/customers/{id}/assessment"),
        Sample(method: .get, uri: "/v1/customers/ZZ/assessment?asOf=x", path: "/v1/customers/{id}/assessment", key: "demo-sales-key-0001"),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/override", path: "/v1/customers/{id}/override", key: "demo-credit-manager-key-0001",
            body: #"{"limit": 100, "reason": "r", "expiresOn": "2027-01-01"}"#),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/override", path: "/v1/customers/{id}/override", key: "demo-credit-manager-key-0001",
            body: #"{"limit": 100}"#),
        Sample(method: .delete, uri: "/v1/customers/C0000007/override", path: "/v1/customers/{id}/override", key: "demo-credit-manager-key-0001"),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/override", path: "/v1/customers/{id}/override", key: "demo-credit-manager-key-0001",
            body: #"{"limit": "5000000.00", "reason": "r", "expiresOn": "2027-01-01"}"#),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/limit-requests", path: "/v1/customers/{id}/limit-requests", key: "demo-sales-key-0001",
            body: #"{"limit": "40000.00", "reason": "r", "expiresOn": "2027-01-01"}"#),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/limit-requests", path: "/v1/customers/{id}/limit-requests", key: "demo-sales-key-0001",
            body: #"{"limit": "40000.00", "reason": "again", "expiresOn": "2027-01-01"}"#),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/limit-requests", path: "/v1/customers/{id}/limit-requests", key: "demo-admin-key-0001",
            body: #"{"limit": "1.00", "reason": "r", "expiresOn": "2027-01-01"}"#),
        Sample(method: .get, uri: "/v1/limit-requests?status=pending", path: "/v1/limit-requests", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/limit-requests?limit=0", path: "/v1/limit-requests", key: "demo-credit-manager-key-0001"),
        Sample(
            method: .post, uri: "/v1/limit-requests/1/approve", path: "/v1/limit-requests/{id}/approve", key: "demo-credit-manager-key-0001",
            body: #"{"reason": "ok"}"#),
        Sample(
            method: .post, uri: "/v1/limit-requests/1/approve", path: "/v1/limit-requests/{id}/approve", key: "demo-credit-director-key-0001",
            body: #"{"reason": "ok"}"#),
        Sample(
            method: .post, uri: "/v1/limit-requests/1/reject", path: "/v1/limit-requests/{id}/reject", key: "demo-credit-director-key-0001",
            body: #"{"reason": "late"}"#),
        Sample(
            method: .post, uri: "/v1/limit-requests/x/reject", path: "/v1/limit-requests/{id}/reject", key: "demo-credit-director-key-0001",
            body: #"{"reason": "late"}"#),
        Sample(method: .get, uri: "/v1/reviews/due?before=2027-12-31", path: "/v1/reviews/due", key: "demo-credit-director-key-0001"),
        Sample(method: .get, uri: "/v1/reviews/due", path: "/v1/reviews/due", key: "demo-sales-key-0001"),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/reviews", path: "/v1/customers/{id}/reviews", key: "demo-credit-manager-key-0001",
            body: #"{"decision": "keep", "note": "fine"}"#),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/reviews", path: "/v1/customers/{id}/reviews", key: "demo-credit-manager-key-0001",
            body: #"{"decision": "raise", "limit": "1.00"}"#),
        Sample(
            method: .post, uri: "/v1/customers/NOPE/reviews", path: "/v1/customers/{id}/reviews", key: "demo-credit-manager-key-0001",
            body: #"{"decision": "keep"}"#),
        Sample(method: .get, uri: "/v1/overrides/expiring?withinDays=400", path: "/v1/overrides/expiring", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/overrides/expiring", path: "/v1/overrides/expiring", key: "demo-credit-manager-key-0001"),
        Sample(
            method: .post, uri: "/v1/customers/C0000007/order-checks", path: "/v1/customers/{id}/order-checks", key: "demo-sales-key-0001",
            body: #"{"orderId": "O1", "amount": "10.00"}"#),
        Sample(method: .post, uri: "/v1/orders/O1/cancel", path: "/v1/orders/{id}/cancel", key: "demo-sales-key-0001"),
        Sample(method: .get, uri: "/v1/alerts", path: "/v1/alerts", key: "demo-sales-key-0001"),
        Sample(method: .get, uri: "/v1/collections/worklist?limit=5", path: "/v1/collections/worklist", key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/collections/worklist?step=x", path: "/v1/collections/worklist", key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/collections/disputes", path: "/v1/collections/disputes", key: "demo-sales-key-0001"),
        Sample(
            method: .get, uri: "/v1/collections/worklist?view=invoices&status=all", path: "/v1/collections/worklist",
            key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/collections/worklist?status=x", path: "/v1/collections/worklist", key: "demo-collections-key-0001"),
        Sample(
            method: .post, uri: "/v1/events/activities", path: "/v1/events/activities", key: "demo-collections-key-0001",
            body: #"{"customerId": "C0000007", "kind": "call", "outcome": "reached", "note": "pays Friday"}"#),
        Sample(
            method: .post, uri: "/v1/events/activities", path: "/v1/events/activities", key: "demo-collections-key-0001",
            body: #"{"customerId": "NOPE", "kind": "note"}"#),
        Sample(
            method: .post, uri: "/v1/events/activities", path: "/v1/events/activities", key: "demo-collections-key-0001",
            body: #"{"customerId": "C0000007", "kind": "fax"}"#),
        Sample(
            method: .get, uri: "/v1/customers/C0000007/timeline?limit=5", path: "/v1/customers/{id}/timeline",
            key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/customers/NOPE/timeline", path: "/v1/customers/{id}/timeline", key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/customers/C0000007/timeline", path: "/v1/customers/{id}/timeline", key: "demo-sales-key-0001"),
        Sample(
            method: .post, uri: "/v1/collections/reminder-runs", path: "/v1/collections/reminder-runs", key: "demo-collections-key-0001"),
        Sample(
            method: .post, uri: "/v1/collections/reminder-runs?asOf=2999-01-01", path: "/v1/collections/reminder-runs",
            key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/collections/outbox", path: "/v1/collections/outbox", key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/collections/outbox/999", path: "/v1/collections/outbox/{id}", key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/collections/outbox/x", path: "/v1/collections/outbox/{id}", key: "demo-collections-key-0001"),
        Sample(method: .post, uri: "/v1/imports/ledger", path: "/v1/imports/ledger", key: "demo-admin-key-0001", body: "{}"),
        Sample(
            method: .post, uri: "/v1/imports/sectors?", path: "/v1/imports/sectors", key: "demo-admin-key-0001",
            body: "sector_code;label\n", contentType: "text/csv"),
        Sample(
            method: .post, uri: "/v1/imports/statements", path: "/v1/imports/statements", key: "demo-admin-key-0001", body: "<x/>",
            contentType: "application/xml"),
        Sample(
            method: .post, uri: "/v1/events/payments", path: "/v1/events/payments", key: "demo-collections-key-0001",
            body: #"{"paymentId": "P", "invoiceId": "NOPE", "paidOn": "2026-10-01", "amount": "1.00"}"#),
        Sample(
            method: .post, uri: "/v1/events/promises", path: "/v1/events/promises", key: "demo-collections-key-0001",
            body: #"{"invoiceId": "NOPE", "payBy": "2026-12-01"}"#),
        Sample(
            method: .post, uri: "/v1/events/disputes", path: "/v1/events/disputes", key: "demo-sales-key-0001",
            body: #"{"action": "open", "invoiceId": "NOPE", "kind": "price"}"#),
        Sample(method: .get, uri: "/v1/portfolio/kpis", path: "/v1/portfolio/kpis", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/portfolio/kpis?sector=NOPE", path: "/v1/portfolio/kpis", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/portfolio/kpis", path: "/v1/portfolio/kpis", key: "demo-sales-key-0001"),
        Sample(method: .get, uri: "/v1/reports/late-payers", path: "/v1/reports/late-payers", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/reports/late-payers?by=x", path: "/v1/reports/late-payers", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/reports/late-payers?format=csv", path: "/v1/reports/late-payers", key: "demo-sales-key-0001"),
        Sample(
            method: .get, uri: "/v1/reports/grade-changes?from=2026-10-01&to=2026-10-31", path: "/v1/reports/grade-changes",
            key: "demo-collections-key-0001"),
        Sample(
            method: .get, uri: "/v1/reports/grade-changes?from=2026-10-31&to=2026-10-01", path: "/v1/reports/grade-changes",
            key: "demo-collections-key-0001"),
        Sample(method: .get, uri: "/v1/reports/cash-forecast", path: "/v1/reports/cash-forecast", key: "demo-credit-manager-key-0001"),
        Sample(
            method: .get, uri: "/v1/reports/cash-forecast/backtest?months=40", path: "/v1/reports/cash-forecast/backtest",
            key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/reports/kpi-trend?group=Nobody", path: "/v1/reports/kpi-trend", key: "demo-credit-manager-key-0001"),
        Sample(method: .get, uri: "/v1/reports/kpi-trend?format=csv", path: "/v1/reports/kpi-trend", key: "demo-admin-key-0001"),
        Sample(
            method: .post, uri: "/v1/applications", path: "/v1/applications", key: "demo-credit-manager-key-0001",
            body: #"{"applicationId": "A-1", "name": "Prospect SAS", "sectorCode": "62.01Z", "country": "FR", "termsDays": 30}"#),
        Sample(
            method: .post, uri: "/v1/applications", path: "/v1/applications", key: "demo-credit-manager-key-0001",
            body: #"{"name": "Prospect SAS", "sectorCode": "62.01Z", "country": "FR", "termsDays": 900}"#),
        Sample(method: .post, uri: "/v1/applications", path: "/v1/applications", key: "demo-credit-manager-key-0001", body: "{"),
        Sample(method: .get, uri: "/v1/applications/NOPE", path: "/v1/applications/{id}", key: "demo-credit-manager-key-0001"),
        Sample(
            method: .post, uri: "/v1/applications/NOPE/decision", path: "/v1/applications/{id}/decision",
            key: "demo-credit-manager-key-0001", body: #"{"decision": "decline", "reason": "r"}"#),
    ]

    @Test("the statuses returned for typical requests are documented for their operation")
    func statusesDocumented() async throws {
        let documented = try Self.documented()
        try await APITests.app().test(.router) { client in
            for sample in Self.samples {
                var headers: HTTPFields = [.contentType: sample.contentType]
                if let key = sample.key { headers[.init("X-API-Key")!] = key }
                let status = try await client.execute(
                    uri: sample.uri, method: sample.method, headers: headers, body: sample.body.map { ByteBuffer(string: $0) }
                ) { Int($0.status.code) }
                let allowed = documented[sample.path]?[sample.method.rawValue.lowercased()] ?? []
                #expect(allowed.contains(status), "\(sample.method) \(sample.uri) returned \(status), documented: \(allowed.sorted())")
            }
        }
    }
}

@Suite("Documented request bodies")
struct DocumentedBodyTests {
    @Test("each JSON body takes exactly the fields its schema lists, and the schema refuses others")
    func fieldsMatchTheDocument() async throws {
        let text = try String(
            contentsOf: APITests.repository.appendingPathComponent("Sources/CreditHTTP/Resources/openapi.yaml"), encoding: .utf8)
        for (schema, fields) in documentedRequestBodies {
            // The schema's block: a component (`    Name:`) or an operation's inline body (`  /path:`).
            let start = try #require(
                text.range(of: schema.hasPrefix("/") ? "\n  \(schema):\n" : "\n    \(schema):\n"), "\(schema) not in the document")
            let block = String(text[start.upperBound...].prefix(3000))
            #expect(block.contains("additionalProperties: false"), "\(schema) allows other fields")
            let properties = try #require(block.range(of: "properties:\n"))
            let indentation = block[properties.upperBound...].prefix { $0 == " " }.count
            var listed: Set<String> = []
            for line in block[properties.upperBound...].split(separator: "\n") {
                let spaces = line.prefix { $0 == " " }.count
                if spaces < indentation { break }
                if spaces == indentation, let colon = line.firstIndex(of: ":") {
                    listed.insert(line[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: " '\"")))
                }
            }
            #expect(listed == fields, "\(schema): document \(listed.sorted()), server \(fields.sorted())")
        }
    }
}
