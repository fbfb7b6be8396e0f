import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// The feedback loop from the terminal: `POST /v1/events/...`. Each event updates the ledger in
/// one transaction and re-scores the customer.
struct EventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Report a payment, a payment promise, or a dispute opened or resolved; the customer is re-scored.",
        subcommands: [PaymentEvent.self, PromiseEvent.self, OpenDispute.self, ResolveDispute.self])

    struct Context: ParsableArguments {
        @OptionGroup var serviceOptions: ServiceOptions
        @OptionGroup var answer: AnswerFormat

        /// Records the event through the service and prints what it did.
        func report(_ event: (FeedbackEvents) async throws -> EventOutcome) async throws {
            let outcome = try await event(try serviceOptions.open().events)
            try await answer.print(outcome) { outcome in
                "\(outcome.outcome): \(outcome.customerId) is now grade \(outcome.grade) (PD \(String(format: "%.2f", outcome.pd * 100)) %), "
                    + "limit \(outcome.suggestedLimit.formatted), exposure \(outcome.exposure.formatted)"
            }
        }
    }

    /// The invoice an event is about: the last argument of every event.
    struct InvoiceArgument: ParsableArguments {
        @Argument(help: ArgumentHelp("Invoice id.", valueName: "invoice"))
        var id: String
    }

    struct PaymentEvent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "payment", abstract: "A payment received on an invoice (partial allowed).")
        @OptionGroup var context: Context
        @Option(help: ArgumentHelp("The payment's id (a repeat with the same id changes nothing).", valueName: "id"))
        var paymentId: String
        @Option(help: ArgumentHelp("Amount, e.g. 500.00.", valueName: "amount"))
        var amount: String
        @Option(help: ArgumentHelp("Day paid (YYYY-MM-DD); default today.", valueName: "date"))
        var paidOn: String?
        @OptionGroup var invoice: InvoiceArgument

        func run() async throws {
            let payment = Payment(
                id: paymentId, invoiceId: invoice.id, paidOn: try paidOn.map { try parseDay($0, option: "paid-on") } ?? Day.today(),
                amount: try parseMoney(amount, option: "amount"))
            try await context.report { try await $0.payment(payment, today: Day.today()) }
        }
    }

    struct PromiseEvent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promise", abstract: "A promise to pay an invoice by a day: held off the worklist until then plus the grace.")
        @OptionGroup var context: Context
        @Option(help: ArgumentHelp("Promised payment day (YYYY-MM-DD).", valueName: "date"))
        var payBy: String
        @Option(help: ArgumentHelp("Amount promised; default the whole open balance.", valueName: "amount"))
        var amount: String?
        @Option(help: "Who took the promise.")
        var author = "cli"
        @Option(help: "What the customer said, kept on the account's timeline.")
        var note: String?
        @OptionGroup var invoice: InvoiceArgument

        func run() async throws {
            let money = try amount.map { try parseMoney($0, option: "amount") }
            let day = try parseDay(payBy, option: "pay-by")
            try await context.report {
                try await $0.promise(invoiceId: invoice.id, payBy: day, amount: money, author: author, note: note, today: Day.today())
            }
        }
    }

    struct OpenDispute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open-dispute",
            abstract: "An invoice contested: it leaves the worklist for the dispute list (`dispute open` also takes a part, owner, note).")
        @OptionGroup var context: Context
        @Option(help: ArgumentHelp("Kind: \(DisputeKind.listed).", valueName: "kind"))
        var kind: String
        @Option(help: "Who opens it (kept in the dispute's history).")
        var author = "cli"
        @OptionGroup var invoice: InvoiceArgument

        func run() async throws {
            let today = Day.today()
            try await context.report { try await $0.openDispute(invoiceId: invoice.id, kind: kind, author: author, on: today, today: today) }
        }
    }

    struct ResolveDispute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve-dispute",
            abstract: "A dispute settled: the invoice returns to the reminder flow if still open (`dispute resolve` also takes the outcome).")
        @OptionGroup var context: Context
        @Option(help: "Who resolves it (kept in the dispute's history).")
        var author = "cli"
        @OptionGroup var invoice: InvoiceArgument

        func run() async throws {
            let today = Day.today()
            try await context.report { try await $0.resolveDispute(invoiceId: invoice.id, author: author, on: today, today: today) }
        }
    }
}

/// Alerts raised by scoring runs: `GET /v1/alerts`.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List alerts (newest first), or acknowledge one: downgrades, limits below exposure, broken promises, "
            + "dispute deadlines, stale data.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("Only alerts raised on or after this day (YYYY-MM-DD).", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Only this kind: \(AlertKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String?
    @Option(help: ArgumentHelp("Only this customer's.", valueName: "id"))
    var customer: String?
    @Option(help: ArgumentHelp("Only this status: \(AlertStatus.listed).", valueName: "status"))
    var status: String?
    @Option(help: ArgumentHelp("Acknowledge this alert instead of listing.", valueName: "alert id"))
    var acknowledge: Int64?
    @Option(help: "With --acknowledge: what you noted.")
    var note: String?
    @Option(help: "With --acknowledge: who you are.")
    var author = "cli"
    @OptionGroup var answer: AnswerFormat

    func validate() throws {
        if let kind, AlertKind(rawValue: kind) == nil {
            throw ValidationError("--kind must be one of " + AlertKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        try checkListed(status, AlertStatus.self, option: "status")
    }

    func run() async throws {
        let desk = try serviceOptions.open().alerts
        if let acknowledge {
            let alert = try await desk.acknowledge(id: acknowledge, author: author, note: note)
            try await answer.print(alert) { "Acknowledged alert \($0.id ?? 0) (\($0.kind)): \($0.detail)" }
            return
        }
        let since = try since.map { try parseDay($0, option: "since") }
        let filter = AlertFilter(
            since: since, kind: kind.flatMap(AlertKind.init(rawValue:)), customerId: customer, status: status.flatMap(AlertStatus.init(parsing:)))
        let alerts = try await desk.list(filter)
        try await answer.print(alerts) { alerts in
            ([counted(alerts.count, "alert") + "\(since.map { " since \($0.iso)" } ?? "")"]
                + alerts.map { alert in
                    "  #\(alert.id ?? 0)  \(alert.asOf.iso)  \(alert.customerId ?? "portfolio")  \(alert.kind) [\(alert.status.rawValue)"
                        + (alert.closedOn.map { " \($0.iso)" } ?? "") + "]: \(alert.detail)"
                        + (alert.acknowledgement.map { " (seen by \($0.by)\($0.note.map { ": \($0)" } ?? ""))" } ?? "")
                }).joined(separator: "\n")
        }
    }
}
