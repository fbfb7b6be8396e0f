import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// Sales' order check from the terminal: the same use case as `POST /v1/customers/{id}/order-checks`.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Check an order against a customer's limit (approve, refer, decline), or cancel a reservation.",
        subcommands: [Check.self, Cancel.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve, refer or decline an order, with the headroom left after it.",
            discussion: """
                With --reserve an approved order counts in the exposure until it is invoiced or cancelled, \
                and the check is recorded: the same order id gets the same answer again, and another amount \
                under that id is refused. Without --reserve the check only reads.
                """)

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("The order's id in the sales system.", valueName: "id"))
        var orderId: String
        @Option(help: ArgumentHelp("Order amount, e.g. 2500.00.", valueName: "amount"))
        var amount: String
        @Flag(help: "Keep an approved order in the exposure until invoiced or cancelled.")
        var reserve = false
        @Flag(help: "Print the result as JSON (the API's response).")
        var json = false
        @Argument(help: ArgumentHelp("Customer id.", valueName: "customer"))
        var customer: String

        func run() async throws {
            let checks = try serviceOptions.open().orders
            let money = try parseMoney(amount, option: "amount")
            let result = try await checks.check(customerId: customer, orderId: orderId, amount: money, reserve: reserve, on: Day.today())
            try await printAnswer(result, json: json) { OrderCheckText(result: $0).text }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a reserved order: its amount returns to the headroom.")

        @OptionGroup var serviceOptions: ServiceOptions
        @Argument(help: ArgumentHelp("Order id.", valueName: "order"))
        var orderId: String

        func run() async throws {
            let checks = try serviceOptions.open().orders
            guard try await checks.cancel(orderId: orderId) else { throw Refusal(.notFound, "no open reservation for order \(orderId)") }
            print("Order \(orderId) cancelled: its amount is back in the headroom")
        }
    }
}

/// An order check as sales reads it: the verdict, the figures behind it and why.
struct OrderCheckText {
    let result: OrderCheckResult

    var text: String {
        let decision = result.decision
        var lines = [
            "\(decision.verdict.rawValue.uppercased()): order \(result.orderId) of \(decision.orderAmount.formatted) for \(result.customerId) (grade \(result.grade))",
            "  limit \(decision.limit.formatted), exposure \(decision.exposure.formatted), headroom after the order \(decision.headroomAfter.formatted)",
        ]
        lines += decision.reasons.map { "  - \($0)" }
        if result.reserved { lines.append("  reserved: counts in the exposure until invoiced or cancelled") }
        return lines.joined(separator: "\n")
    }
}
