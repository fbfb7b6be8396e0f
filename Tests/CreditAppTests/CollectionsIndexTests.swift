import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("Collections worklist kept in memory")
struct CollectionsIndexTests {
    /// The index and the database-backed reference must give the same list at every step.
    func expectSameList(_ index: CollectionsIndex, _ lists: CollectionsLists, day: Day, group: String? = nil) async throws {
        for view in WorklistView.allCases {
            for dueOnly in [true, false] {
                let filter = WorklistFilter(group: group, dueOnly: dueOnly)
                let kept = try await index.worklist(asOf: day, limit: 10_000, view: view, filter: filter)
                let read = try await lists.worklist(asOf: day, limit: 10_000, view: view, filter: filter)
                #expect(kept.items == read.items && kept.customers == read.customers, "\(view) due only \(dueOnly)")
                #expect(kept.listed == read.listed)
                #expect(kept.openInvoices == read.openInvoices)
            }
        }
        for step in ReminderStep.allCases {
            let filter = WorklistFilter(step: step, group: group)
            let keptStep = try await index.worklist(asOf: day, limit: 7, view: .customers, filter: filter)
            let readStep = try await lists.worklist(asOf: day, limit: 7, view: .customers, filter: filter)
            #expect(keptStep.customers == readStep.customers, "step \(step.rawValue)")
        }
    }

    func invoices(_ index: CollectionsIndex, _ day: Day, limit: Int = 10_000, dueOnly: Bool = false) async throws -> [WorklistEntry] {
        try await index.worklist(asOf: day, limit: limit, view: .invoices, filter: WorklistFilter(dueOnly: dueOnly)).items ?? []
    }

    /// The demo scored as of its last day, an index over it and the database-backed reference.
    func scoredDemo() async throws -> (db: DatabaseQueue, model: ScoringModel, day: Day, index: CollectionsIndex, lists: CollectionsLists) {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day)
        return (db, model, day, CollectionsIndex(database: db, model: model), CollectionsLists(database: db, model: model))
    }

    @Test("after payments, disputes, promises, activities and a full re-scoring, the kept list equals one read afresh")
    func staysExact() async throws {
        let (db, model, day, index, lists) = try await scoredDemo()
        try await expectSameList(index, lists, day: day)
        #expect(try await index.worklist(asOf: day, limit: 1, view: .customers, filter: .init()).openInvoices > 100)

        let top = try #require(try await invoices(index, day, limit: 3).first)
        let events = FeedbackEvents(database: db, model: model, now: fixedNow)
        _ = try await events.payment(
            Payment(id: "PAY-T1", invoiceId: top.invoiceId, paidOn: day, amount: top.openAmount), today: day)
        let afterPayment = try await invoices(index, day)
        #expect(!afterPayment.contains { $0.invoiceId == top.invoiceId })
        try await expectSameList(index, lists, day: day)

        let second = try #require(afterPayment.first)
        _ = try await events.openDispute(invoiceId: second.invoiceId, kind: "price", on: day, today: day)
        let third = try #require(try await invoices(index, day, limit: 1).first)
        #expect(third.invoiceId != second.invoiceId)
        _ = try await events.promise(invoiceId: third.invoiceId, payBy: day + 5, amount: nil, author: "test", today: day)
        try await expectSameList(index, lists, day: day)
        try await expectSameList(index, lists, day: day + 9)  // the promise's grace is over: back on the list

        // A call on the top customer carries out its steps due: it leaves the day's list.
        let customer = try #require(
            try await index.worklist(asOf: day, limit: 1, view: .customers, filter: .init()).customers?.first)
        let activities = CollectionsActivities(database: db, model: model, now: fixedNow)
        let call = try await activities.record(
            ActivityReport(customerId: customer.customerId, kind: .call, outcome: .reached, note: "will pay Friday", author: "test"), today: day)
        #expect(call.invoices.contains { $0.step != nil })
        let after = try await index.worklist(asOf: day, limit: 10_000, view: .customers, filter: .init())
        #expect(after.customers?.contains { $0.customerId == customer.customerId } == false)
        let all = try await index.worklist(asOf: day, limit: 10_000, view: .customers, filter: .init(dueOnly: false))
        let kept = try #require(all.customers?.first { $0.customerId == customer.customerId })
        #expect(kept.lastAction?.kind == .call && kept.lastAction?.note == "will pay Friday")
        try await expectSameList(index, lists, day: day)

        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day + 9)
        try await expectSameList(index, lists, day: day + 9)
        try await expectSameList(index, lists, day: day + 9, group: "Groupe Henry")
    }

    @Test("an index warmed for a day (every customer placed ahead) answers what is read afresh, that day, after a payment and the next day")
    func warmedForADay() async throws {
        let (db, model, day, index, lists) = try await scoredDemo()
        try await index.warm(asOf: day)
        try await expectSameList(index, lists, day: day)
        let top = try #require(try await index.worklist(asOf: day, limit: 1, view: .customers, filter: .init()).customers?.first)
        let invoice = try #require(top.invoices.first)
        _ = try await FeedbackEvents(database: db, model: model, now: fixedNow).payment(
            Payment(id: "PAY-W1", invoiceId: invoice.invoiceId, paidOn: day, amount: invoice.openAmount), today: day)
        try await expectSameList(index, lists, day: day)
        try await index.warm(asOf: day + 1)
        try await expectSameList(index, lists, day: day + 1)
        try await expectSameList(index, lists, day: day)
    }

    @Test("a worklist asked while the index warms for that day answers what is read afresh")
    func askedWhileWarming() async throws {
        let (_, _, day, index, lists) = try await scoredDemo()
        let warming = Task { try await index.warm(asOf: day) }
        let asked = try await index.worklist(asOf: day, limit: 10_000, view: .customers, filter: .init())
        try await warming.value
        let read = try await lists.worklist(asOf: day, limit: 10_000, view: .customers, filter: .init())
        #expect(asked.customers == read.customers && asked.listed == read.listed)
        try await expectSameList(index, lists, day: day)
    }
}
