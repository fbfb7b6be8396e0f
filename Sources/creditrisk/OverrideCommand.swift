import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct OverrideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Set or clear a credit manager's override of a customer's grade and/or limit.",
        subcommands: [Set.self, Clear.self, Expiring.self])

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
        @OptionGroup var decider: DeciderOptions
        @Option(help: ArgumentHelp("Last day the override holds (YYYY-MM-DD).", valueName: "date"))
        var expires: String
        @OptionGroup var customer: CustomerArgument

        func run() async throws {
            let amount = try limit.map(parseLimit)
            let decisions = try serviceOptions.open().decisions
            let override = try await decisions.setOverride(
                customerId: customer.id, gradeCode: grade, limit: amount, reason: reason, author: decider.author,
                role: decider.role.rawValue, setOn: Day.today(), expiresOn: try parseDay(expires, option: "expires"))
            print(
                "Override set for \(customer.id): grade \(override.grade?.code ?? "as suggested"), "
                    + "limit \(override.limit?.formatted ?? "as suggested"), until \(override.expiresOn.iso) (\(override.author): \(override.reason))"
            )
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Overrides in force that expire within the review policy's notice (30 days as shipped), the soonest first.")

        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var listDay: ListDayOption
        @Option(help: ArgumentHelp("Days ahead; default the review policy's notice.", valueName: "days"))
        var within: Int?
        @OptionGroup var answer: AnswerFormat

        func run() async throws {
            let list = try await serviceOptions.open().reviews.expiringOverrides(asOf: try listDay.day(), withinDays: within)
            try await answer.print(list) { list in
                (["Overrides expiring from \(list.asOf.iso) within \(list.withinDays) days: \(list.overrides.count)"]
                    + list.overrides.map { override in
                        let set = [override.grade.map { "grade \($0)" }, override.limit.map { "limit \($0.formatted)" }].compactMap { $0 }
                        return "  \(override.expiresOn.iso)  \(override.customerId)  \(set.joined(separator: ", ")) by \(override.author) "
                            + "since \(override.setOn.iso) (\(override.daysLeft) days left): \(override.reason)"
                    }).joined(separator: "\n")
            }
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
