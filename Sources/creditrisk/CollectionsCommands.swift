import ArgumentParser
import CreditApp
import CreditCore
import Foundation

/// The collections worklist in the terminal: `GET /v1/collections/worklist`.
struct WorklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract: "List customers (or invoices) by collections priority, with the reminder step due after what was done.",
        discussion: """
            Priority is PD × amount claimed net of credits × lateness (model file). A step is due when its offset \
            is reached and the previous step was carried out at least its gap before; by default only entries \
            with a step due are listed (--all lists everything still claimed). Disputed parts are on `disputes`; \
            promised parts wait until the promised day plus the grace. Customers must have been scored.
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: "How many entries.")
    var limit = 20
    @Option(
        help: ArgumentHelp(
            "Only entries at this step (pre_due_notice, reminder, firm_reminder_and_call, formal_notice, litigation_handover).", valueName: "step"))
    var step: String?
    @Option(help: ArgumentHelp("Only this customer group.", valueName: "group"))
    var group: String?
    @Flag(help: "One line per invoice instead of per customer.")
    var invoices = false
    @Flag(help: "Everything still claimed, not only the entries with a step due.")
    var all = false
    @OptionGroup var listDay: ListDayOption
    @OptionGroup var answer: AnswerFormat

    func validate() throws {
        try checkRange(limit, 1...10_000, option: "limit")
        try checkListed(step, ReminderStep.self, option: "step")
    }

    func run() async throws {
        let lists = try serviceOptions.open().collections
        let day = try listDay.day()
        let list = try await lists.worklist(
            asOf: day, limit: limit, view: invoices ? .invoices : .customers,
            filter: WorklistFilter(step: step.flatMap(ReminderStep.init(parsing:)), group: group, dueOnly: !all))
        try await answer.print(list) { WorklistText(list: $0).text }
    }
}

/// The worklist as a collector reads it in a terminal: one line per entry, highest priority first.
struct WorklistText {
    let list: CollectionsLists.Worklist

    var text: String {
        var lines: [String] = []
        if let customers = list.customers {
            lines.append(
                "Collections worklist as of \(list.asOf.iso): \(grouped(list.listed)) customers to work (of \(grouped(list.openInvoices)) open invoices)"
            )
            lines.append("  priority  customer    grade  days  inv  net to collect   credits       step (channel), waiting   last action")
            for entry in customers {
                let step =
                    entry.step.map { "\($0.rawValue) (\(entry.channel ?? "-")), \(entry.waitingDays ?? 0) d" }
                    ?? entry.nextStep.map { "next \($0.rawValue) from \(entry.nextStepFrom?.iso ?? "-")" } ?? "-"
                let last = entry.lastAction.map { "\($0.kind.rawValue) \($0.on.iso) by \($0.author)" } ?? "-"
                lines.append(
                    "  " + String(format: "%8.0f", entry.priority) + "  " + entry.customerId.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + "  " + entry.grade.padding(toLength: 5, withPad: " ", startingAt: 0) + String(format: "%5d", entry.oldestDaysPastDue)
                        + String(format: "%5d", entry.invoices.count) + "  " + entry.netAmount.formatted.leftPadded(14) + "  "
                        + entry.credits.formatted.leftPadded(10) + "    " + step + "   " + last)
            }
        }
        if let items = list.items {
            lines.append(
                "Collections worklist as of \(list.asOf.iso): \(grouped(list.listed)) invoices to work (of \(grouped(list.openInvoices)) open invoices)"
            )
            lines.append("  priority  invoice           customer    grade  days  claimed         step (channel)")
            for item in items {
                let step =
                    item.step.map { "\($0.rawValue) (\(item.channel ?? "-")), waiting \(item.waitingDays ?? 0) d" }
                    ?? item.nextStep.map { "next \($0.rawValue) from \(item.nextStepFrom?.iso ?? "-")" } ?? "-"
                lines.append(
                    "  " + String(format: "%8.0f", item.priority) + "  " + item.invoiceId.padding(toLength: 16, withPad: " ", startingAt: 0)
                        + "  " + item.customerId.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + "  " + item.grade.padding(toLength: 5, withPad: " ", startingAt: 0)
                        + String(format: "%5d", item.daysPastDue) + "  " + item.claimedAmount.formatted.leftPadded(14) + "  " + step)
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Records what a collector did: `POST /v1/events/activities`.
struct ActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Record a call, e-mail, letter, visit, note or agency hand-over on a customer's account.",
        discussion: """
            A contact carries out the reminder step due on the invoices it covers (all the customer's open ones \
            unless --invoice is given); the next step then waits its gap. A note, or a call nobody answered, \
            carries out no step.
            """)

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("Kind: \(ActivityKind.listed).", valueName: "kind"))
    var kind: String
    @Option(name: .customLong("invoice"), help: ArgumentHelp("An invoice it covered (repeat for several).", valueName: "id"))
    var invoiceIds: [String] = []
    @Option(help: ArgumentHelp("Channel (email, phone, letter, ...).", valueName: "channel"))
    var channel: String?
    @Option(help: ArgumentHelp("Outcome: \(ActivityOutcome.listed).", valueName: "outcome"))
    var outcome: String?
    @Option(help: "What was said or agreed.")
    var note: String?
    @Option(help: "Who did it.")
    var author = "cli"
    @Option(help: ArgumentHelp("Day it was done (YYYY-MM-DD); default today.", valueName: "date"))
    var on: String?
    @Option(help: ArgumentHelp("The reminder step it carried out, when not the one due.", valueName: "step"))
    var step: String?
    @OptionGroup var customer: CustomerArgument
    @OptionGroup var answer: AnswerFormat

    func validate() throws {
        try checkListed(kind, ActivityKind.self, option: "kind")
        try checkListed(outcome, ActivityOutcome.self, option: "outcome")
        try checkListed(step, ReminderStep.self, option: "step")
    }

    func run() async throws {
        let service = try serviceOptions.open()
        let report = ActivityReport(
            customerId: customer.id, kind: ActivityKind(parsing: kind) ?? .note, invoiceIds: invoiceIds.isEmpty ? nil : invoiceIds,
            channel: channel, outcome: outcome.flatMap(ActivityOutcome.init(parsing:)), note: note, author: author,
            on: try on.map { try parseDay($0, option: "on") }, step: step.flatMap(ReminderStep.init(parsing:)))
        let activity = try await service.activities.record(report, today: Day.today())
        try await answer.print(activity) { activity in
            let steps = activity.invoices.map { "\($0.invoiceId): \($0.step?.rawValue ?? "no step")" }
            return "Recorded \(activity.kind.rawValue) on \(activity.customerId) (\(activity.on.iso)); " + steps.joined(separator: ", ")
        }
    }
}

/// Everything that happened on an account: `GET /v1/customers/{id}/timeline`.
struct TimelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "List everything that happened on a customer's account, newest first.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: "How many events.")
    var limit = 50
    @Option(help: ArgumentHelp("Continue from a cursor a previous page gave.", valueName: "cursor"))
    var cursor: String?
    @OptionGroup var customer: CustomerArgument
    @OptionGroup var answer: AnswerFormat

    func validate() throws {
        try checkRange(limit, 1...1_000, option: "limit")
    }

    func run() async throws {
        let service = try serviceOptions.open()
        let page = try await service.activities.timeline(customerId: customer.id, today: Day.today(), limit: limit, cursor: cursor)
        try await answer.print(page) { page in
            var lines = ["Timeline of \(page.customerId) as of \(page.asOf.iso): \(page.events.count) of \(page.total) events"]
            for event in page.events {
                var line = "  \(event.on.iso)  \(event.kind.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0))  \(event.summary)"
                if let author = event.author { line += " [\(author)]" }
                if let note = event.note { line += " \"\(note)\"" }
                lines.append(line)
            }
            if let next = page.nextCursor { lines.append("  more: --cursor \(next)") }
            return lines.joined(separator: "\n")
        }
    }
}

/// Issues the automated reminders due: `POST /v1/collections/reminder-runs`.
struct RemindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Issue the automated reminder steps due (letters and e-mails into the outbox), once per customer per day.")

    @OptionGroup var serviceOptions: ServiceOptions
    @OptionGroup var listDay: ListDayOption
    @Option(help: "Who runs it (recorded on each activity).")
    var author = "reminder run"
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let service = try serviceOptions.open()
        let report = try await service.reminders.run(asOf: try listDay.day(), today: Day.today(), author: author)
        try await answer.print(report) { report in
            var lines = [
                "Reminder run \(report.runId.map(String.init) ?? "-") for \(report.day.iso): \(report.documents) documents issued, "
                    + "\(report.alreadyIssued) already issued today, \(report.problems.count) problems, "
                    + "\(report.collectorTasks) calls and hand-overs left to collectors, \(report.disputeAlerts) dispute deadlines alerted"
            ]
            for issued in report.issued.prefix(20) {
                lines.append(
                    "  #\(issued.documentId)  \(issued.customerId)  \(issued.step.rawValue) by \(issued.channel) (\(issued.language.rawValue)) to "
                        + "\(issued.recipient.replacingOccurrences(of: "\n", with: ", ")): \(issued.balanceDue.formatted)")
            }
            if report.issued.count > 20 { lines.append("  ... \(report.issued.count - 20) more (creditrisk outbox)") }
            for problem in report.problems {
                lines.append("  problem: \(problem.customerId) \(problem.step.rawValue) by \(problem.channel): \(problem.problem)")
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// The documents reminder runs issued: `GET /v1/collections/outbox`.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "List the documents reminder runs issued, or print one.")

    @OptionGroup var serviceOptions: ServiceOptions
    @Option(help: ArgumentHelp("Only documents of this day (YYYY-MM-DD).", valueName: "date"))
    var day: String?
    @Option(help: ArgumentHelp("Only this customer's documents.", valueName: "id"))
    var customer: String?
    @Option(help: ArgumentHelp("Print this document's content (an HTML letter or an e-mail file).", valueName: "id"))
    var show: Int64?
    @Option(help: "How many documents.")
    var limit = 50
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let reminders = try serviceOptions.open().reminders
        if let show {
            print(try await reminders.document(id: show).content)
            return
        }
        let documents = try await reminders.outbox(
            day: try day.map { try parseDay($0, option: "day") }, customerId: customer, limit: limit, afterId: nil)
        try await answer.print(documents) { documents in
            (["Outbox: \(documents.count) documents"]
                + documents.map {
                    "  #\($0.id)  \($0.issuedOn.iso)  \($0.customerId)  \($0.step.rawValue) by \($0.channel) (\($0.language.rawValue))  \($0.fileName)  \($0.subject)"
                }).joined(separator: "\n")
        }
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
    @OptionGroup var answer: AnswerFormat

    func run() async throws {
        let disputes = try serviceOptions.open().disputes
        let day = try listDay.day()
        let list = try await disputes.list(asOf: day, owner: owner, overdueOnly: overdue)
        try await answer.print(list) { DisputeListText(asOf: day, disputes: $0).text }
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
