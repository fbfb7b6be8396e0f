import CreditCore
import CreditStore
import Foundation
import GRDB

/// What a reminder run did.
public struct ReminderRunReport: Sendable, Codable {
    public var runId: Int64?
    public var day: Day
    /// Customers with an automatic step due that day.
    public var customersDue: Int
    /// Documents issued by this run.
    public var documents: Int
    /// Customers already sent that day's document by an earlier run: skipped.
    public var alreadyIssued: Int
    /// Steps due that a person carries out (calls, agency hand-overs): on the worklist.
    public var collectorTasks: Int
    public var problems: [Problem]
    public var issued: [Issued]
    /// Dispute deadlines passed and alerted by this run.
    public var disputeAlerts: Int

    /// A reminder the run could not issue, and why: the step stays due.
    public struct Problem: Sendable, Codable, Hashable {
        public var customerId: String
        public var step: ReminderStep
        public var channel: String
        public var problem: String
    }

    public struct Issued: Sendable, Codable, Hashable {
        public var documentId: Int64
        public var customerId: String
        public var step: ReminderStep
        public var channel: String
        public var language: DocumentLanguage
        public var recipient: String
        public var balanceDue: Money
    }
}

/// Reminder runs: the automated steps due, issued once per customer per day as documents in the
/// outbox and recorded as activities. The service sends nothing over the network: the outbox
/// is where a mail gateway or a print room picks the documents up.
public struct ReminderRuns: Sendable {
    public let resources: RequestResources
    public let templates: ReminderTemplates?
    let checks = InputChecks()

    public init(resources: RequestResources, templates: ReminderTemplates?) {
        self.resources = resources
        self.templates = templates
    }

    public var database: any DatabaseWriter { resources.database }
    public var model: ScoringModel { resources.model }
    public var now: @Sendable () -> Date { resources.now }

