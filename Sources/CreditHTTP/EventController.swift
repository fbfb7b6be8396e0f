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

    struct OutcomeResponse: ResponseEncodable {
        var outcome: EventOutcome
        func encode(to encoder: any Encoder) throws { try outcome.encode(to: encoder) }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        group.post("events/payments") { request, context -> OutcomeResponse in
            try context.require(.reportEvents)
            let event = try await request.decode(as: PaymentEvent.self, context: context)
            return OutcomeResponse(
                outcome: try await events.payment(
                    Payment(id: event.paymentId, invoiceId: event.invoiceId, paidOn: event.paidOn, amount: event.amount),
                    today: dependencies.today()))
        }
        group.post("events/promises") { request, context -> OutcomeResponse in
            try context.require(.reportEvents)
            let event = try await request.decode(as: PromiseEvent.self, context: context)
            return OutcomeResponse(
                outcome: try await events.promise(
                    invoiceId: event.invoiceId, payBy: event.payBy, amount: event.amount,
                    author: context.caller?.name ?? "unknown", today: dependencies.today()))
        }
        group.post("events/disputes") { request, context -> OutcomeResponse in
            try context.require(.reportEvents)
            let event = try await request.decode(as: DisputeEvent.self, context: context)
            let today = dependencies.today()
            switch event.action {
            case .open:
                return OutcomeResponse(
                    outcome: try await events.openDispute(
                        invoiceId: event.invoiceId, kind: event.kind ?? "", on: event.on ?? today, today: today))
            case .resolve:
                return OutcomeResponse(outcome: try await events.resolveDispute(invoiceId: event.invoiceId, on: event.on ?? today, today: today))
            }
        }
    }
}
