import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// A group's shared limit from the terminal: `GET` and `PUT /v1/groups/{group}/limit`.
struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Show a group of customers (members, exposure, shared limit) or set its limit.",
        subcommands: [Show.self, SetLimit.self])

    /// The group a command reads or sets: its last argument.
    struct GroupArgument: ParsableArguments {
        @Argument(help: ArgumentHelp("The group, as customers.csv's group column spells it.", valueName: "group"))
        var name: String
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The group's members, what they owe and have on order, and its limit.")
        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var answer: AnswerFormat
        @OptionGroup var group: GroupArgument

        func run() async throws {
            let standing = try await serviceOptions.open().groups.standing(group: group.name)
            try await answer.print(standing) { GroupStandingText(standing: $0).text }
        }
    }

    struct SetLimit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-limit",
            abstract: "Set the limit the group's customers share (credit manager); an order check applies it besides each customer's own.")
        @OptionGroup var serviceOptions: ServiceOptions
        @Option(help: ArgumentHelp("The group's limit, e.g. 50000.00 (0: no credit for the group).", valueName: "amount"))
        var limit: String
        @Option(help: "Why (kept with the limit).")
        var reason: String
        @Option(help: "Who sets it.")
        var author = "cli"
        @OptionGroup var answer: AnswerFormat
        @OptionGroup var group: GroupArgument

        func run() async throws {
            let money = try parseMoney(limit, option: "limit")
            let standing = try await serviceOptions.open().groups.setLimit(
                group: group.name, limit: money, reason: reason, author: author, on: Day.today())
            try await answer.print(standing) { GroupStandingText(standing: $0).text }
        }
    }
}

/// A group as the credit manager reads it.
struct GroupStandingText {
    let standing: GroupStanding

    var text: String {
        var lines = ["Group \(standing.group): \(standing.members) customers, exposure \(standing.exposure.formatted)"]
        if let limit = standing.limit, let headroom = standing.headroom {
            lines.append(
                "  limit \(limit.limit.formatted) \(limit.currency), headroom \(headroom.formatted); set by \(limit.setBy) on \(limit.setOn.iso)"
                    + (limit.reason.map { ": \($0)" } ?? ""))
        } else {
            lines.append("  no group limit: each customer's own limit applies")
        }
        return lines.joined(separator: "\n")
    }
}
