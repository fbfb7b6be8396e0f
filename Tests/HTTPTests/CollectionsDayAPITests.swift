@_spi(Testing) import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// A collections day through the API: a call recorded, the worklist showing it, a reminder run
/// issuing documents into the outbox once, the documents served, and the account's timeline.
@Suite("Collections day over HTTP")
struct CollectionsDayAPITests {
    static let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")

    /// The demo on the default model (v5: gaps between steps, late-payment terms) with the letters.
    static func dependencies() async throws -> ServiceDependencies {
        let db = try CreditDatabase.inMemory()
        _ = try LedgerImporter(database: db).importLedger(directory: APITests.repository.appendingPathComponent("Fixtures/demo"))
        let model = try ScoringModel.decode(
            from: Data(contentsOf: APITests.repository.appendingPathComponent("Models/scoring-model-v5.json")))
        var dependencies = ServiceDependencies(
            database: db, model: model, keys: .demo, statementDecoder: nil, maximumBodyBytes: 1 << 16, today: APITests.today)
        dependencies.service.reminderTemplates = try ReminderTemplates.load(
            directory: APITests.repository.appendingPathComponent("Models/letters").path)
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        return dependencies
    }

    @Test("a call is recorded with its note and author, moves the dunning on, and shows as the customer's last action")
    func recordACall() async throws {
        let dependencies = try await Self.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let call = ByteBuffer(
                string: #"""
                    {"customerId": "C0000062", "kind": "call", "outcome": "reached", "note": "promet un virement vendredi",
                     "author": "claire", "on": "2026-10-10"}
                    """#)
            try await client.execute(uri: "/v1/events/activities", method: .post, headers: Self.collections, body: call) { response in
                #expect(response.status == .created)
                let activity = try jsonObject(response.body)
                #expect(activity["note"] as? String == "promet un virement vendredi")
                #expect(activity["author"] as? String == "claire")
                let invoices = try #require(activity["invoices"] as? [[String: Any]])
                #expect(invoices.contains { $0["invoiceId"] as? String == "F0000062-017" && $0["step"] != nil })
            }
            try await client.execute(uri: "/v1/collections/worklist?view=customers&status=all&limit=1000", method: .get, headers: Self.collections) {
                response in
                #expect(response.status == .ok)
                let customers = try #require(try jsonObject(response.body)["customers"] as? [[String: Any]])
                let entry = try #require(customers.first { $0["customerId"] as? String == "C0000062" })
                let last = try #require(entry["lastAction"] as? [String: Any])
                #expect(last["kind"] as? String == "call" && last["on"] as? String == "2026-10-10")
            }
        }
    }

    @Test(
        "an activity of an unknown kind, on another customer's invoice, in the future, or reported by sales is refused and stores nothing",
        arguments: [
            (
                #"{"customerId": "C0000062", "kind": "fax", "author": "claire"}"#, HTTPResponse.Status.badRequest,
                "is not an activity kind; use one of reminder_sent, call"
            ),
            (#"{"customerId": "C0000062", "kind": "call", "invoiceIds": ["F0000001-001"], "author": "claire"}"#, .unprocessableContent, "invoiceIds"),
            (#"{"customerId": "C0000062", "kind": "call", "on": "2027-01-01", "author": "claire"}"#, .unprocessableContent, "on"),
            (#"{"customerId": "C9999999", "kind": "call", "author": "claire"}"#, .notFound, "C9999999"),
        ])
    func refusedActivities(body: String, status: HTTPResponse.Status, names: String) async throws {
        let dependencies = try await Self.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(
                uri: "/v1/events/activities", method: .post, headers: Self.collections, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == status)
                #expect(String(buffer: response.body).contains(names), "\(String(buffer: response.body))")
            }
            try await client.execute(
                uri: "/v1/events/activities", method: .post, headers: Self.sales,
                body: ByteBuffer(string: #"{"customerId": "C0000062", "kind": "call", "author": "x"}"#)
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM activity") } == 0)
    }

    @Test("a reminder run issues documents into the outbox once a day; each is served as a letter or an e-mail file")
    func reminderRunAndOutbox() async throws {
        let dependencies = try await Self.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            var issued = 0
            try await client.execute(uri: "/v1/collections/reminder-runs", method: .post, headers: Self.collections) { response in
                #expect(response.status == .created)
                let report = try jsonObject(response.body)
                issued = try #require(report["documents"] as? Int)
                #expect(issued > 10)
                #expect((report["issued"] as? [Any])?.count == issued)
            }
            try await client.execute(uri: "/v1/collections/reminder-runs?asOf=2026-10-31", method: .post, headers: Self.collections) {
                response in
                #expect(response.status == .created)
                let report = try jsonObject(response.body)
                // Every step issued was recorded as carried out: nothing is due again the same day.
                #expect(report["documents"] as? Int == 0 && (report["issued"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/collections/reminder-runs?asOf=2027-01-01", method: .post, headers: Self.collections) {
                response in
                #expect(response.status == .unprocessableContent)
            }
            var ids: [Int] = []
            try await client.execute(uri: "/v1/collections/outbox?day=2026-10-31&limit=1000", method: .get, headers: Self.collections) {
                response in
                #expect(response.status == .ok)
                let documents = try #require(try jsonObject(response.body)["documents"] as? [[String: Any]])
                #expect(documents.count == issued)
                ids = documents.compactMap { $0["id"] as? Int }
                #expect(Set(documents.compactMap { $0["contentType"] as? String }.map { $0.prefix(9) }).isSubset(of: ["text/html", "message/r"]))
            }
            // Paged by cursor: two pages of 5 are the first ten, newest first, without overlap.
            var pages: [Int] = []
            var cursor = ""
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/collections/outbox?limit=5" + cursor, method: .get, headers: Self.collections) { response in
                    let page = try jsonObject(response.body)
                    pages += (page["documents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                    cursor = "&cursor=" + (try #require(page["nextCursor"] as? String))
                }
            }
            #expect(pages == Array(ids.prefix(10)))
            for id in ids.prefix(3) {
                try await client.execute(uri: "/v1/collections/outbox/\(id)", method: .get, headers: Self.collections) { response in
                    #expect(response.status == .ok)
                    let type = try #require(response.headers[.contentType])
                    let body = String(buffer: response.body)
                    if type.hasPrefix("message/rfc822") {
                        #expect(body.contains("Subject:") && body.contains("To:"))
                    } else {
                        #expect(type.hasPrefix("text/html") && body.contains("<html"))
                    }
                    #expect(response.headers[.contentDisposition]?.contains("filename=\"2026-10-31-") == true)
                }
            }
            for bad in ["0", "-1", "abc", "99999999"] {
                try await client.execute(uri: "/v1/collections/outbox/\(bad)", method: .get, headers: Self.collections) { response in
                    #expect(response.status == (bad == "99999999" ? .notFound : .badRequest))
                }
            }
            try await client.expectStatus(.forbidden, uri: "/v1/collections/reminder-runs", method: .post, headers: Self.sales)
        }
    }

    @Test("the timeline lists the account newest first, in pages that follow one another; an unknown customer is 404")
    func timeline() async throws {
        let dependencies = try await Self.dependencies()
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let note = ByteBuffer(
                string: #"{"customerId": "C0000062", "kind": "note", "note": "client en redressement ?", "author": "claire"}"#)
            try await client.expectStatus(.created, uri: "/v1/events/activities", method: .post, headers: Self.collections, body: note)
            var days: [String] = []
            var first: [String: Any] = [:]
            var notes: [String] = []
            var cursor = ""
            var total = 0
            repeat {
                try await client.execute(uri: "/v1/customers/C0000062/timeline?limit=7" + cursor, method: .get, headers: Self.collections) {
                    response in
                    #expect(response.status == .ok)
                    let page = try jsonObject(response.body)
                    total = page["total"] as? Int ?? 0
                    let events = page["events"] as? [[String: Any]] ?? []
                    if first.isEmpty { first = events.first ?? [:] }
                    days += events.compactMap { $0["on"] as? String }
                    notes += events.compactMap { $0["note"] as? String }
                    cursor = (page["nextCursor"] as? String).map { "&cursor=" + $0 } ?? ""
                }
            } while !cursor.isEmpty
            #expect(days.count == total && total > 20)
            #expect(days == days.sorted(by: >))
            #expect(notes.contains("client en redressement ?"))
            #expect(first["on"] as? String == "2026-10-31")
            #expect(days.first == "2026-10-31")
            try await client.expectStatus(.notFound, uri: "/v1/customers/C9999999/timeline", method: .get, headers: Self.collections)
            for bad in ["limit=0", "limit=abc", "cursor=-3", "cursor=x"] {
                try await client.execute(uri: "/v1/customers/C0000062/timeline?" + bad, method: .get, headers: Self.collections) {
                    response in
                    #expect(response.status == .badRequest || response.status == .unprocessableContent, "\(bad)")
                }
            }
        }
    }
}
