import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// Sales' order check and the orders' lifecycle from the terminal: the same use cases as
/// `POST /v1/customers/{id}/order-checks`, `GET /v1/orders/{id}/history`, `POST /v1/orders/{id}/cancel`,
/// `GET /v1/orders/held` and `POST /v1/orders/{id}/release|reject`.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Check an order against a customer's limit (approve, refer, decline); cancel it; release or reject held orders.",
        subcommands: [Check.self, Show.self, Cancel.self, Held.self, Release.self, Reject.self])

    /// The kept order a command reads or decides on: its last argument.
    struct OrderArgument: ParsableArguments {
        @Argument(help: ArgumentHelp("Order id.", valueName: "order"))
        var id: String
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve, refer or decline an order, with the headroom left after it and, if refused, what to do.",
            discussion: """
                With --reserve an approved order counts in the exposure until invoiced (an invoice naming \
                it in invoices.csv's order_id ends the reservation, in part for a partial invoice) or cancelled, \
                and a referred one is held until the credit manager releases or rejects it. A reservation is \
                kept: the same order id gets the same answer again, and another amount under that id is \
                refused. A declined or referred order is decided afresh each time. Without --reserve the check only reads.
                """)

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("The order's id in the sales system.", valueName: "id"))
        var orderId: String
        @Option(help: ArgumentHelp("Order amount, e.g. 2500.00.", valueName: "amount"))
        var amount: String
        @Flag(help: "Keep an approved order in the exposure until invoiced or cancelled; hold a referred one for the credit manager.")
        var reserve = false
        @Option(help: "Who asks (kept in the order's history).")
        var author = "cli"
        @OptionGroup var answer: AnswerFormat
        @Argument(help: ArgumentHelp("Customer id.", valueName: "customer"))
        var customer: String

        func run() async throws {
            let checks = try serviceOptions.open().orders
            let money = try parseMoney(amount, option: "amount")
            let result = try await checks.check(
                customerId: customer, orderId: orderId, amount: money, reserve: reserve, author: author, on: Day.today())
            try await answer.print(result) { OrderCheckText(result: $0).text }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A kept order (reserved, held, invoiced, cancelled or rejected): what it reserves and every step, who and why.")

        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var answer: AnswerFormat
        @OptionGroup var order: OrderArgument

        func run() async throws {
            let kept = try await serviceOptions.open().orders.order(orderId: order.id)
            try await answer.print(kept) { KeptOrderText(order: $0).lines.joined(separator: "\n") }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a reserved or held order: a reservation's amount returns to the headroom.")

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: "Who cancels it (kept in the order's history).")
        var author = "cli"
        @OptionGroup var order: OrderArgument

        func run() async throws {
            let checks = try serviceOptions.open().orders
            guard try await checks.cancel(orderId: order.id, author: author, on: Day.today()) else {
                throw Refusal(.notFound, "no reserved or held order \(order.id)")
            }
            print("Order \(order.id) cancelled: its amount is back in the headroom")
        }
    }

    struct Held: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Orders held for the credit manager, the longest waiting first, with why each was referred.")

        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var answer: AnswerFormat

        func run() async throws {
            let orders = try await serviceOptions.open().orders.held()
            try await answer.print(["orders": orders]) { answer in
                let orders = answer["orders"] ?? []
                return (["Held orders: \(orders.count)"] + orders.flatMap { KeptOrderText(order: $0).lines }).joined(separator: "\n")
            }
        }
    }

    /// What the credit manager's decision on a held order takes.
    struct Decision: ParsableArguments {
        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: "Why (kept in the order's history).")
        var reason: String
        @Option(help: "Who decides (kept in the order's history).")
        var author = "cli"
        @OptionGroup var answer: AnswerFormat
        @OptionGroup var order: OrderArgument

        func report(_ decide: (OrderChecks) async throws -> KeptOrder) async throws {
            let kept = try await decide(try serviceOptions.open().orders)
            try await answer.print(kept) { KeptOrderText(order: $0).lines.joined(separator: "\n") }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release a held order: it becomes a reservation counting in the exposure (credit manager).")
        @OptionGroup var decision: Decision

        func run() async throws {
            try await decision.report {
                try await $0.release(orderId: decision.order.id, reason: decision.reason, author: decision.author, on: Day.today())
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a held order, with a reason (credit manager).")
        @OptionGroup var decision: Decision

        func run() async throws {
            try await decision.report {
                try await $0.reject(orderId: decision.order.id, reason: decision.reason, author: decision.author, on: Day.today())
            }
        }
    }
}

/// An order check as sales reads it: the verdict, the figures behind it, why, and what to do.
struct OrderCheckText {
    let result: OrderCheckResult

    var text: String {
        let decision = result.decision
        var lines = [
            "\(decision.verdict.rawValue.uppercased()): order \(result.orderId) of \(decision.orderAmount.formatted) for \(result.customerId) (grade \(result.grade))",
            "  limit \(decision.limit.formatted), exposure \(decision.exposure.formatted), headroom after the order \(decision.headroomAfter.formatted)",
        ]
        if let group = decision.group {
            lines.append(
                "  group \(group.group): limit \(group.limit.formatted), exposure \(group.exposure.formatted), "
                    + "headroom after the order \(group.headroomAfter.formatted)")
        }
        lines += decision.reasons.map { "  - \($0)" }
        if !decision.guidance.isEmpty {
            lines.append("  what to do:")
            lines += decision.guidance.map { "  > \($0)" }
        }
        if result.reserved { lines.append("  reserved: counts in the exposure until invoiced or cancelled") }
        if result.held { lines.append("  held: waits for the credit manager to release or reject it") }
        return lines.joined(separator: "\n")
    }
}

/// A kept order as the credit manager reads it: where it stands, why it was referred, its history.
struct KeptOrderText {
    let order: KeptOrder

    var lines: [String] {
        var lines = [
            "\(order.orderId) \(order.status.rawValue): \(order.amount.formatted) for \(order.customerId) \(order.customerName), "
                + "asked by \(order.requestedBy) on \(order.requestedOn.iso)"
        ]
        if order.invoiced.cents > 0 || order.reserved.cents > 0 {
            lines.append("  invoiced \(order.invoiced.formatted), reserved \(order.reserved.formatted)")
        }
        if let decision = order.decision, order.status == .held {
            lines.append(
                "  largest approvable now \(decision.largestApprovable.formatted), overdue \(decision.overdue.formatted)")
        }
        lines += order.steps.map { step in
            "  \(step.day.iso) \(step.action.rawValue) by \(step.author)" + (step.reason.map { ": \($0)" } ?? "")
        }
        return lines
    }
}
