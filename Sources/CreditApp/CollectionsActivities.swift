import CreditCore
import CreditStore
import Foundation
import GRDB

/// What a collector reports having done on an account.
public struct ActivityReport: Sendable, Codable {
    public var customerId: String
    public var kind: ActivityKind
    /// The invoices it covered; all the customer's open ones when nil.
    public var invoiceIds: [String]?
    public var channel: String?
    public var outcome: ActivityOutcome?
    public var note: String?
    public var author: String
    /// The day it was done; today when nil.
    public var on: Day?
    /// The reminder step it carried out, when the collector names it; otherwise the step due.
    public var step: ReminderStep?

    public init(
        customerId: String, kind: ActivityKind, invoiceIds: [String]? = nil, channel: String? = nil, outcome: ActivityOutcome? = nil,
        note: String? = nil, author: String, on: Day? = nil, step: ReminderStep? = nil
    ) {
        self.customerId = customerId
        self.kind = kind
        self.invoiceIds = invoiceIds
        self.channel = channel
        self.outcome = outcome
        self.note = note
        self.author = author
        self.on = on
        self.step = step
    }
}

/// A customer's timeline page.
public struct TimelinePage: Sendable, Codable {
    public var customerId: String
    public var asOf: Day
    /// Events on the whole timeline.
    public var total: Int
    public var events: [TimelineEvent]
    /// The cursor of the next (older) page; nil on the last.
    public var nextCursor: String?
}

/// Collections' memory: activities recorded against the reminder scenario, and the timeline of
/// everything that happened on an account.
public struct CollectionsActivities: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    let checks = InputChecks()

    /// Records an activity: each invoice it covers moves to the step it carried out (see
    /// `ReminderPolicy.RiskClass.stepCarriedOut`), so the next step waits its gap from today.
    public func record(_ report: ActivityReport, today: Day) async throws -> Activity {
        try checks.id(report.customerId, "customerId")
        let day = try checks.pastDay(report.on ?? today, "on", today: today)
        let author = try checks.text(report.author, "author", required: true) ?? report.author
        let note = try checks.text(report.note, "note", required: false, lineBreaks: true)
        let channel = try checks.text(report.channel, "channel", required: false)
        if let ids = report.invoiceIds {
            guard ids.count <= 10_000 else { throw Refusal.invalid(field: "invoiceIds", "holds \(ids.count) ids; at most 10000") }
            for id in ids { try checks.id(id, "invoiceIds") }
            guard Set(ids).count == ids.count else { throw Refusal.invalid(field: "invoiceIds", "names an invoice twice") }
        }
        if report.kind == .note, report.step != nil {
            throw Refusal.invalid(field: "step", "a note reaches nobody and carries out no reminder step")
        }
        let model = self.model
        let createdAt = Timestamp.string(now())
        return try await writer.write { db in
            guard try ApplicationStore().customerExists(db, id: report.customerId) else {
                throw Refusal(.notFound, "no customer \(report.customerId)")
            }
            let store = ActivityStore()
            let invoices: [(invoiceId: String, dueDate: Day, open: Money)]
            if let ids = report.invoiceIds {
                invoices = try store.invoices(db, customerId: report.customerId, ids: ids)
            } else {
                invoices = try store.openInvoices(db, customerId: report.customerId).filter { $0.open.cents > 0 }
            }
            let progress = try store.progress(db, invoiceIds: invoices.map(\.invoiceId))
            let grade = try AssessmentStore().latest(db, customerId: report.customerId).flatMap { model.grade(code: $0.grade) }
            let riskClass = grade.flatMap { model.reminders.riskClass(for: $0) }
            var covered: [Activity.CoveredInvoice] = []
            for invoice in invoices {
                var step: ReminderStep?
                let last = progress[invoice.invoiceId]
                // Only an open invoice moves on, and never behind a step already recorded later.
                if invoice.open.cents > 0, last.map({ $0.on <= day }) ?? true, let riskClass {
                    step = try riskClass.stepCarriedOut(
                        kind: report.kind, outcome: report.outcome, requested: report.step, dueDate: invoice.dueDate, on: day,
                        progress: last)
                }
                covered.append(.init(invoiceId: invoice.invoiceId, step: step))
            }
            var activity = Activity(
                customerId: report.customerId, kind: report.kind, on: day, channel: channel, outcome: report.outcome, note: note,
                author: author, invoices: covered)
            activity.id = try store.record(db, activity, createdAt: createdAt)
            try CollectionsChangeLog().touch(db, customerId: report.customerId)
            return activity
        }
    }

    /// The customer's timeline as of `today`, newest first, `limit` events from `cursor`.
    public func timeline(customerId: String, today: Day, limit: Int, cursor: String?) async throws -> TimelinePage {
        try checks.id(customerId, "customerId")
        let offset: Int
        if let cursor {
            guard let value = Int(cursor), value >= 0 else {
                throw Refusal.invalid(field: "cursor", "\"\(cursor.truncatedForMessage(40))\" is not a cursor this list gave")
            }
            offset = value
        } else {
            offset = 0
        }
        let grace = model.collectionsPolicy.promiseGraceDays
        let events: [TimelineEvent] = try await database.read { db in
            var history: CustomerHistory?
            try LedgerHistories().forEach(db, asOf: today, customerId: customerId) { history = $0 }
            guard let history else { throw Refusal(.notFound, "no customer \(customerId)") }
            let store = ActivityStore()
            return Timeline.events(
                asOf: today, invoices: history.invoices, payments: history.payments,
                activities: try store.activities(db, customerId: customerId).reversed(),
                promises: try store.promises(db, customerId: customerId), disputes: history.disputes,
                disputeEvents: try DisputeStore().disputeEvents(db, customerId: customerId),
                overrides: try OverrideStore().history(db, customerId: customerId),
                limitRequests: try LimitRequestStore().requests(db, customerId: customerId),
                reviews: try ReviewStore().reviews(db, customerId: customerId),
                orderSteps: try OrderStore().steps(db, customerId: customerId), grades: try store.grades(db, customerId: customerId),
                alerts: try store.alerts(db, customerId: customerId), promiseGraceDays: grace)
        }
        let page = Array(events.dropFirst(offset).prefix(limit))
        let next = offset + page.count
        return TimelinePage(
            customerId: customerId, asOf: today, total: events.count, events: page, nextCursor: next < events.count ? String(next) : nil)
    }
}
