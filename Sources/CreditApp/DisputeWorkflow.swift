import CreditCore
import CreditStore
import Foundation
import GRDB

/// Disputes as a workflow: opened on an invoice or part of one, handed to an owner who resolves
/// it by a deadline set by its kind, commented along the way, resolved with an outcome. Every
/// step is kept in the dispute's history (with its author) in the same transaction as the
/// change, and re-scores the customer as every event does (`FeedbackEvents`).
///
/// A `rejected` dispute returns the invoice to the reminder flow (it is simply resolved); a
/// `credit_note` or `corrected_invoice` settles it, the money arriving through the ledger.
public struct DisputeWorkflow: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    let checks = InputChecks()

    /// Opens a dispute of `kind` (as the user wrote it: parsed here, refused with the list of
    /// kinds when it is none of them) on `amount` of the invoice (nil: its whole open balance;
    /// otherwise above zero and at most the open balance), owned by `owner` when given.
    public func open(
        invoiceId: String, kind: String, amount: Money? = nil, owner: String? = nil, note: String? = nil, author: String,
        on day: Day, today: Day
    ) async throws -> EventOutcome {
        guard let parsed = DisputeKind(parsing: kind) else {
            throw Refusal.invalid(field: "kind", "\"\(kind.truncatedForMessage(40))\" is not a dispute kind; use one of \(DisputeKind.listed)")
        }
        try checks.id(invoiceId, "invoiceId")
        try checks.pastDay(day, "on", today: today)
        if let amount { try checks.amount(amount, "amount", positive: true) }
        let owner = try checks.text(owner, "owner", required: false)
        let note = try checks.text(note, "note", required: false, lineBreaks: true)
        let author = try checks.text(author, "author", required: true) ?? author
        let dispute = Dispute(invoiceId: invoiceId, kind: parsed.rawValue, openedOn: day, amount: amount, owner: owner)
        let createdAt = Timestamp.string(now())
        return try await recording(today: today) { db in
            let outcome = try LedgerEventStore().openDispute(db, dispute)
            let customer = try LedgerEventStore().invoice(db, invoiceId).customerId
            let action: DisputeAction = outcome == .updated ? .reopened : .opened
            try DisputeStore().record(
                db,
                DisputeEvent(
                    invoiceId: invoiceId, openedOn: day, customerId: customer, action: action, author: author, note: note, owner: owner,
                    day: day, createdAt: createdAt))
            return (customer, action.rawValue)
        }
    }

    /// Hands the invoice's open dispute to `owner`, the person who resolves it.
    public func assign(
        invoiceId: String, owner: String, note: String? = nil, author: String, on day: Day, today: Day
    ) async throws -> EventOutcome {
        try checks.id(invoiceId, "invoiceId")
        try checks.pastDay(day, "on", today: today)
        let owner = try checks.text(owner, "owner", required: true) ?? owner
        let note = try checks.text(note, "note", required: false, lineBreaks: true)
        let author = try checks.text(author, "author", required: true) ?? author
        let createdAt = Timestamp.string(now())
        return try await step(.assigned, invoiceId: invoiceId, on: day, today: today) { db, dispute, customer in
            try DisputeStore().assign(db, dispute, to: owner)
            return DisputeEvent(
                invoiceId: invoiceId, openedOn: dispute.openedOn, customerId: customer, action: .assigned, author: author, note: note,
                owner: owner, day: day, createdAt: createdAt)
        }
    }

    /// Adds a comment to the invoice's open dispute: what was learnt or done, for the next person.
    public func comment(invoiceId: String, note: String, author: String, on day: Day, today: Day) async throws -> EventOutcome {
        try checks.id(invoiceId, "invoiceId")
        try checks.pastDay(day, "on", today: today)
        let note = try checks.text(note, "note", required: true, lineBreaks: true) ?? note
        let author = try checks.text(author, "author", required: true) ?? author
        let createdAt = Timestamp.string(now())
        return try await step(.commented, invoiceId: invoiceId, on: day, today: today) { _, dispute, customer in
            DisputeEvent(
                invoiceId: invoiceId, openedOn: dispute.openedOn, customerId: customer, action: .commented, author: author, note: note,
                owner: dispute.owner, day: day, createdAt: createdAt)
        }
    }

    /// Resolves the invoice's open dispute on `day`. `outcome` (credit_note, corrected_invoice,
    /// rejected; refused with the list when it is none) is optional but recommended: the
    /// indicators and the timeline show it, and resolutions without one read as "not stated".
    public func resolve(
        invoiceId: String, outcome: String? = nil, note: String? = nil, author: String, on day: Day, today: Day
    ) async throws -> EventOutcome {
        try checks.id(invoiceId, "invoiceId")
        try checks.pastDay(day, "on", today: today)
        let parsed = try outcome.map { text -> DisputeOutcome in
            guard let parsed = DisputeOutcome(parsing: text) else {
                throw Refusal.invalid(
                    field: "outcome", "\"\(text.truncatedForMessage(40))\" is not a dispute outcome; use one of \(DisputeOutcome.listed)")
            }
            return parsed
        }
        let note = try checks.text(note, "note", required: false, lineBreaks: true)
        let author = try checks.text(author, "author", required: true) ?? author
        let createdAt = Timestamp.string(now())
        return try await recording(today: today) { db in
            let dispute = try LedgerEventStore().resolveDispute(db, invoiceId: invoiceId, on: day, outcome: parsed)
            let customer = try LedgerEventStore().invoice(db, invoiceId).customerId
            let said = [parsed.map { "outcome \($0.rawValue)" }, note].compactMap { $0 }.joined(separator: ": ")
            try AlertStore().close(
                db, customerId: customer, kind: .disputeOverdue, condition: DisputeDeadlines.alertCondition(of: dispute), on: day)
            try DisputeStore().record(
                db,
                DisputeEvent(
                    invoiceId: invoiceId, openedOn: dispute.openedOn, customerId: customer, action: .resolved, author: author,
                    note: said.isEmpty ? nil : said, owner: dispute.owner, day: day, createdAt: createdAt))
            return (customer, DisputeAction.resolved.rawValue)
        }
    }

    /// The dispute worklist on `day`: open disputes, the most overdue first, with owner, disputed
    /// part, deadline by kind (model file) and latest comment; only `owner`'s when given, only
    /// those past their deadline when `overdueOnly`.
    public func list(asOf day: Day, owner: String? = nil, overdueOnly: Bool = false) async throws -> [DisputeEntry] {
        let owner = try checks.text(owner, "owner", required: false)
        return try await CollectionsLists(database: database, model: model).disputes(asOf: day, owner: owner, overdueOnly: overdueOnly)
    }

    /// Every step of the customer's disputes, oldest first: for the account's timeline.
    public func events(customerId: String) async throws -> [DisputeEvent] {
        try checks.id(customerId, "customerId")
        return try await database.read { try DisputeStore().disputeEvents($0, customerId: customerId) }
    }

    /// Raises one `dispute_overdue` alert (for the owner and the credit manager: its detail names
    /// the invoice, kind, owner and deadline) for each open dispute whose deadline has passed on
    /// `day` and that was not alerted before, and notes it so that no later run raises it again.
    /// Returns how many it raised. The daily re-scoring calls it, and so may a reminder run.
    public func raiseDisputeDeadlineAlerts(asOf day: Day) async throws -> Int {
        let deadlines = model.disputeDeadlines
        let createdAt = Timestamp.string(now())
        return try await writer.write { db in
            let store = DisputeStore()
            let alerts = AlertStore()
            var raised = 0
            for (dispute, customerId) in try store.unalertedOpenDisputes(db) {
                guard let alert = deadlines.overdueAlert(for: dispute, asOf: day) else { continue }
                if try alerts.raise(db, Alert(alert, customerId: customerId, asOf: day, createdAt: createdAt)) { raised += 1 }
                try store.markDeadlineAlerted(db, dispute, on: day)
            }
            // A dispute resolved since (by an event or an import) ends its alert.
            let open = Set(try store.openCases(db).map { DisputeDeadlines.alertCondition(of: $0.dispute) })
            let unclosed = try [AlertStatus.open, .acknowledged].flatMap {
                try alerts.alerts(db, AlertFilter(kind: .disputeOverdue, status: $0, limit: Int.max))
            }
            for alert in unclosed where !open.contains(alert.condition) {
                try alerts.close(db, customerId: alert.customerId, kind: .disputeOverdue, condition: alert.condition, on: day)
            }
            return raised
        }
    }

    /// A step on the invoice's open dispute (`make` changes what it must and returns the step
    /// to record), recorded and re-scored in one transaction.
    private func step(
        _ action: DisputeAction, invoiceId: String, on day: Day, today: Day,
        _ make: @escaping @Sendable (Database, Dispute, String) throws -> DisputeEvent
    ) async throws -> EventOutcome {
        try await recording(today: today) { db in
            let dispute = try LedgerEventStore().openDispute(db, invoiceId: invoiceId)
            guard day >= dispute.openedOn else {
                throw Refusal.invalid(field: "on", "\(day.iso) is before the dispute was opened on \(dispute.openedOn.iso)")
            }
            let customer = try LedgerEventStore().invoice(db, invoiceId).customerId
            try DisputeStore().record(db, try make(db, dispute, customer))
            return (customer, action.rawValue)
        }
    }

    private func recording(
        today: Day, _ change: @escaping @Sendable (Database) throws -> (customerId: String, outcome: String)
    ) async throws -> EventOutcome {
        try await FeedbackEvents(resources: resources).recording(today: today, change)
    }
}
