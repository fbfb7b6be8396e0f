import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// A collections day on the demo portfolio: reminders issued from the templates into the
/// outbox, recorded as activities, once per customer per day.
@Suite("Reminder runs")
struct ReminderRunTests {
    static let day = Day(parsing: "2026-10-31")!

    func service() async throws -> (DatabaseQueue, ReminderRuns, CollectionsActivities, ScoringModel) {
        let db = try Repository.demoDatabase()
        let model = try ScoringModel.decode(from: Data(contentsOf: Repository.path("Models/scoring-model-v5.json")))
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: Self.day)
        let templates = try ReminderTemplates.load(directory: Repository.path("Models/letters").path)
        return (
            db, ReminderRuns(resources: RequestResources(database: db, model: model, now: fixedNow), templates: templates),
            CollectionsActivities(database: db, model: model, now: fixedNow), model
        )
    }

    @Test("a reminder run twice on a day issues nothing the second time")
    func onceADay() async throws {
        let (db, runs, _, _) = try await service()
        let first = try await runs.run(asOf: Self.day, today: Self.day, author: "test")
        #expect(first.documents > 10)
        #expect(first.documents + first.problems.count == first.customersDue)
        let activities = try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM activity") }
        #expect(activities == first.documents)
        let second = try await runs.run(asOf: Self.day, today: Self.day, author: "test")
        #expect(second.documents == 0 && second.issued.isEmpty)
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM activity") } == activities)
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox_document") } == first.documents)
        // The next day, no invoice reminded yesterday is reminded again: each step done waits
        // its gap before the next (only invoices that reached their first step since are).
        let remindedYesterday = try await db.read {
            try Set(String.fetchAll($0, sql: "SELECT invoice_id FROM activity_invoice WHERE step IS NOT NULL"))
        }
        let next = try await runs.run(asOf: Self.day + 1, today: Self.day + 1, author: "test")
        let remindedToday = try await db.read {
            try Set(
                String.fetchAll(
                    $0,
                    sql:
                        "SELECT ai.invoice_id FROM activity_invoice ai JOIN activity a ON a.id = ai.activity_id WHERE a.on_day = ? AND ai.step IS NOT NULL",
                    arguments: [Self.day + 1]))
        }
        #expect(remindedToday.count >= next.documents)
        #expect(remindedToday.isDisjoint(with: remindedYesterday))
    }

    @Test("a reminder without an address for its channel is a problem on the report, and stays due")
    func missingAddress() async throws {
        let (db, runs, _, _) = try await service()
        try await db.write { try $0.execute(sql: "UPDATE customer_contact SET email = NULL WHERE customer_id = 'C0000002'") }
        let report = try await runs.run(asOf: Self.day, today: Self.day, author: "test")
        let problem = try #require(report.problems.first { $0.customerId == "C0000002" })
        #expect(problem.channel == "email" && problem.problem.contains("no e-mail address"))
        #expect(!report.issued.contains { $0.customerId == "C0000002" })
        let lists = CollectionsLists(database: db, model: runs.model)
        let list = try await lists.worklist(asOf: Self.day, limit: 1_000, view: .customers, filter: .init())
        #expect(list.customers?.first { $0.customerId == "C0000002" }?.step == .reminder)
    }

    @Test("after a firm reminder by phone, the run sends a French formal notice stating the 40 € indemnity and the rate")
    func frenchFormalNotice() async throws {
        let (db, runs, activities, _) = try await service()
        // C0000062 (grade D, high class): reminder on 10-01, a call reached on 10-10; the formal
        // notice (+20 days, 7 days after the call in v5) is due on 10-31.
        _ = try await activities.record(
            ActivityReport(customerId: "C0000062", kind: .email, author: "claire", on: Day(parsing: "2026-10-01")!), today: Self.day)
        let call = try await activities.record(
            ActivityReport(
                customerId: "C0000062", kind: .call, outcome: .reached, note: "promet un virement", author: "claire",
                on: Day(parsing: "2026-10-10")!), today: Self.day)
        // F0000062-017, due 06-19, moves to its firm reminder; F0000062-020, due 10-24, was not
        // yet due for anything on 10-10 (its pre-due call is from 10-17).
        #expect(call.invoices.first { $0.invoiceId == "F0000062-017" }?.step == .firmReminderAndCall)
        #expect(call.invoices.first { $0.invoiceId == "F0000062-020" }?.step == nil)
        let report = try await runs.run(asOf: Self.day, today: Self.day, author: "test")
        let issued = try #require(report.issued.first { $0.customerId == "C0000062" })
        #expect(issued.step == .formalNotice && issued.channel == "registered_letter" && issued.language == .fr)
        let (entry, content) = try await runs.document(id: issued.documentId)
        #expect(entry.contentType.hasPrefix("text/html"))
        #expect(content.contains("40,00") && content.contains("7,86") && content.contains("L441-10") && content.contains("D441-5"))
        #expect(content.contains("F0000062-017"))
        let timeline = try await activities.timeline(customerId: "C0000062", today: Self.day, limit: 5, cursor: nil)
        #expect(timeline.events.contains { $0.kind == .activity && $0.activity?.documentId == issued.documentId })
        #expect(timeline.events.contains { $0.kind == .activity && $0.note == "promet un virement" && $0.author == "claire" })
        _ = db
    }

    @Test("a dispute's story is on the timeline (opened for a part with its owner, commented, resolved), and a run alerts a passed deadline once")
    func disputesOnTheTimeline() async throws {
        let (db, runs, activities, model) = try await service()
        let invoice = try #require(
            try await db.read {
                try String.fetchOne(
                    $0,
                    sql: """
                        SELECT i.id FROM invoice i WHERE i.customer_id = 'C0000062' AND i.open_cents > 50000
                        AND NOT EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id) ORDER BY i.due_date LIMIT 1
                        """)
            })
        let disputes = DisputeWorkflow(database: db, model: model, now: fixedNow)
        let opened = Day(parsing: "2026-10-20")!
        await #expect(throws: Refusal.self) {
            try await disputes.open(invoiceId: invoice, kind: "prix", author: "claire", on: opened, today: Self.day)
        }
        _ = try await disputes.open(
            invoiceId: invoice, kind: "price", amount: Money(cents: 12_000), owner: "marc", author: "claire", on: opened, today: Self.day)
        _ = try await disputes.comment(invoiceId: invoice, note: "avoir en préparation", author: "marc", on: opened + 1, today: Self.day)
        // A price dispute has 3 days: on 10-31 it is 8 days past its deadline; the run alerts it once.
        let report = try await runs.run(asOf: Self.day, today: Self.day, author: "test")
        #expect(report.disputeAlerts == 1)
        let again = try await runs.run(asOf: Self.day, today: Self.day, author: "test")
        #expect(again.disputeAlerts == 0)
        _ = try await disputes.resolve(invoiceId: invoice, outcome: "credit_note", author: "marc", on: Self.day, today: Self.day)
        let timeline = try await activities.timeline(customerId: "C0000062", today: Self.day, limit: 100, cursor: nil)
        let story = timeline.events.filter { $0.invoiceId == invoice && $0.kind.rawValue.hasPrefix("dispute_") }
        #expect(story.map(\.kind) == [.disputeResolved, .disputeCommented, .disputeOpened])
        #expect(story[2].summary.contains("120.00") && story[2].summary.contains("owner marc") && story[2].author == "claire")
        #expect(story[1].note == "avoir en préparation" && story[1].author == "marc")
        #expect(story[0].summary.hasSuffix("credit note"))
        #expect(timeline.events.contains { $0.kind == .alert && $0.summary.contains("dispute_overdue") && $0.summary.contains(invoice) })
    }
}
