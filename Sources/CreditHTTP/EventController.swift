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
                    invoiceId: event.invoiceId, payBy: event.payBy, amount: event.amount, author: context.author(),
                    today: dependencies.today()))
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
