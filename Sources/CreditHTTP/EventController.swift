import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The collections engine reports back: payments, promises, and the steps of disputes.
struct EventController {
    let dependencies: ServiceDependencies

    var events: FeedbackEvents { dependencies.service.events }

    struct PaymentEvent: Decodable {
        var paymentId: String
        var invoiceId: String
        var paidOn: Day
        var amount: Money
    }

    struct PromiseEvent: Decodable {
        var invoiceId: String
        var payBy: Day
        var amount: Money?
        var note: String?
        /// Who took the promise; the caller's key name when absent.
        var author: String?
    }

    struct ActivityEvent: Decodable {
        var customerId: String
        var kind: ActivityKind
        var invoiceIds: [String]?
        var channel: String?
        var outcome: ActivityOutcome?
        var note: String?
        var author: String?
        var on: Day?
        var step: ReminderStep?
    }

    /// A step of a dispute: `open` takes `kind` and optionally `amount` (the disputed part),
    /// `owner` and `note`; `assign` takes `owner`; `comment` takes `note`; `resolve` takes
    /// `outcome` (optional but recommended) and `note`. The author is the caller's.
    struct DisputeEvent: Decodable {
        enum Action: String, Decodable { case open, assign, comment, resolve }
        var action: Action
        var invoiceId: String
        var kind: String?
        /// The disputed part of the invoice; the whole open balance when absent.
        var amount: Money?
        var owner: String?
        var note: String?
        var outcome: String?
        /// The day it happened; today when absent.
        var on: Day?
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let reporting = group.requiring(.reportEvents)
        reporting.post("events/payments", body: PaymentEvent.self) { event, _ -> UseCaseAnswer<EventOutcome> in
            UseCaseAnswer(
                try await events.payment(
                    Payment(id: event.paymentId, invoiceId: event.invoiceId, paidOn: event.paidOn, amount: event.amount),
                    today: dependencies.today()))
        }
        reporting.post("events/promises", body: PromiseEvent.self) { event, context -> UseCaseAnswer<EventOutcome> in
            UseCaseAnswer(
                try await events.promise(
                    invoiceId: event.invoiceId, payBy: event.payBy, amount: event.amount, author: context.author(stated: event.author),
                    note: event.note, today: dependencies.today()))
        }
        reporting.post("events/activities", body: ActivityEvent.self) { event, context -> EditedResponse<UseCaseAnswer<Activity>> in
            let activity = try await dependencies.service.activities.record(
                ActivityReport(
                    customerId: event.customerId, kind: event.kind, invoiceIds: event.invoiceIds, channel: event.channel,
                    outcome: event.outcome, note: event.note, author: context.author(stated: event.author), on: event.on, step: event.step),
                today: dependencies.today())
            return .created(activity)
        }
        reporting.post("events/disputes", body: DisputeEvent.self) { event, context -> UseCaseAnswer<EventOutcome> in
            let today = dependencies.today()
            let day = event.on ?? today
            let disputes = dependencies.service.disputes
            let author = context.author()
            switch event.action {
            case .open:
                return UseCaseAnswer(
                    try await disputes.open(
                        invoiceId: event.invoiceId, kind: event.kind ?? "", amount: event.amount, owner: event.owner, note: event.note,
                        author: author, on: day, today: today))
            case .assign:
                guard let owner = event.owner else { throw Refusal.invalid(field: "owner", "is required to assign a dispute") }
                return UseCaseAnswer(
                    try await disputes.assign(invoiceId: event.invoiceId, owner: owner, note: event.note, author: author, on: day, today: today))
            case .comment:
                guard let note = event.note else { throw Refusal.invalid(field: "note", "is required to comment on a dispute") }
                return UseCaseAnswer(try await disputes.comment(invoiceId: event.invoiceId, note: note, author: author, on: day, today: today))
            case .resolve:
                return UseCaseAnswer(
                    try await disputes.resolve(
                        invoiceId: event.invoiceId, outcome: event.outcome, note: event.note, author: author, on: day, today: today))
            }
        }
    }
}
