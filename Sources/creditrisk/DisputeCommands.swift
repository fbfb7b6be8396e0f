import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// Disputes as a workflow from the terminal: `POST /v1/events/disputes` with each action. Every
/// step is kept in the dispute's history with its author, and re-scores the customer.
struct DisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Open, assign, comment on or resolve a dispute; the customer is re-scored.",
        subcommands: [Open.self, Assign.self, Comment.self, Resolve.self])

    /// What every step takes: the database, who records it, the day, and the invoice.
    struct Step: ParsableArguments {
        @OptionGroup var context: EventCommand.Context
        @Option(help: "Who records this step (kept in the dispute's history).")
        var author = "cli"
        @Option(help: ArgumentHelp("The day it happened (YYYY-MM-DD); default today.", valueName: "date"))
        var on: String?
        @OptionGroup var invoice: EventCommand.InvoiceArgument

        /// Runs `step` with the day and today, and prints what it did.
        func report(_ step: (DisputeWorkflow, _ day: Day, _ today: Day) async throws -> EventOutcome) async throws {
            let today = Day.today()
            let day = try on.map { try parseDay($0, option: "on") } ?? today
            try await context.report { events in try await step(DisputeWorkflow(resources: events.resources), day, today) }
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An invoice, or part of it, contested: the disputed part leaves the reminder flow for its owner's list.")
        @Option(help: ArgumentHelp("Kind: \(DisputeKind.listed).", valueName: "kind"))
        var kind: String
        @Option(help: ArgumentHelp("The disputed part, e.g. 1234.56; default the whole open balance.", valueName: "amount"))
        var amount: String?
        @Option(help: ArgumentHelp("Who resolves it.", valueName: "name"))
        var owner: String?
        @Option(help: "What the customer contests.")
        var note: String?
        @OptionGroup var step: Step

        func run() async throws {
            let money = try amount.map { try parseMoney($0, option: "amount") }
            try await step.report { disputes, day, today in
                try await disputes.open(
                    invoiceId: step.invoice.id, kind: kind, amount: money, owner: owner, note: note, author: step.author, on: day, today: today)
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand an open dispute to the person who resolves it.")
        @Option(help: ArgumentHelp("Who resolves it.", valueName: "name"))
        var owner: String
        @Option(help: "Why, or what they should know.")
        var note: String?
        @OptionGroup var step: Step

        func run() async throws {
            try await step.report { disputes, day, today in
                try await disputes.assign(invoiceId: step.invoice.id, owner: owner, note: note, author: step.author, on: day, today: today)
            }
        }
    }

    struct Comment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Note what was learnt or done on an open dispute.")
        @Option(help: "The comment.")
        var note: String
        @OptionGroup var step: Step

        func run() async throws {
            try await step.report { disputes, day, today in
                try await disputes.comment(invoiceId: step.invoice.id, note: note, author: step.author, on: day, today: today)
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A dispute settled. rejected: the invoice returns to the reminder flow; credit_note, corrected_invoice: "
                + "the money arrives through the ledger.")
        @Option(help: ArgumentHelp("How it ended: \(DisputeOutcome.listed) (recommended).", valueName: "outcome"))
        var outcome: String?
        @Option(help: "How it was settled.")
        var note: String?
        @OptionGroup var step: Step

        func run() async throws {
            try await step.report { disputes, day, today in
                try await disputes.resolve(
                    invoiceId: step.invoice.id, outcome: outcome, note: note, author: step.author, on: day, today: today)
            }
        }
    }
}
