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
        let kept = try await index.worklist(asOf: day, limit: 10_000, step: nil, group: group)
        let read = try await lists.worklist(asOf: day, limit: 10_000, step: nil, group: group)
        #expect(kept.items == read.items)
        #expect(kept.openItems == read.openItems)
        #expect(kept.openInvoices == read.openInvoices)
        for step in ReminderStep.allCases {
            let keptStep = try await index.worklist(asOf: day, limit: 7, step: step, group: group)
            let readStep = try await lists.worklist(asOf: day, limit: 7, step: step, group: group)
            #expect(keptStep.items == readStep.items, "step \(step.rawValue)")
        }
    }

    @Test("after payments, disputes, promises and a full re-scoring, the kept list equals one read afresh")
    func staysExact() async throws {
        let db = try Repository.demoDatabase()
        let model = try Repository.model()
        let day = try #require(Day(parsing: "2026-10-31"))
        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day)
        let index = CollectionsIndex(database: db, model: model)
        let lists = CollectionsLists(database: db, model: model)
        try await expectSameList(index, lists, day: day)
        #expect(try await index.worklist(asOf: day, limit: 1, step: nil, group: nil).openInvoices > 100)

        let top = try #require(try await index.worklist(asOf: day, limit: 3, step: nil, group: nil).items.first)
        let events = FeedbackEvents(database: db, model: model, now: fixedNow)
        _ = try await events.payment(
            Payment(id: "PAY-T1", invoiceId: top.invoiceId, paidOn: day, amount: top.openAmount), today: day)
        let afterPayment = try await index.worklist(asOf: day, limit: 10_000, step: nil, group: nil)
        #expect(!afterPayment.items.contains { $0.invoiceId == top.invoiceId })
        try await expectSameList(index, lists, day: day)

        let second = try #require(afterPayment.items.first)
        _ = try await events.openDispute(invoiceId: second.invoiceId, kind: "price", on: day, today: day)
        let third = try #require(try await index.worklist(asOf: day, limit: 1, step: nil, group: nil).items.first)
        #expect(third.invoiceId != second.invoiceId)
        _ = try await events.promise(invoiceId: third.invoiceId, payBy: day + 5, amount: nil, author: "test", today: day)
        try await expectSameList(index, lists, day: day)
        try await expectSameList(index, lists, day: day + 9)  // the promise's grace is over: back on the list

        _ = try await ScoringService(database: db, model: model, now: fixedNow).scoreAndStore(asOf: day + 9)
        try await expectSameList(index, lists, day: day + 9)
        try await expectSameList(index, lists, day: day + 9, group: "Groupe Henry")
    }
}
