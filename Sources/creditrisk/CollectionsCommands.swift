import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// The collections worklist in the terminal: `GET /v1/collections/worklist`.
struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract: "List open items by collections priority, with the reminder step and channel due.",
        discussion: """
            Priority is PD × open amount × lateness (model file). Disputed items are on `disputes` instead; \
            promised items wait until the promised day plus the grace. Customers must have been scored.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "How many items.")
    var limit = 20
    @Option(
        help: ArgumentHelp(
            "Only items at this step (pre_due_notice, reminder, firm_reminder_and_call, formal_notice, litigation_handover).", valueName: "step"))
    var step: String?
    @Option(help: ArgumentHelp("Only this customer group.", valueName: "group"))
    var group: String?
    @Option(help: ArgumentHelp("Day of the list (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?
    @Flag(help: "Print the list as JSON (the API's response).")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
        if let step, ReminderStep(rawValue: step) == nil {
            throw ValidationError("--step must be one of " + ReminderStep.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() async throws {
        let lists = try database.service(modelOptions).collections
        let day = try asOf.map(parseDay) ?? Day.today()
        let list = try await lists.worklist(asOf: day, limit: limit, step: step.flatMap(ReminderStep.init(rawValue:)), group: group)
        if json { return try printJSON(list) }
        print("Collections worklist as of \(day.iso): \(grouped(list.openItems)) items to work (of \(grouped(list.openInvoices)) open invoices)")
        print("  priority  invoice           customer    grade  days  open amount     step (channel)")
        for item in list.items {
            let step = item.step.map { "\($0.rawValue) (\(item.channel ?? "-"))" } ?? "-"
            print(
                "  " + String(format: "%8.0f", item.priority) + "  " + item.invoiceId.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + "  " + item.customerId.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + "  " + item.grade.padding(toLength: 5, withPad: " ", startingAt: 0)
                    + String(format: "%5d", item.daysPastDue) + "  " + item.openAmount.formatted.leftPadded(14) + "  " + step)
        }
    }
}

/// Open disputes against their deadlines: `GET /v1/collections/disputes`.
struct DisputesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disputes",
        abstract: "List open disputes with their kind, age and resolution deadline, most overdue first.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions
    @Option(help: ArgumentHelp("Day of the list (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?
    @Flag(help: "Print the list as JSON.")
    var json = false

    func run() async throws {
        let lists = try database.service(modelOptions).collections
        let day = try asOf.map(parseDay) ?? Day.today()
        let disputes = try await lists.disputes(asOf: day)
        if json { return try printJSON(disputes) }
        print("Open disputes as of \(day.iso): \(disputes.count)")
        for dispute in disputes {
            let when = dispute.daysOverdue > 0 ? "\(dispute.daysOverdue) days overdue" : "\(-dispute.daysOverdue) days left"
            print(
                "  \(dispute.invoiceId) (\(dispute.customerId)) \(dispute.kind), opened \(dispute.openedOn.iso), "
                    + "deadline \(dispute.deadline.iso): \(when), \(dispute.openAmount.formatted) open")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
