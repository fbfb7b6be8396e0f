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

/// A document in the outbox, without its content.
public struct OutboxEntry: Sendable, Codable, Hashable {
    public var id: Int64
    public var runId: Int64
    public var customerId: String
    public var issuedOn: Day
    public var step: ReminderStep
    public var channel: String
    public var language: DocumentLanguage
    public var recipient: String
    public var subject: String
    public var fileName: String
    public var contentType: String
}

/// Reminder runs: the automated steps due, issued once per customer per day as documents in the
/// outbox and recorded as activities. The service sends nothing over the network: the outbox
/// is where a mail gateway or a print room picks the documents up.
public struct ReminderRuns: Sendable {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    public let templates: ReminderTemplates?
    public let now: @Sendable () -> Date
    let checks = InputChecks()

    public init(database: any DatabaseWriter, model: ScoringModel, templates: ReminderTemplates?, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.model = model
        self.templates = templates
        self.now = now
    }

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
            return (accounts, try ContactStore().contacts(db), try Self.countries(db))
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
                let open = try Self.openInvoices(db, customerId: item.planned.customerId)
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
        let raised = 0
        let report = try await database.write { db -> ReminderRunReport in
            try db.execute(
                sql: "INSERT INTO reminder_run (run_on, author, report, created_at) VALUES (?, ?, '{}', ?)", arguments: [day, author, stamp])
            let runId = db.lastInsertedRowID
            var issued: [ReminderRunReport.Issued] = []
            var already = 0
            var problems = found
            let exists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox_document WHERE customer_id = ? AND issued_on = ?)")
            for ((item, document), content) in zip(zip(candidates, documents), rendered) {
                if try Bool.fetchOne(exists, arguments: [document.customerId, day]) == true {
                    already += 1
                    continue
                }
                let output: RenderedReminder
                switch content {
                case .success(let value): output = value
                case .failure(let refusal):
                    problems.append(.init(customerId: document.customerId, step: document.step, channel: document.channel, problem: refusal.description))
                    continue
                }
                try db.execute(
                    sql: """
                        INSERT INTO outbox_document (run_id, customer_id, issued_on, step, channel, language, recipient, subject,
                            file_name, content_type, content, document)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        runId, document.customerId, day, document.step, document.channel, document.language, item.recipient,
                        output.subject, output.fileName, output.contentType, output.content,
                        String(decoding: try JSONEncoder().encode(document), as: UTF8.self),
                    ])
                let documentId = db.lastInsertedRowID
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
            try db.execute(
                sql: "UPDATE reminder_run SET report = ? WHERE id = ?",
                arguments: [String(decoding: try JSONEncoder().encode(report), as: UTF8.self), runId])
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

    static func countries(_ db: Database) throws -> [String: String] {
        var countries: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, country FROM customer")
        while let row = try rows.next() { countries[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1) }
        return countries
    }

    static func openInvoices(_ db: Database, customerId: String) throws -> [(invoice: Invoice, open: Money)] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, customer_id, issue_date, due_date, amount_cents, currency, open_cents FROM invoice INDEXED BY invoice_customer
                    WHERE customer_id = ? AND open_cents <> 0
                    """), arguments: [customerId]
        ).map { row in
            try (
                Invoice(
                    id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"),
                    issueDate: row.decode(forColumn: "issue_date"), dueDate: row.decode(forColumn: "due_date"),
                    amount: row.decode(forColumn: "amount_cents"), currency: row.decode(forColumn: "currency")),
                row.decode(forColumn: "open_cents")
            )
        }
    }

    // MARK: The outbox

    /// Documents issued, newest first, filtered by day and customer.
    public func outbox(day: Day?, customerId: String?, limit: Int, afterId: Int64?) async throws -> [OutboxEntry] {
        try await database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let day {
                conditions.append("issued_on = ?")
                arguments.append(day)
            }
            if let customerId {
                conditions.append("customer_id = ?")
                arguments.append(customerId)
            }
            if let afterId {
                conditions.append("id < ?")
                arguments.append(afterId)
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments.append(limit)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, run_id, customer_id, issued_on, step, channel, language, recipient, subject, file_name, content_type
                    FROM outbox_document \(filter) ORDER BY id DESC LIMIT ?
                    """, arguments: StatementArguments(arguments)
            ).map(Self.entry)
        }
    }

    /// One document with its content.
    public func document(id: Int64) async throws -> (entry: OutboxEntry, content: String) {
        try await database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, run_id, customer_id, issued_on, step, channel, language, recipient, subject, file_name, content_type,
                               content FROM outbox_document WHERE id = ?
                        """, arguments: [id])
            else { throw Refusal(.notFound, "no document \(id) in the outbox") }
            return (try Self.entry(row), try row.decode(forColumn: "content"))
        }
    }

    static func entry(_ row: Row) throws -> OutboxEntry {
        try OutboxEntry(
            id: row.decode(forColumn: "id"), runId: row.decode(forColumn: "run_id"), customerId: row.decode(forColumn: "customer_id"),
            issuedOn: row.decode(forColumn: "issued_on"), step: row.decode(forColumn: "step"), channel: row.decode(forColumn: "channel"),
            language: row.decode(forColumn: "language"), recipient: row.decode(forColumn: "recipient"),
            subject: row.decode(forColumn: "subject"), fileName: row.decode(forColumn: "file_name"),
            contentType: row.decode(forColumn: "content_type"))
    }
}
