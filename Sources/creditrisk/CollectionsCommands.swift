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

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: "How many items.")
    var limit = 20
    @Option(
        help: ArgumentHelp(
            "Only items at this step (pre_due_notice, reminder, firm_reminder_and_call, formal_notice, litigation_handover).", valueName: "step"))
    var step: String?
    @Option(help: ArgumentHelp("Only this customer group.", valueName: "group"))
    var group: String?
    @OptionGroup var listDay: ListDayOption
    @Flag(help: "Print the list as JSON (the API's response).")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
        if let step, ReminderStep(rawValue: step) == nil {
            throw ValidationError("--step must be one of " + ReminderStep.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() async throws {
        let lists = try serviceOptions.open().collections
        let day = try listDay.day()
        let list = try await lists.worklist(asOf: day, limit: limit, step: step.flatMap(ReminderStep.init(rawValue:)), group: group)
        try await printAnswer(list, json: json) { WorklistText(list: $0).text }
    }
}

/// The worklist as a collector reads it in a terminal: one line per item, highest priority first.
struct WorklistText {
    let list: CollectionsLists.Worklist

    var text: String {
        var lines = [
            "Collections worklist as of \(list.asOf.iso): \(grouped(list.openItems)) items to work (of \(grouped(list.openInvoices)) open invoices)",
            "  priority  invoice           customer    grade  days  open amount     step (channel)",
        ]
        for item in list.items {
            let step = item.step.map { "\($0.rawValue) (\(item.channel ?? "-"))" } ?? "-"
            lines.append(
                "  " + String(format: "%8.0f", item.priority) + "  " + item.invoiceId.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + "  " + item.customerId.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + "  " + item.grade.padding(toLength: 5, withPad: " ", startingAt: 0)
                    + String(format: "%5d", item.daysPastDue) + "  " + item.openAmount.formatted.leftPadded(14) + "  " + step)
        }
        return lines.joined(separator: "\n")
    }
}

/// Open disputes against their deadlines: `GET /v1/collections/disputes`.
struct DisputesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disputes",
        abstract: "List open disputes with their kind, owner, disputed amount and resolution deadline, most overdue first.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("Only the disputes this person owns.", valueName: "name"))
    var owner: String?
    @Flag(help: "Only the disputes past their resolution deadline.")
    var overdue = false
    @OptionGroup var listDay: ListDayOption
    @Flag(help: "Print the list as JSON.")
    var json = false

    func run() async throws {
        let disputes = try serviceOptions.open().disputes
        let day = try listDay.day()
        let list = try await disputes.list(asOf: day, owner: owner, overdueOnly: overdue)
        try await printAnswer(list, json: json) { DisputeListText(asOf: day, disputes: $0).text }
    }
}

/// Open disputes as their owners read them in a terminal, with the time left or overdue.
struct DisputeListText {
    let asOf: Day
    let disputes: [DisputeEntry]

    var text: String {
        var lines = ["Open disputes as of \(asOf.iso): \(disputes.count)"]
        for dispute in disputes {
            let when = dispute.daysOverdue > 0 ? "\(dispute.daysOverdue) days overdue" : "\(-dispute.daysOverdue) days left"
            let part =
                dispute.disputedAmount == dispute.openAmount
                ? "\(dispute.openAmount.formatted) disputed" : "\(dispute.disputedAmount.formatted) disputed of \(dispute.openAmount.formatted) open"
            lines.append(
                "  \(dispute.invoiceId) (\(dispute.customerId)) \(dispute.kind), owner \(dispute.owner ?? "none"), opened \(dispute.openedOn.iso), "
                    + "deadline \(dispute.deadline.iso): \(when), \(part)")
            if let comment = dispute.lastComment {
                lines.append("      last comment \(comment.day.iso) by \(comment.author): \(comment.note)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
