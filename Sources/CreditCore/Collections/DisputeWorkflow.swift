/// How a dispute was settled. A closed list, stored as its raw value.
///
/// A `rejected` dispute returns the invoice to the reminder flow: the customer owes it after all.
/// A `credit_note` or a `corrected_invoice` settles the contested part; the money itself arrives
/// through the ledger (the credit note or the corrected invoice and its payments), never here.
public enum DisputeOutcome: String, Sendable, Hashable, Codable, ClosedList {
    case creditNote = "credit_note"
    case correctedInvoice = "corrected_invoice"
    case rejected

    public static let listName = "a dispute outcome"
}

/// What happened to a dispute, one step of its history: what the account's timeline shows.
public enum DisputeAction: String, Sendable, Hashable, Codable, CaseIterable {
    case opened, assigned, commented, resolved, reopened
}

/// One step of a dispute's history, with who did it and when.
public struct DisputeEvent: Hashable, Sendable, Codable {
    public var invoiceId: String
    /// The dispute's opening day: with the invoice, the dispute it belongs to.
    public var openedOn: Day
    public var customerId: String
    public var action: DisputeAction
    /// Who recorded it: the API key's name or the name the request stated.
    public var author: String
    public var note: String?
    /// The owner after this step (set when opened with one or assigned).
    public var owner: String?
    /// The day it happened.
    public var day: Day
    /// When it was recorded (ISO 8601 timestamp).
    public var createdAt: String

    public init(
        invoiceId: String, openedOn: Day, customerId: String, action: DisputeAction, author: String, note: String? = nil,
        owner: String? = nil, day: Day, createdAt: String
    ) {
        self.invoiceId = invoiceId
        self.openedOn = openedOn
        self.customerId = customerId
        self.action = action
        self.author = author
        self.note = note
        self.owner = owner
        self.day = day
        self.createdAt = createdAt
    }
}

extension DisputeDeadlines {
    /// The alert for an open dispute whose resolution deadline has passed on `day`, nil while
    /// there is time left (the deadline day itself is still in time) or once it is resolved.
    /// One alert for the owner and the credit manager: the detail names both the dispute and
    /// whom to chase.
    public func overdueAlert(for dispute: Dispute, asOf day: Day) -> RaisedAlert? {
        let deadline = deadline(for: dispute)
        guard dispute.isOpen(on: day), day > deadline else { return nil }
        let owner = dispute.owner.map { "owner \($0)" } ?? "no owner"
        return RaisedAlert(
            kind: .disputeOverdue,
            detail: "invoice \(dispute.invoiceId): \(dispute.kind) dispute opened on \(dispute.openedOn.iso), \(owner), "
                + "deadline \(deadline.iso) passed (\(day - deadline) days overdue)",
            condition: Self.alertCondition(of: dispute))
    }

    /// What identifies a dispute's deadline alert: closed when the dispute is resolved.
    public static func alertCondition(of dispute: Dispute) -> String { "\(dispute.invoiceId) \(dispute.openedOn.iso)" }
}