    /// Issues the automated steps due on `day` (today or a past day).
    public func run(asOf day: Day, today: Day, author: String) async throws -> ReminderRunReport {
        try checks.pastDay(day, "asOf", today: today)
        let author = try checks.text(author, "author", required: true) ?? author
        guard let templates else {
            throw Refusal(.unavailable, "reminder documents cannot be written: the letter templates were not found")
        }
        let model = self.model
        let list = CollectionsWorklist(model: model)
        // Read: every account with its grade and dunning state, and who each customer is.
        let snapshot = try await database.read { db in
            let accounts = Array(try CollectionsIndex.loadAccounts(db, customerId: nil, model: model).values)
            return (accounts, try ContactStore().contacts(db), try ContactStore().countries(db))
        }
        let (accounts, contacts, countries) = snapshot
        // Plan: pure, on the background pool.
        let plans = try await BlockingWork.backgroundMap(accounts) { list.plan($0, asOf: day) }
        var planned: [(account: CollectionsAccount, reminder: PlannedReminder)] = []
        var tasks = 0
        for (account, plan) in zip(accounts, plans) {
            tasks += plan.tasks.count
            if let reminder = plan.reminder { planned.append((account, reminder)) }
        }
        planned.sort { $0.account.customerId < $1.account.customerId }
        var problems: [ReminderRunReport.Problem] = []
        var ready: [(planned: PlannedReminder, contact: CustomerContact, language: DocumentLanguage, recipient: String, name: String)] = []
        for (account, reminder) in planned {
            let contact = contacts[account.customerId] ?? .empty
            guard let address = contact.address(for: reminder.rule.channel) else {
                problems.append(
                    .init(
                        customerId: account.customerId, step: reminder.rule.step, channel: reminder.rule.channel,
                        problem: Self.missingAddress(reminder.rule.channel)))
                continue
            }
            let language = DocumentLanguage.of(country: countries[account.customerId] ?? "", contact: contact)
            ready.append((reminder, contact, language, address, account.customerName))
        }
        let candidates = ready
        let found = problems
        let due = planned.count
        let collectorTasks = tasks
        // The invoices and credits each document lists.
        let terms = model.collectionsPolicy.latePaymentTerms
        let byCustomer = Dictionary(accounts.map { ($0.customerId, $0) }, uniquingKeysWith: { first, _ in first })
        let documents: [ReminderDocument] = try await database.read { db in
            try candidates.map { item in
                let open = try OutboxStore().openInvoices(db, customerId: item.planned.customerId)
                var claimed: [String: Money] = [:]
                for entry in item.planned.invoices { claimed[entry.invoiceId] = .zero }
                let state = byCustomer[item.planned.customerId]
                let riskClass = state.flatMap { model.reminders.riskClass(for: $0.grade) }
                for accountItem in state?.items ?? [] {
                    claimed[accountItem.invoiceId] = list.state(of: accountItem, riskClass: riskClass, asOf: day).claimed
                }
                let credits = open.filter(\.invoice.isCreditNote)
                for credit in credits { claimed[credit.invoice.id] = credit.open }
                return ReminderDocument(
                    planned: item.planned, customerName: item.name, contact: item.contact, language: item.language, issuedOn: day,
                    invoices: open.map(\.invoice), claimed: claimed, credits: credits.map(\.invoice), terms: terms)
            }
        }
        // Render: CPU work on the background pool.
        let createdAt = now()
        let stamp = Timestamp.string(createdAt)
        let rendered = try await BlockingWork.backgroundMap(documents) { document -> Result<RenderedReminder, Refusal> in
            do {
                return .success(
                    try templates.render(document, messageId: "reminder-\(document.customerId)-\(day.iso)", createdAt: createdAt))
            } catch {
                return .failure((error as? Refusal) ?? Refusal(.invalid, "\(error)"))
            }
        }
        // Write: one transaction; a customer already sent a document that day is skipped.
        // Disputes past their deadline: the owner is chased, not the customer (once per dispute).
        let raised = try await DisputeWorkflow(resources: resources).raiseDisputeDeadlineAlerts(asOf: day)
        let report = try await resources.writer.write { db -> ReminderRunReport in
            let outbox = OutboxStore()
            let runId = try outbox.startRun(db, on: day, author: author, createdAt: stamp)
            var issued: [ReminderRunReport.Issued] = []
            var already = 0
            var problems = found
            for ((item, document), content) in zip(zip(candidates, documents), rendered) {
                if try outbox.hasDocument(db, customerId: document.customerId, issuedOn: day) {
                    already += 1
                    continue
                }
                let output: RenderedReminder
                switch content {
                case .success(let value): output = value
                case .failure(let refusal):
                    problems.append(
                        .init(customerId: document.customerId, step: document.step, channel: document.channel, problem: refusal.description))
                    continue
                }
                let documentId = try outbox.add(
                    db,
                    OutboxEntry(
                        id: 0, runId: runId, customerId: document.customerId, issuedOn: day, step: document.step, channel: document.channel,
                        language: document.language, recipient: item.recipient, subject: output.subject, fileName: output.fileName,
                        contentType: output.contentType),
                    content: output.content, document: String(decoding: try JSONEncoder().encode(document), as: UTF8.self))
                try ActivityStore().record(
                    db,
                    Activity(
                        customerId: document.customerId, kind: document.channel == "email" ? .reminderSent : .letter, on: day,
                        channel: document.channel, note: "\(document.step.rawValue): \(output.subject)", author: author,
                        invoices: item.planned.invoices, documentId: documentId),
                    createdAt: stamp)
                issued.append(
                    .init(
                        documentId: documentId, customerId: document.customerId, step: document.step, channel: document.channel,
                        language: document.language, recipient: item.recipient, balanceDue: document.balanceDue))
            }
            if issued.count > 1_000 {
                try CollectionsChangeLog().touchAll(db)
            } else {
                for entry in issued { try CollectionsChangeLog().touch(db, customerId: entry.customerId) }
            }
            let report = ReminderRunReport(
                runId: runId, day: day, customersDue: due, documents: issued.count, alreadyIssued: already,
                collectorTasks: collectorTasks, problems: problems, issued: issued, disputeAlerts: raised)
            try outbox.finishRun(db, runId: runId, report: String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
            return report
        }
        return report
    }

    static func missingAddress(_ channel: String) -> String {
        switch channel {
        case "email": return "no e-mail address for the customer's billing contact: set contact_email in customers.csv or PUT the contact"
        case "letter", "registered_letter":
            return "no postal address for the customer: set postal_address in customers.csv or PUT the contact"
        default: return "no address for channel \(channel)"
        }
    }

    // MARK: The outbox

    /// Documents issued, newest first, filtered by day and customer.
    public func outbox(day: Day?, customerId: String?, limit: Int, afterId: Int64?) async throws -> [OutboxEntry] {
        try await database.read { try OutboxStore().entries($0, issuedOn: day, customerId: customerId, limit: limit, beforeId: afterId) }
    }

    /// One document with its content.
    public func document(id: Int64) async throws -> (entry: OutboxEntry, content: String) {
        guard let found = try await database.read({ try OutboxStore().document($0, id: id) }) else {
            throw Refusal(.notFound, "no document \(id) in the outbox")
        }
        return found
    }
}
