import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Disputes as a workflow over HTTP: assign, comment and resolve through `/v1/events/disputes`,
/// the dispute list filtered by owner and overdue, unknown kinds refused with the list.
@Suite("Dispute workflow over HTTP")
struct DisputeAPITests {
    static let collections = EventAPITests.collections

    static func post(_ client: some TestClientProtocol, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/v1/events/disputes", method: .post, headers: Self.collections, body: ByteBuffer(string: json)) {
            response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
        }
    }

    static func list(_ client: some TestClientProtocol, _ query: String) async throws -> (HTTPResponse.Status, [[String: Any]]) {
        try await client.execute(uri: "/v1/collections/disputes\(query)", method: .get, headers: Self.collections) { response in
            let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return (response.status, json?["disputes"] as? [[String: Any]] ?? [])
        }
    }

    @Test("open with a part and an owner, assign, comment, resolve: each step answers and is kept with the caller as author")
    func steps() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await EventAPITests().openInvoice(dependencies)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            var (status, json) = try await Self.post(
                client,
                #"{"action": "open", "invoiceId": "\#(invoice.id)", "kind": "quantity", "amount": "50.00", "owner": "paul", "note": "short delivery", "on": "2026-10-22"}"#
            )
            #expect(status == .ok)
            #expect(json["outcome"] as? String == "opened")
            (status, json) = try await Self.post(client, #"{"action": "assign", "invoiceId": "\#(invoice.id)", "owner": "marie"}"#)
            #expect(status == .ok)
            #expect(json["outcome"] as? String == "assigned")
            (status, _) = try await Self.post(client, #"{"action": "assign", "invoiceId": "\#(invoice.id)"}"#)
            #expect(status == .unprocessableContent)  // no owner
            (status, json) = try await Self.post(
                client, #"{"action": "comment", "invoiceId": "\#(invoice.id)", "note": "warehouse confirms 5 units missing"}"#)
            #expect(status == .ok)
            #expect(json["outcome"] as? String == "commented")

            let (listed, entries) = try await Self.list(client, "?owner=marie")
            #expect(listed == .ok)
            let entry = try #require(entries.first { $0["invoiceId"] as? String == invoice.id })
            #expect(entry["owner"] as? String == "marie")
            #expect(entry["disputedAmount"] as? String == "50.00")
            #expect(entry["kind"] as? String == "quantity")
            #expect(entry["deadline"] as? String == "2026-10-27")  // opened 22 October; quantity: 5 days (model file)
            #expect(entry["daysOverdue"] as? Int == 4)  // 31 October − 27 October
            #expect((entry["lastComment"] as? [String: Any])?["note"] as? String == "warehouse confirms 5 units missing")
            #expect((entry["lastComment"] as? [String: Any])?["author"] as? String == "demo-collections")

            (status, json) = try await Self.post(
                client, #"{"action": "resolve", "invoiceId": "\#(invoice.id)", "outcome": "credit_note", "note": "credit note 50.00 issued"}"#)
            #expect(status == .ok)
            #expect(json["outcome"] as? String == "resolved")
            let (_, after) = try await Self.list(client, "?owner=marie")
            #expect(!after.contains { $0["invoiceId"] as? String == invoice.id })
        }
        let steps = try await dependencies.database.read { try DisputeStore().disputeEvents($0, customerId: invoice.customer) }
        #expect(steps.map(\.action) == [.opened, .assigned, .commented, .resolved])
        #expect(steps.allSatisfy { $0.author == "demo-collections" })
        let outcome = try await dependencies.database.read {
            try String.fetchOne($0, sql: "SELECT outcome FROM dispute WHERE invoice_id = ?", arguments: [invoice.id])
        }
        #expect(outcome == "credit_note")
    }

    @Test("the dispute list filters by owner and by overdue, and refuses a blank owner or an overdue that is not true or false")
    func filters() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await EventAPITests().openInvoice(dependencies)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            // Opened today with 3 days for a price dispute: in time.
            let (status, _) = try await Self.post(
                client, #"{"action": "open", "invoiceId": "\#(invoice.id)", "kind": "price", "owner": "Zoe"}"#)
            #expect(status == .ok)
            let (_, mine) = try await Self.list(client, "?owner=zoe")
            #expect(mine.map { $0["invoiceId"] as? String } == [invoice.id])
            #expect(mine.first?["daysOverdue"] as? Int == -3)
            let (_, overdue) = try await Self.list(client, "?overdue=true")
            #expect(!overdue.contains { $0["invoiceId"] as? String == invoice.id })
            #expect(overdue.allSatisfy { ($0["daysOverdue"] as? Int ?? 0) > 0 })
            let (_, all) = try await Self.list(client, "?overdue=false")
            #expect(all.contains { $0["invoiceId"] as? String == invoice.id })
            #expect(all.count >= overdue.count)
            #expect(try await Self.list(client, "?owner=%20").0 == .badRequest)
            #expect(try await Self.list(client, "?overdue=yes").0 == .badRequest)
        }
    }

    @Test("an unknown kind (prix) is a 422 naming the valid kinds; a part above the open balance is a 422")
    func refusals() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await EventAPITests().openInvoice(dependencies)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(
                uri: "/v1/events/disputes", method: .post, headers: Self.collections,
                body: ByteBuffer(string: #"{"action": "open", "invoiceId": "\#(invoice.id)", "kind": "prix"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let body = String(buffer: response.body)
                #expect(body.contains(DisputeKind.listed))
            }
            let tooMuch = (invoice.open + Money(cents: 1)).decimalText
            let (status, _) = try await Self.post(
                client, #"{"action": "open", "invoiceId": "\#(invoice.id)", "kind": "price", "amount": "\#(tooMuch)"}"#)
            #expect(status == .unprocessableContent)
        }
    }
}

@Suite("Dispute deadlines in the daily run")
struct DisputeDeadlineDailyTests {
    @Test("the daily run alerts a dispute past its deadline once, for its owner and the credit manager")
    func dailyAlert() async throws {
        let dependencies = try APITests.dependencies()
        let invoice = try await EventAPITests().openInvoice(dependencies)
        let clock = DayBox(APITests.today)
        let daily = DailyRescoring(service: dependencies.service, today: { clock.day }, logger: Logger(label: "test"))
        _ = try await daily.raiseDisputeDeadlineAlerts()  // the demo's own overdue disputes
        _ = try await dependencies.service.disputes.open(
            invoiceId: invoice.id, kind: "quality", owner: "marie", author: "test", on: APITests.today, today: APITests.today)
        // Quality: 7 days, deadline 7 November; the 8th is the first day past it.
        clock.day = APITests.today + 7
        #expect(try await daily.raiseDisputeDeadlineAlerts() == 0)
        clock.day = APITests.today + 8
        #expect(try await daily.raiseDisputeDeadlineAlerts() == 1)
        clock.day = APITests.today + 9
        #expect(try await daily.raiseDisputeDeadlineAlerts() == 0)
        let alerts = try await dependencies.service.alerts.list(AlertFilter()).filter {
            $0.kind == .disputeOverdue && $0.customerId == invoice.customer
        }
        #expect(alerts.map(\.asOf) == [APITests.today + 8])
        #expect(alerts.first?.detail.contains("owner marie") == true)
    }
}
