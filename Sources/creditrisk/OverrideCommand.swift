import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct OverrideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Set or clear a credit manager's override of a customer's grade and/or limit.",
        subcommands: [Set.self, Clear.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the suggested grade and/or limit until an expiry date, with a reason and an author.")

        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: "Grade code from the model's scale (or D).")
        var grade: String?
        @Option(help: ArgumentHelp("Credit limit, e.g. 25000 or \"25 000,00\".", valueName: "amount"))
        var limit: String?
        @Option(help: "Why: shown with every decision while the override holds.")
        var reason: String
        @Option(help: "Who decided.")
        var author: String
        @Option(help: ArgumentHelp("Last day the override holds (YYYY-MM-DD).", valueName: "date"))
        var expires: String
        @OptionGroup var customer: CustomerArgument

        func run() async throws {
            let amount = try limit.map(parseLimit)
            let decisions = try serviceOptions.open().decisions
            let override = try await decisions.setOverride(
                customerId: customer.id, gradeCode: grade, limit: amount, reason: reason, author: author,
                setOn: Day.today(), expiresOn: try parseDay(expires))
            print(
                "Override set for \(customer.id): grade \(override.grade?.code ?? "as suggested"), "
                    + "limit \(override.limit?.formatted ?? "as suggested"), until \(override.expiresOn.iso) (\(override.author): \(override.reason))"
            )
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return a customer to the suggested grade and limit.")

        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var customer: CustomerArgument

        func run() async throws {
            let customer = customer.id
            let decisions = try serviceOptions.open().decisions
            print(try await decisions.clearOverride(customerId: customer) ? "Override cleared for \(customer)" : "\(customer) had no override")
        }
    }
}
