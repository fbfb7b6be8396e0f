import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The collections engine reports back: payments, promises, disputes opened and resolved.
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

    struct DisputeEvent: Decodable {
        enum Action: String, Decodable { case open, resolve }
        var action: Action
        var invoiceId: String
        var kind: String?
        /// The day it was opened or resolved; today when absent.
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
            return EditedResponse(status: .created, response: UseCaseAnswer(activity))
        }
        reporting.post("events/disputes", body: DisputeEvent.self) { event, _ -> UseCaseAnswer<EventOutcome> in
            let today = dependencies.today()
            switch event.action {
            case .open:
                return UseCaseAnswer(
                    try await events.openDispute(invoiceId: event.invoiceId, kind: event.kind ?? "", on: event.on ?? today, today: today))
            case .resolve:
                return UseCaseAnswer(try await events.resolveDispute(invoiceId: event.invoiceId, on: event.on ?? today, today: today))
            }
        }
    }
}
